import type { OpenAPIHono } from '@hono/zod-openapi';
import { asc, desc, eq, sql } from 'drizzle-orm';
import { rttDaysWaited, rttSummary, rttWeekBand, type RttClock } from '../../domain';
import { queryRows } from '../../db/client';
import { appointments, clinics, pathwayEvents, pathways, patients, referralPriority, referrals, referralSource, referralState, rttClockStatus, staff } from '../../db/schema';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { notFound } from '../errors';
import { enumFilter, iso, listResource, type ListSpec } from '../list';
import { registerReferral } from '../referral-intake';
import { registerReferralBody } from '../schemas';
import { body, errors, json, listRoute, route, router, showRoute, signedIn } from '../openapi';
import { referralDetail, referralRecord, registeredReferral } from '../records';
import { taskListSpec } from './tasks';
import { referenceRecord } from './reference';
import { communicationNeedsSql } from '../../db/communication-needs';

const referralSelect = sql`
  r.id, r.patient_id as "patientId", p.given_name || ' ' || p.family_name as "patientName", p.nhs_number as "nhsNumber",
  r.source, r.ubrn, r.received_at::text as "receivedAt", r.specialty_code as "specialtyCode", s.name as "specialtyName",
  r.priority, r.clinical_priority as "clinicalPriority", r.reason, r.state, r.clinic_id as "clinicId", c.name as "clinicName",
  r.workflow_id as "workflowId", pw.clock_start::text as "clockStart", pw.breach_date::text as "breachDate",
  pw.rtt_status as "rttStatus", pw.last_rtt_code as "lastRttCode",
  pw.clock_stop::text as "clockStop",
  ${iso(sql`r.created_at`)} as "createdAt", ${communicationNeedsSql(sql`p`)} as "communicationNeeds"`;

const referralFrom = sql`referrals r join patients p on p.id = r.patient_id join specialties s on s.code = r.specialty_code
  left join clinics c on c.id = r.clinic_id left join pathways pw on pw.referral_id = r.id`;

// Waits are worked out by the rules engine, never in SQL, so there is one definition of a day waited.
function withWait(row: Record<string, unknown>, today: string) {
  if (!row.clockStart) return { ...row, daysWaited: null, weekBand: null };
  const start = row.clockStart as string;
  const end = (row.clockStop as string | null) ?? today;
  const daysWaited = rttDaysWaited(start, end < start ? start : end);
  return { ...row, daysWaited, weekBand: rttWeekBand(daysWaited) };
}

export function referralListSpec(today: string): ListSpec<Record<string, unknown>> {
  return {
    resource: 'referrals',
    select: referralSelect,
    from: referralFrom,
    filters: {
      id: { column: sql`r.id` }, state: enumFilter(sql`r.state`, referralState.enumValues), priority: enumFilter(sql`r.priority`, referralPriority.enumValues),
      specialtyCode: { column: sql`r.specialty_code` }, patientId: { column: sql`r.patient_id` }, source: enumFilter(sql`r.source`, referralSource.enumValues),
      receivedAt: { column: sql`r.received_at`, kind: 'date' }, breachDate: { column: sql`pw.breach_date`, kind: 'date' },
      rttStatus: enumFilter(sql`pw.rtt_status`, rttClockStatus.enumValues), clinicId: { column: sql`r.clinic_id` },
    },
    search: [sql`p.given_name || ' ' || p.family_name`, sql`p.nhs_number`, sql`coalesce(r.ubrn, '')`],
    sorts: {
      id: sql`r.id`, receivedAt: sql`r.received_at`, priority: sql`r.priority`, state: sql`r.state`, breachDate: sql`pw.breach_date`,
      specialtyCode: sql`r.specialty_code`, patientName: sql`p.family_name`, createdAt: sql`r.created_at`,
      daysWaited: sql`pw.clock_start`,
    },
    defaultSort: ['receivedAt', 'DESC'],
    tieBreak: sql`r.id`,
    map: (row) => withWait(row, today),
  };
}

export function referralRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  const { db } = deps;
  return router()
    .openapi(listRoute('referrals', 'List referrals', referralRecord), (c) => listResource(c, db, referralListSpec(deps.today())))
    .openapi(route({
      method: 'post', path: '/', tags: ['referrals'], operationId: 'register_referral', summary: 'Register a referral',
      middleware: onlyFor(['officer', 'team_leader', 'clinician', 'admin'], 'register referrals'), request: { body: body(registerReferralBody) },
      responses: {
        201: json('Registered; pathway started', registeredReferral), 200: json('Known UBRN: the existing referral', registeredReferral),
        202: json('Saved; its pathway starts as soon as Temporal answers', registeredReferral), ...errors(...signedIn, 409, 503),
      },
    }), async (c) => {
      const body = c.req.valid('json');
      const { created, referral, pathwayStarted } = await registerReferral(deps, body, c.get('staff').id, c.get('idempotency'));
      const [record] = await queryRows(db, sql`select ${referralSelect} from ${referralFrom} where r.id = ${referral.id}`);
      // 202: saved, and its pathway starts as soon as Temporal answers (the reconciler sees to it).
      return c.json({ ...withWait(record, deps.today()), pathwayStarted }, !pathwayStarted ? 202 : created ? 201 : 200);
    })
    .openapi(showRoute('referrals', 'A referral with its RTT clock, cancer targets and timeline', referralDetail), async (c) => {
      const id = c.req.valid('param').id;
      const [record] = await queryRows<Record<string, unknown>>(db, sql`select ${referralSelect} from ${referralFrom} where r.id = ${id}`);
      if (!record) throw notFound('referral', id);
      const [pathway] = await db.select().from(pathways).where(eq(pathways.referralId, id));
      const patient = await referenceRecord(db, 'patients', record.patientId as string);
      const [{ createdAt }] = await db.select({ createdAt: patients.createdAt }).from(patients).where(eq(patients.id, record.patientId as string));
      const events = await db.select({
        id: pathwayEvents.id, at: pathwayEvents.at, date: pathwayEvents.eventDate, kind: pathwayEvents.kind, rttCode: pathwayEvents.rttCode,
        note: pathwayEvents.note, actorName: staff.name,
      }).from(pathwayEvents).leftJoin(staff, eq(staff.id, pathwayEvents.actorId)).where(eq(pathwayEvents.referralId, id)).orderBy(desc(pathwayEvents.id));
      const appts = await db.select({
        id: appointments.id, start: appointments.start, kind: appointments.kind, state: appointments.state, outcome: appointments.outcome,
        clinicId: appointments.clinicId, clinicName: clinics.name, slotId: appointments.slotId, bookedByName: staff.name,
        communicatedAt: appointments.communicatedAt, communicatedBy: appointments.communicatedBy,
        interpreterStatus: appointments.interpreterStatus, interpreterNote: appointments.interpreterNote,
      }).from(appointments).innerJoin(clinics, eq(clinics.id, appointments.clinicId)).leftJoin(staff, eq(staff.id, appointments.bookedBy)).where(eq(appointments.referralId, id)).orderBy(asc(appointments.start));
      const taskRows = await queryRows(db, sql`select ${taskListSpec.select} from ${taskListSpec.from} where t.referral_id = ${id} order by t.created_at`);
      const clock: RttClock | null = pathway
        ? { status: pathway.rttStatus, clockStart: pathway.clockStart, clockStop: pathway.clockStop, lastCode: pathway.lastRttCode as RttClock['lastCode'] }
        : null;
      return c.json({
        ...withWait(record, deps.today()),
        rtt: clock ? rttSummary(clock, deps.today() < clock.clockStart ? clock.clockStart : deps.today()) : null,
        cancer: pathway?.fdsTarget
          ? {
            uscFirstSeenTarget: pathway.uscFirstSeenTarget, fdsTarget: pathway.fdsTarget, cancer62Target: pathway.cancer62Target,
            cancerClockStart: pathway.cancerClockStart, fdsOutcome: pathway.fdsOutcome, fdsCommunicatedOn: pathway.fdsCommunicatedOn,
          }
          : null,
        patient: { ...patient, createdAt },
        events: events.map((e) => ({ ...e, id: String(e.id) })),
        tasks: taskRows,
        appointments: appts,
      });
    });
}
