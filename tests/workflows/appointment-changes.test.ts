// Appointments change (issue 10) on the real stack (Postgres, the time-skipping Temporal server, the worker and the
// API): a booked appointment cancelled or moved by the patient or the hospital never moves the RTT clock, frees its
// slot (or blocks it for a session change), tells the patient, and raises the right item: a rebook item in the
// Rebooking queue keeping the original book-by date and priority, a booking item, or at the patients' limit a
// clinician's review (never a discharge).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { addDays, bookingTargetDate, endOfWorkingDay } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { cancelAppointmentUpdate } from '../../workflows';
import type { CancelAppointmentCommand, CancelAppointmentResult } from '../../workflows/types';
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
  select kind, body from communications where referral_id = ${referralId} order by created_at`);
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
    expect(letters[1].body).toMatch(/we have had to cancel your appointment/);

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
    expect(letters.at(-1)).toMatchObject({ kind: 'appointment_cancelled', body: expect.stringMatching(/^As you asked/) });

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
    expect(letters[1].body).toMatch(/has been moved\. It is now on/);
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
