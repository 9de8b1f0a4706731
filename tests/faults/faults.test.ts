// The fault suite (issue 7): referrals and bookings submitted while the worker is killed (-9), the
// Temporal server restarts, the app's Postgres connections are terminated in bursts and the API is
// killed mid-burst. Clients retry as a real one would, with an Idempotency-Key. It prints lost,
// doubled and 5xx counts and asserts nothing lost and nothing doubled.
//
// Short form in `npm test` (40 referrals, 8 bookings, one round of faults); `npm run test:faults`
// runs the long form (FAULTS_SCALE=full: 300 referrals, 40 bookings, four rounds). Loopback only,
// every loop bounded by a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { Client, Connection } from '@temporalio/client';
import { startPendingPathways } from '../../api/referral-intake';
import { startTemporalDevServer, type RunningTemporal } from '../../bin/lib/temporal-server';
import { queryRows } from '../../db/client';
import { createDemoTrustDatabase, type TestDatabase } from '../support/database';
import { demoPassword } from '../support/stack';
import { referralBody } from '../support/fixtures';

const full = process.env.FAULTS_SCALE === 'full';
const scale = full
  ? { referrals: 300, bookings: 40, rounds: 4, roundMs: 16_000, sameItemRace: true }
  : { referrals: 40, bookings: 8, rounds: 1, roundMs: 14_000, sameItemRace: false };

const serverUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const taskQueue = `faults-${process.pid}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logDir = path.resolve('tests/.tmp/faults');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** One of our own child processes (the worker or the API), killable with -9 and started again. */
class Child {
  proc?: ChildProcess;
  starts = 0;
  /** Exits we did not cause (a crash, or no Temporal to connect to); restarted as compose would. */
  unexpectedExits = 0;
  stopping = false;
  constructor(readonly name: string, readonly script: string, readonly env: () => NodeJS.ProcessEnv) {}
  start() {
    this.starts += 1;
    const log = createWriteStream(path.join(logDir, `${this.name}.log`), { flags: 'a' });
    const proc = spawn(process.execPath, ['--import', 'tsx', this.script], { env: { ...process.env, ...this.env() }, stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout?.pipe(log);
    proc.stderr?.pipe(log);
    this.proc = proc;
    proc.once('exit', () => {
      if (this.stopping || this.proc !== proc) return;
      this.unexpectedExits += 1;
      setTimeout(() => { if (!this.stopping && this.proc === proc) this.start(); }, 1000);
    });
  }
  kill9() {
    const proc = this.proc;
    this.proc = undefined; // the caller starts it again
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  }
  async stop() {
    this.stopping = true;
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

const stats = { submitted: 0, status5xx: 0, networkErrors: 0, replayed: 0, accepted202: 0, faults: [] as string[] };

let db: TestDatabase;
let admin: postgres.Sql;
let temporal: RunningTemporal | undefined;
let temporalPort: number;
let temporalUiPort: number;
let dataDir: string;
let apiPort: number;
let worker: Child;
let api: Child;
let baseUrl: string;
const cookies: Record<string, string> = {};

const databaseUrl = () => { const u = new URL(serverUrl); u.pathname = `/${db.name}`; return u.toString(); };
const rows = <T = any>(q: ReturnType<typeof sql>) => queryRows<T>(db.db, q);

async function startTemporal() {
  // The dev server picks its internal ports afresh on each start and can lose such a race to another
  // process on this machine; a few tries, as an operator would.
  for (let attempt = 1; ; attempt++) {
    try {
      temporal = await startTemporalDevServer({ dataDir, port: temporalPort, uiPort: temporalUiPort, cliPath: process.env.TEMPORAL_CLI_PATH, namespace: 'default', say: () => {} });
      return;
    } catch (err) {
      if (attempt >= 4) throw err;
      stats.faults.push(`Temporal start attempt ${attempt} failed; trying again`);
      await sleep(1000);
    }
  }
}

async function waitForApi(deadlineMs = 60_000) {
  for (const deadline = Date.now() + deadlineMs; Date.now() < deadline; await sleep(200)) {
    const ok = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(3000) }).then(() => true, () => false);
    if (ok) return;
  }
  throw new Error('the API did not come back');
}

type Answer = { status: number; body: any; headers: Headers } | { status: 0; error: string };

/** One HTTP call as a client makes it: a network failure or a timeout is an answer too (status 0). */
async function call(who: string, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  try {
    const res = await fetch(`${baseUrl}${urlPath}`, {
      method, signal: AbortSignal.timeout(30_000),
      headers: { cookie: cookies[who] ?? '', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 500) stats.status5xx += 1;
    let parsed: unknown = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
    return { status: res.status, body: parsed, headers: res.headers };
  } catch (err) {
    stats.networkErrors += 1;
    return { status: 0, error: String(err) };
  }
}

async function signIn(who: string) {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(300)) {
    const res = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `${who}@demo.nhs.uk`, password: demoPassword }),
    }).catch(() => null);
    if (res?.ok) { cookies[who] = (res.headers.get('set-cookie') ?? '').split(';')[0]; return; }
  }
  throw new Error(`could not sign in as ${who}`);
}

async function terminateConnections(bursts: number) {
  for (let i = 0; i < bursts; i++) {
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${db.name} and pid <> pg_backend_pid()`.catch(() => {});
    await sleep(150);
  }
}

/** One round of faults, spread over `roundMs`. */
async function faultRound(round: number) {
  const at = (ms: number) => sleep(ms);
  const step = scale.roundMs / 7;
  await at(step * 0.5);
  stats.faults.push(`r${round}: kill -9 worker`); worker.kill9(); worker.start();
  await at(step);
  stats.faults.push(`r${round}: terminate connections x3`); await terminateConnections(3);
  await at(step * 0.5);
  stats.faults.push(`r${round}: kill -9 API mid-burst`);
  const burst = terminateConnections(2);
  api.kill9();
  await burst;
  await at(500);
  api.start();
  await at(step);
  stats.faults.push(`r${round}: restart Temporal`);
  await temporal?.stop();
  await at(3000); // long enough for referrals to arrive while it is away (202, started later)
  await startTemporal();
  await at(step);
  stats.faults.push(`r${round}: terminate connections x3`); await terminateConnections(3);
  await at(step * 0.5);
  stats.faults.push(`r${round}: kill -9 worker`); worker.kill9(); worker.start();
  await at(step);
}

type Submission = { i: number; key: string; nhsNumber: string; ids: Set<string>; answered: boolean };

/** Registers one GP-letter referral (no UBRN) as a careful client: retry with the same key until answered. */
async function submit(s: Submission, body: unknown, deadlineMs: number) {
  for (const deadline = Date.now() + deadlineMs; Date.now() < deadline; await sleep(300)) {
    const res = await call('officer', 'POST', '/api/referrals', body, { 'Idempotency-Key': s.key });
    if ('error' in res || res.status >= 500 || (res.status === 409 && res.body?.code === 'IDEMPOTENCY_KEY_IN_USE')) continue;
    if (res.status === 401) { await signIn('officer'); continue; }
    if (![200, 201, 202].includes(res.status)) throw new Error(`referral ${s.i} refused: ${res.status} ${JSON.stringify(res.body)}`);
    if (res.headers.get('Idempotent-Replayed') === 'true') stats.replayed += 1;
    if (res.status === 202) stats.accepted202 += 1;
    s.ids.add(res.body.id);
    s.answered = true;
    return;
  }
}

/** Triage (accept) and book one referral, driven by what the database shows, retrying through faults. */
async function triageAndBook(referralId: string, deadlineMs: number) {
  for (const deadline = Date.now() + deadlineMs; Date.now() < deadline; await sleep(400)) {
    const [appt] = await rows(sql`select id from appointments where referral_id = ${referralId} limit 1`).catch(() => []);
    if (appt) return true;
    const open = await rows<{ id: string; type: string; payload: any }>(sql`
      select id, type, payload from tasks where referral_id = ${referralId} and status in ('open', 'claimed')`).catch(() => []);
    const triage = open.find((t) => t.type === 'triage_referral');
    const booking = open.find((t) => t.type === 'book_new_appointment');
    if (triage) {
      const res = await call('clinician', 'POST', `/api/tasks/${triage.id}/complete`, { decision: 'accept', clinicId: 'clin_2', clinicalPriority: 'routine' });
      if (res.status === 401) await signIn('clinician');
    } else if (booking) {
      const free = await rows<{ id: string }>(sql`
        select id from slots where clinic_id = ${booking.payload.clinicId} and type = ${booking.payload.slotType} and status = 'free' and start > now()
        order by random() limit 2`).catch(() => []);
      if (free.length === 0) continue;
      // Long form: two officers complete the same booking item at the same moment (issue 7, finding 1).
      const bookers = scale.sameItemRace && free.length > 1 ? ['officer', 'officer2'] : ['officer'];
      const answers = await Promise.all(bookers.map((who, n) => call(who, 'POST', `/api/tasks/${booking.id}/complete`, { slotId: free[n].id })));
      for (const [n, res] of answers.entries()) if (res.status === 401) await signIn(bookers[n]);
    }
  }
  return false;
}

beforeAll(async () => {
  mkdirSync(logDir, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'access-desk-faults-'));
  [temporalPort, temporalUiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  baseUrl = `http://127.0.0.1:${apiPort}`;
  db = await createDemoTrustDatabase('postgres', demoPassword);
  admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await startTemporal();
  const env = () => ({
    DATABASE_URL: databaseUrl(), TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`, TEMPORAL_TASK_QUEUE: taskQueue,
    PORT: String(apiPort), DEMO_PASSWORD: demoPassword, LOG_LEVEL: 'warn',
  });
  worker = new Child('worker', 'bin/worker.ts', env);
  api = new Child('api', 'bin/api.ts', env);
  worker.start();
  api.start();
  await waitForApi();
  await Promise.all(['officer', 'officer2', 'clinician'].map(signIn));
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await worker?.stop();
  await temporal?.stop();
  await admin?.end();
  await db?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe(`fault suite (${full ? 'full' : 'short'} form)`, () => {
  it('loses and doubles no referral and no booking through worker kills, Temporal restarts, connection terminations and API kills', async () => {
    const seen = new Set<string>();
    const submissions: Submission[] = [];
    const bodies = new Map<number, unknown>();
    for (let i = 0; i < scale.referrals; i++) {
      let body = referralBody({ source: 'gp_letter', ubrn: undefined });
      while (seen.has(body.patient.nhsNumber)) body = referralBody({ source: 'gp_letter', ubrn: undefined });
      seen.add(body.patient.nhsNumber);
      bodies.set(i, body);
      submissions.push({ i, key: `faults-${process.pid}-${i}`, nhsNumber: body.patient.nhsNumber, ids: new Set(), answered: false });
    }

    // Referrals arrive spread over the rounds of faults, several at a time.
    const span = scale.rounds * scale.roundMs;
    const faults = (async () => { for (let r = 1; r <= scale.rounds; r++) await faultRound(r); })();
    const sending = submissions.map(async (s) => {
      await sleep(Math.floor((s.i / scale.referrals) * span));
      stats.submitted += 1;
      await submit(s, bodies.get(s.i), span + 90_000);
    });
    await Promise.all([faults, ...sending]);

    // Everything back up; the reconciler the API runs every 30 s is run once here to save the wait.
    await waitForApi();
    const client = new Client({ connection: await Connection.connect({ address: `127.0.0.1:${temporalPort}` }) });
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(500)) {
      const ok = await startPendingPathways(db.db, { client, taskQueue }, 0).then(() => true, () => false);
      if (ok) break;
    }

    // Concurrent bookings while the worker is killed and connections are cut once more.
    const booked = submissions.slice(0, scale.bookings).map((s) => [...s.ids][0]).filter(Boolean);
    const bookingFaults = (async () => {
      await sleep(1500); stats.faults.push('bookings: kill -9 worker'); worker.kill9(); worker.start();
      await sleep(2000); stats.faults.push('bookings: terminate connections x3'); await terminateConnections(3);
    })();
    const bookingResults = await Promise.all([...booked.map((id) => triageAndBook(id, 120_000)), bookingFaults]);

    // Wait (bounded) for every referral's pathway to raise its triage item.
    const ids = submissions.flatMap((s) => [...s.ids]);
    let withPathway = new Set<string>();
    for (const deadline = Date.now() + 90_000; Date.now() < deadline; await sleep(1000)) {
      const found = await rows<{ id: string }>(sql`
        select distinct r.id from referrals r join tasks t on t.referral_id = r.id where r.id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`).catch(() => []);
      withPathway = new Set(found.map((f) => f.id));
      if (withPathway.size === ids.length) break;
    }

    const perPatient = await rows<{ nhsNumber: string; n: number }>(sql`
      select p.nhs_number as "nhsNumber", count(r.id)::int as n from patients p left join referrals r on r.patient_id = p.id group by p.nhs_number`);
    const referralsOf = new Map(perPatient.map((p) => [p.nhsNumber, p.n]));
    const lostReferrals = submissions.filter((s) => !s.answered || (referralsOf.get(s.nhsNumber) ?? 0) === 0);
    const withoutPathway = ids.filter((id) => !withPathway.has(id));
    const doubledReferrals = submissions.filter((s) => (referralsOf.get(s.nhsNumber) ?? 0) > 1 || s.ids.size > 1);
    const doubledBookings = await rows<{ referralId: string; n: number }>(sql`
      select referral_id as "referralId", count(*)::int as n from appointments where state = 'booked' group by referral_id having count(*) > 1`);
    const unbooked = bookingResults.slice(0, booked.length).filter((ok) => !ok).length;

    const report = {
      form: full ? 'full' : 'short', submitted: stats.submitted, lost: lostReferrals.length + withoutPathway.length,
      lostReferrals: lostReferrals.length, withoutPathway: withoutPathway.length,
      doubled: doubledReferrals.length + doubledBookings.length, doubledReferrals: doubledReferrals.length, doubledBookings: doubledBookings.length,
      bookingsAttempted: booked.length, bookingsNotMade: unbooked,
      status5xx: stats.status5xx, networkErrors: stats.networkErrors, replayed: stats.replayed, accepted202: stats.accepted202,
      workerStarts: worker.starts, apiStarts: api.starts, unexpectedExits: { worker: worker.unexpectedExits, api: api.unexpectedExits }, faults: stats.faults,
    };
    console.log(`fault suite: ${JSON.stringify(report)}`);
    await client.connection.close();

    expect(report.lostReferrals).toBe(0);
    expect(report.withoutPathway).toBe(0);
    expect(report.doubledReferrals).toBe(0);
    expect(report.doubledBookings).toBe(0);
    expect(report.bookingsNotMade).toBe(0);
  }, full ? 900_000 : 300_000);
});
