// The outbox as staff read it (issue 12) on real Postgres: the list contract over communications (fields, filters,
// search by name or NHS number, sort, range), one message in full, a letter as its PDF, the CSV, and who may read them.
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { seededRandom, syntheticNhsNumber } from '../../bin/lib/demo';
import { newId } from '../../db/ids';
import { communications, patients, referrals } from '../../db/schema';
import { formatNhsNumber } from '../../domain';
import { communicationDetail, communicationRecord, patientDetail } from '../../api/records';
import { refusal } from '../support/api';
import { parseCsv } from '../support/csv';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
let ops: AccessDeskClient;
const rand = seededRandom(Date.now() % 1_000_003);
const tag = `Xcm${Date.now().toString(36)}`;
const ada = { id: newId('pat'), nhsNumber: syntheticNhsNumber(rand), givenName: 'Ada', familyName: `${tag}Lovelace` };
const alan = { id: newId('pat'), nhsNumber: syntheticNhsNumber(rand), givenName: 'Alan', familyName: `${tag}Turing` };
const adaReferral = newId('ref');
const ids = { letter: newId('comm'), sms: newId('comm'), email: newId('comm'), largePrint: newId('comm'), reminder: newId('comm') };
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  [officer, clinician, ops] = await Promise.all(['officer', 'clinician', 'ops'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
  const db = stack.db.db;
  await db.insert(patients).values([
    { ...ada, dateOfBirth: '1962-12-10', postcode: 'L39 2AZ', addressLines: ['1 Church Lane', 'Ormskirk'], phone: '07700900003' },
    { ...alan, dateOfBirth: '1954-06-23', postcode: 'SK9 1AA', aisNeeds: ['large_print'] },
  ]);
  await db.insert(referrals).values({
    id: adaReferral, patientId: ada.id, source: 'gp_letter', receivedAt: '2026-11-01', specialtyCode: '101', priority: 'routine',
    reason: 'Fixture', workflowId: 'fixture',
  });
  const row = (id: string, patient: string, at: Date, values: Partial<typeof communications.$inferInsert>) => ({
    id, commKey: `test:${id}`, patientId: patient, createdAt: at, channel: 'letter' as const, template: 'appointment_confirmation' as const,
    body: 'Your first appointment is on Friday 4 December 2026 at 09:30 at Urology Clinic, Main Site.', ...values,
  });
  await db.insert(communications).values([
    row(ids.letter, ada.id, minutesAgo(50), {
      referralId: adaReferral, subject: 'Your appointment', status: 'delivered', notifyId: 'n-1', sentAt: minutesAgo(49),
      deliveredAt: minutesAgo(40), attempts: 1, personalisation: { appointment_date: 'Friday 4 December 2026' },
      body: 'Your first appointment is on Friday 4 December 2026.\n\nIf you cannot come, please tell us.',
    }),
    row(ids.sms, ada.id, minutesAgo(40), {
      referralId: adaReferral, channel: 'sms', status: 'permanent_failure', notifyId: 'n-2', sentAt: minutesAgo(39), attempts: 1,
      failureReason: 'The phone number does not exist',
    }),
    row(ids.reminder, ada.id, minutesAgo(30), { channel: 'sms', template: 'appointment_reminder', status: 'cancelled' }),
    row(ids.email, alan.id, minutesAgo(20), { channel: 'email', template: 'appointment_cancelled', sendAfter: new Date(Date.now() + 86_400_000) }),
    row(ids.largePrint, alan.id, minutesAgo(10), { format: 'large_print', template: 'appointment_changed', subject: 'Your appointment has moved' }),
  ]);
});
afterAll(async () => { await stack?.stop(); });

const mine = { q: tag };
const idsOf = (rows: { id: string }[]) => rows.map((r) => r.id);

describe('GET /api/communications', () => {
  it('lists newest first with exactly the contract fields and a Content-Range', async () => {
    const res = await officer.request('GET', `/api/communications?${new URLSearchParams({ filter: JSON.stringify(mine), range: '[0,24]' })}`);
    expect(res.headers.get('content-range')).toBe('communications 0-4/5');
    const rows = communicationRecord.array().parse(res.body); // as the OpenAPI document says
    expect(idsOf(rows)).toEqual([ids.largePrint, ids.email, ids.reminder, ids.sms, ids.letter]);
    expect(Object.keys(res.body[0]).sort()).toEqual([
      'appointmentId', 'attempts', 'channel', 'createdAt', 'deliveredAt', 'failureReason', 'format', 'id', 'notifyId', 'nhsNumber',
      'patientId', 'patientName', 'recipient', 'referralId', 'sendAfter', 'sentAt', 'status', 'subject', 'template',
    ].sort());
    expect(rows.find((r) => r.id === ids.sms)).toMatchObject({
      patientName: `Ada ${tag}Lovelace`, nhsNumber: ada.nhsNumber, channel: 'sms', status: 'permanent_failure',
      failureReason: 'The phone number does not exist', referralId: adaReferral, recipient: 'patient',
    });
  });

  it.each([
    [{ status: 'delivered' }, ['letter']],
    [{ status: ['queued', 'cancelled'] }, ['largePrint', 'email', 'reminder']],
    [{ channel: 'sms' }, ['reminder', 'sms']],
    [{ template: 'appointment_changed' }, ['largePrint']],
    [{ format: 'large_print' }, ['largePrint']],
    [{ referralId: adaReferral }, ['sms', 'letter']],
  ] as const)('filters by %j', async (filter, expected) => {
    const rows = await officer.list('communications', { filter: { ...mine, ...filter } });
    expect(idsOf(rows)).toEqual(expected.map((k) => ids[k]));
  });

  it('filters by patient, and finds a patient by name or by NHS number with or without its spaces', async () => {
    expect(idsOf(await officer.list('communications', { filter: { patientId: alan.id } }))).toEqual([ids.largePrint, ids.email]);
    const spaced = formatNhsNumber(ada.nhsNumber)!;
    expect(spaced).toContain(' ');
    for (const q of [`Ada ${tag}Lovelace`, `${tag}lovelace`, ada.nhsNumber, spaced]) {
      expect(idsOf(await officer.list('communications', { filter: { q } })), q).toEqual([ids.reminder, ids.sms, ids.letter]);
    }
  });

  it('sorts by a whitelisted field and pages with range', async () => {
    const res = await officer.request('GET', `/api/communications?${new URLSearchParams({
      filter: JSON.stringify(mine), sort: JSON.stringify(['sendAfter', 'DESC']), range: '[0,1]',
    })}`);
    expect(res.headers.get('content-range')).toBe('communications 0-1/5');
    expect(res.body[0].id).toBe(ids.email); // due tomorrow
    const byCreated = await officer.list('communications', { filter: mine, sort: ['createdAt', 'ASC'], range: [1, 2] });
    expect(idsOf(byCreated)).toEqual([ids.sms, ids.reminder]);
  });

  it.each([
    [{ filter: { status: 'lost' } }, 'filter.status'],
    [{ filter: { channel: 'pigeon' } }, 'filter.channel'],
    [{ filter: { colour: 'red' } }, 'filter.colour'],
    [{ filter: { createdAt_gte: 'yesterday' } }, 'filter.createdAt_gte'],
    [{ sort: ['body', 'ASC'] }, 'sort'],
  ] as const)('refuses %j with a 400 naming %s', async (opts, field) => {
    const bad = await refusal(officer.list('communications', opts as never));
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors).toHaveProperty([field]);
  });

  it('is read by every signed-in role, clinicians and ops too, and by nobody signed out', async () => {
    for (const client of [clinician, ops]) expect(idsOf(await client.list('communications', { filter: { patientId: alan.id } }))).toHaveLength(2);
    expect((await fetch(`${stack.url}/api/communications`)).status).toBe(401);
  });
});

describe('GET /api/communications/:id', () => {
  it('answers one message with the words sent and their personalisation; 404 for none', async () => {
    const shown = communicationDetail.parse(await officer.get(`/api/communications/${ids.letter}`));
    expect(shown).toMatchObject({
      id: ids.letter, status: 'delivered', subject: 'Your appointment', personalisation: { appointment_date: 'Friday 4 December 2026' },
      body: expect.stringContaining('If you cannot come'),
    });
    const missing = await refusal(officer.get('/api/communications/comm_nobody'));
    expect(missing.status).toBe(404);
  });
});

describe('GET /api/communications/:id/letter.pdf', () => {
  const pdfOf = (client: AccessDeskClient, id: string) =>
    fetch(`${stack.url}/api/communications/${id}/letter.pdf`, { headers: { cookie: (client as any).cookie } });

  it('renders a letter as a PDF that parses, the same bytes each time', async () => {
    const res = await pdfOf(clinician, ids.letter);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="letter-${ids.letter}.pdf"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
    const again = new Uint8Array(await (await pdfOf(officer, ids.letter)).arrayBuffer());
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    // A large-print letter is drawn bigger, so it is not the standard letter's bytes.
    const large = await pdfOf(officer, ids.largePrint);
    expect(large.status).toBe(200);
    await PDFDocument.load(new Uint8Array(await large.arrayBuffer()));
  });

  it('answers 404 saying why for a text message, and for no such message', async () => {
    const sms = await pdfOf(officer, ids.sms);
    expect(sms.status).toBe(404);
    expect(await sms.json()).toMatchObject({ code: 'NOT_FOUND', message: `Communication ${ids.sms} is a text message, not a letter: there is no PDF of it` });
    expect((await pdfOf(officer, 'comm_nobody')).status).toBe(404);
    expect((await fetch(`${stack.url}/api/communications/${ids.letter}/letter.pdf`)).status).toBe(401);
  });
});

describe('GET /api/communications.csv', () => {
  it('exports the rows the list shows, in its order, with statuses in words', async () => {
    const q = new URLSearchParams({ filter: JSON.stringify({ ...mine, patientId: ada.id }) });
    const res = await fetch(`${stack.url}/api/communications.csv?${q}`, { headers: { cookie: (officer as any).cookie } });
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv(await res.text());
    expect(header.slice(0, 10)).toEqual(['Created', 'Patient', 'NHS number', 'To', 'How', 'Message', 'Format', 'Subject', 'Status', 'Why not delivered']);
    expect(rows.map((r) => r[header.indexOf('Communication id')])).toEqual([ids.reminder, ids.sms, ids.letter]);
    expect(rows.map((r) => r[header.indexOf('Status')])).toEqual(['Not sent: no longer needed', 'Could not be delivered', 'Delivered']);
    expect(rows[1][header.indexOf('Why not delivered')]).toBe('The phone number does not exist');
  });
});

describe('the patient page', () => {
  it('carries what was sent to the patient with its template, status and failure', async () => {
    const patient = patientDetail.parse(await officer.get(`/api/patients/${ada.id}`));
    expect(idsOf(patient.communications)).toEqual([ids.reminder, ids.sms, ids.letter]);
    expect(patient.communications[1]).toMatchObject({ template: 'appointment_confirmation', channel: 'sms', status: 'permanent_failure', failureReason: 'The phone number does not exist' });
  });
});
