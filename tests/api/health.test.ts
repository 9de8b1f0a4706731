// Finding 4 and issue 18: /api/health says the process is alive; /api/ready answers at once, 503 naming what is down
// (the database, Temporal, or migrations this build needs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import { Agent, get } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createApp } from '../../api/app';
import { silentLogger, type Logger } from '../../api/log';
import { connectPostgres } from '../../db/client';
import { ensureSlotHorizonSchedule, SLOT_HORIZON_SCHEDULE_ID, startSystem, whenTemporalAnswers } from '../../bin/lib/system';
import { createTestDatabase } from '../support/database';
import { startTemporal, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => { stack = await startTestStack({ database: 'postgres', temporal: 'dev' }); });
afterAll(async () => { await stack?.stop(); });

const ready = async (app: ReturnType<typeof createApp>) => {
  const res = await app.request('/api/ready');
  return { status: res.status, body: await res.json() };
};
const notReady = (parts: { db?: 'up' | 'down'; temporal?: 'up' | 'down'; migrations?: string }, message: string) => ({
  status: 503, body: { status: 'not_ready', db: 'up', temporal: 'up', migrations: 'current', ...parts, message },
});

describe('GET /api/health', () => {
  it('keeps an idle connection open longer than clients do, so a request on a reused connection is not cut', async () => {
    const header = await new Promise<string>((resolve, reject) => {
      get(`${stack.url}/api/health`, { agent: new Agent({ keepAlive: true }) }, (res) => { res.resume(); resolve(String(res.headers['keep-alive'] ?? '')); }).on('error', reject);
    });
    expect(Number(/timeout=(\d+)/.exec(header)?.[1])).toBeGreaterThanOrEqual(60);
  });

  it('answers 200 while the process runs, whatever its dependencies', async () => {
    const res = await fetch(`${stack.url}/api/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok' });
    const connection = await Connection.lazy({ address: '127.0.0.1:1' });
    const stuck = { execute: () => new Promise(() => {}) } as unknown as TestStack['db']['db'];
    const app = createApp({ db: stuck, temporal: { client: new Client({ connection }), taskQueue: stack.taskQueue }, logger: silentLogger });
    expect(await (await app.request('/api/health')).json()).toEqual({ status: 'ok' });
  });
});

describe('GET /api/ready', () => {
  it('answers 200 with the database, Temporal and migrations all there', async () => {
    const res = await fetch(`${stack.url}/api/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', db: 'up', temporal: 'up', migrations: 'current', message: 'Ready' });
  });

  it('answers 503 naming Temporal when the Temporal server has stopped', async () => {
    const env = await startTemporal('dev');
    const connection = await Connection.connect({ address: env.address });
    const app = createApp({ db: stack.db.db, temporal: { client: new Client({ connection }), taskQueue: stack.taskQueue }, logger: silentLogger });
    expect((await ready(app)).status).toBe(200);
    await env.teardown();
    try {
      expect(await ready(app)).toEqual(notReady({ temporal: 'down' }, 'Not ready: Temporal is not answering'));
    } finally {
      // The SDK's retry timer outlives the probe until the deadline passes; closing under it throws.
      await new Promise((r) => setTimeout(r, 2500));
      await connection.close().catch(() => {});
    }
  }, 15_000);

  it('answers 503 naming Temporal when nothing listens at its address', async () => {
    const connection = await Connection.lazy({ address: '127.0.0.1:1' });
    const app = createApp({ db: stack.db.db, temporal: { client: new Client({ connection }), taskQueue: stack.taskQueue }, logger: silentLogger });
    expect(await ready(app)).toEqual(notReady({ temporal: 'down' }, 'Not ready: Temporal is not answering'));
  }, 10_000);

  it('answers 503 naming the database when it does not answer', async () => {
    const stuck = { execute: () => new Promise(() => {}) } as unknown as TestStack['db']['db'];
    const app = createApp({ db: stuck, temporal: { client: stack.env.client, taskQueue: stack.taskQueue }, logger: silentLogger });
    expect(await ready(app)).toEqual(notReady({ db: 'down', migrations: 'unknown' }, 'Not ready: the database is not answering'));
  }, 10_000);

  it('answers 503 naming the database when nothing listens at its address', async () => {
    const handle = connectPostgres(`postgres://postgres@127.0.0.1:${await freePort()}/nothing`, { max: 1 });
    try {
      const app = createApp({ db: handle.db, temporal: { client: stack.env.client, taskQueue: stack.taskQueue }, logger: silentLogger });
      expect(await ready(app)).toEqual(notReady({ db: 'down', migrations: 'unknown' }, 'Not ready: the database is not answering'));
    } finally {
      await handle.close();
    }
  }, 10_000);

  it('answers 503 naming migrations on a database that lacks them, and 200 once they are applied', async () => {
    const fresh = await createTestDatabase('postgres');
    try {
      const app = createApp({ db: fresh.db, temporal: { client: stack.env.client, taskQueue: stack.taskQueue }, logger: silentLogger });
      expect(await ready(app)).toEqual(notReady({ migrations: 'behind' }, 'Not ready: the database lacks migrations (run npm run migrate)'));
      await fresh.migrate();
      expect((await ready(app)).status).toBe(200);
    } finally {
      await fresh.drop();
    }
  }, 20_000);
});

/** A logger that keeps what it is told, by level. */
function keeping() {
  const lines: { level: string; msg: string }[] = [];
  const at = (level: string) => (msg: string) => { lines.push({ level, msg }); };
  const logger: Logger = { ...silentLogger, info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return { lines, logger };
}
const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address() as AddressInfo; s.close(() => resolve(port)); });
});

describe('a start while Temporal is away', () => {
  it('starts the API and says once for each nightly Schedule that it waits for Temporal', async () => {
    const { lines, logger } = keeping();
    const system = await startSystem({
      db: stack.db, temporalAddress: `127.0.0.1:${await freePort()}`, taskQueue: stack.taskQueue, logger,
      runWorker: false, runApi: false, slotHorizonSchedule: true,
    });
    try {
      // The two are set up side by side: in either order.
      expect(lines.filter((l) => l.level !== 'info').sort((x, y) => (x.msg.includes('forecast') ? 1 : 0) - (y.msg.includes('forecast') ? 1 : 0))).toEqual([
        { level: 'warn', msg: expect.stringMatching(/^The nightly top-up of clinic slots \(the slot-horizon Schedule\) is not set up yet: Temporal did not answer/) },
        { level: 'warn', msg: expect.stringMatching(/^The nightly breach forecast \(the forecast-nightly Schedule\) is not set up yet: Temporal did not answer/) },
      ]);
    } finally {
      await system.stop().catch(() => {});
    }
  }, 20_000);

  it('sets a Schedule up on a later try once Temporal answers, with one line when it waits and one when it is made', async () => {
    const port = await freePort();
    const taskQueue = `late-${randomBytes(3).toString('hex')}`;
    const connection = Connection.lazy({ address: `127.0.0.1:${port}` });
    const client = new Client({ connection });
    const { lines, logger } = keeping();
    const ensure = whenTemporalAnswers(client, logger, 'The nightly top-up of clinic slots', () => ensureSlotHorizonSchedule(client, taskQueue));
    let env: TestWorkflowEnvironment | undefined;
    try {
      await ensure();
      await ensure();
      expect(lines.map((l) => l.level)).toEqual(['warn']);
      env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: process.env.TEMPORAL_CLI_PATH! }, ip: '127.0.0.1', port, ui: false } });
      // The client's channel backs off after the refusals; a few ticks at most.
      for (let i = 0; i < 20 && lines.length < 2; i++) {
        await ensure();
        if (lines.length < 2) await new Promise((r) => setTimeout(r, 500));
      }
      expect(lines).toEqual([
        { level: 'warn', msg: expect.stringContaining('not set up yet') },
        { level: 'info', msg: 'The nightly top-up of clinic slots is set up now that Temporal answers' },
      ]);
      expect((await env.client.schedule.getHandle(SLOT_HORIZON_SCHEDULE_ID).describe()).action).toMatchObject({ taskQueue });
      await ensure(); // made: a later tick does nothing and says nothing
      expect(lines).toHaveLength(2);
    } finally {
      await connection.close().catch(() => {});
      await env?.teardown();
    }
  }, 60_000);
});
