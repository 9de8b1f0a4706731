// The back-office reads the console's System clients and PAS messages screens need (issue 14): a system client by id
// (never its token), and the PAS feed's messages listed and read by ops and admins with their status, attempts and the
// PAS's last answer, filtered by status, and never the patient's details. No feed runs here: a booking writes its S12,
// which waits (queued); the test marks it rejected as the sender would on an AR.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { hl7MessageRecord } from '../../api/routes/hl7-messages';
import { systemClientRecord } from '../../api/routes/system-clients';
import { queryRows } from '../../db/client';
import { hl7ControlId } from '../../domain/hl7';
import { refusal } from '../support/api';
import { freeSlot, referralAwaitingBooking } from '../support/fixtures';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
let leader: AccessDeskClient;
let ops: AccessDeskClient;
let admin: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  [officer, clinician, leader, ops, admin] = await Promise.all(['officer', 'clinician', 'leader', 'ops', 'admin'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);

async function bookedPatient() {
  const { referral, booking } = await referralAwaitingBooking(officer, clinician);
  const slot = await freeSlot(officer, 'clin_2', 'new', new Date(Date.now() + 30 * 86_400_000).toISOString());
  await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
  const patient = await officer.get(`/api/patients/${referral.patientId}`);
  const [message] = await rows<{ id: string; controlNumber: number }>(sql`
    select id, control_number::int as "controlNumber" from hl7_messages where patient_id = ${patient.id} and event = 'S12'`);
  return { referral, patient, message };
}

describe('PAS messages for the console', () => {
  it('lists a rejected booking message for ops with its type, status, attempts and the PAS\'s words, and none of the patient\'s details', async () => {
    const { referral, patient, message } = await bookedPatient();
    await rows(sql`update hl7_messages set status = 'rejected', attempts = 1, last_ack = 'AR', last_error = 'Unknown clinic code', sent_at = now()
      where id = ${message.id}`);

    for (const reader of [ops, admin]) {
      const res = await reader.request('GET', `/api/hl7-messages?filter=${encodeURIComponent(JSON.stringify({ status: 'rejected' }))}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-range')).toMatch(/^hl7-messages 0-\d+\/\d+$/);
      const listed = hl7MessageRecord.array().parse(res.body);
      expect(listed.every((m) => m.status === 'rejected')).toBe(true);
      expect(listed.find((m) => m.id === message.id)).toMatchObject({
        controlId: hl7ControlId(message.controlNumber), event: 'S12', status: 'rejected', attempts: 1, lastAck: 'AR', lastError: 'Unknown clinic code',
        referralId: referral.id, appointmentId: expect.stringMatching(/^appt_/),
      });
      const text = JSON.stringify(res.body);
      for (const identifier of [patient.nhsNumber, patient.familyName, patient.givenName, patient.dateOfBirth, patient.id]) expect(text).not.toContain(identifier);
    }
    const one = hl7MessageRecord.parse(await ops.get(`/api/hl7-messages/${message.id}`));
    expect(one).toMatchObject({ id: message.id, status: 'rejected', referralId: referral.id });

    // Resent: the same message, now waiting to go again, and no longer among the rejected.
    await ops.post(`/api/hl7-messages/${message.id}/resend`, {});
    expect(await ops.get(`/api/hl7-messages/${message.id}`)).toMatchObject({ status: 'queued', attempts: 1 });
    expect((await ops.list('hl7-messages', { filter: { status: 'rejected' } })).map((m: any) => m.id)).not.toContain(message.id);
    expect((await ops.list('hl7-messages', { filter: { referralId: referral.id } })).map((m: any) => [m.id, m.status])).toEqual([[message.id, 'queued']]);
  });

  it('refuses the list and a message to officers, team leaders and clinicians, and names a bad status filter', async () => {
    for (const client of [officer, leader, clinician]) {
      expect((await refusal(client.request('GET', '/api/hl7-messages'))).status).toBe(403);
      expect((await refusal(client.request('GET', '/api/hl7-messages/hl7_nobody'))).status).toBe(403);
    }
    const bad = await refusal(ops.request('GET', `/api/hl7-messages?filter=${encodeURIComponent(JSON.stringify({ status: 'failed' }))}`));
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors)).toEqual(['filter.status']);
    expect((await refusal(ops.request('GET', '/api/hl7-messages/hl7_nobody'))).status).toBe(404);
  });
});

describe('a system client by id', () => {
  it('shows an administrator the client without its token, and refuses other roles', async () => {
    const made = await admin.post('/api/system-clients', { name: 'Radiology booking system' });
    const res = await admin.request('GET', `/api/system-clients/${made.id}`);
    expect(res.status).toBe(200);
    expect(systemClientRecord.strict().parse(res.body)).toMatchObject({ id: made.id, name: 'Radiology booking system', revokedAt: null, lastUsedAt: null });
    expect(JSON.stringify(res.body)).not.toContain(made.token);
    for (const client of [officer, leader, clinician, ops]) {
      expect((await refusal(client.request('GET', `/api/system-clients/${made.id}`))).status).toBe(403);
    }
    expect((await refusal(admin.request('GET', '/api/system-clients/sysc_nobody'))).status).toBe(404);
  });
});
