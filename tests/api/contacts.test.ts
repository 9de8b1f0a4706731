// The contact log and the Enquiry search (issue 12) on the real stack: a call logged against a patient (and one of
// their referrals), listed newest first with the list contract's filters; bad input named by field; another patient's
// referral refused; ops reads but does not log; a retried log with its Idempotency-Key writes one contact; the audit
// entry never holds what was said. The Enquiry search finds by NHS number written with spaces, or by name and birth date.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { startTestStack, type TestStack } from '../support/stack';
import { referralBody } from '../support/fixtures';
import { refusal } from '../support/api';

let stack: TestStack;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
let ops: AccessDeskClient;
let patient: { id: string; referralId: string; nhsNumber: string };
let other: { id: string; referralId: string };

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  [officer, clinician, ops] = await Promise.all(['officer', 'clinician', 'ops'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
  const body = referralBody({ patient: { ...referralBody().patient, givenName: 'Enid', familyName: 'Enquirer', dateOfBirth: '1971-05-02' } });
  const [mine, theirs] = await Promise.all([officer.post('/api/referrals', body), officer.post('/api/referrals', referralBody())]);
  patient = { id: mine.patientId, referralId: mine.id, nhsNumber: body.patient.nhsNumber as string };
  other = { id: theirs.patientId, referralId: theirs.id };
  await officer.waitForOpenTask(mine.id, 'triage_referral');
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const call = { direction: 'inbound', channel: 'phone', summary: '  Asked when she will be seen; told the usual wait  ', outcome: 'information_given' };
const log = (who: AccessDeskClient, patientId: string, body: Record<string, unknown>) => who.post(`/api/patients/${patientId}/contacts`, body);

describe('the contact log', () => {
  it('logs a call against the patient and one of their referrals, trimmed, and lists it newest first', async () => {
    const first = await log(officer, patient.id, { ...call, referralId: patient.referralId });
    expect(first).toMatchObject({
      patientId: patient.id, patientName: 'Enid Enquirer', referralId: patient.referralId, specialtyName: expect.any(String),
      direction: 'inbound', channel: 'phone', summary: 'Asked when she will be seen; told the usual wait', outcome: 'information_given',
      staffId: 'staff_officer', staffName: 'Olivia Officer', at: expect.stringMatching(/Z$/),
    });
    const second = await log(clinician, patient.id, { direction: 'outbound', channel: 'phone', summary: 'No answer', outcome: 'no_answer' });
    expect(second).toMatchObject({ referralId: null, staffName: 'Dr Carl Clinician' });

    expect((await officer.list('contacts', { filter: { patientId: patient.id } })).map((k: any) => k.id)).toEqual([second.id, first.id]);
    expect((await officer.list('contacts', { filter: { patientId: patient.id, direction: 'inbound' } })).map((k: any) => k.id)).toEqual([first.id]);
    expect((await officer.list('contacts', { filter: { referralId: patient.referralId } })).map((k: any) => k.id)).toEqual([first.id]);
    expect((await officer.list('contacts', { filter: { patientId: patient.id, outcome: 'no_answer', staffId: 'staff_clinician' } })).map((k: any) => k.id)).toEqual([second.id]);
    expect(await officer.list('contacts', { filter: { patientId: patient.id, at_gte: new Date(Date.now() + 60_000).toISOString() } })).toEqual([]);
    // Ops reads the log.
    expect((await ops.list('contacts', { filter: { patientId: patient.id } })).length).toBe(2);

    // Who, how and how it ended are audited; what was said is not.
    const [audit] = await rows<{ entity_type: string; entity_id: string; after: Record<string, unknown> }>(sql`
      select entity_type, entity_id, after from audit_log where action = 'patient.contact_logged' and after->>'contactId' = ${first.id}`);
    expect(audit).toEqual({ entity_type: 'patient', entity_id: patient.id, after: {
      contactId: first.id, direction: 'inbound', channel: 'phone', outcome: 'information_given', referralId: patient.referralId,
    } });
    expect(JSON.stringify(audit)).not.toContain('usual wait');
  });

  it('names the field at fault: a missing or over-long summary, an unknown direction, channel or outcome', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...call, summary: '   ' }, 'summary'],
      [{ ...call, summary: 'x'.repeat(2001) }, 'summary'],
      [{ ...call, direction: 'sideways' }, 'direction'],
      [{ ...call, channel: 'pigeon' }, 'channel'],
      [{ ...call, outcome: undefined }, 'outcome'],
    ];
    for (const [body, field] of cases) {
      const bad = await refusal(log(officer, patient.id, body));
      expect([bad.status, Object.keys(bad.body.errors)], field).toEqual([400, [field]]);
    }
    expect((await log(officer, patient.id, { ...call, summary: 'y'.repeat(2000) })).summary).toHaveLength(2000);
    const filter = await refusal(officer.list('contacts', { filter: { outcome: 'maybe' } }));
    expect([filter.status, Object.keys(filter.body.errors)]).toEqual([400, ['filter.outcome']]);
  });

  it("refuses another patient's referral, an unknown patient, and ops", async () => {
    const theirs = await refusal(log(officer, patient.id, { ...call, referralId: other.referralId }));
    expect([theirs.status, theirs.body.errors]).toEqual([400, { referralId: "is not one of this patient's referrals" }]);
    expect((await refusal(log(officer, 'pat_nobody', call))).status).toBe(404);
    const opsRefused = await refusal(log(ops, patient.id, call));
    expect([opsRefused.status, opsRefused.body.code]).toEqual([403, 'FORBIDDEN']);
    expect(await rows(sql`select id from contacts where patient_id = ${other.id}`)).toEqual([]);
  });

  it('writes one contact for a request retried with its Idempotency-Key', async () => {
    const headers = { 'Idempotency-Key': `contact-${Date.now()}` };
    const body = { ...call, summary: 'Retried after the network dropped' };
    const first = await officer.request('POST', `/api/patients/${other.id}/contacts`, body, headers);
    const again = await officer.request('POST', `/api/patients/${other.id}/contacts`, body, headers);
    expect([first.status, again.status, again.body.id]).toEqual([201, 201, first.body.id]);
    expect(await rows(sql`select id from contacts where patient_id = ${other.id}`)).toEqual([{ id: first.body.id }]);
  });
});

describe('the Enquiry search', () => {
  it('finds the patient by NHS number written with spaces, with the open pathway, communication needs and last contacts', async () => {
    const n = patient.nhsNumber;
    const { patients, total, expectedWaitBasis } = await officer.get(`/api/enquiry?q=${encodeURIComponent(`${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`)}`);
    expect(total).toBe(1);
    expect(expectedWaitBasis).toMatch(/median/);
    const [found] = patients;
    expect(found).toMatchObject({
      id: patient.id, name: 'Enid Enquirer', nhsNumber: n, dateOfBirth: '1971-05-02',
      communication: { channels: ['letter'], aisNeeds: [], interpreterLanguage: null, carer: null },
    });
    expect(found.pathways).toHaveLength(1);
    expect(found.pathways[0]).toMatchObject({
      referralId: patient.referralId, state: 'awaiting_triage', priority: 'routine', nextAppointment: null,
      breachDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), daysWaited: expect.any(Number), weekBand: expect.any(Number),
    });
    expect(found.pathways[0].openWork.map((t: any) => t.title)).toEqual(['Triage referral']);
    expect(found.lastContacts.length).toBe(3);
  });

  it('finds by the start of a name, narrowed by date of birth, and names a query too short', async () => {
    const byName = await officer.get('/api/enquiry?q=enquir');
    expect(byName.patients.map((p: any) => p.id)).toContain(patient.id);
    const byNameAndBirth = await officer.get('/api/enquiry?q=en%20enq&dateOfBirth=1971-05-02');
    expect(byNameAndBirth.patients.map((p: any) => p.id)).toEqual([patient.id]);
    expect((await officer.get('/api/enquiry?q=enquirer&dateOfBirth=1971-05-03')).patients).toEqual([]);
    const short = await refusal(officer.get('/api/enquiry?q=e'));
    expect([short.status, Object.keys(short.body.errors)]).toEqual([400, ['q']]);
    const badDate = await refusal(officer.get('/api/enquiry?q=enquirer&dateOfBirth=02/05/1971'));
    expect([badDate.status, Object.keys(badDate.body.errors)]).toEqual([400, ['dateOfBirth']]);
  });
});
