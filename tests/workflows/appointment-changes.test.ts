// Appointments change (issue 10) on the real stack (Postgres, the time-skipping Temporal server, the worker and the
// API): a booked appointment cancelled or moved by the patient or the hospital never moves the RTT clock, frees its
// slot (or blocks it for a session change), tells the patient, and raises the right item: a rebook item in the
// Rebooking queue keeping the original book-by date and priority, a booking item, or at the patients' limit a
// clinician's review (never a discharge).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { sql } from 'drizzle-orm';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { addDays, bookingTargetDate, endOfWorkingDay } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { newId } from '../../db/ids';
import { slots } from '../../db/schema';
import { cancelAppointmentUpdate } from '../../workflows';
import type { CancelAppointmentCommand, CancelAppointmentResult } from '../../workflows/types';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking } from '../support/fixtures';
import { refusal } from '../support/api';

let stack: TestStack;
let officer: AccessDeskClient;
let officer2: AccessDeskClient;
let leader: AccessDeskClient;
let clinician: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'time-skipping' });
  [officer, officer2, leader, clinician] = await Promise.all(
    ['officer', 'officer2', 'leader', 'clinician'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)),
  );
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);

/** A referral received `daysAgo` days ago, accepted to clinic 2 and booked into its first free new slot. */
async function booked(overrides: Record<string, unknown> = {}, daysAgo = 3) {
  const receivedAt = addDays(stack.today(), -daysAgo);
  const { referral, booking } = await referralAwaitingBooking(officer, clinician, { receivedAt, ...overrides }, 'clin_2');
  const type = (overrides.priority as string | undefined) === 'urgent' ? 'urgent' : 'new';
  const slot = await freeSlot(officer, 'clin_2', type, stack.now());
  await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
  const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
  return { referral, receivedAt, slot, attendance, appointmentId: attendance.payload.appointmentId as string, type };
}

/** The pathway told directly, as the API and a clinic session change do. */
function cancel(workflowId: string, cmd: Partial<CancelAppointmentCommand> & Pick<CancelAppointmentCommand, 'appointmentId' | 'by'>) {
  return stack.env.client.workflow.getHandle(workflowId)
    .executeUpdate(cancelAppointmentUpdate, { args: [{ actorId: 'staff_officer', ...cmd }] }) as Promise<CancelAppointmentResult>;
}

/** The refusal's code and field, from a refused Update. */
async function refusedWith(promise: Promise<unknown>): Promise<{ type: string | undefined; field: string | undefined }> {
  try {
    await promise;
  } catch (err) {
    const failure = err instanceof WorkflowUpdateFailedError ? err.cause : err;
    if (failure instanceof ApplicationFailure) return { type: failure.type ?? undefined, field: (failure.details?.[0] as { field?: string } | undefined)?.field };
    throw err;
  }
  throw new Error('expected the pathway to refuse');
}

/** What a cancellation must never touch: the pathway's clock row and its RTT events. */
const clockOf = async (referralId: string) => ({
  pathway: (await rows(sql`select rtt_status, clock_start::text, clock_stop::text, last_rtt_code, breach_date::text, updated_at from pathways where referral_id = ${referralId}`))[0],
  events: await rows(sql`select code, event_date::text, cause from rtt_events where referral_id = ${referralId} order by id`),
});
const appointmentRow = async (id: string) => (await rows(sql`
  select state, cancelled_by, cancelled_at is not null as cancelled_at_set, cancelled_by_staff, cancel_note_id, rebooked_appointment_id,
    session_change_id, slot_id from appointments where id = ${id}`))[0];
const slotStatus = async (id: string) => (await rows<{ status: string }>(sql`select status from slots where id = ${id}`))[0].status;
const openItems = (referralId: string) => rows(sql`
  select id, type, queue_id, priority, (extract(epoch from due_at) * 1000)::bigint::text as due_ms, payload from tasks where referral_id = ${referralId} and status in ('open', 'claimed') order by created_at`);
const lettersOf = (referralId: string) => rows<{ kind: string; body: string }>(sql`
  select template as kind, body from communications where referral_id = ${referralId} and template <> 'appointment_reminder' order by created_at`);
const stateOf = async (referralId: string) => (await rows<{ state: string }>(sql`select state from referrals where id = ${referralId}`))[0].state;

describe('a hospital cancellation', () => {
  it('frees the slot, tells the patient, leaves the clock alone and raises a rebook item due at the original book-by date', async () => {
    const { referral, receivedAt, slot, attendance, appointmentId, type } = await booked({ priority: 'urgent' });
    const before = await clockOf(referral.id);
    const result = await cancel(referral.workflowId, { appointmentId, by: 'hospital' });

    expect(result).toMatchObject({ stage: 'awaiting_booking', cancelledAppointmentId: appointmentId, raisedTaskType: 'rebook_appointment', appointmentId: null });
    expect(await appointmentRow(appointmentId)).toMatchObject({
      state: 'cancelled_by_hospital', cancelled_by: 'hospital', cancelled_at_set: true, cancelled_by_staff: 'staff_officer', rebooked_appointment_id: null,
    });
    expect(await slotStatus(slot.id)).toBe('free');
    expect(await clockOf(referral.id)).toEqual(before);
    const letters = await lettersOf(referral.id);
    expect(letters.map((l) => l.kind)).toEqual(['appointment_confirmation', 'appointment_cancelled']);
    expect(letters[1].body).toMatch(/has been cancelled because the clinic can no longer see you at that time/);

    const [attendanceNow] = await rows(sql`select status from tasks where id = ${attendance.id}`);
    expect(attendanceNow.status).toBe('cancelled');
    const bookBy = bookingTargetDate(receivedAt, 'urgent');
    const open = await openItems(referral.id);
    expect(open).toEqual([expect.objectContaining({
      id: result.raisedTaskId, type: 'rebook_appointment', queue_id: 'queue_rebooking', priority: 'urgent', due_ms: String(Date.parse(endOfWorkingDay(bookBy))),
    })]);
    expect(open[0].payload).toMatchObject({ clinicId: 'clin_2', slotType: type, bookBy, cancelledAppointmentId: appointmentId, kind: 'new' });
    expect(await stateOf(referral.id)).toBe('awaiting_booking');

    // The rebook item books like a booking item: the same kind, a new attendance item.
    const next = await freeSlot(officer, 'clin_2', type, stack.now());
    await officer.post(`/api/tasks/${result.raisedTaskId}/complete`, { slotId: next.id });
    const again = await officer.waitForOpenTask(referral.id, 'record_attendance');
    expect(again.payload.appointmentId).not.toBe(appointmentId);
    expect(await stateOf(referral.id)).toBe('booked');
    expect(await clockOf(referral.id)).toEqual(before);
  });

  it('of a follow-up raises a follow-up rebook item that books a follow-up again', async () => {
    const { referral, slot, attendance } = await booked();
    await stack.sleepUntil(new Date(Date.parse(slot.start) + 60_000).toISOString());
    await officer.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'follow_up', followUpWeeks: 6 });
    const followUp = await officer.waitForOpenTask(referral.id, 'book_follow_up');
    await officer.post(`/api/tasks/${followUp.id}/complete`, { slotId: (await freeSlot(officer, 'clin_2', 'follow_up', stack.now())).id });
    const second = await officer.waitForOpenTask(referral.id, 'record_attendance');
    const before = await clockOf(referral.id);
    const change = await officer.post(`/api/appointments/${second.payload.appointmentId}/cancel`, { by: 'hospital', reason: 'Clinic overbooked' });
    expect(change).toMatchObject({ stage: 'awaiting_follow_up', raisedTask: { type: 'rebook_appointment' } });
    const [rebook] = await openItems(referral.id);
    expect(rebook.payload).toMatchObject({ kind: 'follow_up', slotType: 'follow_up', bookBy: followUp.payload.bookBy });
    await officer.post(`/api/tasks/${rebook.id}/complete`, { slotId: (await freeSlot(officer, 'clin_2', 'follow_up', stack.now())).id });
    await officer.waitForOpenTask(referral.id, 'record_attendance');
    expect(await stateOf(referral.id)).toBe('follow_up_booked');
    expect(await clockOf(referral.id)).toEqual(before);
  });

  it('blocks the slot instead of freeing it when its clinic session is being cancelled', async () => {
    const { referral, slot, appointmentId } = await booked();
    await cancel(referral.workflowId, { appointmentId, by: 'hospital', sessionChangeId: 'sessch_test_1' });
    expect(await appointmentRow(appointmentId)).toMatchObject({ state: 'cancelled_by_hospital', session_change_id: 'sessch_test_1' });
    expect(await slotStatus(slot.id)).toBe('blocked');
  });
});

describe('a patient cancellation', () => {
  it('puts the referral back for booking the first time and raises a clinical review (never a discharge) the second', async () => {
    const { referral, appointmentId, type } = await booked();
    const before = await clockOf(referral.id);
    const first = await cancel(referral.workflowId, { appointmentId, by: 'patient' });
    expect(first).toMatchObject({ stage: 'awaiting_booking', raisedTaskType: 'book_new_appointment' });
    expect(await appointmentRow(appointmentId)).toMatchObject({ state: 'cancelled_by_patient', cancelled_by: 'patient' });
    const letters = await lettersOf(referral.id);
    expect(letters.at(-1)).toMatchObject({ kind: 'appointment_cancelled', body: expect.stringMatching(/has been cancelled as you asked/) });

    const slot = await freeSlot(officer, 'clin_2', type, stack.now());
    await officer.post(`/api/tasks/${first.raisedTaskId}/complete`, { slotId: slot.id });
    const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
    const second = await cancel(referral.workflowId, { appointmentId: attendance.payload.appointmentId, by: 'patient' });
    expect(second).toMatchObject({ stage: 'awaiting_clinical_review', raisedTaskType: 'clinical_review' });
    const open = await openItems(referral.id);
    expect(open).toEqual([expect.objectContaining({ type: 'clinical_review', queue_id: 'queue_101' })]);
    expect(open[0].payload).toMatchObject({ reason: 'patient_cancellations', count: 2 });
    expect(await stateOf(referral.id)).toBe('awaiting_clinical_review');
    expect(await clockOf(referral.id)).toEqual(before);
  });
});

describe('a reschedule', () => {
  it('cancels and books in one step, linking old to new, with one letter saying the appointment moved', async () => {
    const { referral, slot, appointmentId, type } = await booked();
    const before = await clockOf(referral.id);
    const to = await freeSlot(officer, 'clin_2', type, new Date(Date.parse(slot.start) + 1).toISOString());
    const result = await cancel(referral.workflowId, { appointmentId, by: 'hospital', newSlotId: to.id });
    expect(result).toMatchObject({ stage: 'booked', raisedTaskId: null, appointment: { id: expect.any(String), start: to.start } });
    const newId = result.appointment!.id;
    expect(await appointmentRow(appointmentId)).toMatchObject({ state: 'cancelled_by_hospital', rebooked_appointment_id: newId });
    expect(await appointmentRow(newId)).toMatchObject({ state: 'booked', slot_id: to.id });
    expect(await slotStatus(slot.id)).toBe('free');
    expect(await slotStatus(to.id)).toBe('booked');
    const letters = await lettersOf(referral.id);
    expect(letters.map((l) => l.kind)).toEqual(['appointment_confirmation', 'appointment_changed']);
    expect(letters[1].body).toMatch(/has moved\. It is now on/);
    const open = await openItems(referral.id);
    expect(open).toEqual([expect.objectContaining({ type: 'record_attendance' })]);
    expect(open[0].payload.appointmentId).toBe(newId);
    expect(await clockOf(referral.id)).toEqual(before);
  });

  it('refuses a slot just taken with SLOT_TAKEN and changes nothing', async () => {
    const { referral, slot, appointmentId, attendance } = await booked();
    const other = await booked();
    const before = await clockOf(referral.id);
    expect(await refusedWith(cancel(referral.workflowId, { appointmentId, by: 'hospital', newSlotId: other.slot.id })))
      .toEqual({ type: 'SLOT_TAKEN', field: 'slotId' });
    expect(await appointmentRow(appointmentId)).toMatchObject({ state: 'booked', cancelled_by: null });
    expect(await slotStatus(slot.id)).toBe('booked');
    expect((await openItems(referral.id)).map((t) => t.id)).toEqual([attendance.id]);
    expect(await lettersOf(referral.id)).toHaveLength(1);
    expect(await clockOf(referral.id)).toEqual(before);
    // Still the pathway's booking: it can be moved again, into a free slot.
    const free = await freeSlot(officer, 'clin_2', 'new', stack.now());
    expect(await cancel(referral.workflowId, { appointmentId, by: 'hospital', newSlotId: free.id })).toMatchObject({ stage: 'booked' });
  });

  it("by the patient counts as a patient cancellation: at the limit the move is made and a review raised beside it", async () => {
    const { referral, appointmentId, type } = await booked();
    const first = await cancel(referral.workflowId, { appointmentId, by: 'patient', newSlotId: (await freeSlot(officer, 'clin_2', type, stack.now())).id });
    expect(first).toMatchObject({ stage: 'booked', raisedTaskId: null });
    const second = await cancel(referral.workflowId, {
      appointmentId: first.appointment!.id, by: 'patient', newSlotId: (await freeSlot(officer, 'clin_2', type, stack.now())).id,
    });
    expect(second).toMatchObject({ stage: 'booked', raisedTaskType: 'clinical_review', appointment: { id: expect.any(String) } });
    const open = await openItems(referral.id);
    expect(open.map((t) => t.type)).toEqual(['record_attendance', 'clinical_review']);
    expect(open[1]).toMatchObject({ id: second.raisedTaskId, payload: expect.objectContaining({ reason: 'patient_cancellations', count: 2 }) });
  });
});

describe('what cannot be cancelled', () => {
  it("refuses an appointment that is not the pathway's current booking", async () => {
    const { referral, appointmentId } = await booked();
    const moved = await cancel(referral.workflowId, { appointmentId, by: 'hospital', newSlotId: (await freeSlot(officer, 'clin_2', 'new', stack.now())).id });
    expect(await refusedWith(cancel(referral.workflowId, { appointmentId, by: 'patient' }))).toEqual({ type: 'APPOINTMENT_NOT_CURRENT', field: 'appointmentId' });
    expect(await appointmentRow(moved.appointment!.id)).toMatchObject({ state: 'booked' });
  });

  it('refuses an appointment that has already started: its attendance is what to record', async () => {
    const { referral, slot, appointmentId, attendance } = await booked();
    await stack.sleepUntil(new Date(Date.parse(slot.start) + 60_000).toISOString());
    expect(await refusedWith(cancel(referral.workflowId, { appointmentId, by: 'patient' }))).toEqual({ type: 'APPOINTMENT_NOT_BOOKED', field: 'appointmentId' });
    expect(await appointmentRow(appointmentId)).toMatchObject({ state: 'booked' });
    // Nobody outcomed it: its attendance item stays open (the cash-up list).
    expect((await openItems(referral.id)).map((t) => t.id)).toContain(attendance.id);
  });
});

function recordHistory(workflowId: string, name: string) {
  if (!process.env.RECORD_HISTORIES) return Promise.resolve();
  return stack.env.client.workflow.getHandle(workflowId).fetchHistory()
    .then((history) => writeFileSync(`tests/workflows/histories/${name}.json`, historyToJSON(history)));
}

/** A slot of clinic 2 written straight into the table: one that has started, or one blocked by a session change. */
async function extraSlot(start: Date, status: 'free' | 'blocked' = 'free') {
  const id = newId('slot');
  await stack.db.db.insert(slots).values({ id, clinicId: 'clin_2', start, end: new Date(start.getTime() + 20 * 60_000), type: 'new', status });
  return id;
}

describe('POST /api/appointments/:id/cancel and /reschedule', () => {
  it('cancels for the hospital with the reason kept as a note, shown on the appointment record', async () => {
    const { referral, appointmentId } = await booked();
    const change = await officer.post(`/api/appointments/${appointmentId}/cancel`, { by: 'hospital', reason: 'Consultant called away to theatre' });
    expect(change).toEqual({
      appointmentId, referralId: referral.id, state: 'cancelled_by_hospital', stage: 'awaiting_booking',
      raisedTask: { id: expect.any(String), type: 'rebook_appointment' }, newAppointment: null, patientCancellations: 0,
    });
    const record = await officer.get(`/api/appointments/${appointmentId}`);
    expect(record).toMatchObject({
      state: 'cancelled_by_hospital', cancelledBy: 'hospital', cancelledAt: expect.any(String), cancelReason: 'Consultant called away to theatre',
      rebookedAppointmentId: null, sessionChangeId: null,
    });
    // The workflow carries the note's id, never its words.
    const history = JSON.stringify(await stack.env.client.workflow.getHandle(referral.workflowId).fetchHistory());
    expect(history).not.toContain('Consultant called away');
  });

  it("reschedules for the patient: the new appointment answered, counted as the patient's cancellation", async () => {
    const { referral, slot, appointmentId, type } = await booked();
    const to = await freeSlot(officer, 'clin_2', type, new Date(Date.parse(slot.start) + 1).toISOString());
    const change = await officer.post(`/api/appointments/${appointmentId}/reschedule`, {
      slotId: to.id, by: 'patient', reason: 'Away with work that week', communicatedBy: 'phone',
    });
    expect(change).toMatchObject({
      appointmentId, referralId: referral.id, state: 'cancelled_by_patient', stage: 'booked', raisedTask: null, patientCancellations: 1,
      newAppointment: { id: expect.any(String), slotId: to.id, start: to.start, clinicId: 'clin_2', clinicName: to.clinicName },
    });
    expect(await officer.get(`/api/appointments/${appointmentId}`)).toMatchObject({ cancelledBy: 'patient', rebookedAppointmentId: change.newAppointment.id });
    const [told] = await rows(sql`select communicated_by from appointments where id = ${change.newAppointment.id}`);
    expect(told.communicated_by).toBe('phone');
  });

  it('lets exactly one of two officers moving patients into the same slot at once have it; the other changes nothing', async () => {
    const a = await booked();
    const b = await booked();
    const target = await freeSlot(officer, 'clin_2', 'new', stack.now());
    const before = await Promise.all([a, b].map((x) => clockOf(x.referral.id)));
    const answers = await Promise.all([[officer, a], [officer2, b]].map(([who, x]: any) =>
      who.request('POST', `/api/appointments/${x.appointmentId}/reschedule`, { slotId: target.id, by: 'hospital', reason: 'Clinic template changed' })
        .then((r: any) => ({ status: r.status, body: r.body, x }), (err: any) => ({ status: err.status, body: err.body, x }))));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const lost = answers.find((r) => r.status === 409)!;
    expect(lost.body).toMatchObject({ code: 'SLOT_TAKEN', errors: { slotId: expect.any(String) } });
    expect(await appointmentRow(lost.x.appointmentId)).toMatchObject({ state: 'booked', cancelled_by: null, rebooked_appointment_id: null });
    expect(await slotStatus(lost.x.slot.id)).toBe('booked');
    expect(await lettersOf(lost.x.referral.id)).toHaveLength(1);
    expect((await openItems(lost.x.referral.id)).map((t) => t.type)).toEqual(['record_attendance']);
    // The refused attempt's reason is not kept.
    expect(await rows(sql`select 1 from notes where referral_id = ${lost.x.referral.id}`)).toEqual([]);
    const [{ n }] = await rows(sql`select count(*)::int as n from appointments where slot_id = ${target.id} and state = 'booked'`);
    expect(n).toBe(1);
    expect(await Promise.all([a, b].map((x) => clockOf(x.referral.id)))).toEqual(before);
  });

  it('needs a team leader to move a patient past their breach date, on a reschedule and on a rebook item', async () => {
    const { referral, appointmentId, type } = await booked({}, 130);
    const [{ breach_date: breachDate }] = await rows(sql`select breach_date::text from pathways where referral_id = ${referral.id}`);
    const to = await freeSlot(officer, 'clin_2', type, stack.now());
    expect(to.start.slice(0, 10) > breachDate).toBe(true);
    const move = { slotId: to.id, by: 'hospital', reason: 'Clinic moved to the afternoon' };
    const byOfficer = await refusal(officer.post(`/api/appointments/${appointmentId}/reschedule`, { ...move, confirmPastBreach: true }));
    expect([byOfficer.status, byOfficer.body.code, Object.keys(byOfficer.body.errors)]).toEqual([422, 'PAST_BREACH_NEEDS_LEADER', ['slotId']]);
    const unconfirmed = await refusal(leader.post(`/api/appointments/${appointmentId}/reschedule`, move));
    expect(unconfirmed.body.code).toBe('PAST_BREACH_NEEDS_LEADER');
    const moved = await leader.post(`/api/appointments/${appointmentId}/reschedule`, { ...move, confirmPastBreach: true });
    expect(moved.stage).toBe('booked');

    const cancelled = await officer.post(`/api/appointments/${moved.newAppointment.id}/cancel`, { by: 'hospital', reason: 'Consultant off sick' });
    const rebook = cancelled.raisedTask.id;
    const slotId = (await freeSlot(officer, 'clin_2', type, stack.now())).id;
    const refused = await refusal(officer.post(`/api/tasks/${rebook}/complete`, { slotId }));
    expect([refused.status, refused.body.code]).toEqual([422, 'PAST_BREACH_NEEDS_LEADER']);
    expect((await leader.post(`/api/tasks/${rebook}/complete`, { slotId, confirmPastBreach: true })).status).toBe('done');
  });

  it('refuses a slot that has started (SLOT_IN_PAST) or is blocked (SLOT_NOT_FREE), on a reschedule and on a booking item', async () => {
    const { referral, appointmentId } = await booked();
    const started = await extraSlot(new Date(Date.parse(stack.now()) - 3600_000));
    const blocked = await extraSlot(new Date(Date.parse(stack.now()) + 30 * 86_400_000), 'blocked');
    for (const [slotId, code] of [[started, 'SLOT_IN_PAST'], [blocked, 'SLOT_NOT_FREE']]) {
      const refused = await refusal(officer.post(`/api/appointments/${appointmentId}/reschedule`, { slotId, by: 'patient', reason: 'Wants an earlier date' }));
      expect([refused.status, refused.body.code, Object.keys(refused.body.errors)]).toEqual([422, code, ['slotId']]);
    }
    expect(await appointmentRow(appointmentId)).toMatchObject({ state: 'booked' });
    const { change } = { change: await officer.post(`/api/appointments/${appointmentId}/cancel`, { by: 'patient', reason: 'Moving house' }) };
    for (const [slotId, code] of [[started, 'SLOT_IN_PAST'], [blocked, 'SLOT_NOT_FREE']]) {
      const refused = await refusal(officer.post(`/api/tasks/${change.raisedTask.id}/complete`, { slotId }));
      expect([refused.status, refused.body.code, Object.keys(refused.body.errors)]).toEqual([422, code, ['slotId']]);
    }
    expect(await stateOf(referral.id)).toBe('awaiting_booking');
  });

  it('answers 422 for an appointment no longer booked, 404 for none, and 400 naming the reason', async () => {
    const { appointmentId } = await booked();
    await officer.post(`/api/appointments/${appointmentId}/cancel`, { by: 'patient', reason: 'Feeling better' });
    const again = await refusal(officer.post(`/api/appointments/${appointmentId}/cancel`, { by: 'patient', reason: 'Feeling better' }));
    expect([again.status, again.body.code]).toEqual([422, 'APPOINTMENT_NOT_BOOKED']);
    expect((await refusal(officer.post('/api/appointments/appt_none/cancel', { by: 'patient', reason: 'Feeling better' }))).status).toBe(404);
    const short = await refusal(officer.post(`/api/appointments/${appointmentId}/cancel`, { by: 'patient', reason: 'no' }));
    expect([short.status, Object.keys(short.body.errors)]).toEqual([400, ['reason']]);
    const who = await refusal(clinician.post(`/api/appointments/${appointmentId}/cancel`, { by: 'patient', reason: 'Feeling better' }));
    expect(who.status).toBe(403);
  });
});

describe('attendance', () => {
  it('cannot be recorded before the appointment starts; once it has, it can', async () => {
    const { referral, slot, attendance } = await booked();
    const early = await refusal(officer.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'follow_up', followUpWeeks: 6 }));
    expect([early.status, early.body.code]).toEqual([422, 'APPOINTMENT_NOT_STARTED']);
    // The pathway refuses it too, in its own time, whoever asks.
    const direct = stack.env.client.workflow.getHandle(referral.workflowId).executeUpdate('completeTask', {
      args: [{ taskId: attendance.id, actorId: 'staff_officer', outcome: { outcome: 'follow_up', followUpWeeks: 6 } }],
    });
    expect(await refusedWith(direct)).toMatchObject({ type: 'APPOINTMENT_NOT_STARTED' });
    await stack.sleepUntil(new Date(Date.parse(slot.start) + 60_000).toISOString());
    await officer.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'follow_up', followUpWeeks: 6 });
    expect(await stateOf(referral.id)).toBe('awaiting_follow_up');
  });
});

describe('the clinical review', () => {
  /** A pathway whose patient has cancelled twice: its clinical review item is open. */
  async function atReview() {
    const { referral, appointmentId, type } = await booked();
    const first = await officer.post(`/api/appointments/${appointmentId}/cancel`, { by: 'patient', reason: 'On holiday' });
    await officer.post(`/api/tasks/${first.raisedTask.id}/complete`, { slotId: (await freeSlot(officer, 'clin_2', type, stack.now())).id });
    const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
    const second = await officer.post(`/api/appointments/${attendance.payload.appointmentId}/cancel`, { by: 'patient', reason: 'Car broke down' });
    expect(second).toMatchObject({ stage: 'awaiting_clinical_review', raisedTask: { type: 'clinical_review' }, patientCancellations: 2 });
    return { referral, review: second.raisedTask.id as string, type };
  }

  it('may put the patient on active monitoring: code 32 stops the clock and a monitoring review opens', async () => {
    const { referral, review } = await atReview();
    await clinician.post(`/api/tasks/${review}/complete`, { decision: 'active_monitoring', reviewInWeeks: 8 });
    expect(await stateOf(referral.id)).toBe('active_monitoring');
    const { pathway, events } = await clockOf(referral.id);
    expect(pathway).toMatchObject({ rtt_status: 'stopped', last_rtt_code: 32, clock_stop: stack.today() });
    expect(events.at(-1)).toEqual({ code: 32, event_date: stack.today(), cause: 'clinical_review' });
    expect((await openItems(referral.id)).map((t) => t.type)).toEqual(['active_monitoring_review']);
  });

  it('may discharge to the GP (34): the pathway ends', async () => {
    const { referral, review } = await atReview();
    await clinician.post(`/api/tasks/${review}/complete`, { decision: 'discharge', note: 'Symptoms resolved per GP letter' });
    const handle = stack.env.client.workflow.getHandle(referral.workflowId);
    for (let i = 0; i < 50 && (await handle.describe()).status.name === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    expect(await stateOf(referral.id)).toBe('discharged');
    expect((await clockOf(referral.id)).events.at(-1)).toMatchObject({ code: 34, cause: 'clinical_review' });
  });

  it('may book again, and the count starts afresh', async () => {
    const { referral, review, type } = await atReview();
    await clinician.post(`/api/tasks/${review}/complete`, { decision: 'rebook' });
    const booking = await officer.waitForOpenTask(referral.id, 'book_new_appointment');
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: (await freeSlot(officer, 'clin_2', type, stack.now())).id });
    const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
    const third = await officer.post(`/api/appointments/${attendance.payload.appointmentId}/cancel`, { by: 'patient', reason: 'Childcare' });
    expect(third).toMatchObject({ stage: 'awaiting_booking', raisedTask: { type: 'book_new_appointment' }, patientCancellations: 1 });
  });
});

describe('a clinical review beside a booked appointment', () => {
  /** A patient who has moved their appointment twice: the second move is made and a review raised beside it. */
  async function movedTwice() {
    const { referral, appointmentId, type } = await booked();
    const move = async (id: string) => officer.post(`/api/appointments/${id}/reschedule`, {
      slotId: (await freeSlot(officer, 'clin_2', type, stack.now())).id, by: 'patient', reason: 'Cannot get the time off work',
    });
    const first = await move(appointmentId);
    const second = await move(first.newAppointment.id);
    expect(second).toMatchObject({ stage: 'booked', raisedTask: { type: 'clinical_review' }, patientCancellations: 2 });
    return { referral, review: second.raisedTask.id as string, appointment: second.newAppointment };
  }

  it('keeps the appointment when the clinician says book again', async () => {
    const { referral, review, appointment } = await movedTwice();
    await clinician.post(`/api/tasks/${review}/complete`, { decision: 'rebook' });
    expect(await stateOf(referral.id)).toBe('booked');
    expect(await appointmentRow(appointment.id)).toMatchObject({ state: 'booked' });
    expect((await openItems(referral.id)).map((t) => t.type)).toEqual(['record_attendance']);
  });

  it('frees the appointment and closes its attendance item when the clinician discharges', async () => {
    const { referral, review, appointment } = await movedTwice();
    await clinician.post(`/api/tasks/${review}/complete`, { decision: 'discharge' });
    expect(await stateOf(referral.id)).toBe('discharged');
    expect(await appointmentRow(appointment.id)).toMatchObject({ state: 'cancelled_by_hospital' });
    expect(await slotStatus(appointment.slotId)).toBe('free');
    expect(await openItems(referral.id)).toEqual([]);
  });
});

describe('a recorded history', () => {
  it('of a pathway cancelled by the hospital, rebooked, moved by the patient and then seen, for replay', async () => {
    const { referral, appointmentId, type } = await booked();
    const cancelled = await officer.post(`/api/appointments/${appointmentId}/cancel`, { by: 'hospital', reason: 'Clinic cancelled' });
    await officer.post(`/api/tasks/${cancelled.raisedTask.id}/complete`, { slotId: (await freeSlot(officer, 'clin_2', type, stack.now())).id });
    const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
    const to = await freeSlot(officer, 'clin_2', type, new Date(Date.parse(attendance.payload.slotStart) + 1).toISOString());
    const moved = await officer.post(`/api/appointments/${attendance.payload.appointmentId}/reschedule`, { slotId: to.id, by: 'patient', reason: 'Holiday' });
    await stack.sleepUntil(new Date(Date.parse(moved.newAppointment.start) + 60_000).toISOString());
    const seen = await officer.waitForOpenTask(referral.id, 'record_attendance');
    await officer.post(`/api/tasks/${seen.id}/complete`, { outcome: 'discharged' });
    const handle = stack.env.client.workflow.getHandle(referral.workflowId);
    for (let i = 0; i < 50 && (await handle.describe()).status.name === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await stateOf(referral.id)).toBe('discharged');
    await recordHistory(referral.workflowId, 'referral-pathway-changes-cancelled-rescheduled');
  });
});
