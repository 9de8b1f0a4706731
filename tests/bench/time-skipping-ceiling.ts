// The time-skipping test server's own ceiling, for the simulation benchmark (issue 17): how many bare Updates (a handler
// that answers at once, no activity) and bare workflows (start to result, no activity) it serves a second, one at a
// time and with N in flight. A simulated decision is one Update that also runs activities, so these bound its rate.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { pingUpdate, type bareUpdateWorkflow, type bareWorkflow } from './bare-update-workflow';

const bareWorkflowsPath = fileURLToPath(new URL('./bare-update-workflow.ts', import.meta.url));
const quietBundler = { trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m), log() {} };

export type Ceiling = { sequentialUpdatesPerSecond: number; concurrentUpdatesPerSecond: number; concurrency: number; workflowsPerSecond: number };

/** Runs `count` calls of `f` with at most `inFlight` at once; answers the calls a second. */
async function rate(count: number, inFlight: number, f: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => { while (next < count) await f(next++); }));
  return count / ((performance.now() - t0) / 1000);
}

/** Measures on `env` (a time-skipping environment already running) with a worker of its own on a task queue of its own. */
export async function timeSkippingCeiling(env: TestWorkflowEnvironment, opts: { updates: number; workflows: number; concurrency: number }): Promise<Ceiling> {
  const { code } = await bundleWorkflowCode({ workflowsPath: bareWorkflowsPath, logger: quietBundler as never });
  const connection = await NativeConnection.connect({ address: env.address });
  const taskQueue = `bench-ceiling-${randomBytes(4).toString('hex')}`;
  const worker = await Worker.create({ connection, taskQueue, workflowBundle: { code } });
  const running = worker.run();
  try {
    // One workflow per lane of Updates, as the simulation's decisions land on different pathways.
    const handles = await Promise.all(Array.from({ length: opts.concurrency }, (_, i) =>
      env.client.workflow.start<typeof bareUpdateWorkflow>('bareUpdateWorkflow', { taskQueue, workflowId: `${taskQueue}-${i}` })));
    for (const h of handles) await h.executeUpdate(pingUpdate, { args: [0] }); // warm
    const sequentialUpdatesPerSecond = await rate(opts.updates, 1, (i) => handles[0].executeUpdate(pingUpdate, { args: [i] }));
    const concurrentUpdatesPerSecond = await rate(opts.updates, opts.concurrency,
      (i) => handles[i % handles.length].executeUpdate(pingUpdate, { args: [i] }));
    // Ended by the client, not by a last workflow task: the test server has answered a burst of completing workflow
    // tasks with oversized errors and a 30 s stall.
    for (const h of handles) await h.terminate('measured');
    // A bare workflow: started and its result read (one workflow task), through a plain client: the environment's own
    // unlocks time skipping around each result, which is not what is measured.
    const client = new Client({ connection: env.connection, namespace: env.namespace });
    const workflowsPerSecond = await rate(opts.workflows, opts.concurrency,
      (i) => client.workflow.execute<typeof bareWorkflow>('bareWorkflow', { taskQueue, workflowId: `${taskQueue}-wf-${i}`, args: [i] }));
    return { sequentialUpdatesPerSecond, concurrentUpdatesPerSecond, concurrency: opts.concurrency, workflowsPerSecond };
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
  }
}
