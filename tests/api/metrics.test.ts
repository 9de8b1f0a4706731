// Issue 18 "Watching it": GET /metrics in Prometheus text, read by ops/admin sessions or METRICS_TOKEN, with the
// work's state read by SQL at scrape time and labels that never carry a record's id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { queryRows } from '../../db/client';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { createApp } from '../../api/app';
import { silentLogger } from '../../api/log';
import { METRICS_CACHE_MS } from '../../api/metrics';
import { referralBody } from '../support/fixtures';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let ops: AccessDeskClient;
beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  ops = await stack.signIn('ops@demo.nhs.uk');
});
afterAll(async () => { await stack?.stop(); });

const scrape = async (client: AccessDeskClient) => {
  const res = await fetch(`${stack.url}/metrics`, { headers: { cookie: client.sessionCookie } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
};

/** The value of one series, e.g. value(text, 'access_desk_work_items_open', { queue: 'queue_101' }). */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2] ? m[2].split(',') : [];
    if (want.every((w) => have.includes(w)) && have.length === want.length) return Number(m[3]);
  }
  return undefined;
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = METRICS_CACHE_MS * 4): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('GET /metrics', () => {
  it('finds the queue depth down by one when an item is completed', async () => {
    const officer = await stack.signIn('officer@demo.nhs.uk');
    const clinician = await stack.signIn('clinician@demo.nhs.uk');
    const referral = await officer.post('/api/referrals', referralBody());
    const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');
    const queue = triage.queueId as string;
    // The reading is cached for a few seconds: wait for one that has the new item in it.
    const [{ n: before }] = await queryRows<{ n: number }>(stack.db.db, sql`select count(*)::int as n from tasks where queue_id = ${queue} and status in ('open', 'claimed')`);
    await until(() => scrape(ops), (t) => value(t, 'access_desk_work_items_open', { queue }) === before, `${queue} at ${before}`);
    const awaitingTriage = value(await scrape(ops), 'access_desk_pathways', { stage: 'awaiting_triage' })!;
    expect(awaitingTriage).toBeGreaterThanOrEqual(1);

    // Sent back to the referrer: the item is done and the pathway raises no other in that queue.
    await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'return_to_referrer', reason: 'Needs a PSA repeat first' });
    const after = await until(() => scrape(ops), (t) => value(t, 'access_desk_work_items_open', { queue }) !== before, `${queue} to change`);
    expect(value(after, 'access_desk_work_items_open', { queue })).toBe(before - 1);
    await until(() => scrape(ops), (t) => value(t, 'access_desk_pathways', { stage: 'returned_to_referrer' })! >= 1, 'the returned stage');

    // The request that completed it is counted under its route pattern.
    expect(value(after, 'access_desk_http_request_duration_seconds_count', { method: 'POST', route: '/api/tasks/:id/complete', status: '200' })).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('has every family the docs list, and no label carrying an id', async () => {
    // A few requests with ids in their paths, found and not found.
    for (const id of ['ref_nope1', 'ref_nope2', 'ref_nope3']) await fetch(`${stack.url}/api/referrals/${id}`, { headers: { cookie: ops.sessionCookie } });
    await fetch(`${stack.url}/api/no/such/route/x123`, { headers: { cookie: ops.sessionCookie } });
    const text = await scrape(ops);
    for (const family of ['access_desk_http_request_duration_seconds', 'access_desk_work_items_open', 'access_desk_work_item_oldest_age_seconds',
      'access_desk_pathways', 'access_desk_breaches_due_7_days', 'access_desk_outbox_backlog', 'access_desk_outbox_oldest_age_seconds']) {
      expect(text, family).toContain(`# TYPE ${family} `);
    }
    expect(value(text, 'access_desk_outbox_backlog', { outbox: 'communications' })).toBeGreaterThanOrEqual(0);
    expect(value(text, 'access_desk_outbox_backlog', { outbox: 'hl7' })).toBeGreaterThanOrEqual(0);
    expect(value(text, 'access_desk_breaches_due_7_days')).toBeGreaterThanOrEqual(0);
    const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]));
    expect(routes).toContain('/api/referrals/:id');
    expect([...routes].filter((r) => /nope|x123|ref_|task_/.test(r))).toEqual([]);
    // Every label value is a route pattern, a method, a status, a queue id, a stage or an outbox name.
    const queues = new Set((await queryRows<{ id: string }>(stack.db.db, sql`select id from queues`)).map((q) => q.id));
    for (const m of text.matchAll(/(\w+)="([^"]*)"/g)) {
      const [, label, v] = m;
      if (label === 'queue') expect(queues.has(v), v).toBe(true);
      if (label === 'status') expect(v).toMatch(/^\d{3}$/);
    }
  });

  it('answers Prometheus with METRICS_TOKEN, refuses a wrong token, and other roles', async () => {
    const app = createApp({ db: stack.db.db, temporal: { client: stack.env.client, taskQueue: stack.taskQueue }, logger: silentLogger, metricsToken: 'scrape-secret-1' });
    const ok = await app.request('/metrics', { headers: { authorization: 'Bearer scrape-secret-1' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('access_desk_work_items_open{queue="queue_101"}');
    const wrong = await app.request('/metrics', { headers: { authorization: 'Bearer guess' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await app.request('/metrics')).status).toBe(401);
    // Without a configured token no bearer is accepted.
    const noToken = createApp({ db: stack.db.db, temporal: { client: stack.env.client, taskQueue: stack.taskQueue }, logger: silentLogger });
    expect((await noToken.request('/metrics', { headers: { authorization: 'Bearer ' } })).status).toBe(401);
    const officer = await stack.signIn('officer@demo.nhs.uk');
    expect((await fetch(`${stack.url}/metrics`, { headers: { cookie: officer.sessionCookie } })).status).toBe(403);
    expect((await fetch(`${stack.url}/metrics`, { headers: { cookie: (await stack.signIn('admin@demo.nhs.uk')).sessionCookie } })).status).toBe(200);
  });
});

describe('the worker\'s Temporal SDK metrics', () => {
  it('answers at WORKER_METRICS_ADDRESS when configured', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => { const { port: p } = s.address() as AddressInfo; s.close(() => resolve(p)); });
    });
    const url = new URL(process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    url.pathname = `/${stack.db.name}`;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: url.toString(), TEMPORAL_ADDRESS: stack.env.address,
      TEMPORAL_TASK_QUEUE: `metrics-${randomBytes(4).toString('hex')}`, WORKFLOW_BUNDLE: process.env.ACCESS_DESK_WORKFLOW_BUNDLE!, LOG_LEVEL: 'error',
      WORKER_CACHED_WORKFLOWS: '0', HL7_FEED: 'off', WORKER_METRICS_ADDRESS: `127.0.0.1:${port}`,
    };
    const proc = spawn(process.execPath, ['--import', 'tsx', 'bin/worker.ts'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    proc.stderr!.on('data', (c) => { errors = (errors + String(c)).slice(-4000); });
    try {
      const text = await until(() => fetch(`http://127.0.0.1:${port}/metrics`).then((r) => (r.ok ? r.text() : ''), () => ''),
        (t) => /^temporal_\w+/m.test(t), `the worker's metrics (stderr: ${errors})`, 60_000);
      expect(text).toMatch(/^# (HELP|TYPE) temporal_/m);
      expect(proc.exitCode).toBe(null);
    } finally {
      proc.kill('SIGKILL');
    }
  }, 90_000);
});
