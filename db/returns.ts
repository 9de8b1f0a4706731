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
      case
        when p.decision_to_admit_on <= ${c} then 'awaiting_admission'
        when p.start_code = 11 or ap.last_attended >= (p.clock_start::timestamp at time zone 'Europe/London') then 'awaiting_follow_up'
        when tr.referral_id is not null then 'awaiting_triage'
        else 'awaiting_first_appointment'
      end as stage
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
        min(a.start) filter (where a.booked_at < ${end} and a.start >= ${end} and a.state not in ('cancelled_by_patient', 'cancelled_by_hospital')) as next_start,
        max(a.start) filter (where a.state = 'attended' and a.start < ${end}) as last_attended
      from appointments a where a.booked_at < ${end} group by a.referral_id
    ) ap on ap.referral_id = p.referral_id
    left join (
      select distinct t.referral_id from tasks t
      where t.type = 'triage_referral' and t.status <> 'cancelled' and t.referral_id is not null and t.created_at < ${end}
        and (t.completed_at is null or t.completed_at >= ${end})
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

export async function wlmdsDiffRows(db: Queryable, census: string, previousCensus: string): Promise<WlmdsDiffRow[]> {
  const compared = (t: string) => sql.raw(`row(${t}.last_rtt_code, ${t}.decision_to_admit_on, ${t}.next_appointment_date, ${t}.priority, ${t}.clinical_priority, ${t}.stage)`);
  return queryRows<WlmdsDiffRow>(db, sql`
    with cur as (${wlmdsSql(census)}), prev as (${wlmdsSql(previousCensus)})
    select case when cur.referral_id is null then null else to_jsonb(cur) end as cur,
      case when prev.referral_id is null then null else to_jsonb(prev) end as prev,
      s.status::text as status, s.stop_code,
      (select e.cause::text from rtt_events e where e.referral_id = s.referral_id and e.period_no = s.period_no and e.code = s.stop_code
        order by e.event_date desc, e.id desc limit 1) as stop_cause
    from cur full join prev on prev.referral_id = cur.referral_id and prev.period_no = cur.period_no
    left join rtt_periods s on cur.referral_id is null and s.referral_id = prev.referral_id and s.period_no = prev.period_no
    where cur.referral_id is null or prev.referral_id is null or ${compared('cur')} is distinct from ${compared('prev')}
    order by case when prev.referral_id is null then 0 when cur.referral_id is null then 1 else 2 end,
      coalesce(cur.referral_id, prev.referral_id), coalesce(cur.period_no, prev.period_no)`);
}
