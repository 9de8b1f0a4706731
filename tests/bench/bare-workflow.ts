// The benchmark's ceiling: the least a workflow can do that still has the shape of intake (start,
// one activity, done). Bundled on its own, so nothing of Access Desk's workflows is in it.
import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export async function bareWorkflow(): Promise<void> {
  await noop();
}
