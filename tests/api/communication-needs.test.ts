// Communication needs on the patient (issue 12) on the real stack: GET and PUT /api/patients/:id carry channels, AIS
// needs, an interpreter and a carer; they are checked field by field, kept by officers and team leaders, audited
// without the contact details themselves, and flagged on the rows officers work from. Booking for a patient who needs
// an interpreter raises one book_interpreter item beside the pathway; completing it books the interpreter, and
// cancelling or moving the appointment cancels it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking, slotStartingSoon } from '../support/fixtures';
import { refusal } from '../support/api';

let stack: TestStack;
let officer: AccessDeskClient;
let officer2: AccessDeskClient;
let leader: AccessDeskClient;
let clinician: AccessDeskClient;
let ops: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  [officer, officer2, leader, clinician, ops] = await Promise.all(['officer', 'officer2', 'leader', 'clinician', 'ops']
    .map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const interpreterItems = async (referralId: string) => (await rows<{ id: string; status: string; payload: any; dueAt: string; queueId: string }>(sql`
  select id, status, payload, due_at as "dueAt", queue_id as "queueId" from tasks where referral_id = ${referralId} and type = 'book_interpreter'
  order by created_at`)).map((t) => ({ ...t, dueAt: new Date(t.dueAt) }));
const put = (who: AccessDeskClient, id: string, body: unknown) => who.request('PUT', `/api/patients/${id}`, body).then((r) => r.body);
const needs = (communication: Record<string, unknown> = {}) => ({
  channels: ['letter'], aisNeeds: [], interpreterLanguage: null, carer: null, ...communication,
});
const slotAfter = (days: number) => freeSlot(officer, 'clin_2', 'new', new Date(Date.now() + days * 86_400_000).toISOString());

/** A referral awaiting booking whose patient needs `communication`. */
async function awaitingBookingWith(communication: Record<string, unknown> | null) {
  const { referral, booking } = await referralAwaitingBooking(officer, clinician);
  if (communication) await put(officer, referral.patientId, { communication: needs(communication) });
  return { referral, booking };
}

/** Books the referral's booking item into a slot `days` ahead; the appointment booked. */
async function book(referralId: string, bookingId: string, days = 30) {
  const slot = await slotAfter(days);
  await officer.post(`/api/tasks/${bookingId}/complete`, { slotId: slot.id });
  const [appointment] = await officer.list('appointments', { filter: { referralId, state: 'booked' } });
  return appointment;
}

describe('GET /api/patients/:id', () => {
  it('carries the communication needs, the contact details and no flag for a patient who needs nothing', async () => {
    const { referral } = await referralAwaitingBooking(officer, clinician);
    const patient = await officer.get(`/api/patients/${referral.patientId}`);
    expect(patient).toMatchObject({
      phone: '07700 900123', email: null, addressLines: [], postcode: 'L39 2AZ',
      communication: { channels: ['letter'], aisNeeds: [], interpreterLanguage: null, carer: null },
      communicationNeeds: null, updatedAt: expect.stringMatching(/Z$/),
    });
    const [listed] = await officer.list('patients', { filter: { id: referral.patientId } });
    expect(listed).toMatchObject({ communication: patient.communication, communicationNeeds: null, addressLines: [] });
  });
});

describe('PUT /api/patients/:id', () => {
  it('records channels, AIS needs, an interpreter and a carer, and flags them on the patient, their work and their referral', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician);
    const before = await officer.get(`/api/patients/${referral.patientId}`);
    const changed = await put(officer, referral.patientId, {
      communication: {
        channels: ['sms', 'letter'], aisNeeds: ['large_print'], interpreterLanguage: '  Polish ',
        carer: { name: 'Maria Nowak', relationship: 'Daughter', phone: '07700 900456', email: '' },
      },
      email: 'ada@example.org', addressLines: ['1 Ormskirk Road', 'Ormskirk'], updatedAt: before.updatedAt,
    });
    expect(changed).toMatchObject({
      email: 'ada@example.org', addressLines: ['1 Ormskirk Road', 'Ormskirk'],
      communication: {
        channels: ['sms', 'letter'], aisNeeds: ['large_print'], interpreterLanguage: 'Polish',
        carer: { name: 'Maria Nowak', relationship: 'Daughter', phone: '07700 900456', email: null },
      },
      communicationNeeds: { aisNeeds: ['large_print'], interpreterLanguage: 'Polish', viaCarer: true },
    });
    expect(await officer.get(`/api/patients/${referral.patientId}`)).toMatchObject(changed);
    // The flag rides on the rows officers act from.
    const flag = changed.communicationNeeds;
    expect((await officer.get(`/api/tasks/${booking.id}`)).communicationNeeds).toEqual(flag);
    expect((await officer.get(`/api/referrals/${referral.id}`)).communicationNeeds).toEqual(flag);
    expect((await officer.list('referrals', { filter: { id: referral.id } }))[0].communicationNeeds).toEqual(flag);
    const ptl = await officer.list('ptl', { filter: { q: referral.nhsNumber } });
    expect(ptl.map((r: any) => [r.referralId, r.communicationNeeds])).toEqual([[referral.id, flag]]);

    // Audited as what changed, never the numbers and addresses themselves; on the patient's own history.
    const audit = await leader.list('audit', { filter: { patientId: referral.patientId, action: 'patient.communication_changed' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorName: expect.any(String), patientId: referral.patientId,
      before: { channels: ['letter'], aisNeeds: [], interpreterLanguage: null },
      after: { channels: ['sms', 'letter'], aisNeeds: ['large_print'], interpreterLanguage: 'Polish',
        has: { phone: true, email: true, address: true, carer: true }, changedDetails: ['email', 'addressLines', 'carer'] },
    });
    expect(JSON.stringify(audit[0])).not.toMatch(/ada@example|Ormskirk Road|Nowak|900456/);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const { referral } = await referralAwaitingBooking(officer, clinician);
    const id = referral.patientId;
    const cases: Array<[unknown, string]> = [
      [{ communication: needs({ channels: [] }) }, 'communication.channels'],
      [{ communication: needs({ channels: ['letter', 'letter'] }) }, 'communication.channels'],
      [{ communication: needs({ channels: ['fax'] }) }, 'communication.channels.0'],
      [{ communication: needs({ aisNeeds: ['large_print', 'sign_writing'] }) }, 'communication.aisNeeds.1'],
      [{ communication: needs({ interpreterLanguage: 'x'.repeat(61) }) }, 'communication.interpreterLanguage'],
      [{ communication: needs({ carer: { relationship: 'Son' } }) }, 'communication.carer.name'],
      [{ communication: needs({ carer: { name: 'Sam', relationship: 'Son', email: 'not an address' } }) }, 'communication.carer.email'],
      [{ communication: needs({ channels: ['email'] }) }, 'communication.channels'], // no email on the record
      [{ communication: needs({ channels: ['email'] }), email: 'nope@' }, 'email'],
      [{ communication: needs({ channels: ['sms'] }), phone: '01695 577111' }, 'phone'], // a landline cannot take texts
      [{ communication: needs(), addressLines: ['   '] }, 'addressLines.0'],
      [{}, 'communication'],
    ];
    for (const [body, field] of cases) {
      const refused = await refusal(put(officer, id, body));
      expect([refused.status, refused.body.code, Object.keys(refused.body.errors)], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED', [field]]);
    }
    // A mobile on the record is enough for texts, written either way.
    expect((await put(officer, id, { communication: needs({ channels: ['sms'] }) })).communication.channels).toEqual(['sms']);
    expect((await put(officer, id, { communication: needs({ channels: ['sms'] }), phone: '+44 7700 900999' })).phone).toBe('+44 7700 900999');
    expect((await refusal(put(officer, 'pat_none', { communication: needs() }))).status).toBe(404);
  });

  it('is for officers, team leaders and admins, and refuses a change made on a stale copy', async () => {
    const { referral } = await referralAwaitingBooking(officer, clinician);
    const id = referral.patientId;
    for (const who of [clinician, ops]) expect((await refusal(put(who, id, { communication: needs() }))).status).toBe(403);
    const read = await officer.get(`/api/patients/${id}`);
    await put(leader, id, { communication: needs({ aisNeeds: ['easy_read'] }), updatedAt: read.updatedAt });
    const stale = await refusal(put(officer, id, { communication: needs({ aisNeeds: ['braille'] }), updatedAt: read.updatedAt }));
    expect([stale.status, stale.body.code]).toEqual([409, 'STALE_VERSION']);
    expect((await officer.get(`/api/patients/${id}`)).communication.aisNeeds).toEqual(['easy_read']);
  });
});

describe('the interpreter item', () => {
  it('is raised once when a patient who needs an interpreter is booked, due before the appointment, and shown on it', async () => {
    const { referral, booking } = await awaitingBookingWith({ interpreterLanguage: 'Polish' });
    const appointment = await book(referral.id, booking.id);
    expect(appointment).toMatchObject({ interpreterStatus: 'needed', interpreterNote: null });
    const items = await interpreterItems(referral.id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'open', queueId: 'queue_101',
      payload: { appointmentId: appointment.id, language: 'Polish', appointmentStart: appointment.start, specialtyCode: '101' } });
    // Five working days before a slot a month away.
    expect(items[0].dueAt.getTime()).toBeLessThan(Date.parse(appointment.start) - 5 * 86_400_000);
    expect(items[0].dueAt.getTime()).toBeGreaterThan(Date.now());
    const item = await officer.get(`/api/tasks/${items[0].id}`);
    expect(item).toMatchObject({ type: 'book_interpreter', title: 'Book interpreter', referralId: referral.id, workflowId: referral.workflowId,
      communicationNeeds: { aisNeeds: [], interpreterLanguage: 'Polish', viaCarer: false } });
    const detail = await officer.get(`/api/referrals/${referral.id}`);
    expect(detail.appointments.find((a: any) => a.id === appointment.id)).toMatchObject({ interpreterStatus: 'needed' });

    // Completed: the appointment says the interpreter is booked; a second completion is refused.
    const done = await officer.post(`/api/tasks/${item.id}/complete`, { outcome: 'booked', reference: 'LanguageLine 55821' });
    expect(done.status).toBe('done');
    const [after] = await officer.list('appointments', { filter: { id: appointment.id } });
    expect(after).toMatchObject({ interpreterStatus: 'booked', interpreterNote: 'LanguageLine 55821' });
    const again = await refusal(officer.post(`/api/tasks/${item.id}/complete`, { outcome: 'booked' }));
    expect([again.status, again.body.code]).toEqual([409, 'TASK_NOT_OPEN']);
    // The pathway goes on as before: its own item is the attendance.
    expect((await officer.waitForOpenTask(referral.id)).type).toBe('record_attendance');
  });

  it('is raised for a British Sign Language need, and due before the appointment when booked at short notice', async () => {
    const { referral, booking } = await awaitingBookingWith({ aisNeeds: ['bsl_interpreter'] });
    const tomorrow = await slotStartingSoon(stack.db.db, 'clin_2', 'new', 86_400_000);
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: tomorrow.id });
    const [item] = await interpreterItems(referral.id);
    expect(item.payload.language).toBe('British Sign Language');
    // Five working days before is already past: it is due by the appointment itself.
    expect(item.dueAt.toISOString()).toBe(tomorrow.start);
  });

  it('is not raised for a patient who needs no interpreter', async () => {
    const { referral, booking } = await awaitingBookingWith({ aisNeeds: ['large_print'] });
    const appointment = await book(referral.id, booking.id);
    expect(appointment.interpreterStatus).toBe('not_needed');
    expect(await interpreterItems(referral.id)).toEqual([]);
  });

  it('is cancelled with its appointment, and a move raises one for the new appointment', async () => {
    const { referral, booking } = await awaitingBookingWith({ interpreterLanguage: 'Arabic' });
    const first = await book(referral.id, booking.id);
    const slot = await slotAfter(40);
    const moved = await officer.post(`/api/appointments/${first.id}/reschedule`, { by: 'patient', reason: 'On holiday that week', slotId: slot.id });
    const items = await interpreterItems(referral.id);
    expect(items.map((t) => [t.status, t.payload.appointmentId])).toEqual([['cancelled', first.id], ['open', moved.newAppointment.id]]);
    const [second] = await officer.list('appointments', { filter: { referralId: referral.id, state: 'booked' } });
    expect(second.interpreterStatus).toBe('needed');

    await officer.post(`/api/appointments/${second.id}/cancel`, { by: 'hospital', reason: 'Clinician unwell' });
    expect((await interpreterItems(referral.id)).map((t) => t.status)).toEqual(['cancelled', 'cancelled']);
    const cancelled = await rows(sql`select after from audit_log where action = 'task.cancelled' and entity_id = ${items[1].id}`);
    expect(cancelled).toEqual([{ after: { status: 'cancelled', reason: 'appointment cancelled' } }]);
  });

  it('of two officers completing it at once, one books it and the other is told it is done', async () => {
    const { referral, booking } = await awaitingBookingWith({ interpreterLanguage: 'Urdu' });
    await book(referral.id, booking.id);
    const [item] = await interpreterItems(referral.id);
    const answers = await Promise.all([officer, officer2].map((who) => who.request('POST', `/api/tasks/${item.id}/complete`, { outcome: 'booked' })
      .then((r) => r.status, (err) => `${err.status} ${err.body.code}`)));
    expect(answers.sort()).toEqual([200, '409 TASK_NOT_OPEN']);
    expect(await rows(sql`select count(*)::int as n from audit_log where action = 'appointment.interpreter' and after->>'interpreterStatus' = 'booked'
      and entity_id = ${item.payload.appointmentId}`)).toEqual([{ n: 1 }]);
  });
});
