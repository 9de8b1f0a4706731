// The PAS feed (issue 14) on the real stack: bookings, moves, cancellations and demographics changes made through the
// API reach a local PAS over MLLP as SIU^S12/S14/S15 and ADT^A08, read back with an independent parser (hl7-standard)
// field by field; AE and no answer are retried, AR stops and tells ops, a patient's messages go strictly in order,
// and a worker killed mid-send loses nothing and has nothing applied twice. The feed runs on a worker process of its
// own (bin/worker.ts with HL7_HOST set), so the test can kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { startLocalPas, type LocalPas, type PasReceived } from '../../bin/lib/local-pas';
import { queryRows } from '../../db/client';
import { hl7ControlId } from '../../domain/hl7';
import { HL7_FEED_ID, hl7Feed } from '../../workflows/hl7-feed';
import { deliverHl7Messages, type Hl7FeedConfig } from '../../activities/hl7-sender';
import { refusal } from '../support/api';
import { freeSlot, referralAwaitingBooking } from '../support/fixtures';
import { parseHl7 } from '../support/hl7';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let pas: LocalPas;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
let ops: AccessDeskClient;
let worker: ChildProcess | undefined;
const hl7Queue = `hl7-feed-${randomBytes(4).toString('hex')}`;

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const dbUrl = () => {
  const url = new URL(process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${stack.db.name}`;
  return url.toString();
};

/** The feed's worker: bin/worker.ts on a task queue of its own, sending to the local PAS with short timeouts. */
function startFeedWorker() {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: dbUrl(), TEMPORAL_ADDRESS: stack.env.address, TEMPORAL_TASK_QUEUE: hl7Queue,
    WORKFLOW_BUNDLE: process.env.ACCESS_DESK_WORKFLOW_BUNDLE!, LOG_LEVEL: 'error', WORKER_CACHED_WORKFLOWS: '0',
    HL7_HOST: pas.host, HL7_PORT: String(pas.port), TRUST_ODS_CODE: 'RXX', HL7_RECEIVING_APPLICATION: 'PAS',
    HL7_ACK_TIMEOUT_MS: '1000', HL7_RETRY_BASE_MS: '200', HL7_RETRY_MAX_MS: '800',
  };
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bin/worker.ts'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  proc.stderr!.on('data', (c) => { errors = (errors + String(c)).slice(-4000); });
  proc.on('exit', (code, signal) => { if (code && !signal) console.error(`feed worker exited ${code}: ${errors}`); });
  worker = proc;
}
function killFeedWorker() {
  if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  worker = undefined;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

type MessageRow = { id: string; event: string; status: string; attempts: number; controlNumber: number; patientSeq: number; lastAck: string | null; lastError: string | null };
const messagesOf = (patientId: string) => rows<MessageRow>(sql`
  select id, event, status, attempts, control_number::int as "controlNumber", patient_seq as "patientSeq", last_ack as "lastAck", last_error as "lastError"
  from hl7_messages where patient_id = ${patientId} order by patient_seq`);
const allAcknowledged = async (patientId: string, n: number) => {
  const m = await messagesOf(patientId);
  return m.length === n && m.every((r) => r.status === 'acknowledged') && m;
};
const receivedFor = (nhsNumber: string) => pas.received().filter((r) => r.nhsNumber === nhsNumber);
const appliedFor = (nhsNumber: string) => pas.applied().filter((r) => r.nhsNumber === nhsNumber);

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  pas = await startLocalPas();
  [officer, clinician, ops] = await Promise.all(['officer', 'clinician', 'ops'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
  // Started here with a short poll; the worker's own start finds it running.
  await stack.env.client.workflow.start(hl7Feed, { workflowId: HL7_FEED_ID, taskQueue: hl7Queue, args: [{ pollIntervalMs: 200, heartbeatTimeoutMs: 3000 }],
    workflowIdConflictPolicy: 'USE_EXISTING' });
  startFeedWorker();
});
afterAll(async () => {
  killFeedWorker();
  await pas?.stop();
  await stack?.stop();
});

const slotAfter = (days: number) => freeSlot(officer, 'clin_2', 'new', new Date(Date.now() + days * 86_400_000).toISOString());
async function bookedPatient(days = 30) {
  const { referral, booking } = await referralAwaitingBooking(officer, clinician);
  const slot = await slotAfter(days);
  await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
  const [appointment] = await officer.list('appointments', { filter: { referralId: referral.id, state: 'booked' } });
  const patient = await officer.get(`/api/patients/${referral.patientId}`);
  return { referral, appointment, slot, patient };
}
const changePhone = (patientId: string, phone: string) => officer.request('PUT', `/api/patients/${patientId}`, {
  communication: { channels: ['letter'], aisNeeds: [], interpreterLanguage: null, carer: null }, phone,
});
const parsed = (r: PasReceived) => parseHl7(r.text);

describe('the PAS feed', () => {
  it('sends a booking, a move, a demographics change and a cancellation as S12, S14, A08 and S15, in that order', async () => {
    const { referral, appointment, slot, patient } = await bookedPatient(30);
    const newSlot = await slotAfter(45);
    const moved = await officer.post(`/api/appointments/${appointment.id}/reschedule`, { by: 'patient', reason: 'On holiday that week', slotId: newSlot.id });
    await changePhone(patient.id, '07700 900456');
    await officer.post(`/api/appointments/${moved.newAppointment.id}/cancel`, { by: 'hospital', reason: 'Clinician unwell' });

    const acked = await until('four messages acknowledged', () => allAcknowledged(patient.id, 4));
    expect(acked.map((m) => [m.event, m.patientSeq, m.lastAck, m.attempts])).toEqual([['S12', 1, 'AA', 1], ['S14', 2, 'AA', 1], ['A08', 3, 'AA', 1], ['S15', 4, 'AA', 1]]);
    const got = appliedFor(patient.nhsNumber);
    expect(got.map((r) => [r.event, r.controlId])).toEqual(acked.map((m) => [m.event, hl7ControlId(m.controlNumber)]));

    const [booked, move, update, cancel] = got.map(parsed);
    for (const m of [booked, move, update, cancel]) {
      expect([m.raw('MSH.3'), m.raw('MSH.4'), m.raw('MSH.5'), m.raw('MSH.6'), m.raw('MSH.12')]).toEqual(['ACCESS_DESK', 'RXX', 'PAS', 'RXX', '2.5']);
      expect([m.raw('PID.3.1', 0), m.raw('PID.3.4', 0), m.raw('PID.3.5', 0)]).toEqual([patient.nhsNumber, 'NHS', 'NH']);
      expect([m.raw('PID.3.1', 1), m.raw('PID.3.4', 1), m.raw('PID.3.5', 1)]).toEqual([patient.id, 'RXX', 'MR']);
      expect([m.text('PID.5.1'), m.text('PID.5.2'), m.raw('PID.7')]).toEqual([patient.familyName, patient.givenName, patient.dateOfBirth.replace(/-/g, '')]);
    }
    expect([booked.raw('MSH.9.1'), booked.raw('MSH.9.2'), move.raw('MSH.9.2'), update.raw('MSH.9.1'), update.raw('MSH.9.2'), cancel.raw('MSH.9.2')])
      .toEqual(['SIU', 'S12', 'S14', 'ADT', 'A08', 'S15']);
    // One appointment as the PAS sees it: the placer id it was booked under, through the move and the cancellation.
    expect([booked.raw('SCH.1.1'), move.raw('SCH.1.1'), cancel.raw('SCH.1.1')]).toEqual([appointment.id, appointment.id, appointment.id]);
    const dtm = (iso: string) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/London', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso)).replace(/\D/g, '');
    expect(booked.raw('TQ1.7').slice(0, 14)).toBe(dtm(slot.start));
    expect(move.raw('TQ1.7').slice(0, 14)).toBe(dtm(newSlot.start)); // the new time
    expect(move.raw('TQ1.8').slice(0, 14)).toBe(dtm(newSlot.end));
    expect([booked.raw('SCH.25.1'), move.raw('SCH.25.1'), cancel.raw('SCH.25.1'), cancel.raw('SCH.6.1')]).toEqual(['Booked', 'Booked', 'Cancelled', 'CBH']);
    expect([booked.raw('PV1.2'), booked.raw('PV1.19'), booked.raw('AIL.3.1'), booked.text('AIP.3.2').length > 0]).toEqual(['O', referral.id, 'clin_2', true]);
    expect([booked.text('PID.13.1'), update.text('PID.13.1')]).toEqual(['07700 900123', '07700 900456']);
  });

  it('sends nothing when a patient change leaves the details the PAS holds as they were', async () => {
    const { patient } = await bookedPatient(31);
    await until('the booking acknowledged', () => allAcknowledged(patient.id, 1));
    const res = await officer.request('PUT', `/api/patients/${patient.id}`, { communication: { channels: ['letter'], aisNeeds: ['large_print'], interpreterLanguage: null, carer: null } });
    expect(res.status).toBe(200);
    expect((await messagesOf(patient.id)).map((m) => m.event)).toEqual(['S12']);
  });

  it('retries AE and no answer, keeps the patient\'s next message waiting for the AA, and lets other patients through meanwhile', async () => {
    const slow = await referralAwaitingBooking(officer, clinician);
    const slowPatient = await officer.get(`/api/patients/${slow.referral.patientId}`);
    pas.addRule({ answer: 'AE', times: 2, nhsNumber: slowPatient.nhsNumber, event: 'S12', text: 'Database busy' });
    pas.addRule({ answer: 'none', times: 1, nhsNumber: slowPatient.nhsNumber, event: 'S12' });
    await officer.post(`/api/tasks/${slow.booking.id}/complete`, { slotId: (await slotAfter(32)).id });
    await changePhone(slowPatient.id, '07700 900789'); // queued behind the S12
    const other = await bookedPatient(33);

    const acked = await until('the slow patient\'s messages acknowledged', () => allAcknowledged(slowPatient.id, 2));
    expect(acked.map((m) => [m.event, m.attempts])).toEqual([['S12', 4], ['A08', 1]]);
    const seen = receivedFor(slowPatient.nhsNumber).map((r) => [r.event, r.answer]);
    expect(seen).toEqual([['S12', 'AE'], ['S12', 'AE'], ['S12', 'none'], ['S12', 'AA'], ['A08', 'AA']]);
    // The same message each time: one control id, the PAS applies it once.
    expect(new Set(receivedFor(slowPatient.nhsNumber).filter((r) => r.event === 'S12').map((r) => r.controlId)).size).toBe(1);
    // The other patient's booking was not held up behind the retries.
    await until('the other booking acknowledged', () => allAcknowledged(other.patient.id, 1));
    const otherAt = Date.parse(receivedFor(other.patient.nhsNumber)[0].receivedAt);
    const slowAaAt = Date.parse(receivedFor(slowPatient.nhsNumber).find((r) => r.answer === 'AA')!.receivedAt);
    expect(otherAt).toBeLessThan(slowAaAt);
  });

  it('stops at AR, tells ops in their inbox, and holds that patient\'s later messages', async () => {
    const held = await referralAwaitingBooking(officer, clinician);
    const heldPatient = await officer.get(`/api/patients/${held.referral.patientId}`);
    pas.addRule({ answer: 'AR', times: 1, nhsNumber: heldPatient.nhsNumber, text: 'Unknown clinic code' });
    await officer.post(`/api/tasks/${held.booking.id}/complete`, { slotId: (await slotAfter(34)).id });
    await changePhone(heldPatient.id, '07700 900111');
    const rejected = await until('the booking rejected', async () => (await messagesOf(heldPatient.id)).find((m) => m.status === 'rejected'));
    expect(rejected).toMatchObject({ event: 'S12', lastAck: 'AR', lastError: 'Unknown clinic code' });
    const inbox = await rows<{ title: string; body: string; staffId: string; referralId: string }>(sql`
      select n.title, n.body, n.staff_id as "staffId", n.referral_id as "referralId" from staff_notifications n join staff s on s.id = n.staff_id
      where n.kind = 'pas_feed' and s.role = 'ops' and n.notification_key like ${`hl7-rejected:${rejected.id}:%`}`);
    expect(inbox.length).toBeGreaterThan(0);
    expect(inbox[0]).toMatchObject({ title: 'The PAS rejected a new booking message', referralId: held.referral.id });
    expect(inbox[0].body).toContain(hl7ControlId(rejected.controlNumber));
    expect(inbox[0].body).not.toContain(heldPatient.nhsNumber);
    // Another patient goes through; the held one's A08 is never sent.
    const other = await bookedPatient(35);
    await until('the other booking acknowledged', () => allAcknowledged(other.patient.id, 1));
    await new Promise((r) => setTimeout(r, 1000));
    expect(receivedFor(heldPatient.nhsNumber).map((r) => [r.event, r.answer])).toEqual([['S12', 'AR']]);
    expect((await messagesOf(heldPatient.id)).map((m) => [m.event, m.status])).toEqual([['S12', 'rejected'], ['A08', 'queued']]);
    // Put right in the PAS, ops send it again: it goes with its control id, then the A08 behind it.
    const refused = await refusal(officer.post(`/api/hl7-messages/${rejected.id}/resend`, {}));
    expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN']);
    const resent = await ops.post(`/api/hl7-messages/${rejected.id}/resend`, {});
    expect(resent).toMatchObject({ id: rejected.id, controlId: hl7ControlId(rejected.controlNumber), event: 'S12', status: 'queued' });
    const again = await refusal(ops.post(`/api/hl7-messages/${rejected.id}/resend`, {}));
    expect([again.status, again.body.code]).toEqual([409, 'PAS_MESSAGE_NOT_REJECTED']);
    await until('both acknowledged after the resend', () => allAcknowledged(heldPatient.id, 2));
    expect(receivedFor(heldPatient.nhsNumber).map((r) => [r.event, r.answer, r.controlId === resent.controlId || r.event !== 'S12']))
      .toEqual([['S12', 'AR', true], ['S12', 'AA', true], ['A08', 'AA', true]]);
  });

  it('resends racing each other and the feed: one is taken, the PAS gets the message once more and acknowledges it once, the patient\'s order kept', async () => {
    const held = await referralAwaitingBooking(officer, clinician);
    const heldPatient = await officer.get(`/api/patients/${held.referral.patientId}`);
    pas.addRule({ answer: 'AR', times: 1, nhsNumber: heldPatient.nhsNumber, text: 'Unknown clinic code' });
    await officer.post(`/api/tasks/${held.booking.id}/complete`, { slotId: (await slotAfter(38)).id });
    await changePhone(heldPatient.id, '07700 900444'); // waits behind the S12
    const rejected = await until('the booking rejected', async () => (await messagesOf(heldPatient.id)).find((m) => m.status === 'rejected'));
    const admin = await stack.signIn('admin@demo.nhs.uk');
    // Besides the feed's own worker (a round every 200 ms), two more senders run rounds here while ten resends arrive
    // at once from ops and an admin: every one of them races for the same row on Postgres.
    const cfg: Hl7FeedConfig = {
      host: pas.host, port: pas.port, ackTimeoutMs: 1000, retryBaseMs: 200, retryMaxMs: 800,
      identity: { sendingApplication: 'ACCESS_DESK', sendingFacility: 'RXX', receivingApplication: 'PAS', receivingFacility: 'RXX' },
    };
    const senders = Array.from({ length: 2 }, async () => {
      for (const end = Date.now() + 2000; Date.now() < end;) await deliverHl7Messages(stack.db.db, cfg, { asOf: new Date().toISOString() });
    });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? ops : admin).request('POST', `/api/hl7-messages/${rejected.id}/resend`, {})
      .then((r) => ({ status: r.status, code: null }), (e) => ({ status: e.status as number, code: e.body?.code as string }))));
    await Promise.all(senders);
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.code === 'PAS_MESSAGE_NOT_REJECTED')).toBe(true);

    const acked = await until('both acknowledged after the resend', () => allAcknowledged(heldPatient.id, 2));
    expect(acked.map((m) => [m.event, m.attempts, m.lastAck])).toEqual([['S12', 2, 'AA'], ['A08', 1, 'AA']]);
    await new Promise((r) => setTimeout(r, 500)); // any stray second send would have reached the PAS by now
    expect(receivedFor(heldPatient.nhsNumber).map((r) => [r.event, r.answer, r.repeat])).toEqual([['S12', 'AR', false], ['S12', 'AA', false], ['A08', 'AA', false]]);
    expect(appliedFor(heldPatient.nhsNumber).map((r) => [r.event, r.controlId])).toEqual(acked.map((m) => [m.event, hl7ControlId(m.controlNumber)]));
    const resent = await rows(sql`select actor_id from audit_log where action = 'hl7_message.resent' and entity_id = ${rejected.id}`);
    expect(resent).toHaveLength(1);
  });

  it('lets ops set a rejected message aside, freeing the patient\'s later messages without sending it', async () => {
    const held = await referralAwaitingBooking(officer, clinician);
    const heldPatient = await officer.get(`/api/patients/${held.referral.patientId}`);
    pas.addRule({ answer: 'AR', times: 1, nhsNumber: heldPatient.nhsNumber });
    await officer.post(`/api/tasks/${held.booking.id}/complete`, { slotId: (await slotAfter(37)).id });
    await changePhone(heldPatient.id, '07700 900333');
    const rejected = await until('the booking rejected', async () => (await messagesOf(heldPatient.id)).find((m) => m.status === 'rejected'));
    const blank = await refusal(ops.post(`/api/hl7-messages/${rejected.id}/set-aside`, { reason: '' }));
    expect([blank.status, Object.keys(blank.body.errors)]).toEqual([400, ['reason']]);
    const aside = await ops.post(`/api/hl7-messages/${rejected.id}/set-aside`, { reason: 'Booked in the PAS by hand' });
    expect(aside).toMatchObject({ status: 'set_aside', lastError: 'set aside: Booked in the PAS by hand' });
    await until('the A08 acknowledged', async () => (await messagesOf(heldPatient.id)).find((m) => m.event === 'A08' && m.status === 'acknowledged'));
    expect(receivedFor(heldPatient.nhsNumber).map((r) => [r.event, r.answer])).toEqual([['S12', 'AR'], ['A08', 'AA']]);
    const [audit] = await rows(sql`select actor_id as "actorId", after from audit_log where action = 'hl7_message.set_aside' and entity_id = ${rejected.id}`);
    expect(audit.after).toMatchObject({ status: 'set_aside', event: 'S12', reason: 'Booked in the PAS by hand' });
  });

  it('loses nothing and applies nothing twice when the worker is killed while the PAS is answering', { timeout: 120_000 }, async () => {
    pas.setAckDelay(2500); // the PAS takes the message at once and answers late
    const { patient } = await bookedPatient(36);
    await until('the PAS to take the booking', () => receivedFor(patient.nhsNumber).length === 1);
    killFeedWorker(); // before the AA reaches it: the row stays `sending`
    await changePhone(patient.id, '07700 900222'); // written while no worker runs
    await new Promise((r) => setTimeout(r, 2600));
    pas.setAckDelay(0);
    expect((await messagesOf(patient.id)).map((m) => [m.event, m.status])).toEqual([['S12', 'sending'], ['A08', 'queued']]);
    startFeedWorker();

    const acked = await until('both acknowledged after the restart', () => allAcknowledged(patient.id, 2), 60_000);
    expect(acked.map((m) => m.event)).toEqual(['S12', 'A08']);
    // The S12 was sent again with its control id; the PAS knew it and did not apply it twice.
    const received = receivedFor(patient.nhsNumber);
    expect(received.map((r) => [r.event, r.repeat])).toEqual([['S12', false], ['S12', true], ['A08', false]]);
    expect(appliedFor(patient.nhsNumber).map((r) => [r.event, r.controlId])).toEqual(acked.map((m) => [m.event, hl7ControlId(m.controlNumber)]));
  });
});
