// hl7Feed: the loop that sends the PAS feed's outbox (issue 14). A singleton (id `hl7-feed`) the system starts with a
// worker that has a PAS configured. Each round sends every patient's next due message; a round that got an AA goes
// round again at once (that patient's next message is now free to go), else it sleeps. Continues as new after a
// bounded number of rounds.
import { continueAsNew, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { createHl7Activities } from '../activities/hl7-sender';

export const HL7_FEED_ID = 'hl7-feed';

export type Hl7FeedInput = {
  /** Between rounds when nothing more is due; 2 seconds by default. */
  pollIntervalMs?: number;
  /** Patients per round. */
  batchSize?: number;
  roundsPerRun?: number;
  /** How soon a round on a worker that died is run again elsewhere; 15 seconds by default. */
  heartbeatTimeoutMs?: number;
};

export async function hl7Feed(input: Hl7FeedInput = {}): Promise<void> {
  const { deliverHl7Messages } = proxyActivities<ReturnType<typeof createHl7Activities>>({
    // A round waits at most one ACK timeout per message (they go side by side) and heartbeats meanwhile; a dead round's
    // rows are claimed again by the next.
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: input.heartbeatTimeoutMs ?? 15_000,
    retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 5 },
  });
  const pollIntervalMs = input.pollIntervalMs ?? 2000;
  const batchSize = input.batchSize ?? 50;
  const rounds = input.roundsPerRun ?? 200;
  for (let round = 0; round < rounds; round += 1) {
    let more = false;
    try {
      const sent = await deliverHl7Messages({ asOf: new Date(Date.now()).toISOString(), limit: batchSize });
      more = sent.acknowledged > 0 || sent.claimed === batchSize;
    } catch (err) {
      // Retries exhausted (the database away): the rows stay as they are for the next round; the loop must not end.
      log.warn('PAS feed round failed', { error: err instanceof Error ? err.message : String(err) });
    }
    if (!more) await sleep(pollIntervalMs);
  }
  await continueAsNew<typeof hl7Feed>(input);
}
