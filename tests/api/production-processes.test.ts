// Production shape (issue 18): the API and the worker as their own processes (npm run api, the worker), started only after
// npm run migrate, against Postgres and a Temporal dev server; SIGTERM to both in the middle of intake finds every request
// answered or refused cleanly and every pathway's activities run once when they come back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { queryRows } from '../../db/client';
import { loadDemoTrust } from '../../bin/lib/system';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { demoPassword, startTemporal } from '../support/stack';
import { referralBody } from '../support/fixtures';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let temporalStopped = false;
const running: Running[] = [];
beforeAll(async () => { [env, db] = await Promise.all([startTemporal('dev'), createTestDatabase('postgres')]); });
afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  if (!temporalStopped) await env?.teardown();
  await db?.drop();
});

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = (s.address() as AddressInfo); s.close(() => resolve(port)); });
});
const databaseUrl = () => `${process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'}`.replace(/\/[^/]*$/, `/${db.name}`);

type Running = { child: ChildProcess; output: () => string; exited: Promise<number | null> };
/** An entry point as its own Node process, as `npm run api` (tsx) runs it. */
function run(script: string, vars: Record<string, string>): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', HL7_FEED: 'off', ...vars }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (d) => { text += d; });
  child.stderr!.on('data', (d) => { text += d; });
  const p: Running = { child, output: () => text, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  running.push(p);
  return p;
}

/** Polls until `ok` or the bound passes; the last answer on failure. */
async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    last = await get().catch(() => undefined as T);
    if (last !== undefined && ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
// TEST_STEPS=1 prints how long each stage took (process start-up is most of it).
const began = Date.now();
const step = (what: string) => { if (process.env.TEST_STEPS) process.stderr.write(`[production-processes] ${((Date.now() - began) / 1000).toFixed(1)} s ${what}\n`); };
const getJson = async (url: string) => { const res = await fetch(url); return { status: res.status, body: await res.json() as any }; };

type Outcome = { ubrn: string; kind: 'answered'; status: number; body: any } | { ubrn: string; kind: 'refused'; error: string } | { ubrn: string; kind: 'cut'; status: number; error: string };
/** One POST on a connection of its own: refused (no response at all), answered in full, or cut part way through an answer. */
function post(port: number, cookie: string, body: Record<string, unknown>): Promise<Outcome> {
  const ubrn = String(body.ubrn);
  const text = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/referrals', method: 'POST', agent: false,
      headers: { cookie, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'idempotency-key': `intake-${ubrn}` } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; });
      res.on('end', () => {
        try { resolve({ ubrn, kind: 'answered', status: res.statusCode!, body: JSON.parse(data) }); } catch { resolve({ ubrn, kind: 'cut', status: res.statusCode!, error: `unparseable: ${data}` }); }
      });
      res.on('error', (err) => resolve({ ubrn, kind: 'cut', status: res.statusCode!, error: String(err) }));
      res.on('aborted', () => resolve({ ubrn, kind: 'cut', status: res.statusCode!, error: 'aborted' }));
    });
    req.on('error', (err) => resolve({ ubrn, kind: 'refused', error: (err as NodeJS.ErrnoException).code ?? String(err) }));
    req.end(text);
  });
}

describe('the API and the worker as separate processes', () => {
  it('refuse an unmigrated database naming npm run migrate, then serve once it has run, and drain on SIGTERM with nothing lost or done twice', async () => {
    const taskQueue = `prod-${randomBytes(3).toString('hex')}`;
    const [apiPort, healthPort] = await Promise.all([freePort(), freePort()]);
    const common = { DATABASE_URL: databaseUrl(), TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: taskQueue, HOST: '127.0.0.1', SHUTDOWN_GRACE_SECONDS: '15' };
    const apiVars = { ...common, PORT: String(apiPort) };
    const workerVars = { ...common, WORKER_HEALTH_PORT: String(healthPort), WORKFLOW_BUNDLE: process.env.ACCESS_DESK_WORKFLOW_BUNDLE! };

    // Unmigrated: the API refuses, saying what to run (the worker's check is the same requireMigrated: entry-points.test.ts).
    const refusedApi = run('bin/api.ts', apiVars);
    expect(await refusedApi.exited, refusedApi.output()).toBe(2);
    expect(refusedApi.output()).toMatch(/has 0 of \d+ migrations applied: run npm run migrate/);
    step('refused');

    const migrate = run('bin/migrate.ts', { DATABASE_URL: databaseUrl() });
    expect(await migrate.exited).toBe(0);
    expect(migrate.output()).toMatch(/Applied \d+ migration\(s\); the database has all \d+\./);
    step('migrated');
    // The API seeds nothing: sign-ins for this test come from the demo trust loaded here, as npm run seed would.
    expect((await queryRows<{ n: number }>(db.db, sql`select count(*)::int as n from staff`))[0].n).toBe(0);
    await loadDemoTrust(db, demoPassword);

    const start = () => {
      const api = run('bin/api.ts', apiVars);
      const worker = run('bin/worker.ts', workerVars);
      return { api, worker };
    };
    let { api, worker } = start();
    const base = `http://127.0.0.1:${apiPort}`;
    await until('API ready', () => getJson(`${base}/api/ready`), (r) => r.status === 200);
    step('api ready');
    expect((await getJson(`${base}/api/ready`)).body).toEqual({ status: 'ready', db: 'up', temporal: 'up', migrations: 'current', message: 'Ready' });
    expect(await until('worker health', () => getJson(`http://127.0.0.1:${healthPort}/health`), (r) => r.status === 200))
      .toEqual({ status: 200, body: { status: 'ok', worker: 'RUNNING', taskQueue } });

    step('worker healthy');
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'officer@demo.nhs.uk', password: demoPassword }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    expect(login.status).toBe(200);

    // Four lanes of intake, one connection a request; SIGTERM to both processes once a few have been answered.
    const bodies = Array.from({ length: 48 }, () => referralBody());
    const outcomes: Outcome[] = [];
    let next = 0;
    let signalled = false;
    const lane = async () => {
      while (next < bodies.length) {
        const outcome = await post(apiPort, cookie, bodies[next++]);
        outcomes.push(outcome);
        if (!signalled && outcomes.filter((o) => o.kind === 'answered').length >= 8) {
          signalled = true;
          api.child.kill('SIGTERM');
          worker.child.kill('SIGTERM');
        }
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    expect(signalled).toBe(true);
    // Both stop by themselves within their grace, and cleanly.
    expect(await api.exited, api.output()).toBe(0);
    expect(await worker.exited, worker.output()).toBe(0);
    step(`stopped: ${outcomes.filter((o) => o.kind === 'answered').length} answered, ${outcomes.filter((o) => o.kind === 'refused').length} refused`);

    // Answered in full or refused before any answer: never cut part way.
    expect(outcomes.filter((o) => o.kind === 'cut')).toEqual([]);
    const answered = outcomes.filter((o): o is Extract<Outcome, { kind: 'answered' }> => o.kind === 'answered');
    const refused = outcomes.filter((o) => o.kind === 'refused');
    for (const o of answered) expect([201, 503], JSON.stringify(o)).toContain(o.status);
    expect(refused.length).toBeGreaterThan(0); // the stop really came mid-load
    // Nothing accepted without its answer: a referral exists for each 201, and for nothing else.
    const stored = async () => (await queryRows<{ ubrn: string; id: string }>(db.db, sql`select ubrn, id from referrals`));
    const created = answered.filter((o) => o.status === 201);
    expect((await stored()).map((r) => r.ubrn).sort()).toEqual(created.map((o) => o.ubrn).sort());

    // Back up: the refused ones are sent again (their Idempotency-Key as before), and every pathway reaches triage.
    ({ api, worker } = start());
    await until('API ready again', () => getJson(`${base}/api/ready`), (r) => r.status === 200, 120_000);
    const again = await Promise.all(outcomes.filter((o) => !(o.kind === 'answered' && o.status === 201))
      .map((o) => post(apiPort, cookie, bodies.find((b) => b.ubrn === o.ubrn)!)));
    for (const o of again) expect(o, JSON.stringify(o)).toMatchObject({ kind: 'answered', status: 201 });
    step('resent');
    expect((await stored()).length).toBe(bodies.length);
    const perReferral = () => queryRows<{ id: string; tasks: number; received: number }>(db.db, sql`
      select r.id,
        (select count(*)::int from tasks t where t.referral_id = r.id) as tasks,
        (select count(*)::int from pathway_events e where e.referral_id = r.id and e.kind = 'referral_received') as received
      from referrals r`);
    const rows = await until('every pathway at triage', perReferral, (rs) => rs.length === bodies.length && rs.every((r) => r.tasks >= 1 && r.received >= 1), 45_000);
    step('all at triage');
    // Each activity's effect once: one triage item and one "referral received" event a referral, and no audit line twice.
    expect(rows.filter((r) => r.tasks !== 1 || r.received !== 1)).toEqual([]);
    const twice = await queryRows(db.db, sql`select entity_type, entity_id, action, count(*)::int as n from audit_log
      where entity_type <> 'staff' group by 1, 2, 3 having count(*) > 1`);
    expect(twice).toEqual([]);

    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.output()).toBe(0);
    // Temporal stopped: the running API says it is not ready, naming Temporal, while /api/health (alive) stays 200.
    await env.teardown();
    temporalStopped = true;
    const notReady = await until('API not ready', () => getJson(`${base}/api/ready`), (r) => r.status === 503, 15_000);
    expect(notReady.body).toEqual({ status: 'not_ready', db: 'up', temporal: 'down', migrations: 'current', message: 'Not ready: Temporal is not answering' });
    expect(await getJson(`${base}/api/health`)).toEqual({ status: 200, body: { status: 'ok' } });
    api.child.kill('SIGTERM');
    expect(await api.exited, api.output()).toBe(0);
  }, 400_000);
});
