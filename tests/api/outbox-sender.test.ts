// The outbox sender (issue 12) against the local GOV.UK Notify service through the real notifications-node-client,
// on real Postgres: the rounds are run directly (the loop is off), so a test can crash one between Notify accepting
// a message and the row recording it, and choose the round's time.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { createNotifyGateway } from '../../activities/notify-gateway';
import { deliverDueCommunications, pollDeliveryStatus, type NotifyDeps } from '../../activities/communications';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking, referralBody } from '../support/fixtures';
import { simulatorRecipients } from '../support/notify';

let stack: TestStack;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
let notify: NotifyDeps;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', outbox: false });
  [officer, clinician] = await Promise.all(['officer', 'clinician'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
  notify = { gateway: createNotifyGateway({ baseUrl: stack.notify.baseUrl, apiKey: stack.notify.apiKey }), templates: {} };
});
afterAll(async () => { await stack?.stop(); });
beforeEach(async () => {
  // Each test sends only its own rows: what earlier tests left queued is put out of the way.
  await stack.db.db.execute(sql`update communications set status = 'cancelled' where status in ('queued', 'sending')`);
  await stack.notify.control.reset();
});

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const justBefore = (iso: string) => new Date(Date.parse(iso) - 3_600_000).toISOString();

type Needs = { channels: string[]; phone?: string | null; email?: string | null; address?: boolean };

/** A referral booked for a patient with these communication needs (set on the patient before booking). */
async function bookedFor(needs: Needs, daysAhead = 14) {
  const { referral, booking } = await referralAwaitingBooking(officer, clinician);
  const patientId = referral.patientId as string;
  await stack.db.db.execute(sql`update patients set channels = ${`{${needs.channels.join(',')}}`}::comm_channel[],
    phone = ${needs.phone === undefined ? '07700 900123' : needs.phone}, email = ${needs.email ?? null},
    address_lines = ${needs.address === false ? '{}' : '{"1 Dock Road","Liverpool"}'}::text[] where id = ${patientId}`);
  const slot = await freeSlot(officer, 'clin_2', 'new', inDays(daysAhead));
  await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
  const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
  return { referral, patientId, appointmentId: attendance.payload.appointmentId as string, slot };
}

const messagesOf = (referralId: string) => rows<{ id: string; template: string; channel: string; status: string; attempts: number; notify_id: string | null;
  send_after: Date; failure_reason: string | null }>(sql`select id, template, channel, status, attempts, notify_id, send_after, failure_reason
  from communications where referral_id = ${referralId} order by template, channel, send_after`);
const receivedFor = async (ids: string[]) => (await stack.notify.control.received()).filter((n) => ids.includes(n.reference ?? ''));

describe('a booking', () => {
  it('sends exactly one confirmation per preferred channel, even when the sender dies between Notify and the record', async () => {
    const { referral } = await bookedFor({ channels: ['sms', 'email', 'letter'], email: 'ada@example.com' });
    const written = await messagesOf(referral.id);
    const confirmations = written.filter((m) => m.template === 'appointment_confirmation');
    expect(confirmations.map((m) => m.channel).sort()).toEqual(['email', 'letter', 'sms']);
    // Reminders 7 and 2 days ahead, by text and email only (post is for when nothing else reaches them).
    expect(written.filter((m) => m.template === 'appointment_reminder').map((m) => m.channel).sort()).toEqual(['email', 'email', 'sms', 'sms']);

    const asOf = new Date().toISOString();
    let crashes = 0;
    const crash = async () => { crashes += 1; throw new Error('worker died after Notify accepted the message'); };
    await expect(deliverDueCommunications(stack.db.db, notify, { asOf }, { afterSend: crash })).rejects.toThrow(/worker died/);
    expect(crashes).toBe(1);
    // Every claimed row is left `sending` without a Notify id; one of them Notify has.
    expect((await messagesOf(referral.id)).filter((m) => m.template === 'appointment_confirmation').map((m) => [m.status, m.notify_id]))
      .toEqual([['sending', null], ['sending', null], ['sending', null]]);

    // The retry (the dead attempt's rows taken again at once) looks each up by reference before sending.
    const retry = await deliverDueCommunications(stack.db.db, notify, { asOf, staleAfterMs: 0 });
    expect(retry).toMatchObject({ claimed: 3, sent: 2, alreadySent: 1, failed: 0 });
    const received = await receivedFor(confirmations.map((m) => m.id));
    expect(received.map((n) => n.type).sort()).toEqual(['email', 'letter', 'sms']);
    const after = (await messagesOf(referral.id)).filter((m) => m.template === 'appointment_confirmation');
    expect(after.every((m) => m.status === 'sending' && m.notify_id !== null)).toBe(true);
    expect(new Set(after.map((m) => m.notify_id))).toEqual(new Set(received.map((n) => n.id)));

    // Statuses come back: a text and an email step through created, sending, delivered; a letter accepted, received.
    for (let i = 0; i < 3; i += 1) await pollDeliveryStatus(stack.db.db, notify, { asOf });
    expect((await messagesOf(referral.id)).filter((m) => m.template === 'appointment_confirmation').map((m) => m.status)).toEqual(['delivered', 'delivered', 'delivered']);
  });

  it('records the first delivery of its confirmation as the evidence a DNA needs, and never overwrites it', async () => {
    const { referral, appointmentId } = await bookedFor({ channels: ['sms', 'letter'] });
    const asOf = new Date().toISOString();
    await deliverDueCommunications(stack.db.db, notify, { asOf });
    const evidence = async () => (await rows(sql`select communicated_at, communicated_by from appointments where id = ${appointmentId}`))[0];
    const statuses = async () => (await messagesOf(referral.id)).filter((m) => m.template === 'appointment_confirmation').map((m) => m.status);
    for (let i = 0; i < 5 && (await evidence()).communicated_at === null; i += 1) await pollDeliveryStatus(stack.db.db, notify, { asOf });
    const first = await evidence();
    expect(['sms', 'letter']).toContain(first.communicated_by);
    for (let i = 0; i < 5 && (await statuses()).some((s) => s !== 'delivered'); i += 1) await pollDeliveryStatus(stack.db.db, notify, { asOf });
    expect(await statuses()).toEqual(['delivered', 'delivered']);
    expect(await evidence()).toEqual(first);
    const audit = await rows(sql`select action from audit_log where entity_id = ${appointmentId} and action = 'appointment.communicated'`);
    expect(audit).toHaveLength(1);
  });
});

describe('failures', () => {
  it('backs off on retryable failures, moving the message on, and then delivers it', async () => {
    const { referral } = await bookedFor({ channels: ['sms'] });
    const [confirmation] = (await messagesOf(referral.id)).filter((m) => m.template === 'appointment_confirmation');
    await stack.notify.control.failNext(2, { statusCode: 500, error: 'Exception', message: 'Internal server error' });
    const t0 = Date.now();
    const first = await deliverDueCommunications(stack.db.db, notify, { asOf: new Date(t0).toISOString() });
    expect(first.retrying).toBeGreaterThanOrEqual(1);
    const [backedOff] = await rows(sql`select status, attempts, send_after, failure_reason from communications where id = ${confirmation.id}`);
    expect(backedOff).toMatchObject({ status: 'queued', attempts: 1, failure_reason: expect.stringMatching(/500/) });
    const firstWait = new Date(backedOff.send_after).getTime() - t0;
    expect(firstWait).toBeGreaterThanOrEqual(60_000);
    // Not due again until its back-off has passed.
    expect((await deliverDueCommunications(stack.db.db, notify, { asOf: new Date(t0 + 1000).toISOString() })).claimed).toBe(0);

    await deliverDueCommunications(stack.db.db, notify, { asOf: new Date(backedOff.send_after).toISOString() });
    const [again] = await rows(sql`select status, attempts, send_after from communications where id = ${confirmation.id}`);
    expect(again).toMatchObject({ status: 'queued', attempts: 2 });
    expect(new Date(again.send_after).getTime() - new Date(backedOff.send_after).getTime()).toBeGreaterThan(firstWait); // exponential

    const third = await deliverDueCommunications(stack.db.db, notify, { asOf: new Date(again.send_after).toISOString() });
    expect(third.sent).toBeGreaterThanOrEqual(1);
    expect(await receivedFor([confirmation.id])).toHaveLength(1);
  });

  it('records a permanent failure with Notify\'s reason and raises a contact_patient item in words', async () => {
    const { referral, patientId } = await bookedFor({ channels: ['sms'], phone: simulatorRecipients.permanentFailurePhone });
    const asOf = new Date().toISOString();
    await deliverDueCommunications(stack.db.db, notify, { asOf });
    for (let i = 0; i < 3; i += 1) await pollDeliveryStatus(stack.db.db, notify, { asOf });
    const [confirmation] = (await messagesOf(referral.id)).filter((m) => m.template === 'appointment_confirmation');
    expect(confirmation).toMatchObject({ status: 'permanent_failure', failure_reason: 'Notify: permanent-failure' });
    const [item] = await rows(sql`select t.type, t.status, t.patient_id, t.payload, q.kind as queue_kind, q.specialty_code
      from tasks t join queues q on q.id = t.queue_id where t.referral_id = ${referral.id} and t.type = 'contact_patient'`);
    expect(item).toMatchObject({ status: 'open', patient_id: patientId, queue_kind: 'specialty', specialty_code: '101' });
    expect(item.payload.reason).toMatch(/^The text about the appointment on \w+day \d+ \w+ \d{4} could not be delivered: the number is not in use$/);
    const audit = await rows(sql`select after from audit_log where entity_id = ${confirmation.id} and action = 'communication.failed'`);
    expect(audit).toHaveLength(1);
  });

  it('stops the round when Notify refuses the key, leaving every message to send once it is mended', async () => {
    const { referral } = await bookedFor({ channels: ['sms'] });
    const wrongKey = stack.notify.apiKey.replace(/.{36}$/, '00000000-0000-4000-8000-000000000000');
    const refused = await deliverDueCommunications(stack.db.db, { gateway: createNotifyGateway({ baseUrl: stack.notify.baseUrl, apiKey: wrongKey }), templates: {} },
      { asOf: new Date().toISOString() });
    expect(refused.stopped).toBe('auth');
    expect((await messagesOf(referral.id)).filter((m) => m.template === 'appointment_confirmation').map((m) => [m.status, m.attempts])).toEqual([['queued', 0]]);
    expect(await stack.notify.control.received()).toEqual([]);
    expect((await deliverDueCommunications(stack.db.db, notify, { asOf: new Date().toISOString() })).sent).toBeGreaterThanOrEqual(1);
  });
  it('gives up reading a message Notify no longer holds (past its retention), as a technical failure', async () => {
    const { referral } = await bookedFor({ channels: ['sms'] });
    const [confirmation] = (await messagesOf(referral.id)).filter((m) => m.template === 'appointment_confirmation');
    await stack.db.db.execute(sql`update communications set status = 'sending', notify_id = '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed', attempts = 1
      where id = ${confirmation.id}`);
    const round = await pollDeliveryStatus(stack.db.db, notify, { asOf: new Date().toISOString() });
    expect(round.failed).toBe(1);
    expect((await messagesOf(referral.id)).find((m) => m.id === confirmation.id)).toMatchObject({ status: 'technical_failure', failure_reason: expect.stringMatching(/404/) });
  });
});

describe('a cancelled appointment', () => {
  it('never sends its reminders', async () => {
    const { referral, appointmentId, slot } = await bookedFor({ channels: ['sms'] });
    await deliverDueCommunications(stack.db.db, notify, { asOf: new Date().toISOString() });
    await officer.post(`/api/appointments/${appointmentId}/cancel`, { by: 'patient', reason: 'Going on holiday' });
    const written = await messagesOf(referral.id);
    expect(written.filter((m) => m.template === 'appointment_reminder').map((m) => m.status)).toEqual(['cancelled', 'cancelled']);
    expect(written.filter((m) => m.template === 'appointment_cancelled').map((m) => [m.channel, m.status])).toEqual([['sms', 'queued']]);

    // A reminder queued again by mistake is still never sent: the sender checks the appointment first.
    await stack.db.db.execute(sql`update communications set status = 'queued' where referral_id = ${referral.id} and template = 'appointment_reminder'`);
    const round = await deliverDueCommunications(stack.db.db, notify, { asOf: justBefore(slot.start) });
    expect(round.cancelled).toBe(2);
    const reminders = (await messagesOf(referral.id)).filter((m) => m.template === 'appointment_reminder');
    expect(reminders.map((m) => m.status)).toEqual(['cancelled', 'cancelled']);
    expect(await receivedFor(reminders.map((m) => m.id))).toEqual([]);
  });
});

it('puts no NHS number, name or contact detail in any reference or personalisation Notify receives', async () => {
  const { referral, patientId, slot } = await bookedFor({ channels: ['sms', 'email', 'letter'], email: 'ada@example.com' });
  await deliverDueCommunications(stack.db.db, notify, { asOf: justBefore(slot.start) }); // every reminder due
  const [p] = await rows(sql`select nhs_number, given_name, family_name, phone, email from patients where id = ${patientId}`);
  const ids = (await messagesOf(referral.id)).map((m) => m.id);
  const received = await receivedFor(ids);
  expect(received.length).toBeGreaterThanOrEqual(3);
  for (const n of received) {
    expect(n.reference).toMatch(/^comm_[0-9a-z]+$/);
    const sent = JSON.stringify({ reference: n.reference, personalisation: n.personalisation });
    for (const identifier of [p.nhs_number, p.given_name, p.family_name, p.email, '07700']) expect(sent).not.toContain(identifier);
  }
});

describe('a referral returned at triage', () => {
  async function returned(referrer: Record<string, unknown> | undefined) {
    const referral = await officer.post('/api/referrals', referralBody(referrer ? { referrer } : {}));
    const triage = await clinician.waitForOpenTask(referral.id, 'triage_referral');
    await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'return_to_referrer', reason: 'Already under the care of Aintree' });
    for (let i = 0; i < 100; i += 1) {
      const [r] = await rows<{ state: string }>(sql`select state from referrals where id = ${referral.id}`);
      if (r.state === 'returned_to_referrer') break;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    return referral;
  }

  it('tells the referrer why by email, once, with the referral reference and no patient identifier', async () => {
    const referral = await returned({ name: 'Dr Amina Shah', organisation: 'Dock Road Surgery', odsCode: 'N81001', email: 'dock.road@nhs.net' });
    const [m] = await messagesOf(referral.id);
    expect(m).toMatchObject({ template: 'referral_returned', channel: 'email', status: 'queued' });
    expect(await messagesOf(referral.id)).toHaveLength(1);
    await deliverDueCommunications(stack.db.db, notify, { asOf: new Date().toISOString() });
    const [sent] = await receivedFor([m.id]);
    expect(sent).toMatchObject({ type: 'email', emailAddress: 'dock.road@nhs.net' });
    expect(sent.body).toContain('Already under the care of Aintree');
    expect(sent.body).toContain(referral.ubrn);
    const [p] = await rows(sql`select nhs_number, family_name from patients where id = ${referral.patientId}`);
    expect(JSON.stringify(sent)).not.toContain(p.nhs_number);
  });

  it('posts the notice to the practice when only its address is known, and writes nothing when no referrer is named', async () => {
    const byPost = await returned({ name: 'Dr Amina Shah', organisation: 'Dock Road Surgery', addressLines: ['12 Dock Road', 'Liverpool'], postcode: 'L3 4AB' });
    const [m] = await messagesOf(byPost.id);
    expect(m).toMatchObject({ template: 'referral_returned', channel: 'letter' });
    await deliverDueCommunications(stack.db.db, notify, { asOf: new Date().toISOString() });
    const [sent] = await receivedFor([m.id]);
    expect(sent.type).toBe('letter');
    expect(sent.pdfBytes).toBeGreaterThan(0);
    const [row] = await messagesOf(byPost.id);
    expect(row.notify_id).not.toBeNull();
    const nobody = await returned(undefined);
    expect(await messagesOf(nobody.id)).toEqual([]);
  });
});
