// Read-only lists of the records staff look things up in.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../db/client';
import type { AppDeps, AppEnv } from '../context';
import { notFound } from '../errors';
import { enumFilter, iso, listResource, type ListSpec } from '../list';
import { listRoute, router, showRoute } from '../openapi';
import { appointmentRecord, clinicRecord, patientDetail, patientRecord, slotRecord, specialtyRecord, staffRecord } from '../records';
import { referralListSpec } from './referrals';
import { taskListSpec } from './tasks';
import { appointmentKind, appointmentState, slotStatus, slotType, staffRole } from '../../db/schema';

type Spec = ListSpec<Record<string, unknown>>;

export const specs: Record<string, Spec & { byId: any }> = {
  patients: {
    resource: 'patients',
    select: sql`p.id, p.nhs_number as "nhsNumber", p.given_name as "givenName", p.family_name as "familyName",
      p.given_name || ' ' || p.family_name as name, p.date_of_birth::text as "dateOfBirth", p.postcode, p.phone, p.email`,
    from: sql`patients p`,
    filters: { id: { column: sql`p.id` }, nhsNumber: { column: sql`p.nhs_number` } },
    search: [sql`p.given_name || ' ' || p.family_name`, sql`p.nhs_number`],
    sorts: { id: sql`p.id`, familyName: sql`p.family_name`, name: sql`p.family_name`, dateOfBirth: sql`p.date_of_birth`, nhsNumber: sql`p.nhs_number` },
    defaultSort: ['familyName', 'ASC'],
    tieBreak: sql`p.id`,
    byId: sql`p.id`,
  },
  appointments: {
    resource: 'appointments',
    select: sql`a.id, a.referral_id as "referralId", a.patient_id as "patientId", p.given_name || ' ' || p.family_name as "patientName",
      p.nhs_number as "nhsNumber", a.clinic_id as "clinicId", c.name as "clinicName", a.slot_id as "slotId", ${iso(sql`a.start`)} as start, a.kind, a.state,
      a.outcome, s.name as "bookedByName", ${iso(sql`a.booked_at`)} as "bookedAt",
      a.cancelled_by as "cancelledBy", ${iso(sql`a.cancelled_at`)} as "cancelledAt", cn.body as "cancelReason",
      a.rebooked_appointment_id as "rebookedAppointmentId", a.session_change_id as "sessionChangeId"`,
    from: sql`appointments a join patients p on p.id = a.patient_id join clinics c on c.id = a.clinic_id left join staff s on s.id = a.booked_by
      left join notes cn on cn.id = a.cancel_note_id`,
    filters: {
      id: { column: sql`a.id` }, referralId: { column: sql`a.referral_id` }, patientId: { column: sql`a.patient_id` },
      clinicId: { column: sql`a.clinic_id` }, state: enumFilter(sql`a.state`, appointmentState.enumValues), kind: enumFilter(sql`a.kind`, appointmentKind.enumValues), start: { column: sql`a.start`, kind: 'timestamp' },
    },
    search: [sql`p.given_name || ' ' || p.family_name`, sql`p.nhs_number`, sql`c.name`],
    sorts: { id: sql`a.id`, start: sql`a.start`, state: sql`a.state`, clinicName: sql`c.name`, bookedAt: sql`a.booked_at` },
    defaultSort: ['start', 'ASC'],
    tieBreak: sql`a.id`,
    byId: sql`a.id`,
  },
  clinics: {
    resource: 'clinics',
    select: sql`c.id, c.name, c.specialty_code as "specialtyCode", sp.name as "specialtyName", c.clinician_name as "clinicianName", c.site,
      coalesce((select json_agg(json_build_object('weekday', t.weekday, 'start', t.start_time, 'slotMinutes', t.slot_minutes,
        'slotType', t.slot_type, 'count', t.slot_count, 'effectiveFrom', cv.effective_from, 'effectiveTo', cv.effective_to) order by t.weekday, t.start_time)
        from clinic_templates t where t.version_id = cv.id), '[]'::json) as template,
      (select count(*)::int from slots s where s.clinic_id = c.id and s.status = 'free' and s.start > now()) as "freeSlots",
      c.slot_types::text[] as "slotTypes", c.active, cv.version as "currentVersion"`,
    // The template version in force today (London): the latest effective date on or before it.
    from: sql`clinics c join specialties sp on sp.code = c.specialty_code
      left join lateral (
        select v.id, v.version, v.effective_from::text as effective_from,
          (select (min(n.effective_from) - 1)::text from clinic_template_versions n where n.clinic_id = c.id and n.effective_from > v.effective_from) as effective_to
        from clinic_template_versions v where v.clinic_id = c.id and v.effective_from <= (now() at time zone 'Europe/London')::date
        order by v.effective_from desc, v.version desc limit 1) cv on true`,
    filters: { id: { column: sql`c.id` }, specialtyCode: { column: sql`c.specialty_code` }, site: { column: sql`c.site` }, active: { column: sql`c.active`, kind: 'bool' } },
    search: [sql`c.name`, sql`c.clinician_name`],
    sorts: { id: sql`c.id`, name: sql`c.name`, specialtyCode: sql`c.specialty_code`, site: sql`c.site` },
    defaultSort: ['name', 'ASC'],
    tieBreak: sql`c.id`,
    byId: sql`c.id`,
  },
  slots: {
    resource: 'slots',
    select: sql`s.id, s.clinic_id as "clinicId", c.name as "clinicName", ${iso(sql`s.start`)} as start, ${iso(sql`s."end"`)} as "end", s.type, s.status`,
    from: sql`slots s join clinics c on c.id = s.clinic_id`,
    filters: {
      id: { column: sql`s.id` }, clinicId: { column: sql`s.clinic_id` }, status: enumFilter(sql`s.status`, slotStatus.enumValues), type: enumFilter(sql`s.type`, slotType.enumValues),
      start: { column: sql`s.start`, kind: 'timestamp' },
    },
    sorts: { id: sql`s.id`, start: sql`s.start`, status: sql`s.status` },
    defaultSort: ['start', 'ASC'],
    tieBreak: sql`s.id`,
    byId: sql`s.id`,
  },
  specialties: {
    resource: 'specialties',
    select: sql`sp.code as id, sp.code, sp.name`,
    from: sql`specialties sp`,
    filters: { id: { column: sql`sp.code` }, code: { column: sql`sp.code` } },
    search: [sql`sp.name`, sql`sp.code`],
    sorts: { id: sql`sp.code`, code: sql`sp.code`, name: sql`sp.name` },
    defaultSort: ['code', 'ASC'],
    tieBreak: sql`sp.code`,
    byId: sql`sp.code`,
  },
  staff: {
    resource: 'staff',
    select: sql`st.id, st.name, st.email, st.role, st.active,
      coalesce((select json_agg(m.queue_id order by m.queue_id) from queue_members m where m.staff_id = st.id), '[]'::json) as "queueIds"`,
    from: sql`staff st`,
    filters: { id: { column: sql`st.id` }, role: enumFilter(sql`st.role`, staffRole.enumValues), active: { column: sql`st.active`, kind: 'bool' } },
    search: [sql`st.name`, sql`st.email`],
    sorts: { id: sql`st.id`, name: sql`st.name`, role: sql`st.role` },
    defaultSort: ['name', 'ASC'],
    tieBreak: sql`st.id`,
    byId: sql`st.id`,
  },
};

const records = { patients: patientRecord, appointments: appointmentRecord, clinics: clinicRecord, slots: slotRecord, specialties: specialtyRecord, staff: staffRecord };
// Ids of the reference data every installation has, so a fuzzer reaches past "not found".
const exampleIds: Record<string, string> = { staff: 'staff_officer', specialties: '101', clinics: 'clin_2' };

export function referenceRoutes(deps: AppDeps & { today: () => string }, resource: keyof typeof specs): OpenAPIHono<AppEnv> {
  const spec = specs[resource];
  const record = records[resource as keyof typeof records];
  const list = router().openapi(listRoute(resource, `List ${resource}`, record), (c) => listResource(c, deps.db, spec));
  if (resource === 'patients') {
    return list.openapi(showRoute(resource, 'A patient with every pathway, appointment, contact and open work item', patientDetail),
      async (c) => c.json(await patientPage(deps.db, c.req.valid('param').id, deps.today())));
  }
  return list.openapi(showRoute(resource, `One of ${resource}`, record, exampleIds[resource]), async (c) => c.json(await referenceRecord(deps.db, resource, c.req.valid('param').id)));
}

/** The patient page's record: the list's fields and everything about them, newest pathway first. */
async function patientPage(db: Database, id: string, today: string) {
  const patient = await referenceRecord(db, 'patients', id);
  const referralSpec = referralListSpec(today);
  const appointmentSpec = specs.appointments;
  const [created, referralRows, appointments, communications, openTasks] = await Promise.all([
    queryRows<{ createdAt: string }>(db, sql`select ${iso(sql`p.created_at`)} as "createdAt" from patients p where p.id = ${id}`),
    queryRows<Record<string, unknown>>(db, sql`select ${referralSpec.select} from ${referralSpec.from} where r.patient_id = ${id} order by r.received_at desc, r.id desc`),
    queryRows(db, sql`select ${appointmentSpec.select} from ${appointmentSpec.from} where a.patient_id = ${id} order by a.start desc, a.id`),
    queryRows(db, sql`select m.id, ${iso(sql`m.created_at`)} as at, m.channel, m.template as kind, m.status, m.referral_id as "referralId", m.body
      from communications m where m.patient_id = ${id} order by m.created_at desc, m.id limit 200`),
    queryRows(db, sql`select ${taskListSpec.select} from ${taskListSpec.from} where t.patient_id = ${id} and t.status in ('open', 'claimed') order by t.due_at`),
  ]);
  const referrals = referralSpec.map ? referralRows.map(referralSpec.map) : referralRows;
  return { ...patient, createdAt: created[0].createdAt, referrals, appointments, communications, openTasks };
}

export const referenceResources = Object.keys(specs) as Array<keyof typeof specs>;

/** One record as GET /api/<resource>/:id answers it (404 when there is none). */
export async function referenceRecord(db: Database, resource: keyof typeof specs, id: string): Promise<Record<string, unknown>> {
  const spec = specs[resource];
  const [row] = await queryRows(db, sql`select ${spec.select} from ${spec.from} where ${spec.byId} = ${id}`);
  if (!row) throw notFound(resource.replace(/s$/, ''), id);
  return row;
}
