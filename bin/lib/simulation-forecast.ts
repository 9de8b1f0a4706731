// The forecast check's probe (issue 17): the forecast (domain/forecast.ts) made from the simulation's database as it
// stands at the end of a week, the way the nightly recompute reads a trust's: each running RTT clock at its stage, the
// free slots by specialty, type and day, and the last 12 weeks' clock starts. RTT only: the simulation counts RTT breaches.
import { sql } from 'drizzle-orm';
import { addDays, forecast, londonInstant, rttBreachDate, type ForecastCapacity, type ForecastPathway, type ReferralPriority, type SlotType } from '../../domain';
import { queryRows, type Database } from '../../db/client';
import { FOLLOW_UP_LEEWAY_DAYS, type ForecastProbe } from './simulation';

const zone = 'Europe/London';

/** The forecast's input as at a date (the morning after it: everything before is done). */
export async function forecastInputAt(db: Database, asOf: string, weeks: number) {
  const from = new Date(londonInstant(addDays(asOf, 1), '00:00')).toISOString();
  const pathways = await queryRows<{ referral_id: string; specialty: string; priority: ReferralPriority; clock_start: string; state: string;
    follow_up: boolean; booked_on: string | null; book_by: string | null }>(db, sql`
    select p.referral_id, r.specialty_code as specialty, coalesce(r.clinical_priority, r.priority)::text as priority, p.clock_start::text as clock_start,
      r.state::text as state,
      (r.state in ('awaiting_follow_up', 'follow_up_booked') or exists (select 1 from appointments a where a.referral_id = r.id
        and a.kind = 'follow_up')) as follow_up,
      (select (min(a.start) at time zone ${zone})::date::text from appointments a where a.referral_id = r.id and a.state = 'booked'
        and a.start >= ${from}::timestamptz) as booked_on,
      (select t.payload->>'bookBy' from tasks t where t.referral_id = r.id and t.type = 'book_follow_up' and t.status in ('open', 'claimed')
        limit 1) as book_by
    from rtt_periods p join referrals r on r.id = p.referral_id
    where p.status = 'running'`);
  const capacity = await queryRows<{ specialty: string; type: SlotType; date: string; count: number }>(db, sql`
    select c.specialty_code as specialty, s.type::text as type, (s.start at time zone ${zone})::date::text as date, count(*)::int as count
    from slots s join clinics c on c.id = s.clinic_id
    where s.status = 'free' and s.start >= ${from}::timestamptz and s.start < ${from}::timestamptz + ${`${weeks * 7 + 7} days`}::interval
    group by 1, 2, 3`);
  const arrivals = await queryRows<{ specialty: string; priority: ReferralPriority; count: number }>(db, sql`
    select r.specialty_code as specialty, r.priority::text as priority, count(*)::int as count
    from rtt_periods p join referrals r on r.id = p.referral_id
    where p.period_no = 1 and p.clock_start > ${asOf}::date - 84 and p.clock_start <= ${asOf}::date group by 1, 2`);
  return {
    pathways: pathways.map((p): ForecastPathway => ({
      referralId: p.referral_id, specialtyCode: p.specialty, priority: p.priority, stage: p.follow_up ? 'follow_up' : 'first_appointment',
      clockStart: p.clock_start, breachDate: rttBreachDate(p.clock_start), bookedDate: p.booked_on,
      earliestDate: p.book_by ? addDays(p.book_by, -FOLLOW_UP_LEEWAY_DAYS) : null,
    })),
    capacity: capacity.map((c): ForecastCapacity => ({ specialtyCode: c.specialty, type: c.type, date: c.date, count: c.count })),
    arrivals: arrivals.map((a) => ({ specialtyCode: a.specialty, priority: a.priority, count: a.count })),
  };
}

/** Referrals the forecast made at `asOf` predicts to breach after it, with the breach date each would pass. */
export const simulationForecastProbe: ForecastProbe | undefined = async (db, asOf, weeks) => {
  const made = forecast(await forecastInputAt(db, asOf, weeks), { today: addDays(asOf, 1), weeks });
  return new Map(made.pathways.filter((p) => p.breach && p.breachDate > asOf).map((p) => [p.referralId, p.breachDate]));
};
