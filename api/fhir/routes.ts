// The FHIR R4 read API at /fhir (issue 14): reads and searches of Patient, ServiceRequest (referrals), Appointment,
// Slot and Schedule (clinics), as UK Core resources, for staff sessions and system clients. Read-only; every error
// is an OperationOutcome; searches answer searchset Bundles with a total and keyset paging.
import type { Resource } from '@medplum/fhirtypes';
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { writeAudit } from '../../activities/audit';
import { appointments, clinics, patients, referrals, slots, specialties } from '../../db/schema';
import { isValidNhsNumber, slotStatuses, type SlotStatus } from '../../domain';
import type { AppDeps } from '../context';
import { describeError, isDatabaseUnavailable } from '../log';
import { toFhirAppointment, type AppointmentRow } from './appointment';
import { fhirCaller } from './auth';
import { capabilityStatement, searchParams } from './capability';
import {
  badParameter, dateCondition, FHIR_JSON, FhirError, fhirId, instantKey, isFhirId, keysetPage, NHS_NUMBER_SYSTEM, operationOutcome,
  ourId, parseSearch, referenceParam, searchset, type SearchQuery,
} from './common';
import type { FhirEnv } from './env';
import { toFhirPatient, type PatientRow } from './patient';
import { toFhirSchedule, type ClinicRow } from './schedule';
import { toFhirServiceRequest, type ReferralRow } from './service-request';
import { slotStatusOf, toFhirSlot, type SlotRow } from './slot';

export const fhirResourceTypes = ['Patient', 'ServiceRequest', 'Appointment', 'Slot', 'Schedule'] as const;
type FhirContext = Context<FhirEnv>;
const acceptedFormats = new Set(['json', 'application/json', 'application/fhir+json']);

function answer(c: FhirContext, body: unknown, status: 200 | 400 | 401 | 403 | 404 | 405 | 406 | 500 | 503 = 200) {
  c.header('Content-Type', `${FHIR_JSON}; charset=utf-8`);
  c.header('Cache-Control', 'no-store'); // patient records: never kept by a proxy or a browser
  return c.body(JSON.stringify(body), status);
}

/** Our row id from a read's path, or a 404 that says so (a malformed id names no resource of ours). */
function readId(c: FhirContext, type: string): string {
  const id = c.req.param('id') ?? '';
  for (const name of new URL(c.req.url).searchParams.keys()) {
    if (name !== '_format') throw badParameter(name, 'a read takes no parameters other than _format');
  }
  if (!isFhirId(id)) throw new FhirError(404, 'not-found', `No ${type} with id ${id}`);
  return ourId(id);
}
const notFound = (type: string, id: string) => new FhirError(404, 'not-found', `No ${type} with id ${fhirId(id)}`);

/** `patient=` as a reference or id; `_id=` as one or more ids, comma-separated. */
const idsOf = (query: SearchQuery, name: string, type: string) =>
  query.params.get(name)?.[0].split(',').map((v) => referenceParam(name, v, type));

/** A resource's search parameters, as the CapabilityStatement lists them: a date may repeat (ge… and le… for a range). */
const searchable = (type: string) => Object.fromEntries(searchParams[type].map((p) => [p.name, { repeats: p.type === 'date' }]));

const specialtyName = sql<string>`${specialties.name}`;

export function fhirRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<FhirEnv>();

  app.onError((err, c) => {
    if (err instanceof FhirError) {
      if (err.status === 401) c.header('WWW-Authenticate', 'Bearer realm="Access Desk FHIR"');
      return answer(c, operationOutcome(err), err.status);
    }
    const requestId = c.get('requestId');
    if (isDatabaseUnavailable(err)) {
      c.header('Retry-After', '1');
      return answer(c, operationOutcome(new FhirError(503, 'exception', `The database is not answering just now; please try again (request ${requestId})`)), 503);
    }
    c.get('logger').error('unhandled error', { method: c.req.method, path: c.req.path, error: describeError(err) });
    return answer(c, operationOutcome(new FhirError(500, 'exception', `Something went wrong on our side (request ${requestId})`)), 500);
  });

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    // The path only: a search's query string can carry an NHS number.
    c.get('logger').info('request', { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) });
  });
  app.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.header('Allow', 'GET');
      throw new FhirError(405, 'not-supported', `This FHIR API is read-only: ${c.req.method} is not supported`);
    }
    // A '+' written unescaped in a query string reads as a space: application/fhir+json arrives as 'application/fhir json'.
    const format = new URL(c.req.url).searchParams.get('_format')?.replace(' ', '+') ?? null;
    if (format !== null && !acceptedFormats.has(format)) {
      throw new FhirError(406, 'not-supported', `_format: only JSON is served (json, application/json or application/fhir+json), not '${format}'`, '_format');
    }
    const accept = c.req.header('accept');
    if (format === null && accept && !/json|\*\/\*|application\/\*/.test(accept)) {
      throw new FhirError(406, 'not-supported', `Only JSON is served (application/fhir+json); the Accept header asked for ${accept}`);
    }
    await next();
  });
  app.get('/metadata', (c) => answer(c, capabilityStatement(new Date().toISOString())));
  const caller = fhirCaller(deps);
  app.use('*', (c, next) => (c.req.path === '/fhir/metadata' ? next() : caller(c, next)));

  /** Records who read which patients' records: one entry per patient in the answer. */
  async function auditRead(c: FhirContext, resourceType: string, interaction: 'read' | 'search', patientIds: string[]) {
    const caller = c.get('fhirCaller');
    const unique = [...new Set(patientIds)];
    if (!unique.length) return;
    await writeAudit(db, unique.map((patientId) => ({
      actorId: caller.id, action: 'fhir.read' as const, entityType: 'patient' as const, entityId: patientId,
      after: { resourceType, interaction, caller: caller.kind, ...(caller.kind === 'system' ? { clientName: caller.name } : {}) },
    })));
  }

  async function search<Row>(c: FhirContext, type: string, query: SearchQuery, opts: {
    where: SQL[]; keyColumns: SQL[]; keyOf: (row: Row) => string[]; toResource: (row: Row) => Resource; patientOf?: (row: Row) => string;
    rows: (where: SQL | undefined, orderBy: SQL[], limit: number) => Promise<Row[]>; count: (where: SQL | undefined) => Promise<number>;
  }) {
    const where = opts.where.length ? and(...opts.where) : undefined;
    const [total, page] = await Promise.all([
      opts.count(where),
      keysetPage(query, opts.keyColumns, (keyset, order, limit) =>
        opts.rows(keyset ? (where ? and(where, keyset) : keyset) : where, opts.keyColumns.map((k) => (order === 'asc' ? asc(k) : desc(k))), limit)),
    ]);
    const url = new URL(c.req.url);
    const bundle = searchset({ base: url.origin, type, url, query, total, page, keyOf: opts.keyOf, resource: opts.toResource });
    if (opts.patientOf) await auditRead(c, type, 'search', page.rows.map(opts.patientOf));
    return answer(c, bundle);
  }

  // ---- Patient ----
  // Written out: drizzle leaves columns unqualified in a one-table select, and inside this subquery "id" would be the referral's.
  const verified = sql<boolean>`exists (select 1 from referrals r where r.patient_id = patients.id and r.source = 'ers')`;
  const patientRows = (where: SQL | undefined, orderBy: SQL[] = [], limit = 1) =>
    db.select({ p: patients, verified }).from(patients).where(where).orderBy(...orderBy).limit(limit);
  const patientKey = [sql`${patients.id}`];
  app.get('/Patient/:id', async (c) => {
    const id = readId(c, 'Patient');
    const [row] = await patientRows(eq(patients.id, id));
    if (!row) throw notFound('Patient', id);
    await auditRead(c, 'Patient', 'read', [row.p.id]);
    return answer(c, toFhirPatient(row.p, { verified: row.verified }));
  });
  app.get('/Patient', async (c) => {
    const query = parseSearch(new URL(c.req.url), searchable('Patient'));
    const where: SQL[] = [];
    const identifier = query.params.get('identifier')?.[0];
    const ids = idsOf(query, '_id', 'Patient');
    if (!identifier && !ids) throw badParameter('identifier', 'a Patient search needs identifier (https://fhir.nhs.uk/Id/nhs-number|<NHS number>) or _id');
    if (identifier) {
      const bar = identifier.indexOf('|');
      const system = bar < 0 ? null : identifier.slice(0, bar);
      const value = bar < 0 ? identifier : identifier.slice(bar + 1);
      if (system !== null && system !== NHS_NUMBER_SYSTEM) where.push(sql`false`); // no patient has an identifier of another system here
      else if (!isValidNhsNumber(value)) throw badParameter('identifier', `'${value}' is not a valid NHS number (10 digits with a Modulus 11 check digit)`);
      else where.push(eq(patients.nhsNumber, value.replace(/ /g, '')));
    }
    if (ids) where.push(inArray(patients.id, ids));
    return search<Awaited<ReturnType<typeof patientRows>>[number]>(c, 'Patient', query, {
      where, keyColumns: patientKey, keyOf: (r) => [r.p.id], toResource: (r) => toFhirPatient(r.p, { verified: r.verified }), patientOf: (r) => r.p.id,
      rows: (w, orderBy, limit) => patientRows(w, orderBy, limit),
      count: async (w) => (await db.select({ n: sql<number>`count(*)::int` }).from(patients).where(w))[0].n,
    });
  });

  // ---- ServiceRequest (referrals) ----
  const referralSelect = {
    r: referrals, nhsNumber: patients.nhsNumber, specialtyName, clinicName: clinics.name, clinicianName: clinics.clinicianName,
  };
  const referralRows = (where: SQL | undefined, orderBy: SQL[] = [], limit = 1) => db.select(referralSelect).from(referrals)
    .innerJoin(patients, eq(patients.id, referrals.patientId)).innerJoin(specialties, eq(specialties.code, referrals.specialtyCode))
    .leftJoin(clinics, eq(clinics.id, referrals.clinicId)).where(where).orderBy(...orderBy).limit(limit);
  const toReferral = (row: Awaited<ReturnType<typeof referralRows>>[number]): ReferralRow =>
    ({ ...row.r, nhsNumber: row.nhsNumber, specialtyName: row.specialtyName, clinicName: row.clinicName, clinicianName: row.clinicianName });
  app.get('/ServiceRequest/:id', async (c) => {
    const id = readId(c, 'ServiceRequest');
    const [row] = await referralRows(eq(referrals.id, id));
    if (!row) throw notFound('ServiceRequest', id);
    await auditRead(c, 'ServiceRequest', 'read', [row.r.patientId]);
    return answer(c, toFhirServiceRequest(toReferral(row)));
  });
  app.get('/ServiceRequest', async (c) => {
    const query = parseSearch(new URL(c.req.url), searchable('ServiceRequest'));
    const patient = idsOf(query, 'patient', 'Patient') ?? idsOf(query, 'subject', 'Patient');
    const ids = idsOf(query, '_id', 'ServiceRequest');
    if (!patient && !ids) throw badParameter('patient', 'a ServiceRequest search needs patient (Patient/<id>) or _id');
    const where = [...(patient ? [inArray(referrals.patientId, patient)] : []), ...(ids ? [inArray(referrals.id, ids)] : [])];
    return search<Awaited<ReturnType<typeof referralRows>>[number]>(c, 'ServiceRequest', query, {
      where, keyColumns: [sql`${referrals.id}`], keyOf: (r) => [r.r.id], toResource: (r) => toFhirServiceRequest(toReferral(r)), patientOf: (r) => r.r.patientId,
      rows: referralRows,
      count: async (w) => (await db.select({ n: sql<number>`count(*)::int` }).from(referrals).where(w))[0].n,
    });
  });

  // ---- Appointment ----
  const appointmentRows = (where: SQL | undefined, orderBy: SQL[] = [], limit = 1) => db.select({
    a: appointments, end: slots.end, specialtyCode: clinics.specialtyCode, specialtyName, clinicName: clinics.name, clinicianName: clinics.clinicianName,
  }).from(appointments).innerJoin(slots, eq(slots.id, appointments.slotId)).innerJoin(clinics, eq(clinics.id, appointments.clinicId))
    .innerJoin(specialties, eq(specialties.code, clinics.specialtyCode)).where(where).orderBy(...orderBy).limit(limit);
  const toAppointment = (row: Awaited<ReturnType<typeof appointmentRows>>[number]): AppointmentRow =>
    ({ ...row.a, end: row.end, specialtyCode: row.specialtyCode, specialtyName: row.specialtyName, clinicName: row.clinicName, clinicianName: row.clinicianName });
  const appointmentKey = [instantKey(appointments.start), sql`${appointments.id}`];
  app.get('/Appointment/:id', async (c) => {
    const id = readId(c, 'Appointment');
    const [row] = await appointmentRows(eq(appointments.id, id));
    if (!row) throw notFound('Appointment', id);
    await auditRead(c, 'Appointment', 'read', [row.a.patientId]);
    return answer(c, toFhirAppointment(toAppointment(row)));
  });
  app.get('/Appointment', async (c) => {
    const query = parseSearch(new URL(c.req.url), searchable('Appointment'));
    const patient = idsOf(query, 'patient', 'Patient');
    const dates = query.params.get('date') ?? [];
    const ids = idsOf(query, '_id', 'Appointment');
    if (!patient && !dates.length && !ids) throw badParameter('patient', 'an Appointment search needs patient (Patient/<id>), date or _id');
    const where: SQL[] = [
      ...(patient ? [inArray(appointments.patientId, patient)] : []),
      ...(ids ? [inArray(appointments.id, ids)] : []),
      ...dates.map((d) => dateCondition('date', d, appointments.start)),
    ];
    const status = query.params.get('status')?.[0];
    if (status) {
      const ours = { booked: ['booked'], fulfilled: ['attended'], noshow: ['did_not_attend'], cancelled: ['cancelled_by_patient', 'cancelled_by_hospital'] }[status];
      if (!ours) throw badParameter('status', `'${status}' is not an appointment status this server uses (booked, fulfilled, noshow, cancelled)`);
      where.push(inArray(appointments.state, ours as never[]));
    }
    return search<Awaited<ReturnType<typeof appointmentRows>>[number]>(c, 'Appointment', query, {
      where, keyColumns: appointmentKey, keyOf: (r) => [r.a.start.toISOString(), r.a.id], toResource: (r) => toFhirAppointment(toAppointment(r)),
      patientOf: (r) => r.a.patientId, rows: appointmentRows,
      count: async (w) => (await db.select({ n: sql<number>`count(*)::int` }).from(appointments).where(w))[0].n,
    });
  });

  // ---- Slot ----
  const slotRows = (where: SQL | undefined, orderBy: SQL[] = [], limit = 1) => db.select({ s: slots, specialtyCode: clinics.specialtyCode, specialtyName })
    .from(slots).innerJoin(clinics, eq(clinics.id, slots.clinicId)).innerJoin(specialties, eq(specialties.code, clinics.specialtyCode))
    .where(where).orderBy(...orderBy).limit(limit);
  const toSlot = (row: Awaited<ReturnType<typeof slotRows>>[number]): SlotRow => ({ ...row.s, specialtyCode: row.specialtyCode, specialtyName: row.specialtyName });
  const slotKey = [instantKey(slots.start), sql`${slots.id}`];
  app.get('/Slot/:id', async (c) => {
    const id = readId(c, 'Slot');
    const [row] = await slotRows(eq(slots.id, id));
    if (!row) throw notFound('Slot', id);
    return answer(c, toFhirSlot(toSlot(row)));
  });
  app.get('/Slot', async (c) => {
    const query = parseSearch(new URL(c.req.url), searchable('Slot'));
    const schedule = idsOf(query, 'schedule', 'Schedule');
    const ids = idsOf(query, '_id', 'Slot');
    if (!schedule && !ids) throw badParameter('schedule', 'a Slot search needs schedule (Schedule/<id>) or _id');
    const where: SQL[] = [
      ...(schedule ? [inArray(slots.clinicId, schedule)] : []),
      ...(ids ? [inArray(slots.id, ids)] : []),
      ...(query.params.get('start') ?? []).map((d) => dateCondition('start', d, slots.start)),
    ];
    const status = query.params.get('status')?.[0];
    if (status) {
      const ours = slotStatuses.filter((s: SlotStatus) => slotStatusOf[s] === status);
      if (!ours.length) throw badParameter('status', `'${status}' is not a slot status this server uses (free, busy, busy-unavailable)`);
      where.push(inArray(slots.status, ours));
    }
    return search<Awaited<ReturnType<typeof slotRows>>[number]>(c, 'Slot', query, {
      where, keyColumns: slotKey, keyOf: (r) => [r.s.start.toISOString(), r.s.id], toResource: (r) => toFhirSlot(toSlot(r)), rows: slotRows,
      count: async (w) => (await db.select({ n: sql<number>`count(*)::int` }).from(slots).where(w))[0].n,
    });
  });

  // ---- Schedule (clinics) ----
  const horizon = {
    firstSlot: sql<Date | null>`(select min(${slots.start}) from ${slots} where ${slots.clinicId} = ${clinics.id})`.mapWith((v) => (v ? new Date(v) : null)),
    lastSlot: sql<Date | null>`(select max(${slots.end}) from ${slots} where ${slots.clinicId} = ${clinics.id})`.mapWith((v) => (v ? new Date(v) : null)),
  };
  const scheduleRows = (where: SQL | undefined, orderBy: SQL[] = [], limit = 1) => db.select({ c: clinics, specialtyName, ...horizon })
    .from(clinics).innerJoin(specialties, eq(specialties.code, clinics.specialtyCode)).where(where).orderBy(...orderBy).limit(limit);
  const toClinic = (row: Awaited<ReturnType<typeof scheduleRows>>[number]): ClinicRow =>
    ({ ...row.c, specialtyName: row.specialtyName, firstSlot: row.firstSlot, lastSlot: row.lastSlot });
  app.get('/Schedule/:id', async (c) => {
    const id = readId(c, 'Schedule');
    const [row] = await scheduleRows(eq(clinics.id, id));
    if (!row) throw notFound('Schedule', id);
    return answer(c, toFhirSchedule(toClinic(row)));
  });
  app.get('/Schedule', async (c) => {
    const query = parseSearch(new URL(c.req.url), searchable('Schedule'));
    const ids = idsOf(query, '_id', 'Schedule');
    const active = query.params.get('active')?.[0];
    if (active !== undefined && active !== 'true' && active !== 'false') throw badParameter('active', `expected true or false, got '${active}'`);
    const where = [...(ids ? [inArray(clinics.id, ids)] : []), ...(active ? [eq(clinics.active, active === 'true')] : [])];
    return search<Awaited<ReturnType<typeof scheduleRows>>[number]>(c, 'Schedule', query, {
      where, keyColumns: [sql`${clinics.id}`], keyOf: (r) => [r.c.id], toResource: (r) => toFhirSchedule(toClinic(r)), rows: scheduleRows,
      count: async (w) => (await db.select({ n: sql<number>`count(*)::int` }).from(clinics).where(w))[0].n,
    });
  });

  app.all('*', (c) => {
    const type = c.req.path.replace(/^\/fhir\/?/, '').split('/')[0];
    throw new FhirError(404, 'not-found', type
      ? `This server does not serve ${type}: it serves ${fhirResourceTypes.join(', ')}`
      : `Ask for a resource: ${fhirResourceTypes.join(', ')}`);
  });
  return app;
}
