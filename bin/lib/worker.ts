// The worker: every workflow and activity on one task queue.
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../db/client';
import { createActivities } from '../../activities';

export const workflowsPath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m), log() {} };

/** The workflow bundle, built once; bundling reports only errors. */
export const bundleWorkflows = () => bundleWorkflowCode({ workflowsPath, logger: quiet as never });

export async function createAccessDeskWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Database;
  workflowBundle?: WorkerOptions['workflowBundle'];
  quiet?: boolean;
  tuning?: Pick<WorkerOptions, 'stickyQueueScheduleToStartTimeout' | 'maxCachedWorkflows'>;
}) {
  const workflowBundle = opts.workflowBundle ?? (opts.quiet ? await bundleWorkflows() : undefined);
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath }),
    activities: createActivities({ db: opts.db }),
    ...opts.tuning,
  });
}
