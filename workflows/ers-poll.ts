// ersPoll: what the `ers-poll` Schedule starts every ERS_POLL_MINUTES (issue 14). It reads both e-RS worklists, takes in
// each UBRN not yet here (in batches, each taken in a few at a time, so a killed worker repeats at most one batch, and
// each referral is made once by its UBRN), applies patients' cancellations and rebookings seen in e-RS, and sends the triage outcomes waiting to go
// back. Only our own ids pass through here: the activities read the UBRNs themselves.
import { patched, proxyActivities } from '@temporalio/workflow';
import type { createErsActivities, ErsChangesResult, ErsSendResult, ErsTakeInResult } from '../activities/ers';

export const ERS_POLL_ID = 'ers-poll';
const BATCH = 25;
// Entries are taken in several at once inside a batch (TAKE_IN_AT_ONCE in activities/ers.ts): a batch of 25 left the
// lanes idle at each batch's tail. Polls begun before this change keep 25 a batch on replay.
const TAKE_IN_BATCH = 100;

const ers = proxyActivities<ReturnType<typeof createErsActivities>>({
  // e-RS answers in seconds; a batch heartbeats per referral, so a dead worker is noticed within the heartbeat.
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 8 },
});

export type ErsPollSummary = { seen: number; gone: number } & ErsTakeInResult & ErsChangesResult & ErsSendResult;

export async function ersPoll(): Promise<ErsPollSummary> {
  const read = await ers.readErsWorklists();
  const takeInBatch = patched('ers-poll-take-in-100') ? TAKE_IN_BATCH : BATCH;
  const taken: ErsTakeInResult = { registered: 0, alreadyHere: 0, documents: 0, slotIssues: 0, needAttention: 0 };
  for (let i = 0; i < read.toTakeIn.length; i += takeInBatch) {
    const r = await ers.takeInErsReferrals(read.toTakeIn.slice(i, i + takeInBatch));
    for (const k of Object.keys(taken) as (keyof ErsTakeInResult)[]) taken[k] += r[k];
  }
  const changes: ErsChangesResult = { checked: 0, cancelled: 0, moved: 0 };
  for (let i = 0; i < read.held.length; i += BATCH) {
    const r = await ers.applyErsAppointmentChanges(read.held.slice(i, i + BATCH));
    for (const k of Object.keys(changes) as (keyof ErsChangesResult)[]) changes[k] += r[k];
  }
  const sent = await ers.sendErsOutcomes();
  return { seen: read.seen, gone: read.gone, ...taken, ...changes, ...sent };
}
