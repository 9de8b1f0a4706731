// The benchmark's ceiling: the least a workflow can do that still has the shape of intake (start,
// one activity, done). Bundled on its own, so nothing of Access Desk's workflows is in it.
import { proxyActivities, sleep } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export async function bareWorkflow(): Promise<void> {
  await noop();
}

/** The shape of an imported pathway's first task: started, one timer set, nothing run. The import's second ceiling. */
export async function bareWaitingWorkflow(): Promise<void> {
  await sleep('30 days');
}
