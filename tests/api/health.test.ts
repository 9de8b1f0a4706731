// Finding 4: /api/health answers at once, and 503 naming the dependency that is down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { silentLogger } from '../../api/log';
import { startTemporal, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => { stack = await startTestStack({ database: 'postgres', temporal: 'dev' }); });
afterAll(async () => { await stack?.stop(); });

const health = async (app: ReturnType<typeof createApp>) => {
  const res = await app.request('/api/health');
  return { status: res.status, body: await res.json() };
};

describe('GET /api/health', () => {
  it('answers 200 with every dependency up', async () => {
    const res = await fetch(`${stack.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: 'up', temporal: 'up' });
  });

  it('answers 503 naming Temporal when the Temporal server has stopped', async () => {
    const env = await startTemporal('dev');
    const connection = await Connection.connect({ address: env.address });
    const app = createApp({ db: stack.db.db, temporal: { client: new Client({ connection }), taskQueue: stack.taskQueue }, logger: silentLogger });
    expect((await health(app)).status).toBe(200);
    await env.teardown();
    try {
      expect(await health(app)).toEqual({ status: 503, body: { status: 'degraded', db: 'up', temporal: 'down' } });
    } finally {
      // The SDK's retry timer outlives the probe until the deadline passes; closing under it throws.
      await new Promise((r) => setTimeout(r, 2500));
      await connection.close().catch(() => {});
    }
  }, 15_000);

  it('answers 503 naming Temporal when nothing listens at its address', async () => {
    const connection = await Connection.lazy({ address: '127.0.0.1:1' });
    const app = createApp({ db: stack.db.db, temporal: { client: new Client({ connection }), taskQueue: stack.taskQueue }, logger: silentLogger });
    expect(await health(app)).toEqual({ status: 503, body: { status: 'degraded', db: 'up', temporal: 'down' } });
  }, 10_000);

  it('answers 503 naming the database when it does not answer', async () => {
    const stuck = { execute: () => new Promise(() => {}) } as unknown as TestStack['db']['db'];
    const app = createApp({ db: stuck, temporal: { client: stack.env.client, taskQueue: stack.taskQueue }, logger: silentLogger });
    expect(await health(app)).toEqual({ status: 503, body: { status: 'degraded', db: 'down', temporal: 'up' } });
  }, 10_000);
});
