// communicationsOutbox: the one loop that sends what changes wrote to the outbox and reads back what became of it
// (issue 12). A singleton (id `communications-outbox`) the system starts with the worker. Each round runs the sender
// and the status poll with the workflow's time as `asOf` (so a test server that skips time makes reminders due),
// then sleeps; a full batch goes round again at once. It continues as new after a bounded number of rounds.
import { continueAsNew, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { createCommunicationActivities } from '../activities/communications';

export const COMMUNICATIONS_OUTBOX_ID = 'communications-outbox';

export type CommunicationsOutboxInput = {
  /** Between rounds when nothing more is due; a few seconds by default. */
  pollIntervalMs?: number;
  /** Rows per round, for each of the two activities. */
  batchSize?: number;
  /** Rounds before continuing as new, keeping the history short. */
  roundsPerRun?: number;
};

const { deliverDueCommunications, pollDeliveryStatus } = proxyActivities<ReturnType<typeof createCommunicationActivities>>({
  // Each message heartbeats; a round that stops heartbeating is retried, and its claimed rows are looked up by reference.
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

export async function communicationsOutbox(input: CommunicationsOutboxInput = {}): Promise<void> {
  const pollIntervalMs = input.pollIntervalMs ?? 5000;
  const batchSize = input.batchSize ?? 50;
  const rounds = input.roundsPerRun ?? 100;
  for (let round = 0; round < rounds; round += 1) {
    const asOf = new Date(Date.now()).toISOString();
    let more = false;
    try {
      const sent = await deliverDueCommunications({ asOf, limit: batchSize });
      const polled = await pollDeliveryStatus({ asOf, limit: batchSize * 2 });
      more = (sent.stopped === null && sent.claimed === batchSize) || polled.checked === batchSize * 2;
    } catch (err) {
      // Retries exhausted: the rows stay as they are for the next round; the loop itself must not end.
      log.warn('communications outbox round failed', { error: err instanceof Error ? err.message : String(err) });
    }
    if (!more) await sleep(pollIntervalMs);
  }
  await continueAsNew<typeof communicationsOutbox>(input);
}
