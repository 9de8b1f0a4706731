// Finding 3: a retry after a lost answer never makes a second referral, and a referral saved while
// Temporal is away answers 202 and gets its pathway once Temporal is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { startPendingPathways } from '../../api/referral-intake';
import { AccessDeskClient } from '../../bin/lib/api-client';
import { silentLogger } from '../../api/log';
import { queryRows } from '../../db/client';
import { demoPassword, startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking, referralBody } from '../support/fixtures';

type Caller = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any; headers: Headers }>;

let stack: TestStack;
let officer: AccessDeskClient;
let viaStack: Caller;
let viaTemporalDown: Caller;

async function signIn(fetchImpl: (req: Request) => Response | Promise<Response>, email: string): Promise<string> {
  const login = await fetchImpl(new Request('http://app.test/api/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: demoPassword }),
  }));
  return (login.headers.get('set-cookie') ?? '').split(';')[0];
}

// One session per person: signing in again would end the other session, so callers share the officer's cookie.
function callerWith(cookie: string, fetchImpl: (req: Request) => Response | Promise<Response>): Caller {
  return async (method, path, body, headers = {}) => {
    const res = await fetchImpl(new Request(`http://app.test${path}`, {
      method, headers: { cookie, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body),
    }));
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
}

const gpLetter = () => referralBody({ source: 'gp_letter', ubrn: undefined });
const rows = <T = any>(q: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, q);
const referralsOf = async (nhsNumber: string) =>
  (await rows<{ n: number }>(sql`select count(*)::int as n from referrals r join patients p on p.id = r.patient_id where p.nhs_number = ${nhsNumber}`))[0].n;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  officer = await stack.signIn('officer@demo.nhs.uk');
  viaStack = callerWith(officer.sessionCookie, (req) => stack.system.app.fetch(req));
  // The same database, but Temporal unreachable: nothing listens on port 1.
  const deadTemporal = new Client({ connection: await Connection.lazy({ address: '127.0.0.1:1' }) });
  const down = createApp({ db: stack.db.db, temporal: { client: deadTemporal, taskQueue: stack.taskQueue }, logger: silentLogger });
  viaTemporalDown = callerWith(officer.sessionCookie, (req) => down.fetch(req));
});
afterAll(async () => { await stack?.stop(); });

describe('registering a referral while Temporal is down', () => {
  it('answers 202 with the saved referral, replays it to a retry with the same key, and starts the pathway once Temporal is back', async () => {
    const body = gpLetter();
    const first = await viaTemporalDown('POST', '/api/referrals', body, { 'Idempotency-Key': 'gp-letter-0001' });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ id: expect.stringMatching(/^ref_/), pathwayStarted: false, state: expect.any(String) });

    const retry = await viaTemporalDown('POST', '/api/referrals', body, { 'Idempotency-Key': 'gp-letter-0001' });
    expect(retry.status).toBe(202);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    // The retry may also come once Temporal is back: still the same referral, never a second.
    const later = await viaStack('POST', '/api/referrals', body, { 'Idempotency-Key': 'gp-letter-0001' });
    expect(later.body.id).toBe(first.body.id);
    expect(await referralsOf(body.patient.nhsNumber)).toBe(1);

    expect(await startPendingPathways(stack.db.db, { client: stack.env.client, taskQueue: stack.taskQueue }, 0)).toBeGreaterThanOrEqual(1);
    const triage = await officer.waitForOpenTask(first.body.id, 'triage_referral');
    expect(triage.queueId).toMatch(/^queue_/);
    const [{ started }] = await rows<{ started: boolean }>(sql`select pathway_started as started from referrals where id = ${first.body.id}`);
    expect(started).toBe(true);
  }, 30_000);
});

describe('a triage item saved while Temporal was away', () => {
  it('takes a decision before the reconciler has run: the pathway is started first, then decides', async () => {
    const saved = await viaTemporalDown('POST', '/api/referrals', gpLetter());
    expect(saved.status).toBe(202);
    // Intake saved the triage item with the referral: it is on the work list though no workflow runs yet.
    const [triage] = await officer.list('tasks', { filter: { referralId: saved.body.id, type: 'triage_referral' } });
    expect(triage).toMatchObject({ status: 'open' });
    const clinician = await stack.signIn('clinician@demo.nhs.uk');
    await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'accept', clinicId: 'clin_2', clinicalPriority: 'routine' });
    expect(await officer.waitForOpenTask(saved.body.id, 'book_new_appointment')).toMatchObject({ status: 'open' });
    const [{ started }] = await rows<{ started: boolean }>(sql`select pathway_started as started from referrals where id = ${saved.body.id}`);
    expect(started).toBe(true);
  }, 30_000);
});

describe('Idempotency-Key on POST /api/referrals', () => {
  it('replays the first answer to the same key and body', async () => {
    const body = gpLetter();
    const first = await viaStack('POST', '/api/referrals', body, { 'Idempotency-Key': 'k-replay' });
    expect(first.status).toBe(201);
    expect(first.body.pathwayStarted).toBe(true);
    const again = await viaStack('POST', '/api/referrals', body, { 'Idempotency-Key': 'k-replay' });
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await referralsOf(body.patient.nhsNumber)).toBe(1);
  });

  it('refuses the same key with a different body with 422 naming the header', async () => {
    const key = 'k-different-body';
    expect((await viaStack('POST', '/api/referrals', gpLetter(), { 'Idempotency-Key': key })).status).toBe(201);
    const other = await viaStack('POST', '/api/referrals', gpLetter(), { 'Idempotency-Key': key });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(Object.keys(other.body.errors)).toEqual(['Idempotency-Key']);
  });

  it('creates one referral when ten requests with one key arrive at once', async () => {
    const body = gpLetter();
    const answers = await Promise.all(Array.from({ length: 10 }, () => viaStack('POST', '/api/referrals', body, { 'Idempotency-Key': 'k-concurrent' })));
    expect(answers.map((a) => a.status).every((s) => s === 201 || s === 409)).toBe(true);
    expect(new Set(answers.filter((a) => a.status === 201).map((a) => a.body.id)).size).toBe(1);
    expect(await referralsOf(body.patient.nhsNumber)).toBe(1);
  });

  it('gives a retry the referral already saved by a request that died before answering', async () => {
    const body = gpLetter();
    const first = await viaStack('POST', '/api/referrals', body, { 'Idempotency-Key': 'k-died' });
    // As if the API had died after the commit: no stored answer and the lease run out.
    await stack.db.db.execute(sql`update idempotency_keys set response_status = null, response_body = null, locked_until = now() - interval '1 second' where key = 'k-died'`);
    const retry = await viaStack('POST', '/api/referrals', body, { 'Idempotency-Key': 'k-died' });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    expect(await referralsOf(body.patient.nhsNumber)).toBe(1);
  });

  it('refuses a malformed key naming the header', async () => {
    const res = await viaStack('POST', '/api/referrals', gpLetter(), { 'Idempotency-Key': 'x'.repeat(300) });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors)).toEqual(['Idempotency-Key']);
  });
});

describe('Idempotency-Key on POST /api/absences', () => {
  it('records one leave for a retried request', async () => {
    const fetchApp = (req: Request) => stack.system.app.fetch(req);
    const leader = callerWith(await signIn(fetchApp, 'leader@demo.nhs.uk'), fetchApp);
    const from = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 42 * 86_400_000).toISOString().slice(0, 10);
    const body = { staffId: 'staff_officer2', from, to, coverStaffId: 'staff_officer', reason: 'Annual leave' };
    const first = await leader('POST', '/api/absences', body, { 'Idempotency-Key': 'leave-1' });
    expect(first.status).toBe(201);
    const again = await leader('POST', '/api/absences', body, { 'Idempotency-Key': 'leave-1' });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const [{ n }] = await rows<{ n: number }>(sql`select count(*)::int as n from absences where staff_id = 'staff_officer2' and "from" = ${from}`);
    expect(n).toBe(1);
  });
});

describe('Idempotency-Key on POST /api/tasks/:id/complete', () => {
  it('replays a booking to a retry instead of refusing it as done', async () => {
    const clinician = await stack.signIn('clinician@demo.nhs.uk');
    const { referral, booking } = await referralAwaitingBooking(officer, clinician);
    const slot = await freeSlot(officer, 'clin_2', booking.payload.slotType);
    const first = await viaStack('POST', `/api/tasks/${booking.id}/complete`, { slotId: slot.id }, { 'Idempotency-Key': 'book-1' });
    expect(first.status).toBe(200);
    const retry = await viaStack('POST', `/api/tasks/${booking.id}/complete`, { slotId: slot.id }, { 'Idempotency-Key': 'book-1' });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    const [{ n }] = await rows<{ n: number }>(sql`select count(*)::int as n from appointments where referral_id = ${referral.id}`);
    expect(n).toBe(1);
  });
});
