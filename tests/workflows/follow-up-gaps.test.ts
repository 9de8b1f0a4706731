// Issue 16's gaps on the time-skipping server: a follow-up still unbooked 12 weeks past its due date (a booking item or a
// partial booking entry, the clock stopped) raises a validation item, then every 12 weeks; PIFU discharges (at expiry,
// or at the review expiry raised) queue the PIFU discharge letters (pifu_discharged) to the patient and GP; a follow-up recorded after the fact
// is dated the day the patient was seen.
import { writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays, londonDate, startOfWorkingDay } from '../../domain';
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
const HOUR = 3600_000;
const before = (date: string) => new Date(startOfWorkingDay(date) - HOUR).toISOString();
const after = (date: string) => new Date(startOfWorkingDay(date) + HOUR).toISOString();
async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}
const stateOf = async (id: string) => (await rows<{ state: string }>(sql`select state from referrals where id = ${id}`))[0].state;
const validations = (referralId: string) => rows<{ id: string; status: string; payload: any }>(sql`
  select id, status, payload from tasks where referral_id = ${referralId} and type = 'validate_pathway' order by created_at`);
const dischargeLetters = (referralId: string) => rows<{ recipient: string; channel: string; template: string }>(sql`
  select recipient, channel, template from communications where referral_id = ${referralId}
    and template in ('follow_up_discharged', 'pifu_discharged') order by recipient`);
// A PIFU period ending in discharge has its own words: the patient could ask to be seen and did not (not "we invited you").
const pifuLetters = [{ recipient: 'patient', channel: 'letter', template: 'pifu_discharged' }, { recipient: 'referrer', channel: 'letter', template: 'pifu_discharged' }];
const letterWords = async (referralId: string) => (await rows<{ subject: string; body: string }>(sql`
  select subject, body from communications where referral_id = ${referralId} and recipient = 'patient' and template = 'pifu_discharged'`))[0];

/** With RECORD_HISTORIES=1, the pathway's history for tests/workflows/replay.test.ts. */
function recordHistory(workflowId: string, name: string) {
  if (!process.env.RECORD_HISTORIES) return Promise.resolve();
  return stack.env.client.workflow.getHandle(workflowId).fetchHistory()
    .then((history) => writeFileSync(`tests/workflows/histories/${name}.json`, historyToJSON(history)));
}

const referrer = { name: 'Dr A Jones', organisation: 'Ormskirk Medical Practice', addressLines: ['1 Church Street', 'Ormskirk'], postcode: 'L39 3AA' };

/** A first appointment booked a few days after the referral, the clinic time reached: its record_attendance item. */
async function atAttendance() {
  const slot = await freeSlot(officer, 'clin_2', 'new', stack.now());
  const receivedAt = addDays(londonDate(Date.parse(slot.start)), -3);
  if (receivedAt > stack.today()) await stack.sleepUntil(`${receivedAt}T06:00:00.000Z`);
  const { referral, booking } = await referralAwaitingBooking(officer, clinician, { receivedAt, referrer }, 'clin_2');
  await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
  const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
  await stack.sleepUntil(new Date(Date.parse(slot.start) + 60_000).toISOString());
  return { referral, attendance, receivedAt };
}

async function onPifu(expiryWeeks: number, atExpiry: 'discharge' | 'review') {
  const at = await atAttendance();
  await clinician.post(`/api/tasks/${at.attendance.id}/complete`, { outcome: 'moved_to_pifu', expiryWeeks, atExpiry });
  expect(await waitFor(() => stateOf(at.referral.id), (s) => s === 'pifu')).toBe('pifu');
  return at;
}

describe('a follow-up recorded after the fact', () => {
  it('is dated the day the patient was seen: its RTT code (10) and its book-by date', async () => {
    const { referral, receivedAt } = await atAttendance();
    const seen = addDays(receivedAt, 1);
    expect(seen < stack.today()).toBe(true);
    await officer.post('/api/attendances', {
      referralId: referral.id, attendedOn: seen, clinicianId: 'staff_clinician', setting: 'ward', outcome: 'follow_up', followUpWeeks: 4, rttCode: 10,
    });
    const item = await officer.waitForOpenTask(referral.id, 'book_follow_up');
    expect(item.payload.bookBy).toBe(addDays(seen, 28));
    const events = await rows(sql`select code, event_date::text as date from rtt_events where referral_id = ${referral.id} order by id`);
    expect(events.at(-1)).toEqual({ code: 10, date: seen });
    await recordHistory(referral.workflowId, 'referral-pathway-follow-up-attended-on');
  });
});

describe('PIFU discharge letters', () => {
  it('at expiry with atExpiry=discharge: a letter to the patient and one to the GP, once', async () => {
    const { referral } = await onPifu(4, 'discharge');
    const [{ expires }] = await rows(sql`select pifu_expires_on::text as expires from pathways where referral_id = ${referral.id}`);
    await stack.sleepUntil(`${addDays(expires, 1)}T12:00:00.000Z`);
    expect(await waitFor(() => stateOf(referral.id), (s) => s === 'discharged')).toBe('discharged');
    expect(await dischargeLetters(referral.id)).toEqual(pifuLetters);
    const words = await letterWords(referral.id);
    expect(words.subject).toMatch(/follow-up has ended$/);
    expect(words.body).toContain('contact us if you needed to be seen again');
    expect(words.body).not.toContain('We invited you');
    await recordHistory(referral.workflowId, 'referral-pathway-pifu-discharge-letters');
  });

  it('at the review a PIFU expiry raised, a discharge sends the same PIFU letters', async () => {
    const { referral } = await onPifu(4, 'review');
    const [{ expires }] = await rows(sql`select pifu_expires_on::text as expires from pathways where referral_id = ${referral.id}`);
    await stack.sleepUntil(`${addDays(expires, 1)}T12:00:00.000Z`);
    const review = await clinician.waitForOpenTask(referral.id, 'active_monitoring_review');
    expect(review.payload.reason).toBe('pifu_expired');
    expect(await dischargeLetters(referral.id)).toEqual([]);
    await clinician.post(`/api/tasks/${review.id}/complete`, { decision: 'discharge' });
    expect(await waitFor(() => stateOf(referral.id), (s) => s === 'discharged')).toBe('discharged');
    expect(await dischargeLetters(referral.id)).toEqual(pifuLetters);
  });
});

describe('follow-up validation', () => {
  // Set up first (slots run out once the server has moved months on): on PIFU (the clock stopped), seen on the ward,
  // a follow-up in 10 weeks, beyond the horizon: on the partial booking list. Its timers run while the test before it
  // moves time on.
  let listed: { referralId: string; workflowId: string; entryId: string; due: string };
  beforeAll(async () => {
    const { referral, receivedAt } = await onPifu(52, 'discharge');
    const seen = addDays(receivedAt, 3);
    await officer.post('/api/attendances', {
      referralId: referral.id, attendedOn: seen, clinicianId: 'staff_clinician', setting: 'ward', outcome: 'follow_up', followUpWeeks: 10, rttCode: 91,
    });
    const [entry] = await waitFor(() => rows<{ id: string; due: string }>(sql`
      select id, due_date::text as due from partial_booking_entries where referral_id = ${referral.id}`), (e) => e.length === 1);
    expect(entry.due).toBe(addDays(seen, 70));
    listed = { referralId: referral.id, workflowId: referral.workflowId, entryId: entry.id, due: entry.due };
  });

  it('a book_follow_up item unbooked 12 weeks past its date raises a follow-up validation, then every 12 weeks', async () => {
    const { referral } = await onPifu(26, 'discharge');
    const triggered = await officer.post(`/api/referrals/${referral.id}/pifu-trigger`, {});
    const due: string = triggered.bookBy;
    await officer.waitForOpenTask(referral.id, 'book_follow_up');
    // The clock stopped with 32: the RTT validation does not run, the follow-up one does.
    await stack.sleepUntil(before(addDays(due, 84)));
    expect(await validations(referral.id)).toEqual([]);
    await stack.sleepUntil(after(addDays(due, 84)));
    const [first] = await waitFor(() => validations(referral.id), (v) => v.length === 1);
    expect(first).toMatchObject({
      status: 'open', payload: { followUp: true, followUpDueDate: due, validationPoint: addDays(due, 84), weeksPastDue: 12 },
    });
    await officer.post(`/api/tasks/${first.id}/complete`, { outcome: 'still_waiting' });
    await stack.sleepUntil(before(addDays(due, 168)));
    expect(await validations(referral.id)).toHaveLength(1);
    await stack.sleepUntil(after(addDays(due, 168)));
    const raised = await waitFor(() => validations(referral.id), (v) => v.length === 2);
    expect(raised[1]).toMatchObject({ status: 'open', payload: { followUp: true, validationPoint: addDays(due, 168), weeksPastDue: 24 } });
    expect(await stateOf(referral.id)).toBe('awaiting_follow_up');
    await recordHistory(referral.workflowId, 'referral-pathway-follow-up-validation');
  });

  it('a partial booking entry unbooked 12 weeks past due raises one; no longer required discharges and takes it off the list', async () => {
    const { referralId, entryId, due } = listed;
    if (stack.today() < addDays(due, 84)) {
      await stack.sleepUntil(before(addDays(due, 84)));
      expect(await validations(referralId)).toEqual([]);
    }
    await stack.sleepUntil(after(addDays(due, 84)));
    // One item (one open at a time), for the first point 12 weeks past due, whenever the test reaches it.
    const [item, ...more] = await waitFor(() => validations(referralId), (v) => v.length >= 1);
    expect(more).toEqual([]);
    expect(item.payload).toMatchObject({ followUp: true, followUpDueDate: due, validationPoint: addDays(due, 84), weeksPastDue: 12, partialBookingEntryId: entryId });
    expect((await rows(sql`select status from partial_booking_entries where id = ${entryId}`))[0].status).toBe('in_review');
    await officer.post(`/api/tasks/${item.id}/complete`, { outcome: 'no_longer_required', patientConfirmed: true });
    expect(await waitFor(() => stateOf(referralId), (s) => s === 'discharged')).toBe('discharged');
    const [moved] = await rows(sql`select status from partial_booking_entries where id = ${entryId}`);
    expect(moved.status).toBe('discharged');
    expect((await rows(sql`select count(*)::int as n from tasks where referral_id = ${referralId} and status in ('open', 'claimed')`))[0].n).toBe(0);
    await recordHistory(listed.workflowId, 'referral-pathway-follow-up-validation-partial-booking');
  });
});
