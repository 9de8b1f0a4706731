// The breach forecast's reads and its stored result (issue 17). Three set-based queries read the input (open pathways
// with their stage, targets and next booked event; free capacity by specialty, type and day; the last 12 weeks'
// arrivals), domain/forecast.ts runs it, and one transaction replaces the stored weeks and at-risk list. A capacity
// change that puts patients newly at risk raises one capacity escalation to ops, in the same transaction, so a retried
// recompute neither loses it nor raises it twice.
import { and, eq, isNull, sql } from 'drizzle-orm';
import {
  addDays, clinicalRank, endOfWorkingDay, forecast, londonInstant, TRUST_TIME_ZONE,
  type Forecast, type ForecastCapacity, type ForecastInput, type ForecastPathway, type ReferralPriority,
} from '../domain';
import { queryRows, type Database, type Queryable } from '../db/client';
import { newId } from '../db/ids';
import { forecastRuns, queues, tasks } from '../db/schema';
import { writeAudit } from './audit';

/** Weeks the stored forecast covers; GET /api/forecast shows up to this many. */
export const FORECAST_WEEKS = 18;
/** Arrivals are counted over this many weeks before today. */
export const ARRIVAL_WEEKS = 12;
export const FORECAST_WORKFLOW_ID = 'forecast-recompute';
export const FORECAST_SCHEDULE_ID = 'forecast-nightly';

export type ForecastReason = 'nightly' | 'capacity_change' | 'manual';

// Referral states with a next event the forecast places (awaiting triage counts as awaiting its first appointment).
const openStates = ['awaiting_triage', 'awaiting_booking', 'booked', 'awaiting_follow_up', 'follow_up_booked', 'awaiting_dna_review',
  'awaiting_clinical_review', 'awaiting_admission'] as const;

/** The forecast's input as it stands in Postgres on `today`, `weeks` ahead. */
export async function loadForecastInput(db: Queryable, today: string, weeks = FORECAST_WEEKS): Promise<ForecastInput> {
  const end = addDays(today, weeks * 7 + 7);
  const dayStart = new Date(londonInstant(today, '00:00')).toISOString();
  const endInstant = new Date(londonInstant(end, '00:00')).toISOString();
  const states = sql.join(openStates.map((s) => sql`${s}`), sql`, `);
  const [pathways, slots, theatre, arrivals] = await Promise.all([
    queryRows<ForecastPathway>(db, sql`
      with open as (
        select r.id, r.specialty_code, coalesce(r.clinical_priority, r.priority) as priority, r.state, p.clock_start, p.breach_date,
          p.usc_first_seen_target, p.cancer62_target
        from pathways p join referrals r on r.id = p.referral_id
        where p.rtt_status = 'running' and r.state in (${states})
      ), next_appt as (
        select distinct on (a.referral_id) a.referral_id, (a.start at time zone ${TRUST_TIME_ZONE})::date as d
        from appointments a join open o on o.id = a.referral_id
        where a.state = 'booked' and a.start >= ${dayStart}::timestamptz order by a.referral_id, a.start
      )
      select o.id as "referralId", o.specialty_code as "specialtyCode", o.priority, o.clock_start::text as "clockStart",
        o.breach_date::text as "breachDate",
        case when o.state = 'awaiting_admission' then 'admission'
          when o.state in ('awaiting_follow_up', 'follow_up_booked') then 'follow_up'
          when o.state in ('awaiting_dna_review', 'awaiting_clinical_review') and (select a.kind from appointments a where a.referral_id = o.id
            order by a.start desc, a.id desc limit 1) = 'follow_up' then 'follow_up'
          else 'first_appointment' end as stage,
        (case when o.state = 'awaiting_admission' then o.cancer62_target
          when o.state in ('awaiting_triage', 'awaiting_booking', 'booked') then o.usc_first_seen_target end)::text as "cancerTargetDate",
        ad.target_date::text as "surgicalTargetDate", ad.surgical_priority as "surgicalPriority", ad.estimated_minutes as minutes,
        (case when o.state = 'awaiting_admission' then (case when ad.status = 'tci_booked' then ad.tci_date end) else na.d end)::text as "bookedDate",
        (case when o.state = 'awaiting_follow_up' then pb.due_date end)::text as "earliestDate"
      from open o
      left join next_appt na on na.referral_id = o.id
      left join admissions ad on ad.referral_id = o.id and ad.status in ('waiting', 'tci_booked', 'cancelled')
      left join partial_booking_entries pb on pb.referral_id = o.id and pb.status in ('waiting', 'invited', 'chased', 'in_review')`),
    queryRows<ForecastCapacity>(db, sql`
      select c.specialty_code as "specialtyCode", s.type::text as type, (s.start at time zone ${TRUST_TIME_ZONE})::date::text as date, count(*)::int as count
      from slots s join clinics c on c.id = s.clinic_id
      where s.status = 'free' and c.active and s.start >= ${dayStart}::timestamptz and s.start < ${endInstant}::timestamptz
      group by 1, 2, 3`),
    queryRows<ForecastCapacity>(db, sql`
      select specialty_code as "specialtyCode", 'theatre' as type, date::text as date, sum(minutes_available - minutes_booked)::int as count
      from theatre_sessions where date >= ${today}::date and date < ${end}::date and minutes_available > minutes_booked
      group by 1, 3`),
    // New clock starts: referrals received, less those brought over at go-live (a one-off, not demand).
    queryRows<{ specialtyCode: string; priority: ReferralPriority; count: number }>(db, sql`
      select specialty_code as "specialtyCode", coalesce(clinical_priority, priority) as priority, count(*)::int as count
      from referrals where received_at >= ${addDays(today, -ARRIVAL_WEEKS * 7)}::date and received_at < ${today}::date and source <> 'pas_import'
      group by 1, 2`),
  ]);
  return { pathways, capacity: [...slots, ...theatre], arrivals };
}

export type RecomputeResult = { runId: string; pathways: number; atRisk: number; newlyAtRisk: string[]; escalationTaskId: string | null };

/** The escalation a capacity change raises: one per change (its source row), however often the recompute is retried. */
export const forecastEscalationKey = (sourceId: string) => `forecast-${sourceId}:capacity`;

/**
 * Recomputes and stores the forecast. Runs are serialised by an advisory lock, so two triggers at once store one after
 * the other, the later input winning. `sourceId` is the row that changed capacity (a session change, template version,
 * theatre session); with reason `capacity_change`, patients the run newly predicts to breach are escalated to ops.
 */
/** At-risk rows written per statement. */
const AT_RISK_CHUNK = 5000;

export async function recomputeForecast(db: Database, opts: { today: string; reason: ForecastReason; sourceId?: string | null; workflowId?: string; weeks?: number }): Promise<RecomputeResult> {
  const started = Date.now();
  const weeks = opts.weeks ?? FORECAST_WEEKS;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('forecast-recompute'))`);
    const input = await loadForecastInput(tx, opts.today, weeks);
    const result = forecast(input, { today: opts.today, weeks });
    const runId = newId('fcr');
    const breaching = result.pathways.filter((p) => p.breach);
    const before = new Set((await queryRows<{ id: string }>(tx, sql`select referral_id as id from forecast_at_risk`)).map((r) => r.id));
    // The first run ever is the baseline: nobody is "newly" at risk against no forecast at all.
    const [{ baseline }] = await queryRows<{ baseline: boolean }>(tx, sql`select not exists (select 1 from forecast_runs) as baseline`);
    const newly = baseline ? [] : breaching.filter((p) => !before.has(p.referralId));

    await tx.execute(sql`delete from forecast_weeks`);
    if (result.byWeek.length) {
      await tx.execute(sql`insert into forecast_weeks (specialty_code, week_start, demand, capacity, bookings, breaches, run_id)
        select w."specialtyCode", w."weekStart"::date, w.demand, w.capacity, w.bookings, w.breaches, ${runId}
        from jsonb_to_recordset(${JSON.stringify(result.byWeek)}::jsonb)
          as w("specialtyCode" text, "weekStart" text, demand float8, capacity jsonb, bookings int, breaches int)`);
    }
    // Written in chunks, each its own small JSON, and those no longer at risk deleted by run: at 75,000 open pathways one
    // JSON of every row (sent twice) did not fit the worker's 128 MiB heap beside the forecast itself.
    for (let i = 0; i < breaching.length; i += AT_RISK_CHUNK) {
      const json = JSON.stringify(breaching.slice(i, i + AT_RISK_CHUNK).map((p) => ({
        referralId: p.referralId, specialtyCode: p.specialtyCode, priority: p.priority, stage: p.stage, predictedDate: p.predictedDate,
        breachDate: p.breachDate, target: p.target, daysShort: p.daysShort, saveType: p.wouldSave?.type ?? null,
        saveFromWeek: p.wouldSave?.fromWeek ?? null, saveByWeek: p.wouldSave?.byWeek ?? null,
      })));
      // `since` stays from the run that first predicted it while the patient stays at risk.
      await tx.execute(sql`insert into forecast_at_risk (referral_id, specialty_code, priority, stage, predicted_date, breach_date, target,
          days_short, save_type, save_from_week, save_by_week, run_id)
        select n."referralId", n."specialtyCode", n.priority::referral_priority, n.stage::forecast_stage, n."predictedDate"::date, n."breachDate"::date,
          n.target::forecast_target, n."daysShort", n."saveType"::capacity_type, n."saveFromWeek"::date, n."saveByWeek"::date, ${runId}
        from jsonb_to_recordset(${json}::jsonb) as n("referralId" text, "specialtyCode" text, priority text, stage text, "predictedDate" text,
          "breachDate" text, target text, "daysShort" int, "saveType" text, "saveFromWeek" text, "saveByWeek" text)
        on conflict (referral_id) do update set specialty_code = excluded.specialty_code, priority = excluded.priority, stage = excluded.stage,
          predicted_date = excluded.predicted_date, breach_date = excluded.breach_date, target = excluded.target, days_short = excluded.days_short,
          save_type = excluded.save_type, save_from_week = excluded.save_from_week, save_by_week = excluded.save_by_week, run_id = excluded.run_id`);
    }
    // Every patient still at risk now carries this run's id: the others are at risk no longer.
    await tx.execute(sql`delete from forecast_at_risk where run_id <> ${runId}`);

    let escalationTaskId: string | null = null;
    if (opts.reason === 'capacity_change' && opts.sourceId && newly.length > 0) {
      escalationTaskId = await escalateNewlyAtRisk(tx, {
        sourceId: opts.sourceId, today: opts.today, workflowId: opts.workflowId ?? `${FORECAST_WORKFLOW_ID}-${opts.sourceId}`, newly, runId,
      });
    }
    await tx.insert(forecastRuns).values({
      id: runId, today: opts.today, weeks, reason: opts.reason, sourceId: opts.sourceId ?? null, pathways: result.pathways.length,
      atRisk: breaching.length, newlyAtRisk: newly.length, escalationTaskId, durationMs: Date.now() - started,
    });
    return { runId, pathways: result.pathways.length, atRisk: breaching.length, newlyAtRisk: newly.map((p) => p.referralId), escalationTaskId };
  });
}

/** One capacity escalation to ops naming (by referral id) the patients a change newly puts at risk. */
async function escalateNewlyAtRisk(db: Queryable, a: { sourceId: string; today: string; workflowId: string; runId: string; newly: Forecast['pathways'] }): Promise<string> {
  const [queue] = await db.select({ id: queues.id }).from(queues).where(and(eq(queues.kind, 'capacity'), isNull(queues.specialtyCode)));
  if (!queue) throw new Error('No capacity queue');
  const key = forecastEscalationKey(a.sourceId);
  const [existing] = await db.select({ id: tasks.id }).from(tasks).where(eq(tasks.taskKey, key));
  if (existing) return existing.id;
  const priority = a.newly.map((p) => p.priority).sort((x, y) => clinicalRank(x) - clinicalRank(y))[0];
  const n = a.newly.length;
  const id = newId('task');
  const specialties = [...new Set(a.newly.map((p) => p.specialtyCode))].sort();
  await db.insert(tasks).values({
    id, taskKey: key, type: 'capacity_escalation',
    title: `Capacity change: ${n} ${n === 1 ? 'patient' : 'patients'} now predicted to breach (${specialties.join(', ')})`,
    priority, priorityRank: clinicalRank(priority), dueAt: new Date(endOfWorkingDay(a.today)), queueId: queue.id, workflowId: a.workflowId,
    breachDate: a.newly.map((p) => p.breachDate).sort()[0],
    payload: { forecastRunId: a.runId, sourceId: a.sourceId, count: n, referralIds: a.newly.map((p) => p.referralId), specialtyCodes: specialties },
  }).onConflictDoNothing({ target: tasks.taskKey });
  await writeAudit(db, { actorId: null, action: 'task.opened', entityType: 'task', entityId: id,
    after: { type: 'capacity_escalation', queueId: queue.id, priority, forecastRunId: a.runId, sourceId: a.sourceId, count: n } });
  return id;
}

/** The worker's forecast activity: the nightly Schedule's workflow and capacity changes call it. */
export const createForecastActivities = ({ db }: { db: Database }) => ({
  async recomputeForecast(opts: { today: string; reason: ForecastReason; sourceId?: string | null; workflowId?: string }): Promise<Omit<RecomputeResult, 'newlyAtRisk'> & { newlyAtRisk: number }> {
    const r = await recomputeForecast(db, opts);
    // Counts only back to Temporal: the referral ids stay in Postgres.
    return { runId: r.runId, pathways: r.pathways, atRisk: r.atRisk, newlyAtRisk: r.newlyAtRisk.length, escalationTaskId: r.escalationTaskId };
  },
});
