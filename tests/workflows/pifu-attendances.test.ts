// Issue 16 on the time-skipping server: a clinic outcome moves the pathway to PIFU (clock stopped with 32) and its expiry
// discharges or raises a review; a trigger opens a follow-up booking item; an attendance outside clinic stops a clock with
// the code given, dated the day seen; bad bodies name their field; one attendance sent twice at once is recorded once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays, londonDate } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking } from '../support/fixtures';

let stack: TestStack;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'time-skipping' });
  [officer, clinician] = await Promise.all([stack.signIn('officer@demo.nhs.uk'), stack.signIn('clinician@demo.nhs.uk')]);
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}
/** The answer's status and body, a refusal included. */
async function attempt(who: AccessDeskClient, method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  try {
    const res = await who.request(method, path, body, headers);
    return { status: res.status, body: res.body };
  } catch (err) {
    const e = err as { status: number; body: any };
    return { status: e.status, body: e.body };
  }
}
const stateOf = async (id: string) => (await rows<{ state: string }>(sql`select state from referrals where id = ${id}`))[0].state;

async function atAttendance() {
  const slot = await freeSlot(officer, 'clin_2', 'new', stack.now());
  const receivedAt = addDays(londonDate(Date.parse(slot.start)), -3);
  if (receivedAt > stack.today()) await stack.sleepUntil(`${receivedAt}T06:00:00.000Z`);
  const { referral, booking } = await referralAwaitingBooking(officer, clinician, { receivedAt }, 'clin_2');
  await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
  const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
  await stack.sleepUntil(new Date(Date.parse(slot.start) + 60_000).toISOString());
  return { referral, attendance, receivedAt };
}

describe('PIFU', () => {
  it.each(['discharge', 'review'] as const)('moved to PIFU stops the clock (32); at expiry with no call it ends in %s', async (atExpiry) => {
    const { referral, attendance } = await atAttendance();
    await clinician.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'moved_to_pifu', expiryWeeks: 4, atExpiry });
    expect(await waitFor(() => stateOf(referral.id), (s) => s === 'pifu')).toBe('pifu');
    const [pw] = await rows(sql`select rtt_status, last_rtt_code, pifu_expires_on::text as expires from pathways where referral_id = ${referral.id}`);
    expect(pw).toMatchObject({ rtt_status: 'stopped', last_rtt_code: 32, expires: addDays(stack.today(), 28) });
    expect((await officer.get('/api/pifu')).onPifu).toBeGreaterThanOrEqual(1);
    await stack.sleepUntil(`${addDays(pw.expires, 1)}T12:00:00.000Z`);
    if (atExpiry === 'discharge') {
      expect(await waitFor(() => stateOf(referral.id), (s) => s === 'discharged')).toBe('discharged');
    } else {
      const review = await officer.waitForOpenTask(referral.id, 'active_monitoring_review');
      expect(review.payload.reason).toBe('pifu_expired');
      expect(await stateOf(referral.id)).toBe('pifu');
    }
  });

  it('a trigger opens a follow-up booking item due within six weeks; a second trigger is refused', async () => {
    const { referral, attendance } = await atAttendance();
    await clinician.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'moved_to_pifu', expiryWeeks: 26, atExpiry: 'discharge' });
    await waitFor(() => stateOf(referral.id), (s) => s === 'pifu');
    const triggered = await officer.post(`/api/referrals/${referral.id}/pifu-trigger`, { note: 'Patient rang: symptoms back' });
    expect(triggered).toMatchObject({ stage: 'awaiting_follow_up', bookBy: addDays(stack.today(), 42) });
    const item = await officer.waitForOpenTask(referral.id, 'book_follow_up');
    expect(item.payload.bookBy).toBe(addDays(stack.today(), 42));
    const again = await attempt(officer, 'POST', `/api/referrals/${referral.id}/pifu-trigger`, {});
    expect(again.status).toBe(409);
  });
});

describe('attendances outside clinic', () => {
  it('a ward attendance discharged stops the clock with 34 on the day seen', async () => {
    const { referral, receivedAt } = await atAttendance();
    const seen = addDays(receivedAt, 1);
    const made = await officer.post('/api/attendances', {
      referralId: referral.id, attendedOn: seen, clinicianId: 'staff_clinician', setting: 'ward', outcome: 'discharged', rttCode: 34,
    });
    expect(made).toMatchObject({ stage: 'discharged', rttCode: 34, clock: { status: 'stopped', clockStop: seen, lastCode: 34 } });
    const events = await rows(sql`select code, event_date::text as date from rtt_events where referral_id = ${referral.id} order by id`);
    expect(events.at(-1)).toEqual({ code: 34, date: seen });
  });

  it('a code that does not fit the outcome is refused naming rttCode; bad bodies name their field', async () => {
    const { referral } = await atAttendance();
    const wrong = await attempt(officer, 'POST', '/api/attendances', {
      referralId: referral.id, attendedOn: stack.today(), clinicianId: 'staff_clinician', setting: 'phone', outcome: 'treated', rttCode: 34,
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors).toHaveProperty('rttCode');
    const bad = await attempt(officer, 'POST', '/api/attendances', { referralId: referral.id, attendedOn: 'soon', setting: 'bed', outcome: 'follow_up', rttCode: 7 });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors)).toEqual(expect.arrayContaining(['attendedOn', 'setting', 'clinicianId', 'rttCode']));
  });

  it('the same attendance sent twice at once under one Idempotency-Key is recorded once', async () => {
    const { referral } = await atAttendance();
    const body = { referralId: referral.id, attendedOn: stack.today(), clinicianId: 'staff_clinician', setting: 'video', outcome: 'treated', rttCode: 30 };
    const [a, b] = await Promise.all([1, 2].map(() => attempt(officer, 'POST', '/api/attendances', body, { 'Idempotency-Key': `att-${referral.id}` })));
    expect([a.status, b.status].sort()).toEqual([201, 201]);
    expect((await rows(sql`select id from attendances where referral_id = ${referral.id}`)).length).toBe(1);
  });
});
