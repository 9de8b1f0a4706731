// The PTL (patient tracking list) as one SQL query over rtt_periods: the open periods on a census date (or the
// running ones today), with the referral, patient, specialty, last validation and the next booked appointment.
// Days waited, week bands, breach dates and alerts are worked out from the rows by the rules engine
// (api/routes/ptl.ts), so there is one definition of a day waited; SQL only filters and orders by the same dates.
import { sql, type SQL } from 'drizzle-orm';
import {
  addDays, londonInstant, ptlStageOf, referralStates, rttMaxDays, appointmentKinds,
  type AppointmentKind, type PtlStage,
} from '../domain';
import { defaultAccessPolicy } from '../domain/booking-policy';
import { communicationNeedsSql, type CommunicationNeeds } from './communication-needs';

const trustZone = 'Europe/London';

/**
 * ptlStageOf as a SQL CASE over a referral state and the kind of its latest appointment, built from the domain
 * function itself (every state × every kind), so the SQL cannot say otherwise (tests/api/ptl.test.ts checks it).
 */
export function ptlStageSql(state: SQL, lastAppointmentKind: SQL): SQL {
  const kinds: Array<AppointmentKind | null> = [null, ...appointmentKinds];
  const branches: SQL[] = [];
  for (const s of referralStates) {
    const stages = kinds.map((k) => ptlStageOf(s, k));
    if (stages.every((x) => x === null)) continue;
    if (stages.every((x) => x === stages[0])) {
      branches.push(sql`when ${sql.raw(`'${s}'`)} then ${sql.raw(`'${stages[0]}'`)}`);
      continue;
    }
    const byKind = appointmentKinds.map((k) => {
      const stage = ptlStageOf(s, k);
      return sql`when ${sql.raw(`'${k}'`)} then ${stage === null ? sql`null` : sql.raw(`'${stage}'`)}`;
    });
    const otherwise = ptlStageOf(s, null);
    branches.push(sql`when ${sql.raw(`'${s}'`)} then (case ${lastAppointmentKind} ${sql.join(byKind, sql` `)} else ${otherwise === null ? sql`null` : sql.raw(`'${otherwise}'`)} end)`);
  }
  return sql`(case ${state}::text ${sql.join(branches, sql` `)} else null end)`;
}

/** The referral states of an open pathway (those with a PTL stage). */
export const openReferralStates: readonly string[] = referralStates.filter((s) => ptlStageOf(s) !== null || ptlStageOf(s, 'follow_up') !== null);

export type PtlScope = {
  /** The date waits are counted to: the census date, or today. */
  asOf: string;
  /** True when a census date was asked for: membership is "open on that date" rather than "running now". */
  census: boolean;
  /** Patients on active monitoring (clock stopped by 31/32) are listed too: only when the stage filter asks. */
  monitoring: boolean;
};

/** The London instant the census (or today) begins: booked appointments from then on are the next event. */
export const dayStartOf = (date: string) => new Date(londonInstant(date, '00:00')).toISOString();

/** The SQL fragments of the PTL for a scope: the table expression, the membership test, and the derived columns. */
export function ptlSql(scope: PtlScope) {
  const asOf = sql`${scope.asOf}::date`;
  const dayStart = sql`${dayStartOf(scope.asOf)}::timestamptz`;
  // On active monitoring as at the date: the period was stopped by 31/32 on or before it.
  const monitoring = sql`(p.stop_code in (31, 32) and p.clock_stop <= ${asOf})`;
  const running = scope.census
    ? sql`(p.clock_start <= ${asOf} and (p.clock_stop is null or p.clock_stop > ${asOf}))`
    : sql`p.status = 'running'`;
  const monitored = sql`(${monitoring} and not exists (select 1 from rtt_periods later where later.referral_id = p.referral_id
    and later.period_no > p.period_no and later.clock_start <= ${asOf})${scope.census ? sql`` : sql` and r.state = 'active_monitoring'`})`;
  const membership = scope.monitoring ? sql`(${running} or ${monitored})` : running;
  const isMonitoring = scope.monitoring ? sql`coalesce(${monitoring}, false)` : sql`false`;
  const lastKind = sql`(select a.kind from appointments a where a.referral_id = r.id order by a.start desc, a.id desc limit 1)`;
  const stage = sql`(case when ${isMonitoring} then 'active_monitoring' else ${ptlStageSql(sql`r.state`, lastKind)} end)`;
  // The review: the open review item's due date, else the policy's interval from the stop.
  const reviewDays = defaultAccessPolicy.activeMonitoring.reviewEveryDays;
  const review = sql`coalesce((select min(t.due_at) from tasks t where t.referral_id = p.referral_id and t.type = 'active_monitoring_review'
    and t.status in ('open', 'claimed')) at time zone ${trustZone}, p.clock_stop + ${reviewDays}::int)::date`;
  const nextEventDate = sql`(case when ${isMonitoring} then ${review} else (na.start at time zone ${trustZone})::date end)`;
  // The next booked appointment, two ways to the same row: per row after the page is chosen (lateral, for a page),
  // or for every referral at once (a hash join, for the whole list, the unbooked filter and the next-event sort).
  const nextAppointment = {
    lateral: sql`left join lateral (select a.start, a.kind from appointments a where a.referral_id = p.referral_id
      and a.state = 'booked' and a.start >= ${dayStart} order by a.start, a.id limit 1) na on true`,
    join: sql`left join (select distinct on (a.referral_id) a.referral_id, a.start, a.kind from appointments a
      where a.state = 'booked' and a.start >= ${dayStart} order by a.referral_id, a.start, a.id) na on na.referral_id = p.referral_id`,
    none: sql``,
  };
  const clinicalPriority = sql`coalesce(r.clinical_priority, r.priority)`;
  const daysWaited = sql`((case when ${isMonitoring} then p.clock_stop else ${asOf} end) - p.clock_start)`;
  // The full join for rows; a narrow one (periods, referrals, and patients only when `q` searches them) for counting
  // and for choosing a page, which need nothing else: every period has its referral, patient, specialty and pathway.
  const from = (next: keyof typeof nextAppointment, narrow?: { patients: boolean }) => (narrow
    ? sql`rtt_periods p join referrals r on r.id = p.referral_id ${narrow.patients ? sql`join patients pt on pt.id = r.patient_id` : sql``}
      ${nextAppointment[next]}`
    : sql`rtt_periods p
    join referrals r on r.id = p.referral_id
    join patients pt on pt.id = r.patient_id
    join specialties s on s.code = r.specialty_code
    join pathways pw on pw.referral_id = r.id
    left join staff vs on vs.id = pw.last_validated_by
    ${nextAppointment[next]}`);
  const select = sql`r.id as "id", r.id as "referralId", pt.nhs_number as "nhsNumber",
    pt.given_name || ' ' || pt.family_name as "patientName", r.specialty_code as "specialtyCode", s.name as "specialtyName",
    r.priority::text as "priority", r.clinical_priority::text as "clinicalPriority", ${stage} as "stage",
    p.clock_start::text as "clockStart", (case when ${isMonitoring} then p.clock_stop end)::text as "frozenOn",
    ${nextEventDate}::text as "nextEventDate",
    (case when ${isMonitoring} then 'active_monitoring_review' when na.kind = 'new' then 'new_appointment'
      when na.kind = 'follow_up' then 'follow_up_appointment' end) as "nextEventType",
    p.last_code as "lastRttCode",
    to_char(pw.last_validated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "lastValidatedAt",
    vs.id as "lastValidatedById", vs.name as "lastValidatedByName", ${communicationNeedsSql(sql`pt`)} as "communicationNeeds"`;
  return { asOf, membership, isMonitoring, stage, nextEventDate, clinicalPriority, daysWaited, from, select };
}

export type PtlSql = ReturnType<typeof ptlSql>;

/** Week band n or more ⇔ days waited ≥ 7(n−1)+1 (band 1 is every wait) [A RTT-Rec25 §10.1.7]. */
export const weekBandFloorDays = (band: number) => (band <= 1 ? 0 : 7 * (band - 1) + 1);

/** Breach date on or before D ⇔ clock start on or before D − 127 (the breach date is clock start + 127). */
export const clockStartForBreachBy = (date: string) => addDays(date, -(rttMaxDays + 1));

/** A PTL row as SQL answers it, before the rules engine adds the waits. */
export type PtlSqlRow = {
  id: string; referralId: string; nhsNumber: string; patientName: string; specialtyCode: string; specialtyName: string;
  priority: string; clinicalPriority: string | null; stage: PtlStage | null; clockStart: string; frozenOn: string | null;
  nextEventDate: string | null; nextEventType: string | null; lastRttCode: number; lastValidatedAt: string | null;
  lastValidatedById: string | null; lastValidatedByName: string | null; communicationNeeds: CommunicationNeeds;
};

