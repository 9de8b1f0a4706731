// Starting a clinic session change's workflow, and starting it later when Temporal was away at confirm: the change
// is saved (its slots blocked) before its workflow starts, so a sweeper finds running changes and starts any whose
// workflow never began. Starting twice is harmless: the workflow id is the change's.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { and, eq, lt } from 'drizzle-orm';
import type { Database } from '../db/client';
import { clinicSessionChanges } from '../db/schema';
import { sessionChangeWorkflowId } from '../activities/session-changes';
import { clinicSessionChange } from '../workflows';
import type { Temporal } from './referral-intake';

const START_DEADLINE_MS = 5_000;

/** Starts (or finds) the change's workflow. A finished one is never started again; one that failed or was terminated is. */
export async function startSessionChangeWorkflow(temporal: Temporal, changeId: string, actorId: string): Promise<void> {
  try {
    await temporal.client.connection.withDeadline(Date.now() + START_DEADLINE_MS, () => temporal.client.workflow.start(clinicSessionChange, {
      workflowId: sessionChangeWorkflowId(changeId), taskQueue: temporal.taskQueue, args: [{ changeId, actorId }],
      workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    }));
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    throw err;
  }
}

/** Changes confirmed at least `olderThanSeconds` ago and still running: their workflows are started if they never were. */
export async function startPendingSessionChanges(db: Database, temporal: Temporal, olderThanSeconds = 30): Promise<number> {
  const running = await db.select({ id: clinicSessionChanges.id, confirmedBy: clinicSessionChanges.confirmedBy }).from(clinicSessionChanges)
    .where(and(eq(clinicSessionChanges.status, 'running'), lt(clinicSessionChanges.createdAt, new Date(Date.now() - olderThanSeconds * 1000))))
    .limit(200);
  for (const change of running) await startSessionChangeWorkflow(temporal, change.id, change.confirmedBy ?? 'system');
  return running.length;
}
