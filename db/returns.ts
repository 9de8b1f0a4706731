// The national returns, counted in SQL from the dated RTT periods and events: the monthly RTT return
// (parts × treatment function × week band, one pass over the periods that touch the month) and the weekly
// WLMDS extract (the periods open at a Sunday census, each as it stood on that day). Nothing here reads
// "now": a month or a week is answered from dates alone, so a re-run gives the same figures.
import { sql, type SQL } from 'drizzle-orm';
import { rttReturnTfc } from '../domain/rtt-reporting';
import { queryRows, type Queryable } from './client';

/** The return line of every specialty code, from the domain's own rule, as a SQL relation `tfcs(code, tfc)`. */
export async function tfcRelation(db: Queryable): Promise<SQL> {
  const codes = await queryRows<{ code: string }>(db, sql`select code from specialties order by code`);
  if (codes.length === 0) return sql`(select null::text as code, null::text as tfc where false) tfcs`;
  return sql`(values ${sql.join(codes.map(({ code }) => sql`(${code}::text, ${rttReturnTfc(code)}::text)`), sql`, `)}) as tfcs(code, tfc)`;
}

/** Clock stops that complete a pathway in Parts 1A/1B: not 33 (nullified) nor 21 (transferred) [RTT-Rec25 §10]. */
const completingStops = sql`(30, 31, 32, 34, 35, 36)`;

/**
 * The return's counts: one row per part, return line and band (0 for an unknown clock start; 1…105 the
 * week bands of §1.7). One scan over the periods that were open at some time in the month.
 */
export function rttReturnCountsSql(first: string, census: string, tfcs: SQL): SQL {
  const f = sql`${first}::date`;
  const c = sql`${census}::date`;
  const openAtCensus = sql`(p.clock_stop is null or p.clock_stop > ${c})`;
  return sql`
    select x.part, tfcs.tfc,
      case when not p.start_known then 0 when x.days >= 729 then 105 else greatest(1, ceil(greatest(x.days, 0) / 7.0))::int end as band,
      count(*)::int as n
    from rtt_periods p
    join referrals r on r.id = p.referral_id
    join ${tfcs} on tfcs.code = r.specialty_code
    cross join lateral (values
      ('1A', p.clock_stop - p.clock_start,
        p.status = 'stopped' and p.stop_code in ${completingStops} and p.clock_stop >= ${f} and p.clock_stop <= ${c} and p.stop_admitted),
      ('1B', p.clock_stop - p.clock_start,
        p.status = 'stopped' and p.stop_code in ${completingStops} and p.clock_stop >= ${f} and p.clock_stop <= ${c} and not p.stop_admitted),
      ('2', ${c} - p.clock_start, ${openAtCensus}),
      ('2A', ${c} - p.clock_start, ${openAtCensus} and p.decision_to_admit_on <= ${c}),
      -- A new period counts once it starts, unless it was nullified by the census (then it never was one).
      ('3', 0, p.clock_start >= ${f} and not (p.status = 'nullified' and p.clock_stop <= ${c}))
    ) as x(part, days, counts)
    where p.clock_start <= ${c} and (p.clock_stop is null or p.clock_stop >= ${f}) and x.counts
    group by 1, 2, 3`;
}

export type RttReturnCount = { part: string; tfc: string; band: number; n: number };

export async function rttReturnCounts(db: Queryable, first: string, census: string): Promise<RttReturnCount[]> {
  return queryRows<RttReturnCount>(db, rttReturnCountsSql(first, census, await tfcRelation(db)));
}

/** The end of a census day in trust time: bookings made and appointments starting are compared with it. */
const censusEnd = (census: SQL) => sql`((${census} + 1)::timestamp at time zone 'Europe/London')`;

/**
 * The periods open at a census date, one row per period, each field as it stood that day: the last RTT code
 * from the events dated by then, the decision to admit if made by then, the next appointment booked by then
 * and starting after it, and the PTL stage read from those dated facts.
 */
export function wlmdsSql(census: string, tfcs: SQL): SQL {
  const c = sql`${census}::date`;
  const end = censusEnd(c);
  return sql`
    select ${census}::text as week_ending, r.id as referral_id, p.period_no, pt.nhs_number, pt.id as local_patient_id,
      coalesce(r.ubrn, r.id) as ppid_or_ubrn, tfcs.tfc, r.specialty_code, r.priority::text as priority,
      r.clinical_priority::text as clinical_priority, p.clock_start::text as clock_start, p.start_known, p.start_code,
      (${c} - p.clock_start) as days_waited,
      (select e.code from rtt_events e where e.referral_id = p.referral_id and e.period_no = p.period_no and e.event_date <= ${c}
        order by e.event_date desc, e.id desc limit 1) as last_rtt_code,
      case when p.decision_to_admit_on <= ${c} then p.decision_to_admit_on::text end as decision_to_admit_on,
      (select (min(a.start) at time zone 'Europe/London')::date::text from appointments a
        where a.referral_id = p.referral_id and a.booked_at < ${end} and a.start >= ${end}
          and a.state not in ('cancelled_by_patient', 'cancelled_by_hospital')) as next_appointment_date,
      case
        when p.decision_to_admit_on <= ${c} then 'awaiting_admission'
        when p.start_code = 11 or exists (select 1 from appointments a where a.referral_id = p.referral_id and a.state = 'attended'
          and a.start >= (p.clock_start::timestamp at time zone 'Europe/London') and a.start < ${end}) then 'awaiting_follow_up'
        when exists (select 1 from tasks t where t.referral_id = p.referral_id and t.type = 'triage_referral' and t.created_at < ${end}
          and (t.completed_at is null or t.completed_at >= ${end}) and t.status <> 'cancelled') then 'awaiting_triage'
        else 'awaiting_first_appointment'
      end as stage
    from rtt_periods p
    join referrals r on r.id = p.referral_id
    join patients pt on pt.id = r.patient_id
    join ${tfcs} on tfcs.code = r.specialty_code
    where p.clock_start <= ${c} and (p.clock_stop is null or p.clock_stop > ${c})`;
}

export type WlmdsRow = {
  week_ending: string; referral_id: string; period_no: number; nhs_number: string; local_patient_id: string; ppid_or_ubrn: string;
  tfc: string; specialty_code: string; priority: string; clinical_priority: string | null; clock_start: string; start_known: boolean;
  start_code: number; days_waited: number; last_rtt_code: number | null; decision_to_admit_on: string | null;
  next_appointment_date: string | null; stage: string;
};

export async function wlmdsRows(db: Queryable, census: string): Promise<WlmdsRow[]> {
  const tfcs = await tfcRelation(db);
  return queryRows<WlmdsRow>(db, sql`${wlmdsSql(census, tfcs)} order by p.clock_start, r.id, p.period_no`);
}

export async function wlmdsCount(db: Queryable, census: string): Promise<number> {
  const [{ n }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from (${wlmdsSql(census, await tfcRelation(db))}) w`);
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
  const tfcs = await tfcRelation(db);
  const compared = (t: string) => sql.raw(`row(${t}.last_rtt_code, ${t}.decision_to_admit_on, ${t}.next_appointment_date, ${t}.priority, ${t}.clinical_priority, ${t}.stage)`);
  return queryRows<WlmdsDiffRow>(db, sql`
    with cur as (${wlmdsSql(census, tfcs)}), prev as (${wlmdsSql(previousCensus, tfcs)})
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
