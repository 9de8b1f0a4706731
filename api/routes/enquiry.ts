// The Enquiry screen's one fetch (issue 12): an officer taking a call finds the patient by NHS number (spaces or
// not) or by name (date of birth narrows it), and sees each open pathway's status, its next appointment, an expected
// wait, the communication needs and the last contacts, without opening five pages.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../db/client';
import { openReferralStates } from '../../db/ptl';
import { addDays } from '../../domain';
import type { AppDeps, AppEnv } from '../context';
import { errors, json, route, router, signedIn } from '../openapi';
import { enquiryResult, type EnquiryPatient } from '../records';
import { specs } from './reference';
import { isoDate } from '../schemas';
import { iso } from '../list';
import { contactListSpec } from './contacts';
import { referralListSpec } from './referrals';

const MAX_PATIENTS = 10;
/** The expected wait is read from first appointments booked over this many days; fewer than MIN_BOOKINGS say nothing. */
const LOOKBACK_DAYS = 90;
const MIN_BOOKINGS = 5;
export const expectedWaitBasis = `Days from clock start to first appointment for the same specialty and clinical priority, over first appointments `
  + `booked in the last ${LOOKBACK_DAYS} days (not cancelled): half were seen by the median, 92% by the longer figure. `
  + `An estimate from recent bookings, not a promise; none is given from fewer than ${MIN_BOOKINGS}.`;

const enquiryQuery = z.object({
  q: z.string().trim().min(2, 'type an NHS number or at least two letters of a name').max(100, 'must be at most 100 characters')
    .openapi({ description: 'An NHS number (spaces allowed) or a name: each word matches the start of a given or family name', example: 'Lovelace' }),
  dateOfBirth: isoDate.optional().openapi({ description: 'YYYY-MM-DD: only patients born that day', example: '1962-12-10' }),
});

const like = (word: string) => `${word.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;

function matching(q: string, dateOfBirth: string | undefined) {
  const digits = q.replace(/[\s-]/g, '');
  const parts = /^\d{10}$/.test(digits)
    ? [sql`p.nhs_number = ${digits}`]
    : q.split(/\s+/).slice(0, 5).map((w) => sql`(p.given_name ilike ${like(w)} or p.family_name ilike ${like(w)})`);
  if (dateOfBirth) parts.push(sql`p.date_of_birth = ${dateOfBirth}::date`);
  return sql.join(parts, sql` and `);
}

type Wait = { specialtyCode: string; priority: string; bookings: number; medianDays: number; p92Days: number };

/** Recent waits to a first appointment, per specialty and clinical priority: what the expected wait is made of. */
async function recentWaits(db: Database, specialtyCodes: string[]): Promise<Map<string, Wait>> {
  if (!specialtyCodes.length) return new Map();
  const rows = await queryRows<Wait>(db, sql`
    select r.specialty_code as "specialtyCode", coalesce(r.clinical_priority, r.priority)::text as priority, count(*)::int as bookings,
      round(percentile_cont(0.5) within group (order by (a.start at time zone 'Europe/London')::date - pw.clock_start))::int as "medianDays",
      round(percentile_cont(0.92) within group (order by (a.start at time zone 'Europe/London')::date - pw.clock_start))::int as "p92Days"
    from appointments a join referrals r on r.id = a.referral_id join pathways pw on pw.referral_id = r.id
    where a.kind = 'new' and a.state not in ('cancelled_by_patient', 'cancelled_by_hospital')
      and a.booked_at >= now() - make_interval(days => ${LOOKBACK_DAYS})
      and r.specialty_code in (${sql.join(specialtyCodes.map((s) => sql`${s}`), sql`, `)})
    group by 1, 2`);
  return new Map(rows.filter((w) => w.bookings >= MIN_BOOKINGS).map((w) => [`${w.specialtyCode}:${w.priority}`, w]));
}

export async function enquiry(db: Database, q: string, dateOfBirth: string | undefined, today: string) {
  const where = matching(q, dateOfBirth);
  const [[{ total }], people] = await Promise.all([
    queryRows<{ total: number }>(db, sql`select count(*)::int as total from patients p where ${where}`),
    queryRows<Record<string, unknown> & { id: string }>(db, sql`
      select ${specs.patients.select}
      from patients p where ${where} order by p.family_name, p.given_name, p.id limit ${MAX_PATIENTS}`),
  ]);
  if (!people.length) return { patients: [], total, expectedWaitBasis };
  const ids = sql.join(people.map((p) => sql`${p.id}`), sql`, `);
  const open = sql.join(openReferralStates.map((s) => sql`${s}`), sql`, `);
  const referralSpec = referralListSpec(today);
  const [referralRows, nextAppointments, work, contacts] = await Promise.all([
    queryRows<Record<string, unknown>>(db, sql`select ${referralSpec.select} from ${referralSpec.from}
      where r.patient_id in (${ids}) and r.state::text in (${open}) order by r.received_at, r.id`),
    queryRows<{ referralId: string; id: string; start: string; clinicName: string; site: string | null; kind: string }>(db, sql`
      select distinct on (a.referral_id) a.referral_id as "referralId", a.id, ${iso(sql`a.start`)} as start, c.name as "clinicName", c.site, a.kind
      from appointments a join clinics c on c.id = a.clinic_id
      where a.patient_id in (${ids}) and a.state = 'booked' and a.start >= now() order by a.referral_id, a.start, a.id`),
    queryRows<{ referralId: string; id: string; title: string; status: string; assigneeName: string | null; dueAt: string | null }>(db, sql`
      select t.referral_id as "referralId", t.id, t.title, t.status, s.name as "assigneeName", ${iso(sql`t.due_at`)} as "dueAt"
      from tasks t left join staff s on s.id = t.assignee_id
      where t.patient_id in (${ids}) and t.status in ('open', 'claimed') order by t.due_at, t.id`),
    queryRows<Record<string, unknown> & { patientId: string }>(db, sql`
      select * from (select ${contactListSpec.select}, row_number() over (partition by k.patient_id order by k.at desc, k.id desc) as nth
        from ${contactListSpec.from} where k.patient_id in (${ids})) recent where nth <= 3 order by at desc`),
  ]);
  const referrals = referralSpec.map ? referralRows.map(referralSpec.map) : referralRows;
  const waits = await recentWaits(db, [...new Set(referrals.map((r) => r.specialtyCode as string))]);
  const next = new Map(nextAppointments.map(({ referralId, ...a }) => [referralId, a]));
  const patients = people.map((person) => ({
    ...person,
    pathways: referrals.filter((r) => r.patientId === person.id).map((r) => {
      const nextAppointment = next.get(r.id as string) ?? null;
      const priority = (r.clinicalPriority ?? r.priority) as string;
      const wait = waits.get(`${r.specialtyCode}:${priority}`);
      // Only for a first appointment still to come: once booked, the appointment is the answer.
      const waiting = !nextAppointment && (r.state === 'awaiting_triage' || r.state === 'awaiting_booking') && r.clockStart;
      return {
        referralId: r.id, specialtyCode: r.specialtyCode, specialtyName: r.specialtyName, priority, state: r.state, receivedAt: r.receivedAt,
        clockStart: r.clockStart, breachDate: r.breachDate, daysWaited: r.daysWaited, weekBand: r.weekBand, nextAppointment,
        openWork: work.filter((t) => t.referralId === r.id).map(({ referralId: _, ...t }) => t),
        expectedWait: waiting && wait ? {
          bookings: wait.bookings, medianDays: wait.medianDays, p92Days: wait.p92Days,
          expectedBy: addDays(r.clockStart as string, wait.medianDays), likelyBy: addDays(r.clockStart as string, wait.p92Days),
        } : null,
      };
    }),
    lastContacts: contacts.filter((k) => k.patientId === person.id).map(({ nth: _, ...k }) => k),
  }));
  return { patients: patients as unknown as EnquiryPatient[], total, expectedWaitBasis };
}

export function enquiryRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  return router().openapi(route({
    method: 'get', path: '/', tags: ['enquiry'], operationId: 'enquiry',
    summary: 'Find a patient by NHS number or name (and date of birth) with their open pathways, next appointments, expected waits and communication needs',
    request: { query: enquiryQuery },
    responses: { 200: json('Up to 10 matching patients, by family name', enquiryResult), ...errors(...signedIn) },
  }), async (c) => {
    const { q, dateOfBirth } = c.req.valid('query');
    return c.json(await enquiry(deps.db, q, dateOfBirth, deps.today()));
  });
}
