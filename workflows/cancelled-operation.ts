// cancelledOperation: the 28-day guarantee of one operation cancelled on the day for non-clinical reasons (issue 15)
// [rules §6]. Owns the rebook item's ladder (team leader at day 14, operations at day 21) and the breach at the end of
// day 28; ends once the operation is rebooked (the API nudges it, and every rung re-reads the row, so a lost nudge
// costs nothing) or breached. Its own workflow, `cancelled-operation-<id>`, beside the pathway: the pathway's clock keeps
// running untouched [rules §1.3], and pathways already running need no patch to gain it. Its escalation items are
// completed as the pathway's are, by the completeTask Update.
import { allHandlersFinished, condition, defineQuery, defineSignal, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import { cancelledOperationBreachAt, cancelledOperationGuarantee, cancelledOperationRungAt, type CancelledOperationStatus } from '../domain';
import type { createCancelledOperationActivities } from '../activities/cancelled-operations';
import type { CompleteTaskCommand } from './types';
import { refusal } from './refusal';

const activities = proxyActivities<ReturnType<typeof createCancelledOperationActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Ids and a date only: no patient detail goes into Temporal. */
export type CancelledOperationInput = { cancelledOperationId: string; cancelledOn: string };
export type CancelledOperationView = { cancelledOperationId: string; status: CancelledOperationStatus; escalationLevel: number; rebookBy: string };

/** A nudge from the API: a new TCI was accepted. Nobody waits on it; the row is the truth. */
export const cancelledOperationRebookedSignal = defineSignal('cancelledOperationRebooked');
export const cancelledOperationQuery = defineQuery<CancelledOperationView>('cancelledOperation');
/** The same Update the pathway takes decisions by ('completeTask'): POST /api/tasks/:id/complete needs no new path. */
export const completeEscalationUpdate = defineUpdate<CancelledOperationView, [CompleteTaskCommand]>('completeTask');

export async function cancelledOperation(input: CancelledOperationInput): Promise<CancelledOperationView> {
  const guarantee = cancelledOperationGuarantee(input.cancelledOn);
  const id = input.cancelledOperationId;
  let status: CancelledOperationStatus = 'open';
  let escalationLevel = 0;
  const oneAtATime = new Mutex();
  const view = (): CancelledOperationView => ({ cancelledOperationId: id, status, escalationLevel, rebookBy: guarantee.rebookBy });

  setHandler(cancelledOperationQuery, view);
  setHandler(cancelledOperationRebookedSignal, () => { if (status === 'open') status = 'rebooked'; });
  setHandler(
    completeEscalationUpdate,
    (cmd) => oneAtATime.runExclusive(async () => {
      const { done } = await activities.resolveCancelledOperationEscalation({ cancelledOperationId: id, taskId: cmd.taskId, actorId: cmd.actorId, outcome: cmd.outcome });
      if (!done) throw refusal('TASK_NOT_OPEN', 'This work item is no longer open');
      return view();
    }),
    {
      validator: (cmd) => {
        if (!cmd || typeof cmd.taskId !== 'string' || typeof cmd.actorId !== 'string') {
          throw refusal('VALIDATION_FAILED', 'A decision needs a taskId and an actorId', 'outcome');
        }
      },
    },
  );

  const settled = () => status !== 'open';
  for (const rung of guarantee.rungs) {
    if (await condition(settled, Math.max(0, cancelledOperationRungAt(rung) - Date.now()))) break;
    const result = await oneAtATime.runExclusive(() => activities.escalateCancelledOperation({
      cancelledOperationId: id, level: rung.level, target: rung.target, date: rung.date, afterDays: rung.afterDays,
    }));
    if (result.status !== 'open') status = result.status;
    else escalationLevel = rung.level;
  }
  if (!settled() && !(await condition(settled, Math.max(0, cancelledOperationBreachAt(guarantee) - Date.now())))) {
    const result = await oneAtATime.runExclusive(() => activities.recordCancelledOperationBreach({ cancelledOperationId: id, breachedOn: guarantee.breachedOn }));
    status = result.status;
  }
  await condition(allHandlersFinished);
  return view();
}
