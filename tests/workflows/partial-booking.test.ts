// Issue 16, partial booking on the time-skipping test server: a follow-up due beyond the booking horizon waits on the
// list, is invited six weeks before it is due, reminded after two, and goes to the clinician when nobody answers; a
// booking from the list in the window closes it; no slot by the LCAD goes to the clinician, never a later date.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays, londonDate, startOfWorkingDay } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { newId } from '../../db/ids';
import { slots } from '../../db/schema';
import { refusal } from '../support/api';
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
/** An hour either side of the start of a date's working day, when the pathway's timers for that date fire. */
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

const entryOf = async (referralId: string) => (await officer.list('partial-booking', { filter: { referralId } }))[0];
const invitations = (referralId: string) => rows<{ template: string; channel: string }>(sql`
  select template, channel from communications where referral_id = ${referralId} and template = 'partial_booking_invitation' order by created_at`);
const openOfType = (referralId: string, type: string) => rows<{ id: string; payload: any }>(sql`
  select id, payload from tasks where referral_id = ${referralId} and type = ${type} and status in ('open', 'claimed')`);

/** A first attendance whose outcome is a follow-up in `weeks` (and the LCAD, if given): the clinic date and the entry. */
const referrer = { name: 'Dr A Jones', organisation: 'Ormskirk Medical Practice', addressLines: ['1 Church Street', 'Ormskirk'], postcode: 'L39 3AA' };

async function seenWithFollowUp(weeks: number, lcadWeeks?: number) {
  const { referral, booking } = await referralAwaitingBooking(officer, clinician, { receivedAt: stack.today(), referrer }, 'clin_11');
  const slot = await freeSlot(officer, 'clin_11', 'new', stack.now());
  await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
  const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
  await stack.sleepUntil(new Date(Date.parse(slot.start) + 60_000).toISOString());
  await officer.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'follow_up', followUpWeeks: weeks, ...(lcadWeeks ? { lcadWeeks } : {}) });
  const entry = await waitFor(() => entryOf(referral.id), (e) => !!e);
  return { referral, clinicDay: londonDate(Date.parse(slot.start) + 60_000), entry };
}

describe('partial booking', () => {
  it('puts a 12-week follow-up on the list, invites at 6 weeks before due, chases, and raises the clinician review when nobody answers', async () => {
    const { referral, clinicDay, entry } = await seenWithFollowUp(12);
    const dueDate = addDays(clinicDay, 84);
    expect(entry).toEqual({
      id: entry.id, referralId: referral.id, patientName: expect.any(String), specialtyCode: referral.specialtyCode,
      clinicianName: expect.any(String), dueDate, lcad: addDays(dueDate, 14), status: 'waiting', invitedOn: null,
    });
    // Not a booking item: the list holds it.
    expect(await openOfType(referral.id, 'book_follow_up')).toEqual([]);

    const inviteOn = addDays(dueDate, -42);
    await stack.sleepUntil(before(inviteOn));
    expect((await entryOf(referral.id)).status).toBe('waiting');
    expect(await invitations(referral.id)).toEqual([]);
    await stack.sleepUntil(after(inviteOn));
    const invited = await waitFor(() => entryOf(referral.id), (e) => e.status === 'invited');
    expect(invited.status).toBe('invited');
    expect(invited.invitedOn >= inviteOn).toBe(true);
    expect((await invitations(referral.id)).length).toBeGreaterThan(0);
    const sentFirst = (await invitations(referral.id)).length;

    // Two weeks to answer, then one reminder.
    const chaseOn = addDays(invited.invitedOn, 14);
    await stack.sleepUntil(before(chaseOn));
    expect((await entryOf(referral.id)).status).toBe('invited');
    await stack.sleepUntil(after(chaseOn));
    expect((await waitFor(() => entryOf(referral.id), (e) => e.status === 'chased')).status).toBe('chased');
    expect((await waitFor(() => invitations(referral.id), (m) => m.length === 2 * sentFirst)).length).toBe(2 * sentFirst);
    const [{ chased_on: chasedOn }] = await rows<{ chased_on: string }>(sql`select chased_on::text from partial_booking_entries where id = ${entry.id}`);

    // Two more weeks without an answer: the clinician reviews it.
    const reviewOn = addDays(chasedOn, 14);
    await stack.sleepUntil(before(reviewOn));
    expect(await openOfType(referral.id, 'partial_booking_review')).toEqual([]);
    await stack.sleepUntil(after(reviewOn));
    const review = await clinician.waitForOpenTask(referral.id, 'partial_booking_review');
    expect(review.payload).toMatchObject({ partialBookingEntryId: entry.id, reason: 'no_response', dueDate, lcad: addDays(dueDate, 14) });
    expect((await entryOf(referral.id)).status).toBe('in_review');

    // An officer may not decide it; the clinician discharges: letters to the patient and the GP, the clock stops (34).
    expect((await refusal(officer.post(`/api/tasks/${review.id}/complete`, { decision: 'discharge' }))).status).toBe(403);
    await clinician.post(`/api/tasks/${review.id}/complete`, { decision: 'discharge', note: 'No response to two letters' });
    expect((await waitFor(() => entryOf(referral.id), (e) => e.status === 'discharged')).status).toBe('discharged');
    const [r] = await rows<{ state: string; rtt_status: string; last_rtt_code: number }>(sql`
      select r.state, p.rtt_status, p.last_rtt_code from referrals r join pathways p on p.referral_id = r.id where r.id = ${referral.id}`);
    expect(r).toEqual({ state: 'discharged', rtt_status: 'stopped', last_rtt_code: 34 });
    const letters = await rows<{ recipient: string; channel: string }>(sql`
      select recipient, channel from communications where referral_id = ${referral.id} and template = 'follow_up_discharged' order by recipient`);
    expect(letters).toEqual([{ recipient: 'patient', channel: 'letter' }, { recipient: 'referrer', channel: 'letter' }]);
  });

  it('books from the list within two weeks of the due date, which answers the invitation and closes the loop', async () => {
    const { referral, entry } = await seenWithFollowUp(10);
    const inviteOn = addDays(entry.dueDate, -42);
    await stack.sleepUntil(after(inviteOn));
    await waitFor(() => entryOf(referral.id), (e) => e.status === 'invited');
    const sentBeforeBooking = (await invitations(referral.id)).length;
    expect(sentBeforeBooking).toBeGreaterThan(0);

    // Too early (well before the window) is refused with the field; so is another person's role.
    const early = await freeSlot(officer, 'clin_11', 'follow_up', stack.now());
    const tooEarly = await refusal(officer.post(`/api/partial-booking/${entry.id}/book`, { slotId: early.id }));
    expect(tooEarly.status).toBe(422);
    expect(tooEarly.body).toMatchObject({ code: 'OUTSIDE_TOLERANCE', errors: { slotId: expect.any(String) } });
    expect((await refusal(clinician.post(`/api/partial-booking/${entry.id}/book`, { slotId: early.id }))).status).toBe(403);
    expect((await refusal(officer.post(`/api/partial-booking/${entry.id}/book`, {}))).body.errors).toHaveProperty('slotId');

    const inWindow = await freeSlot(officer, 'clin_11', 'follow_up', new Date(startOfWorkingDay(addDays(entry.dueDate, -7))).toISOString());
    expect(londonDate(Date.parse(inWindow.start)) <= addDays(entry.dueDate, 14)).toBe(true);
    const booked = await officer.post(`/api/partial-booking/${entry.id}/book`, { slotId: inWindow.id, communicatedBy: 'phone' });
    expect(booked).toMatchObject({ id: entry.id, status: 'booked' });
    // A retry books nothing more.
    await officer.post(`/api/partial-booking/${entry.id}/book`, { slotId: inWindow.id, communicatedBy: 'phone' });
    const appointments = await rows(sql`select id from appointments where referral_id = ${referral.id} and kind = 'follow_up'`);
    expect(appointments).toHaveLength(1);
    const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
    expect(attendance.payload.slotStart).toBe(inWindow.start);
    expect((await refusal(officer.post(`/api/partial-booking/${entry.id}/book`, { slotId: inWindow.id + 'x' }))).body.code).toBe('PARTIAL_BOOKING_NOT_OPEN');

    // Nothing chases or reviews a booked follow-up.
    await stack.sleepUntil(after(addDays(inviteOn, 30)));
    expect(await invitations(referral.id)).toHaveLength(sentBeforeBooking);
    expect(await openOfType(referral.id, 'partial_booking_review')).toEqual([]);
    expect((await entryOf(referral.id)).status).toBe('booked');
  });

  it('refuses a date past the LCAD and sends the follow-up to the clinician, who may extend it back onto the list', async () => {
    const { referral, entry } = await seenWithFollowUp(8, 8);
    expect(entry.lcad).toBe(entry.dueDate);
    // A follow-up slot the day after the LCAD (written straight in: time has run past the generated horizon by now).
    const late = { id: newId('slot') };
    const start = new Date(startOfWorkingDay(addDays(entry.dueDate, 1)) + 2 * HOUR);
    await stack.db.db.insert(slots).values({ id: late.id, clinicId: 'clin_11', start, end: new Date(start.getTime() + 15 * 60_000), type: 'follow_up' });
    const pastLcad = await refusal(officer.post(`/api/partial-booking/${entry.id}/book`, { slotId: late.id }));
    expect(pastLcad.status).toBe(422);
    expect(pastLcad.body).toMatchObject({ code: 'PAST_LCAD', errors: { slotId: expect.any(String) } });

    const escalated = await officer.post(`/api/partial-booking/${entry.id}/escalate`);
    expect(escalated.status).toBe('in_review');
    const review = await clinician.waitForOpenTask(referral.id, 'partial_booking_review');
    expect(review.payload.reason).toBe('no_slot_by_lcad');
    // A retried escalation raises nothing more; with the clinician, the list no longer books it.
    expect((await officer.post(`/api/partial-booking/${entry.id}/escalate`)).status).toBe('in_review');
    expect(await openOfType(referral.id, 'partial_booking_review')).toHaveLength(1);
    const another = newId('slot');
    await stack.db.db.insert(slots).values({ id: another, clinicId: 'clin_11', start: new Date(start.getTime() - 7 * 24 * HOUR), end: new Date(start.getTime() - 7 * 24 * HOUR + 15 * 60_000), type: 'follow_up' });
    const inReview = await refusal(officer.post(`/api/partial-booking/${entry.id}/book`, { slotId: another }));
    expect(inReview.status).toBe(409);
    expect(inReview.body.code).toBe('PARTIAL_BOOKING_NOT_OPEN');

    const extend = await refusal(clinician.post(`/api/tasks/${review.id}/complete`, { decision: 'extend' }));
    expect(extend.body.errors).toHaveProperty('dueInWeeks');
    await clinician.post(`/api/tasks/${review.id}/complete`, { decision: 'extend', dueInWeeks: 12 });
    const back = await waitFor(() => entryOf(referral.id), (e) => e.status === 'waiting');
    expect(back).toMatchObject({ status: 'waiting', dueDate: addDays(stack.today(), 84), lcad: addDays(stack.today(), 98), invitedOn: null });
  });
});
