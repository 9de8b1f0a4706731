// The national returns, counted in SQL from the dated RTT periods and events: the monthly RTT return
// (parts × treatment function × week band: the month's stops and starts by their date indexes, the census's open periods
// grouped once) and the weekly WLMDS extract (the periods open at a Sunday census, each as it stood on that day). Nothing here reads
// "now": a month or a week is answered from dates alone, so a re-run gives the same figures.
import { sql, type SQL } from 'drizzle-orm';
import { rttReturnTfc } from '../domain/rtt-reporting';
import { queryRows, type Queryable } from './client';

/** Clock stops that complete a pathway in Parts 1A/1B: not 33 (nullified) nor 21 (transferred) [RTT-Rec25 §10]. */
const completingStops = sql`(30, 31, 32, 34, 35, 36)`;

/** The week band of `days` (§1.7, domain rttWeekBand) in integer arithmetic; 0 for an unknown clock start. */
const band = (days: SQL) => sql`case when not p.start_known then 0 else least(105, greatest(1, (${days} + 6) / 7)) end`;

/**
 * The return's counts: one row per part, specialty code and band (0 for an unknown clock start; 1…105 the
 * week bands of §1.7). Completed and new periods are found through the stop and start date indexes; the
 * periods open at the census are counted by specialty and band first, then given to Part 2 and, with a
 * decision to admit by the census, to Part 2A.
 */
export function rttReturnCountsSql(first: string, census: string): SQL {
  const f = sql`${first}::date`;
  const c = sql`${census}::date`;
  return sql`
    select part, specialty_code, band, sum(n)::int as n from (
      select case when p.stop_admitted then '1A' else '1B' end as part, r.specialty_code, ${band(sql`(p.clock_stop - p.clock_start)`)} as band, 1 as n
      from rtt_periods p join referrals r on r.id = p.referral_id
      where p.clock_stop >= ${f} and p.clock_stop <= ${c} and p.status = 'stopped' and p.stop_code in ${completingStops}
      union all
      -- A new period counts once it starts, unless it was nullified by the census (then it never was one).
      select '3', r.specialty_code, ${band(sql`0`)}, 1
      from rtt_periods p join referrals r on r.id = p.referral_id
      where p.clock_start >= ${f} and p.clock_start <= ${c} and not (p.status = 'nullified' and p.clock_stop <= ${c})
      union all
      select x.part, o.specialty_code, o.band, o.n from (
        select r.specialty_code, ${band(sql`(${c} - p.clock_start)`)} as band, coalesce(p.decision_to_admit_on <= ${c}, false) as dta, count(*) as n
        from rtt_periods p join referrals r on r.id = p.referral_id
        where p.clock_start <= ${c} and (p.clock_stop is null or p.clock_stop > ${c})
        group by 1, 2, 3
      ) o cross join lateral (select '2' union all select '2A' where o.dta) as x(part)
    ) counted
    group by 1, 2, 3`;
}

export type RttReturnCount = { part: string; tfc: string; band: number; n: number };

/** The counts by return line: specialty codes mapped by rttReturnTfc, several codes summing into an "other" line. */
export async function rttReturnCounts(db: Queryable, first: string, census: string): Promise<RttReturnCount[]> {
  const rows = await queryRows<{ part: string; specialty_code: string; band: number; n: number }>(db, rttReturnCountsSql(first, census));
  const byLine = new Map<string, RttReturnCount>();
  for (const { part, specialty_code: code, band: b, n } of rows) {
    const tfc = rttReturnTfc(code);
    const key = `${part}|${tfc}|${b}`;
    const found = byLine.get(key);
    if (found) found.n += n;
    else byLine.set(key, { part, tfc, band: b, n });
  }
  return [...byLine.values()];
}

/** The end of a census day in trust time: bookings made and appointments starting are compared with it. */
const censusEnd = (census: SQL) => sql`((${census} + 1)::timestamp at time zone 'Europe/London')`;

/** The PTL stage at a census, read from dated facts: one rule for the extract and for the diff. */
const stageAt = (census: SQL, lastAttended: SQL, inTriage: SQL) => sql`case
        when p.decision_to_admit_on <= ${census} then 'awaiting_admission'
        when p.start_code = 11 or ${lastAttended} >= (p.clock_start::timestamp at time zone 'Europe/London') then 'awaiting_follow_up'
        when ${inTriage} then 'awaiting_triage'
        else 'awaiting_first_appointment'
      end`;
const cancelled = sql`('cancelled_by_patient', 'cancelled_by_hospital')`;
/** A triage item raised by the end of a census day and not yet done by then. */
const inTriageAt = (end: SQL) => sql`(t.created_at < ${end} and (t.completed_at is null or t.completed_at >= ${end}))`;

/**
 * The periods open at a census date, one row per period, each field as it stood that day: the last RTT code
 * from the events dated by then, the decision to admit if made by then, the next appointment booked by then
 * and starting after it, and the PTL stage read from those dated facts. Joins to relations computed once per
 * census (not a subquery per row), so 100,000 open periods stay a few hash joins.
 */
export function wlmdsSql(census: string): SQL {
  const c = sql`${census}::date`;
  const end = censusEnd(c);
  return sql`
    select ${census}::text as week_ending, r.id as referral_id, p.period_no, pt.nhs_number, pt.id as local_patient_id,
      coalesce(r.ubrn, r.id) as ppid_or_ubrn, r.specialty_code, r.priority::text as priority,
      r.clinical_priority::text as clinical_priority, p.clock_start::text as clock_start, p.start_known, p.start_code,
      (${c} - p.clock_start) as days_waited, le.code as last_rtt_code,
      case when p.decision_to_admit_on <= ${c} then p.decision_to_admit_on::text end as decision_to_admit_on,
      (ap.next_start at time zone 'Europe/London')::date::text as next_appointment_date,
      ${stageAt(c, sql`ap.last_attended`, sql`tr.referral_id is not null`)} as stage
    from rtt_periods p
    join referrals r on r.id = p.referral_id
    join patients pt on pt.id = r.patient_id
    left join (
      select distinct on (e.referral_id, e.period_no) e.referral_id, e.period_no, e.code
      from rtt_events e where e.event_date <= ${c}
      order by e.referral_id, e.period_no, e.event_date desc, e.id desc
    ) le on le.referral_id = p.referral_id and le.period_no = p.period_no
    left join (
      select a.referral_id,
        min(a.start) filter (where a.booked_at < ${end} and a.start >= ${end} and a.state not in ${cancelled}) as next_start,
        max(a.start) filter (where a.state = 'attended' and a.start < ${end}) as last_attended
      from appointments a where a.booked_at < ${end} group by a.referral_id
    ) ap on ap.referral_id = p.referral_id
    left join (
      select distinct t.referral_id from tasks t
      where t.type = 'triage_referral' and t.status <> 'cancelled' and t.referral_id is not null and ${inTriageAt(end)}
    ) tr on tr.referral_id = p.referral_id
    where p.clock_start <= ${c} and (p.clock_stop is null or p.clock_stop > ${c})`;
}

export type WlmdsRow = {
  week_ending: string; referral_id: string; period_no: number; nhs_number: string; local_patient_id: string; ppid_or_ubrn: string;
  specialty_code: string; priority: string; clinical_priority: string | null; clock_start: string; start_known: boolean;
  start_code: number; days_waited: number; last_rtt_code: number | null; decision_to_admit_on: string | null;
  next_appointment_date: string | null; stage: string;
};

export async function wlmdsRows(db: Queryable, census: string): Promise<WlmdsRow[]> {
  return queryRows<WlmdsRow>(db, sql`${wlmdsSql(census)} order by p.clock_start, r.id, p.period_no`);
}

export async function wlmdsCount(db: Queryable, census: string): Promise<number> {
  const [{ n }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from (${wlmdsSql(census)}) w`);
  return n;
}

/**
 * The week-on-week difference: periods open at one census and not the other, and those open at both whose
 * compared fields differ (not the week band, which moves by itself). A leaver carries its period's stop, and
 * the cause of the event that stopped it (validation or otherwise).
 */
export type WlmdsDiffRow = {
  cur: WlmdsRow | null; prev: WlmdsRow | null; status: string | null; stop_code: number | null; stop_cause: string | null;
};

/**
 * One pass over the periods open at either census: each field worked out at both, then only the periods that
 * joined, left or changed are kept and written out as the two weeks' rows (the same values as wlmdsSql gives).
 */
export async function wlmdsDiffRows(db: Queryable, census: string, previousCensus: string): Promise<WlmdsDiffRow[]> {
  const now = sql`${census}::date`;
  const then = sql`${previousCensus}::date`;
  const endNow = censusEnd(now);
  const endThen = censusEnd(then);
  const rowAt = (k: SQL, side: 'now' | 'then') => {
    const f = (name: string) => sql.raw(`x.${name}_${side}`);
    return sql`jsonb_build_object(
      'week_ending', ${k}::text, 'referral_id', x.referral_id, 'period_no', x.period_no, 'nhs_number', pt.nhs_number,
      'local_patient_id', pt.id, 'ppid_or_ubrn', coalesce(r.ubrn, r.id), 'specialty_code', r.specialty_code, 'priority', r.priority::text,
      'clinical_priority', r.clinical_priority::text, 'clock_start', x.clock_start::text, 'start_known', x.start_known, 'start_code', x.start_code,
      'days_waited', ${k} - x.clock_start, 'last_rtt_code', ${f('code')}, 'decision_to_admit_on', ${f('dta')},
      'next_appointment_date', ${f('next')}, 'stage', ${f('stage')})`;
  };
  return queryRows<WlmdsDiffRow>(db, sql`
    select case when x.open_now then ${rowAt(now, 'now')} end as cur,
      case when x.open_then then ${rowAt(then, 'then')} end as prev,
      case when not x.open_now then x.status::text end as status, case when not x.open_now then x.stop_code end as stop_code,
      case when not x.open_now then (select e.cause::text from rtt_events e
        where e.referral_id = x.referral_id and e.period_no = x.period_no and e.code = x.stop_code
        order by e.event_date desc, e.id desc limit 1) end as stop_cause
    from (
      select p.referral_id, p.period_no, p.status, p.stop_code, p.clock_start, p.start_known, p.start_code,
        p.clock_stop is null or p.clock_stop > ${now} as open_now,
        p.clock_start <= ${then} and (p.clock_stop is null or p.clock_stop > ${then}) as open_then,
        le.code_now, le.code_then,
        case when p.decision_to_admit_on <= ${now} then p.decision_to_admit_on::text end as dta_now,
        case when p.decision_to_admit_on <= ${then} then p.decision_to_admit_on::text end as dta_then,
        (ap.next_now at time zone 'Europe/London')::date::text as next_now,
        (ap.next_then at time zone 'Europe/London')::date::text as next_then,
        ${stageAt(now, sql`ap.attended_now`, sql`coalesce(tr.triage_now, false)`)} as stage_now,
        ${stageAt(then, sql`ap.attended_then`, sql`coalesce(tr.triage_then, false)`)} as stage_then
      from rtt_periods p
      left join (
        select e.referral_id, e.period_no,
          (array_agg(e.code order by e.event_date desc, e.id desc))[1] as code_now,
          (array_agg(e.code order by e.event_date desc, e.id desc) filter (where e.event_date <= ${then}))[1] as code_then
        from rtt_events e where e.event_date <= ${now} group by 1, 2
      ) le on le.referral_id = p.referral_id and le.period_no = p.period_no
      left join (
        select a.referral_id,
          min(a.start) filter (where a.start >= ${endNow} and a.state not in ${cancelled}) as next_now,
          min(a.start) filter (where a.booked_at < ${endThen} and a.start >= ${endThen} and a.state not in ${cancelled}) as next_then,
          max(a.start) filter (where a.state = 'attended' and a.start < ${endNow}) as attended_now,
          max(a.start) filter (where a.state = 'attended' and a.start < ${endThen}) as attended_then
        from appointments a where a.booked_at < ${endNow} group by a.referral_id
      ) ap on ap.referral_id = p.referral_id
      left join (
        select t.referral_id, bool_or(${inTriageAt(endNow)}) as triage_now, bool_or(${inTriageAt(endThen)}) as triage_then
        from tasks t where t.type = 'triage_referral' and t.status <> 'cancelled' and t.referral_id is not null group by t.referral_id
      ) tr on tr.referral_id = p.referral_id
      where p.clock_start <= ${now} and (p.clock_stop is null or p.clock_stop > ${then})
    ) x
    join referrals r on r.id = x.referral_id
    join patients pt on pt.id = r.patient_id
    where x.open_now <> x.open_then
      or (x.open_now and row(x.code_now, x.dta_now, x.next_now, x.stage_now) is distinct from row(x.code_then, x.dta_then, x.next_then, x.stage_then))
    order by case when not x.open_then then 0 when not x.open_now then 1 else 2 end, x.referral_id, x.period_no`);
}
