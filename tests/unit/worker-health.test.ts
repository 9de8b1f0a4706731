// The worker's GET /health (WORKER_HEALTH_PORT): 200 only while it polls, so a draining or failed worker is seen as down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { State } from '@temporalio/worker';
import { serveWorkerHealth } from '../../bin/lib/worker-health';

let state: State = 'RUNNING';
let served: Awaited<ReturnType<typeof serveWorkerHealth>>;
beforeAll(async () => { served = await serveWorkerHealth({ port: 0, host: '127.0.0.1', state: () => state, taskQueue: 'access-desk' }); });
afterAll(() => new Promise<void>((resolve) => served.server.close(() => resolve())));
const get = async (path: string) => {
  const res = await fetch(`http://127.0.0.1:${served.port}${path}`);
  return { status: res.status, body: await res.json() };
};

describe('worker health endpoint', () => {
  it('answers 200 while the worker polls', async () => {
    state = 'RUNNING';
    expect(await get('/health')).toEqual({ status: 200, body: { status: 'ok', worker: 'RUNNING', taskQueue: 'access-desk' } });
  });

  it.each(['INITIALIZED', 'DRAINING', 'STOPPING', 'FAILED'] as State[])('answers 503 naming the state when %s', async (s) => {
    state = s;
    expect(await get('/health')).toEqual({ status: 503, body: { status: 'down', worker: s, taskQueue: 'access-desk' } });
  });

  it('serves nothing else', async () => {
    expect((await get('/nothing-here')).status).toBe(404);
  });
});
