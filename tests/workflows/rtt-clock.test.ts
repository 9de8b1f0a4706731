// The RTT clock, complete (issue 9), on the time-skipping server: every clinic outcome ends or moves the clock with
// its code (rtt_periods and rtt_events exact), a DNA nullifies only with evidence the patient was told, active
// monitoring reviews and a decision to treat start period 2 keeping its PTL place, administrative events close an
// open period only, and validation items fall due at 12, 26 and 52 weeks of wait and never before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { sql } from 'drizzle-orm';
import {
  addDays, cancer62TargetDate, endOfWorkingDay, fdsTargetDate, londonDate, rttPolicyVersion, rttRuleFor, startOfWorkingDay, uscFirstSeenTargetDate,
  type RttEventCause, type RttStatusCode,
} from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking, referralBody } from '../support/fixtures';
import { refusal } from '../support/api';

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

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const periodsOf = (referralId: string) => rows(sql`
  select period_no, status, clock_start::text, start_code, ptl_order_start::text, clock_stop::text, stop_code, stop_admitted,
    decision_to_admit_on::text, (coalesce(clock_stop, ${stack.today()}::date) - clock_start) as days
  from rtt_periods where referral_id = ${referralId} order by period_no`);
const eventsOf = (referralId: string) => rows(sql`
  select period_no, code, event_date::text, cause, appointment_id, task_id, outcome, actor_id, rule, policy_version, note_id
  from rtt_events where referral_id = ${referralId} order by id`);
const stateOf = async (referralId: string) => (await rows<{ state: string }>(sql`select state from referrals where id = ${referralId}`))[0].state;
const complete = (who: AccessDeskClient, taskId: string, outcome: Record<string, unknown>) => who.post(`/api/tasks/${taskId}/complete`, outcome);
const ruleOf = (code: RttStatusCode, cause: RttEventCause) => ({ rule: rttRuleFor(code, cause), policy_version: rttPolicyVersion });

/**
 * The pathway's end: its workflow completed, and the stage it ended in. (Never `result()`: on the time-skipping server
 * waiting for a result lets time run on to whatever timer comes next.)
 */
async function ended(referral: { id: string; workflowId: string }) {
  const handle = stack.env.client.workflow.getHandle(referral.workflowId);
  const status = await waitFor(async () => (await handle.describe()).status.name, (s) => s !== 'RUNNING');
  return { status, stage: await stateOf(referral.id) };
}

function recordHistory(workflowId: string, name: string) {
  if (!process.env.RECORD_HISTORIES) return Promise.resolve();
  return stack.env.client.workflow.getHandle(workflowId).fetchHistory()
    .then((history) => writeFileSync(`tests/workflows/histories/${name}.json`, historyToJSON(history)));
}

/** Server time moved on to just after an appointment's start: attendance is recorded from then (issue 10). */
const attend = (start: string) => stack.sleepUntil(new Date(Date.parse(start) + 60_000).toISOString());

/**
 * A referral accepted and booked into a slot to come: its attendance item is open. `seen` (the default): received three
 * days before the slot's day, and time moved on to the appointment, so its outcome can be recorded; otherwise received
 * three days ago, the appointment still to come.
 */
async function atAttendance(overrides: Record<string, unknown> = {}, clinicId = 'clin_2', slotType = 'new', booking: Record<string, unknown> = {}, seen = true) {
  const slot = await freeSlot(officer, clinicId, slotType, stack.now());
  const receivedAt = addDays(seen ? londonDate(Date.parse(slot.start)) : stack.today(), -3);
  if (receivedAt > stack.today()) await stack.sleepUntil(`${receivedAt}T06:00:00.000Z`);
  const { referral, booking: item } = await referralAwaitingBooking(officer, clinician, { receivedAt, ...overrides }, clinicId);
  await officer.post(`/api/tasks/${item.id}/complete`, { slotId: slot.id, ...booking });
  const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
  if (seen) await attend(slot.start);
  return { referral, attendance, receivedAt, slot, appointmentId: attendance.payload.appointmentId as string };
}

describe('clinic outcomes that end the pathway', () => {
  it.each([
    ['treated', 30, 'treated', 'stopped'],
    ['declined_treatment', 35, 'declined_treatment', 'stopped'],
    ['decision_not_to_treat', 34, 'discharged', 'stopped'],
    ['referred_on', 21, 'transferred', 'transferred'],
  ] as const)('%s records code %i and ends the pathway %s', async (outcome, code, stage, status) => {
    const { referral, attendance, receivedAt, appointmentId } = await atAttendance();
    await complete(clinician, attendance.id, { outcome, note: 'Seen in clinic' });
    expect(await ended(referral)).toEqual({ status: 'COMPLETED', stage });
    const today = stack.today();
    expect(await periodsOf(referral.id)).toEqual([expect.objectContaining({
      period_no: 1, status, clock_start: receivedAt, start_code: 10, ptl_order_start: receivedAt, clock_stop: today, stop_code: code, days: 3,
      ...(code === 30 ? { stop_admitted: false } : {}),
    })]);
    const events = await eventsOf(referral.id);
    expect(events.map((e) => [e.code, e.event_date, e.cause])).toEqual([[10, receivedAt, 'referral'], [code, today, 'outcome']]);
    expect(events[1]).toMatchObject({
      appointment_id: appointmentId, task_id: attendance.id, outcome, actor_id: 'staff_clinician', ...ruleOf(code, 'outcome'),
    });
    const [note] = await rows(sql`select body from notes where id = ${events[1].note_id}`);
    expect(note.body).toBe('Seen in clinic');
    const shown = await officer.get(`/api/referrals/${referral.id}`);
    expect(shown.daysWaited).toBe(3);
    const [appt] = await rows(sql`select state, outcome from appointments where id = ${appointmentId}`);
    expect(appt).toEqual({ state: 'attended', outcome });
    if (outcome === 'treated') await recordHistory(referral.workflowId, 'referral-pathway-rtt-complete-treated');
  });

  it('added to the waiting list keeps the clock running awaiting admission; the admission (30) stops it as admitted', async () => {
    const { referral, attendance, receivedAt } = await atAttendance();
    await complete(clinician, attendance.id, { outcome: 'added_to_waiting_list' });
    const today = stack.today();
    expect(await stateOf(referral.id)).toBe('awaiting_admission');
    expect(await periodsOf(referral.id)).toEqual([expect.objectContaining({ status: 'running', clock_stop: null, decision_to_admit_on: today, days: 3 })]);
    const admitted = await officer.post(`/api/referrals/${referral.id}/rtt-events`, { code: 30, date: today, note: 'Admitted for the operation' });
    expect(admitted).toMatchObject({ referralId: referral.id, stage: 'treated', clock: { status: 'stopped', lastCode: 30, clockStart: receivedAt, daysWaited: 3 } });
    expect(await periodsOf(referral.id)).toEqual([expect.objectContaining({ status: 'stopped', stop_code: 30, stop_admitted: true, clock_stop: today })]);
    const events = await eventsOf(referral.id);
    expect(events.map((e) => [e.code, e.cause])).toEqual([[10, 'referral'], [20, 'outcome'], [30, 'admission']]);
    expect(events[2]).toMatchObject({ actor_id: 'staff_officer', ...ruleOf(30, 'admission') });
    expect(await ended(referral)).toEqual({ status: 'COMPLETED', stage: 'treated' });
  });
});

describe('active monitoring', () => {
  it('stops the clock (31 when the patient chose it), reviews at the interval, and a decision to treat starts period 2 with 11 keeping its PTL place', async () => {
    const { referral, attendance, receivedAt } = await atAttendance();
    const today = stack.today();
    await complete(clinician, attendance.id, { outcome: 'active_monitoring', patientInitiated: true, reviewInWeeks: 6 });
    expect(await stateOf(referral.id)).toBe('active_monitoring');
    const review = await officer.waitForOpenTask(referral.id, 'active_monitoring_review');
    expect(review.dueAt).toBe(endOfWorkingDay(addDays(today, 42)));
    expect(await periodsOf(referral.id)).toEqual([expect.objectContaining({ status: 'stopped', stop_code: 31, clock_stop: today, days: 3 })]);

    // The default interval: 12 weeks (policy activeMonitoring.reviewEveryDays).
    await complete(clinician, review.id, { decision: 'continue_monitoring' });
    const next = await waitFor(() => officer.waitForOpenTask(referral.id, 'active_monitoring_review'), (t) => t.id !== review.id);
    expect(next.dueAt).toBe(endOfWorkingDay(addDays(today, 84)));

    await complete(clinician, next.id, { decision: 'decision_to_treat', plan: 'admit', note: 'Symptoms worse: for surgery' });
    expect(await stateOf(referral.id)).toBe('awaiting_admission');
    expect(await periodsOf(referral.id)).toEqual([
      expect.objectContaining({ period_no: 1, status: 'stopped', stop_code: 31, clock_start: receivedAt }),
      expect.objectContaining({
        period_no: 2, status: 'running', start_code: 11, clock_start: today, ptl_order_start: receivedAt, decision_to_admit_on: today, clock_stop: null,
      }),
    ]);
    const events = await eventsOf(referral.id);
    expect(events.map((e) => [e.period_no, e.code, e.cause])).toEqual([
      [1, 10, 'referral'], [1, 31, 'outcome'], [2, 11, 'monitoring_review'], [2, 20, 'monitoring_review'],
    ]);
    expect(events[2]).toMatchObject({ task_id: next.id, outcome: 'decision_to_treat', ...ruleOf(11, 'monitoring_review') });
    expect(events[2].note_id).not.toBeNull();

    const done = await officer.post(`/api/referrals/${referral.id}/rtt-events`, { code: 30, date: today });
    expect(done).toMatchObject({ stage: 'treated', clock: { status: 'stopped', lastCode: 30, clockStart: today, daysWaited: 0 } });
    expect((await periodsOf(referral.id))[1]).toMatchObject({ status: 'stopped', stop_code: 30, stop_admitted: true, ptl_order_start: receivedAt });
    expect(await ended(referral)).toEqual({ status: 'COMPLETED', stage: 'treated' });
    await recordHistory(referral.workflowId, 'referral-pathway-rtt-complete-monitoring-admitted');
  });

  it('a review may discharge, ending the pathway with the stopped clock as it was', async () => {
    const { referral, attendance } = await atAttendance();
    await complete(clinician, attendance.id, { outcome: 'active_monitoring' });
    const review = await officer.waitForOpenTask(referral.id, 'active_monitoring_review');
    expect(review.dueAt).toBe(endOfWorkingDay(addDays(stack.today(), 84)));
    await complete(clinician, review.id, { decision: 'discharge' });
    expect(await ended(referral)).toEqual({ status: 'COMPLETED', stage: 'discharged' });
    expect((await eventsOf(referral.id)).map((e) => e.code)).toEqual([10, 32]);
  });
});

describe('a DNA nullifies only with evidence the patient was told', () => {
  it('a first DNA with nothing recorded keeps the clock running and goes back for rebooking', async () => {
    const { referral, attendance, appointmentId } = await atAttendance();
    await complete(officer, attendance.id, { outcome: 'did_not_attend' });
    const rebook = await officer.waitForOpenTask(referral.id, 'book_new_appointment');
    expect(rebook.status).toBe('open');
    expect(await stateOf(referral.id)).toBe('awaiting_booking');
    expect(await periodsOf(referral.id)).toEqual([expect.objectContaining({ status: 'running', clock_stop: null })]);
    expect((await eventsOf(referral.id)).map((e) => e.code)).toEqual([10]);
    const [event] = await rows(sql`select kind, note from pathway_events where referral_id = ${referral.id} order by id desc limit 1`);
    expect(event.kind).toBe('did_not_attend');
    expect(event.note).toContain('nothing records how or when the patient was told');
    expect((await rows(sql`select state from appointments where id = ${appointmentId}`))[0].state).toBe('did_not_attend');
    expect((await rows(sql`select count(*)::int as n from tasks where referral_id = ${referral.id} and type = 'dna_review'`))[0].n).toBe(0);
    // Ended by an administrative decision so the recorded history is whole.
    await officer.post(`/api/referrals/${referral.id}/rtt-events`, { code: 34, date: stack.today() });
    expect(await ended(referral)).toEqual({ status: 'COMPLETED', stage: 'discharged' });
    await recordHistory(referral.workflowId, 'referral-pathway-rtt-complete-dna-no-evidence');
  });

  it('told on the phone as it was booked, a first DNA nullifies the clock (33) and a clinician reviews', async () => {
    const { referral, attendance, appointmentId } = await atAttendance({}, 'clin_2', 'new', { communicatedBy: 'phone' });
    const [appt] = await rows(sql`select communicated_by, communicated_at is not null as told from appointments where id = ${appointmentId}`);
    expect(appt).toEqual({ communicated_by: 'phone', told: true });
    await complete(officer, attendance.id, { outcome: 'did_not_attend' });
    await officer.waitForOpenTask(referral.id, 'dna_review');
    expect(await periodsOf(referral.id)).toEqual([expect.objectContaining({ status: 'nullified', stop_code: 33, clock_stop: stack.today() })]);
    expect((await eventsOf(referral.id)).at(-1)).toMatchObject({ code: 33, cause: 'outcome', appointment_id: appointmentId, ...ruleOf(33, 'outcome') });
  });

  it('evidence recorded later (a letter) counts; evidence after the appointment or in the future is refused', async () => {
    const { referral, attendance, appointmentId, slot } = await atAttendance({ priority: 'urgent' }, 'clin_2', 'urgent', {}, false);
    const path = `/api/appointments/${appointmentId}/communication`;
    const late = await refusal(officer.post(path, { communicatedBy: 'letter', communicatedAt: new Date(Date.parse(slot.start) + HOUR).toISOString() }));
    expect([late.status, Object.keys(late.body.errors)]).toEqual([400, ['communicatedAt']]);
    const wrong = await refusal(officer.post(path, { communicatedBy: 'pigeon', communicatedAt: stack.now() }));
    expect([wrong.status, Object.keys(wrong.body.errors)]).toEqual([400, ['communicatedBy']]);
    expect((await refusal(officer.post('/api/appointments/appt_none/communication', { communicatedBy: 'letter', communicatedAt: stack.now() }))).status).toBe(404);
    const told = await officer.post(path, { communicatedBy: 'letter', communicatedAt: new Date(Date.parse(stack.now()) - HOUR).toISOString() });
    expect(told).toMatchObject({ id: appointmentId, communicatedBy: 'letter', state: 'booked' });
    await attend(slot.start);
    await complete(officer, attendance.id, { outcome: 'did_not_attend' });
    await officer.waitForOpenTask(referral.id, 'dna_review');
    expect((await periodsOf(referral.id))[0]).toMatchObject({ status: 'nullified', stop_code: 33 });
    const after = await refusal(officer.post(path, { communicatedBy: 'sms', communicatedAt: new Date(Date.parse(slot.start) - 2 * HOUR).toISOString() }));
    expect([after.status, after.body.code]).toEqual([422, 'APPOINTMENT_NOT_BOOKED']);
  });

  it('a two-week-wait first DNA keeps the clock running, told or not, and a clinician reviews', async () => {
    const { referral, attendance } = await atAttendance({ priority: 'two_week_wait' }, 'clin_11', 'two_week_wait', { communicatedBy: 'in_person' });
    await complete(officer, attendance.id, { outcome: 'did_not_attend' });
    await officer.waitForOpenTask(referral.id, 'dna_review');
    expect(await periodsOf(referral.id)).toEqual([expect.objectContaining({ status: 'running', clock_stop: null })]);
    expect((await eventsOf(referral.id)).map((e) => e.code)).toEqual([10]);
  });

  it('a follow-up DNA keeps the clock running', async () => {
    const { referral, attendance } = await atAttendance({}, 'clin_2', 'new', { communicatedBy: 'phone' });
    await complete(clinician, attendance.id, { outcome: 'follow_up', followUpWeeks: 2 });
    const book = await officer.waitForOpenTask(referral.id, 'book_follow_up');
    await officer.post(`/api/tasks/${book.id}/complete`, { slotId: (await freeSlot(officer, 'clin_2', 'follow_up', stack.now())).id, communicatedBy: 'phone' });
    const second = await waitFor(() => officer.waitForOpenTask(referral.id, 'record_attendance'), (t) => t.id !== attendance.id);
    await attend(second.payload.slotStart);
    await complete(officer, second.id, { outcome: 'did_not_attend' });
    await officer.waitForOpenTask(referral.id, 'dna_review');
    expect(await periodsOf(referral.id)).toEqual([expect.objectContaining({ status: 'running', clock_stop: null })]);
    expect((await eventsOf(referral.id)).map((e) => e.code)).toEqual([10, 10]);
  });
});

describe('administrative RTT events', () => {
  it('died (36) ends the pathway, cancels its open items and frees the appointment to come', async () => {
    const { referral, attendance, appointmentId, slot } = await atAttendance({}, 'clin_2', 'new', {}, false);
    const today = stack.today();
    const res = await officer.post(`/api/referrals/${referral.id}/rtt-events`, { code: 36, date: today, note: 'Family rang to say the patient died' });
    expect(res).toMatchObject({ stage: 'died', clock: { status: 'stopped', lastCode: 36, clockStop: today, daysWaited: 3 } });
    expect(await ended(referral)).toEqual({ status: 'COMPLETED', stage: 'died' });
    expect((await rows(sql`select status from tasks where id = ${attendance.id}`))[0].status).toBe('cancelled');
    expect((await rows(sql`select count(*)::int as n from tasks where referral_id = ${referral.id} and status in ('open', 'claimed')`))[0].n).toBe(0);
    expect((await rows(sql`select state from appointments where id = ${appointmentId}`))[0].state).toBe('cancelled_by_hospital');
    expect((await rows(sql`select status from slots where id = ${slot.id}`))[0].status).toBe('free');
    expect(await periodsOf(referral.id)).toEqual([expect.objectContaining({ status: 'stopped', stop_code: 36, clock_stop: today })]);
    const last = (await eventsOf(referral.id)).at(-1);
    expect(last).toMatchObject({ code: 36, cause: 'administrative', actor_id: 'staff_officer', ...ruleOf(36, 'administrative') });
    expect((await rows(sql`select body from notes where id = ${last.note_id}`))[0].body).toBe('Family rang to say the patient died');
    expect(await stateOf(referral.id)).toBe('died');
    await recordHistory(referral.workflowId, 'referral-pathway-rtt-complete-died');
  });

  it('closes an open period only: a closed one is refused with the rule; a bad date or code names the field', async () => {
    const { referral, attendance, receivedAt } = await atAttendance();
    const path = `/api/referrals/${referral.id}/rtt-events`;
    const future = await refusal(officer.post(path, { code: 34, date: addDays(stack.today(), 1) }));
    expect([future.status, Object.keys(future.body.errors)]).toEqual([400, ['date']]);
    const early = await refusal(officer.post(path, { code: 34, date: addDays(receivedAt, -1) }));
    expect([early.status, early.body.code, Object.keys(early.body.errors)]).toEqual([422, 'EVENT_BEFORE_CLOCK_START', ['date']]);
    const code = await refusal(officer.post(path, { code: 33, date: stack.today() }));
    expect([code.status, Object.keys(code.body.errors)]).toEqual([400, ['code']]);
    expect((await refusal(officer.post('/api/referrals/ref_none/rtt-events', { code: 34, date: stack.today() }))).status).toBe(404);
    expect((await refusal(stack.signIn('ops@demo.nhs.uk').then((ops) => ops.post(path, { code: 34, date: stack.today() })))).status).toBe(403);

    // On active monitoring the period is already closed (31/32): refused, the pathway goes on.
    await complete(clinician, attendance.id, { outcome: 'active_monitoring' });
    const stopped = await refusal(officer.post(path, { code: 35, date: stack.today() }));
    expect([stopped.status, stopped.body.code]).toEqual([422, 'STOP_NEEDS_RUNNING_CLOCK']);
    expect(await stateOf(referral.id)).toBe('active_monitoring');

    // Once the pathway has ended, likewise.
    const review = await officer.waitForOpenTask(referral.id, 'active_monitoring_review');
    await complete(clinician, review.id, { decision: 'discharge' });
    const ended = await refusal(officer.post(path, { code: 36, date: stack.today() }));
    expect([ended.status, ended.body.code]).toEqual([422, 'STOP_NEEDS_RUNNING_CLOCK']);
    expect((await eventsOf(referral.id)).map((e) => e.code)).toEqual([10, 32]);
  });
});

describe('cancer targets on an upgrade', () => {
  it('an urgent referral upgraded to two-week wait at triage gets its cancer targets from the upgrade date', async () => {
    const referral = await officer.post('/api/referrals', referralBody({ priority: 'urgent', receivedAt: addDays(stack.today(), -5) }));
    const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');
    const [before] = await rows(sql`select cancer_clock_start, fds_target from pathways where referral_id = ${referral.id}`);
    expect(before).toEqual({ cancer_clock_start: null, fds_target: null });
    await complete(clinician, triage.id, { decision: 'accept', clinicId: 'clin_11', clinicalPriority: 'two_week_wait' });
    await officer.waitForOpenTask(referral.id, 'book_new_appointment');
    const today = stack.today();
    const [after] = await rows(sql`select cancer_clock_start::text, usc_first_seen_target::text, fds_target::text, cancer62_target::text
      from pathways where referral_id = ${referral.id}`);
    expect(after).toEqual({
      cancer_clock_start: today, usc_first_seen_target: uscFirstSeenTargetDate(today), fds_target: fdsTargetDate(today), cancer62_target: cancer62TargetDate(today),
    });
  });
});

// Last: it moves the server a year on.
describe('waiting-list validation', () => {
  it('raises a validate_pathway item at 12, 26 and 52 weeks of wait and not before; found treated elsewhere, the clock stops (34)', async () => {
    const receivedAt = stack.today();
    const referral = await officer.post('/api/referrals', referralBody({ receivedAt }));
    const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');
    const validations = () => rows(sql`select id, status, queue_id, payload->>'validationPoint' as point from tasks
      where referral_id = ${referral.id} and type = 'validate_pathway' order by created_at`);
    const outcomes: Record<number, Record<string, unknown>> = {
      12: { outcome: 'still_waiting' },
      26: { outcome: 'data_corrected', field: 'contact_details', note: 'New phone number' },
    };
    for (const [i, weeks] of [12, 26, 52].entries()) {
      const due = startOfWorkingDay(addDays(receivedAt, weeks * 7));
      await stack.sleepUntil(new Date(due - HOUR).toISOString());
      expect(await validations()).toHaveLength(i);
      await stack.sleepUntil(new Date(due + HOUR).toISOString());
      const raised = await waitFor(validations, (v) => v.length === i + 1);
      expect(raised[i]).toMatchObject({ status: 'open', queue_id: 'queue_validation', point: addDays(receivedAt, weeks * 7) });
      if (outcomes[weeks]) {
        await complete(officer, raised[i].id, outcomes[weeks]);
        const [validated] = await rows(sql`select last_validated_at is not null as validated, last_validated_by from pathways where referral_id = ${referral.id}`);
        expect(validated).toEqual({ validated: true, last_validated_by: 'staff_officer' });
      }
    }
    const [last] = (await validations()).slice(-1);
    await complete(officer, last.id, { outcome: 'treated_elsewhere' });
    expect(await ended(referral)).toEqual({ status: 'COMPLETED', stage: 'discharged' });
    const today = stack.today();
    expect(await periodsOf(referral.id)).toEqual([expect.objectContaining({ status: 'stopped', stop_code: 34, clock_stop: today })]);
    expect((await eventsOf(referral.id)).at(-1)).toMatchObject({ code: 34, cause: 'validation', task_id: last.id, outcome: 'treated_elsewhere', ...ruleOf(34, 'validation') });
    expect((await rows(sql`select status from tasks where id = ${triage.id}`))[0].status).toBe('cancelled');
    expect((await rows(sql`select count(*)::int as n from tasks where referral_id = ${referral.id} and status in ('open', 'claimed')`))[0].n).toBe(0);
    await recordHistory(referral.workflowId, 'referral-pathway-rtt-complete-validation');
  });
});
