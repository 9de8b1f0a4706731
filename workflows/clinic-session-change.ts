// clinicSessionChange: a clinic session cancelled or reduced (issue 10). The API has already blocked the
// session's free slots and listed the booked patients in compareForRebooking order; this moves each in turn
// into the next suitable free slot (read live, since officers book by hand meanwhile), or onto the Rebooking
// queue when none is left, through their own pathway's Update. Then one capacity escalation if anyone will
// breach, and the summary. Carries ids only: who the patients are stays in Postgres.
import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { createSessionChangeActivities, SessionChangeSummary, SessionMove } from '../activities/session-changes';
import type { createForecastActivities } from '../activities/forecast';
import { workflowToday } from './workflow-time';

export type SessionChangeInput = { changeId: string; actorId: string };

type Activities = ReturnType<typeof createSessionChangeActivities>;

// Reads of Postgres only: local, so each patient costs one round trip to the server, not three.
const { sessionChangePatients, nextSlotForPatient } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['SESSION_CHANGE_NOT_FOUND'] },
});
// Calls the pathway's Update, which runs the pathway's own activities: a longer timeout, retried with the same updateId.
const { moveSessionPatient, escalateSessionCapacity, completeSessionChange } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['SESSION_CHANGE_NOT_FOUND', 'NO_QUEUE'] },
});

// Issue 17: the breach forecast is recomputed once the patients are moved, so who is newly at risk is seen at once.
const { recomputeForecast } = proxyActivities<ReturnType<typeof createForecastActivities>>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '2 minutes', maximumAttempts: 5 },
});
export const FORECAST_RECOMPUTE = '2026-12-forecast-recompute';

/** Slots tried for one patient before they go to the Rebooking queue: each miss is an officer booking that slot by hand. */
export const MAX_SLOT_TRIES = 10;

export async function clinicSessionChange({ changeId, actorId }: SessionChangeInput): Promise<SessionChangeSummary> {
  const today = workflowToday();
  const patients = await sessionChangePatients({ changeId });
  for (const { appointmentId, done } of patients) {
    if (done) continue;
    const tried: string[] = [];
    let move: SessionMove | undefined;
    let atRisk = false;
    while (tried.length < MAX_SLOT_TRIES) {
      const next = await nextSlotForPatient({ changeId, appointmentId, today, tried });
      if (!next.slotId) { atRisk = next.atRisk; break; }
      move = await moveSessionPatient({ changeId, appointmentId, actorId, slotId: next.slotId });
      if (move.kind !== 'slot_gone') break;
      tried.push(next.slotId);
    }
    if (!move || move.kind === 'slot_gone') await moveSessionPatient({ changeId, appointmentId, actorId, atRisk });
  }
  const { taskId } = await escalateSessionCapacity({ changeId, today });
  const summary = await completeSessionChange({ changeId, actorId, escalationTaskId: taskId });
  if (patched(FORECAST_RECOMPUTE)) {
    // The change is done whatever the forecast does: the nightly run catches up a recompute that failed.
    try { await recomputeForecast({ today, reason: 'capacity_change', sourceId: changeId }); } catch { /* nightly catches up */ }
  }
  return summary;
}
