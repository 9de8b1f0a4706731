// The session change benchmark's yardstick: the least an Update can do (a handler that answers at once, no
// activity), on a workflow that waits until told to finish. Bundled on its own.
import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

export const pingUpdate = defineUpdate<number, [number]>('ping');
export const finishSignal = defineSignal('finish');

export async function bareUpdateWorkflow(): Promise<void> {
  let finished = false;
  setHandler(pingUpdate, (n) => n);
  setHandler(finishSignal, () => { finished = true; });
  await condition(() => finished);
}

/** The least a workflow can be: it returns at once (the simulation benchmark's bare workflows a second). */
export async function bareWorkflow(n: number): Promise<number> {
  return n;
}
