// Names, not ids (issue 11): who booked an appointment, the audit in people's words, and the patient page's record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { londonToday } from '../../bin/lib/system';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking } from '../support/fixtures';
import { refusal } from '../support/api';
import { auditRecord, patientDetail } from '../../api/records';

let stack: TestStack;
let officer: AccessDeskClient;
let officer2: AccessDeskClient;
let clinician: AccessDeskClient;
let leader: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  [officer, officer2, clinician, leader] = await Promise.all(['officer', 'officer2', 'clinician', 'leader'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await read();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not seen in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the referral page', () => {
  it('names the officer who booked an appointment, as the timeline does', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician);
    const slot = await freeSlot(officer, 'clin_2', 'new');
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    const shown = await officer.get(`/api/referrals/${referral.id}`);
    expect(shown.events.find((e: any) => e.kind === 'appointment_booked')?.actorName).toBe('Olivia Officer');
    expect(shown.appointments).toHaveLength(1);
    expect(shown.appointments[0].bookedByName).toBe('Olivia Officer');
  });
});

describe('the audit log', () => {
  it('sends the names a leave move is said with, and finds a patient’s entries by patient', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician);
    await officer2.post(`/api/tasks/${booking.id}/claim`);
    const today = londonToday();
    const absence = await leader.post('/api/absences', {
      staffId: 'staff_officer2', from: today, to: addDays(today, 1), coverStaffId: 'staff_officer', reason: 'Annual leave',
    });
    const moved = await until('the leave move', async () =>
      (await leader.list('audit', { filter: { action: 'task.absence_moved', entityId: booking.id } }))[0]);
    expect(moved).toMatchObject({
      actorId: null, entityType: 'task', patientId: referral.patientId, patientName: referral.patientName, referralId: referral.id,
      entityLabel: booking.title,
      names: { staff_officer2: 'Omar Officer', staff_officer: 'Olivia Officer', queue_101: 'Urology (101)' },
      leave: { staffId: 'staff_officer2', staffName: 'Omar Officer', reason: 'Annual leave', coverName: 'Olivia Officer' },
    });
    const started = await until('the leave start', async () =>
      (await leader.list('audit', { filter: { action: 'absence.started', entityId: absence.id } }))[0]);
    expect(started).toMatchObject({ entityLabel: 'Omar Officer', patientId: null, names: { staff_officer: 'Olivia Officer' }, leave: { staffName: 'Omar Officer' } });
    expect((started.after as any).moved).toBeGreaterThanOrEqual(1);

    const about = await leader.list('audit', { filter: { patientId: referral.patientId }, range: [0, 199] });
    expect(about.every((e: any) => e.patientId === referral.patientId)).toBe(true);
    auditRecord.array().parse(about); // as the OpenAPI document says
    expect(about.map((e: any) => e.action)).toEqual(expect.arrayContaining(['referral.registered', 'task.claimed', 'task.absence_moved', 'task.completed']));
    const someoneElse = await leader.list('audit', { filter: { patientId: 'pat_nobody' } });
    expect(someoneElse).toEqual([]);

    const bad = await refusal(leader.list('audit', { filter: { patientId: 5 } }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty(['filter.patientId']);
    expect((await refusal(officer.list('audit'))).status).toBe(403);
    await leader.post(`/api/absences/${absence.id}/cancel`).catch(() => undefined);
  });
});

describe('the patient page', () => {
  it('has the patient with every referral, appointment, letter and open work item; the list stays as it was', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician);
    const slot = await freeSlot(officer, 'clin_2', 'new');
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    await officer.waitForOpenTask(referral.id, 'record_attendance');
    const patient = await officer.get(`/api/patients/${referral.patientId}`);
    expect(patient).toMatchObject({ id: referral.patientId, name: referral.patientName, nhsNumber: referral.nhsNumber, createdAt: expect.any(String) });
    expect(patient.referrals).toEqual([expect.objectContaining({ id: referral.id, state: 'booked', rttStatus: 'running', daysWaited: expect.any(Number) })]);
    expect(patient.appointments).toEqual([expect.objectContaining({ slotId: slot.id, state: 'booked', bookedByName: 'Olivia Officer', clinicName: expect.any(String) })]);
    expect(patient.communications).toEqual([expect.objectContaining({ channel: 'letter', template: 'appointment_confirmation', referralId: referral.id })]);
    expect(patient.openTasks.map((t: any) => t.type)).toContain('record_attendance');
    patientDetail.parse(patient); // as the OpenAPI document says

    const [listed] = await officer.list('patients', { filter: { id: referral.patientId } });
    // Issue 12 adds the communication needs and address to the list's records (the flag for rows).
    expect(Object.keys(listed).sort()).toEqual(['addressLines', 'communication', 'communicationNeeds', 'dateOfBirth', 'email', 'familyName', 'givenName',
      'id', 'name', 'nhsNumber', 'phone', 'postcode', 'updatedAt']);
    const missing = await refusal(officer.get('/api/patients/pat_nobody'));
    expect(missing.status).toBe(404);
  });
});
