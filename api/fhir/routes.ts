// The FHIR R4 read API at /fhir (issue 14): reads and searches of Patient, ServiceRequest (referrals), Appointment,
// Slot and Schedule (clinics), as UK Core resources, for staff sessions and system clients. Read-only; every error
// is an OperationOutcome; searches answer searchset Bundles with a total and keyset paging.
import type { Resource } from '@medplum/fhirtypes';
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Context } from 'hono';
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
import { documentFhirResource, documentFhirServer } from './openapi';
import { toFhirPatient } from './patient';
import { toFhirSchedule, type ClinicRow } from './schedule';
import { toFhirServiceRequest, type ReferralRow } from './service-request';
import { slotStatusOf, toFhirSlot, type SlotRow } from './slot';

export const fhirResourceTypes = ['Patient', 'ServiceRequest', 'Appointment', 'Slot', 'Schedule'] as const;
type FhirResourceType = (typeof fhirResourceTypes)[number];
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
  // An OpenAPIHono only so that its routes' descriptions join the API's document (api/fhir/openapi.ts): nothing here
  // validates with zod, as FHIR answers its own OperationOutcomes.
  const app = new OpenAPIHono<FhirEnv>();
  documentFhirServer(app.openAPIRegistry);

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

  type ResourceSpec<Row> = {
    /** The table a search counts, and its id column (the FHIR id, '_' written '-'). */
    table: PgTable; id: PgColumn;
    /** The rows with what the resource needs, in the order and number asked. */
    rows: (where: SQL | undefined, orderBy: SQL[], limit: number) => Promise<Row[]>;
    /** The sort of a search: its columns (the last one the id), and a row's values of them (a page's cursor). */
    keyColumns: SQL[]; keyOf: (row: Row) => string[];
    toResource: (row: Row) => Resource;
    /** Whose record a row is: reads of patients' data are audited (slots and clinics are not). */
    patientOf?: (row: Row) => string;
    /** A search's conditions from its own parameters (`_id` is served here), or a 400 when it has none it needs and no `_id`. */
    where: (query: SearchQuery, byId: boolean) => SQL[];
  };

  /** A resource's read (GET /<type>/:id) and search (GET /<type>), in the app and in the OpenAPI document. */
  function serve<Row>(type: FhirResourceType, spec: ResourceSpec<Row>) {
    app.get(`/${type}/:id`, async (c) => {
      const id = readId(c, type);
      const [row] = await spec.rows(eq(spec.id, id), [], 1);
      if (!row) throw notFound(type, id);
      if (spec.patientOf) await auditRead(c, type, 'read', [spec.patientOf(row)]);
      return answer(c, spec.toResource(row));
    });
    app.get(`/${type}`, async (c) => {
      const url = new URL(c.req.url);
      const query = parseSearch(url, searchable(type));
      const ids = idsOf(query, '_id', type);
      const conditions = [...spec.where(query, ids !== undefined), ...(ids ? [inArray(spec.id, ids)] : [])];
      const where = conditions.length ? and(...conditions) : undefined;
      const [[{ total }], page] = await Promise.all([
        db.select({ total: sql<number>`count(*)::int` }).from(spec.table).where(where),
        keysetPage(query, spec.keyColumns, (keyset, order, limit) =>
          spec.rows(keyset ? (where ? and(where, keyset) : keyset) : where, spec.keyColumns.map((k) => (order === 'asc' ? asc(k) : desc(k))), limit)),
      ]);
      const bundle = searchset({ base: url.origin, type, url, query, total, page, keyOf: spec.keyOf, resource: spec.toResource });
      if (spec.patientOf) await auditRead(c, type, 'search', page.rows.map(spec.patientOf));
      return answer(c, bundle);
    });
    documentFhirResource(app.openAPIRegistry, type);
  }

  // ---- Patient ----
  // Written out: drizzle leaves columns unqualified in a one-table select, and inside this subquery "id" would be the referral's.
  const verified = sql<boolean>`exists (select 1 from referrals r where r.patient_id = patients.id and r.source = 'ers')`;
  serve('Patient', {
    table: patients, id: patients.id,
    rows: (where, orderBy, limit) => db.select({ p: patients, verified }).from(patients).where(where).orderBy(...orderBy).limit(limit),
    keyColumns: [sql`${patients.id}`], keyOf: (r) => [r.p.id],
    toResource: (r) => toFhirPatient(r.p, { verified: r.verified }), patientOf: (r) => r.p.id,
    where: (query, byId) => {
      const where: SQL[] = [];
      const identifier = query.params.get('identifier')?.[0];
      if (!identifier && !byId) throw badParameter('identifier', 'a Patient search needs identifier (https://fhir.nhs.uk/Id/nhs-number|<NHS number>) or _id');
      if (identifier) {
        const bar = identifier.indexOf('|');
        const system = bar < 0 ? null : identifier.slice(0, bar);
        const value = bar < 0 ? identifier : identifier.slice(bar + 1);
        if (system !== null && system !== NHS_NUMBER_SYSTEM) where.push(sql`false`); // no patient has an identifier of another system here
        else if (!isValidNhsNumber(value)) throw badParameter('identifier', `'${value}' is not a valid NHS number (10 digits with a Modulus 11 check digit)`);
        else where.push(eq(patients.nhsNumber, value.replace(/ /g, '')));
      }
      return where;
    },
  });

  // ---- ServiceRequest (referrals) ----
  const referralSelect = {
    r: referrals, nhsNumber: patients.nhsNumber, specialtyName, clinicName: clinics.name, clinicianName: clinics.clinicianName,
  };
  serve('ServiceRequest', {
    table: referrals, id: referrals.id,
    rows: (where, orderBy, limit) => db.select(referralSelect).from(referrals)
      .innerJoin(patients, eq(patients.id, referrals.patientId)).innerJoin(specialties, eq(specialties.code, referrals.specialtyCode))
      .leftJoin(clinics, eq(clinics.id, referrals.clinicId)).where(where).orderBy(...orderBy).limit(limit),
    keyColumns: [sql`${referrals.id}`], keyOf: (r) => [r.r.id], patientOf: (r) => r.r.patientId,
    toResource: (row) => toFhirServiceRequest({
      ...row.r, nhsNumber: row.nhsNumber, specialtyName: row.specialtyName, clinicName: row.clinicName, clinicianName: row.clinicianName,
    } satisfies ReferralRow),
    where: (query, byId) => {
      const patient = idsOf(query, 'patient', 'Patient') ?? idsOf(query, 'subject', 'Patient');
      if (!patient && !byId) throw badParameter('patient', 'a ServiceRequest search needs patient (Patient/<id>) or _id');
      return patient ? [inArray(referrals.patientId, patient)] : [];
    },
  });

  // ---- Appointment ----
  serve('Appointment', {
    table: appointments, id: appointments.id,
    rows: (where, orderBy, limit) => db.select({
      a: appointments, end: slots.end, specialtyCode: clinics.specialtyCode, specialtyName, clinicName: clinics.name, clinicianName: clinics.clinicianName,
    }).from(appointments).innerJoin(slots, eq(slots.id, appointments.slotId)).innerJoin(clinics, eq(clinics.id, appointments.clinicId))
      .innerJoin(specialties, eq(specialties.code, clinics.specialtyCode)).where(where).orderBy(...orderBy).limit(limit),
    keyColumns: [instantKey(appointments.start), sql`${appointments.id}`], keyOf: (r) => [r.a.start.toISOString(), r.a.id],
    patientOf: (r) => r.a.patientId,
    toResource: (row) => toFhirAppointment({
      ...row.a, end: row.end, specialtyCode: row.specialtyCode, specialtyName: row.specialtyName, clinicName: row.clinicName, clinicianName: row.clinicianName,
    } satisfies AppointmentRow),
    where: (query, byId) => {
      const patient = idsOf(query, 'patient', 'Patient');
      const dates = query.params.get('date') ?? [];
      if (!patient && !dates.length && !byId) throw badParameter('patient', 'an Appointment search needs patient (Patient/<id>), date or _id');
      const where: SQL[] = [
        ...(patient ? [inArray(appointments.patientId, patient)] : []),
        ...dates.map((d) => dateCondition('date', d, appointments.start)),
      ];
      const status = query.params.get('status')?.[0];
      if (status) {
        const ours = { booked: ['booked'], fulfilled: ['attended'], noshow: ['did_not_attend'], cancelled: ['cancelled_by_patient', 'cancelled_by_hospital'] }[status];
        if (!ours) throw badParameter('status', `'${status}' is not an appointment status this server uses (booked, fulfilled, noshow, cancelled)`);
        where.push(inArray(appointments.state, ours as never[]));
      }
      return where;
    },
  });

  // ---- Slot ----
  serve('Slot', {
    table: slots, id: slots.id,
    rows: (where, orderBy, limit) => db.select({ s: slots, specialtyCode: clinics.specialtyCode, specialtyName })
      .from(slots).innerJoin(clinics, eq(clinics.id, slots.clinicId)).innerJoin(specialties, eq(specialties.code, clinics.specialtyCode))
      .where(where).orderBy(...orderBy).limit(limit),
    keyColumns: [instantKey(slots.start), sql`${slots.id}`], keyOf: (r) => [r.s.start.toISOString(), r.s.id],
    toResource: (row) => toFhirSlot({ ...row.s, specialtyCode: row.specialtyCode, specialtyName: row.specialtyName } satisfies SlotRow),
    where: (query, byId) => {
      const schedule = idsOf(query, 'schedule', 'Schedule');
      if (!schedule && !byId) throw badParameter('schedule', 'a Slot search needs schedule (Schedule/<id>) or _id');
      const where: SQL[] = [
        ...(schedule ? [inArray(slots.clinicId, schedule)] : []),
        ...(query.params.get('start') ?? []).map((d) => dateCondition('start', d, slots.start)),
      ];
      const status = query.params.get('status')?.[0];
      if (status) {
        const ours = slotStatuses.filter((s: SlotStatus) => slotStatusOf[s] === status);
        if (!ours.length) throw badParameter('status', `'${status}' is not a slot status this server uses (free, busy, busy-unavailable)`);
        where.push(inArray(slots.status, ours));
      }
      return where;
    },
  });

  // ---- Schedule (clinics) ----
  const horizon = {
    firstSlot: sql<Date | null>`(select min(${slots.start}) from ${slots} where ${slots.clinicId} = ${clinics.id})`.mapWith((v) => (v ? new Date(v) : null)),
    lastSlot: sql<Date | null>`(select max(${slots.end}) from ${slots} where ${slots.clinicId} = ${clinics.id})`.mapWith((v) => (v ? new Date(v) : null)),
  };
  serve('Schedule', {
    table: clinics, id: clinics.id,
    rows: (where, orderBy, limit) => db.select({ c: clinics, specialtyName, ...horizon })
      .from(clinics).innerJoin(specialties, eq(specialties.code, clinics.specialtyCode)).where(where).orderBy(...orderBy).limit(limit),
    keyColumns: [sql`${clinics.id}`], keyOf: (r) => [r.c.id],
    toResource: (row) => toFhirSchedule({ ...row.c, specialtyName: row.specialtyName, firstSlot: row.firstSlot, lastSlot: row.lastSlot } satisfies ClinicRow),
    where: (query) => {
      const active = query.params.get('active')?.[0];
      if (active !== undefined && active !== 'true' && active !== 'false') throw badParameter('active', `expected true or false, got '${active}'`);
      return active ? [eq(clinics.active, active === 'true')] : [];
    },
  });

  app.all('*', (c) => {
    const type = c.req.path.replace(/^\/fhir\/?/, '').split('/')[0];
    throw new FhirError(404, 'not-found', type
      ? `This server does not serve ${type}: it serves ${fhirResourceTypes.join(', ')}`
      : `Ask for a resource: ${fhirResourceTypes.join(', ')}`);
  });
  return app;
}
