// The breach forecast (issue 17): GET /api/forecast (weeks × specialties: demand, capacity by type, predicted bookings
// and breaches), GET /api/forecast/at-risk (the list contract, and .csv), POST /api/forecast/what-if (the forecast again
// on a changed input: who moves into or out of breach, nothing written) and POST /api/forecast/recompute. The GETs read
// what the last recompute stored (activities/forecast.ts); team leaders, operations and admins see it.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import {
  applyWhatIf, capacityTypes, diffForecasts, forecast, forecastStages, forecastTargets, isIsoDate, referralPriorities, TRUST_TIME_ZONE,
  type ForecastCapacity, type ForecastChange, type WhatIf,
} from '../../domain';
import { FORECAST_WEEKS, loadForecastInput, recomputeForecast } from '../../activities/forecast';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { listCsv, type CsvColumn } from '../csv';
import { invalid } from '../errors';
import { enumFilter, listResource, type ListSpec } from '../list';
import { body, errors, json, listRoute, route, router, signedIn } from '../openapi';

const str = z.string();
const strN = z.string().nullable();
const int = z.number().int();
const date = z.string().refine(isIsoDate, 'must be a date (YYYY-MM-DD)');

/** Who sees the forecast and tries changes on it: team leaders, operations and admins. */
export const forecastReaders = onlyFor(['team_leader', 'ops', 'admin'], 'see the breach forecast');

const capacityRecord = z.object({ new: z.number(), follow_up: z.number(), urgent: z.number(), two_week_wait: z.number(), theatre: z.number() })
  .openapi('ForecastCapacityByType', { description: 'Free clinic slots by type, and free theatre minutes' });
const weekRecord = z.object({
  specialtyCode: str, specialtyName: str, weekStart: str, demand: z.number().openapi({ description: 'Expected new clock starts' }),
  capacity: capacityRecord, bookings: int.openapi({ description: 'Next events predicted in the week' }),
  breaches: int.openapi({ description: 'Pathways predicted to breach, in the week of their breach date' }),
}).openapi('ForecastWeek');
const forecastRecord = z.object({
  runId: strN, computedAt: strN, today: strN, weeks: int, weekStarts: z.array(str), rows: z.array(weekRecord),
}).openapi('Forecast');

const atRiskRecord = z.object({
  id: str, referralId: str, patientName: str, specialtyCode: str, specialtyName: str, priority: z.enum(referralPriorities),
  stage: z.enum(forecastStages), predictedDate: strN.openapi({ description: 'Null: nothing free of its kind before the horizon' }),
  breachDate: str, target: z.enum(forecastTargets), daysShort: int,
  saveType: z.enum(capacityTypes).nullable().openapi({ description: 'What would save it: one more of this capacity type (slot type, or theatre) …' }),
  saveFromWeek: strN, saveByWeek: strN.openapi({ description: '… in a week from saveFromWeek to saveByWeek' }), since: str,
}).openapi('ForecastAtRisk');

export const forecastAtRiskListSpec: ListSpec<Record<string, unknown>> = {
  resource: 'forecast-at-risk',
  select: sql`f.referral_id as id, f.referral_id as "referralId", pt.given_name || ' ' || pt.family_name as "patientName",
    f.specialty_code as "specialtyCode", coalesce(s.name, f.specialty_code) as "specialtyName", f.priority, f.stage,
    f.predicted_date::text as "predictedDate", f.breach_date::text as "breachDate", f.target, f.days_short as "daysShort",
    f.save_type as "saveType", f.save_from_week::text as "saveFromWeek", f.save_by_week::text as "saveByWeek",
    to_char(f.since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as since`,
  from: sql`forecast_at_risk f join referrals r on r.id = f.referral_id join patients pt on pt.id = r.patient_id
    left join specialties s on s.code = f.specialty_code`,
  filters: {
    referralId: { column: sql`f.referral_id` }, specialtyCode: { column: sql`f.specialty_code` },
    priority: enumFilter(sql`f.priority`, referralPriorities), stage: enumFilter(sql`f.stage`, forecastStages),
    target: enumFilter(sql`f.target`, forecastTargets), breachDate: { column: sql`f.breach_date`, kind: 'date' },
    predictedDate: { column: sql`f.predicted_date`, kind: 'date' }, daysShort: { column: sql`f.days_short`, kind: 'number' },
  },
  search: [sql`pt.family_name`, sql`pt.given_name`, sql`f.referral_id`],
  sorts: {
    breachDate: sql`f.breach_date`, predictedDate: sql`f.predicted_date`, daysShort: sql`f.days_short`, specialtyCode: sql`f.specialty_code`,
    priority: sql`f.priority`, id: sql`f.referral_id`,
  },
  defaultSort: ['breachDate', 'ASC'],
  tieBreak: sql`f.referral_id`,
  count: { from: sql`forecast_at_risk f`, joined: ['q'] },
};

const stageWords: Record<string, string> = { first_appointment: 'First appointment', follow_up: 'Follow-up', admission: 'Admission (TCI)' };
const targetWords: Record<string, string> = { rtt: '18 weeks (RTT)', cancer: 'Cancer target', surgical: 'Surgical priority date' };
export const forecastAtRiskCsv: CsvColumn<Record<string, unknown>>[] = [
  { header: 'Referral', value: (r) => r.referralId },
  { header: 'Patient', value: (r) => r.patientName, freeText: true },
  { header: 'Specialty', value: (r) => r.specialtyName },
  { header: 'Priority', value: (r) => r.priority },
  { header: 'Waiting for', value: (r) => stageWords[String(r.stage)] },
  { header: 'Predicted date', value: (r) => r.predictedDate ?? 'Nothing free in the forecast' },
  { header: 'Breach date', value: (r) => r.breachDate },
  { header: 'Target', value: (r) => targetWords[String(r.target)] },
  { header: 'Days short', value: (r) => r.daysShort },
  { header: 'Would be saved by', value: (r) => (r.saveType ? `one more ${r.saveType} between weeks of ${r.saveFromWeek} and ${r.saveByWeek}` : 'Cannot be met now') },
];

const capacityChange = z.object({
  specialtyCode: z.string().min(1).max(20), type: z.enum(capacityTypes), date,
  count: z.number().int().min(1).max(100_000).openapi({ description: 'Slots, or theatre minutes' }),
}).strict().openapi('ForecastCapacityChange');
export const whatIfBody = z.union([
  z.object({ addSessions: z.array(capacityChange).min(1).max(500) }).strict(),
  z.object({ removeSessions: z.array(capacityChange).min(1).max(500) }).strict(),
  z.object({ leave: z.object({
    clinicId: z.string().min(1).optional(), surgeonId: z.string().min(1).optional(), from: date, to: date,
  }).strict().openapi({ description: "A clinician away: the free slots of a clinic, or a surgeon's free theatre minutes, from … to" }) }).strict(),
  z.object({ defer: z.object({ referralId: z.string().min(1), weeks: z.number().int().min(1).max(52) }).strict() }).strict(),
]).openapi('ForecastWhatIf');

const moveRecord = z.object({
  referralId: str, patientName: str, specialtyCode: str, priority: z.enum(referralPriorities), stage: z.enum(forecastStages),
  breachDate: str, predictedBefore: strN, predictedAfter: strN, daysShort: int,
}).openapi('ForecastMove');
const whatIfResult = z.object({
  today: str, weeks: int, atRiskBefore: int, atRiskAfter: int,
  intoBreach: z.array(moveRecord), outOfBreach: z.array(moveRecord),
}).openapi('ForecastWhatIfResult');
const recomputeResult = z.object({ runId: str, pathways: int, atRisk: int, newlyAtRisk: int }).openapi('ForecastRecompute');

/** GET /api/forecast, /at-risk, POST /what-if, /recompute (mounted at /api/forecast). */
export function forecastRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  const { db } = deps;

  // The what-if's leave as capacity to take away: the clinic's free slots or the surgeon's free minutes, by day.
  const leaveCapacity = async (leave: { clinicId?: string; surgeonId?: string; from: string; to: string }): Promise<ForecastCapacity[]> => {
    if (!leave.clinicId && !leave.surgeonId) throw invalid('leave', 'name a clinicId or a surgeonId');
    if (leave.from > leave.to) throw invalid('leave.to', 'must not be before from');
    const rows: ForecastCapacity[] = [];
    if (leave.clinicId) {
      rows.push(...await queryRows<ForecastCapacity>(db, sql`select c.specialty_code as "specialtyCode", s.type::text as type,
          (s.start at time zone ${TRUST_TIME_ZONE})::date::text as date, count(*)::int as count
        from slots s join clinics c on c.id = s.clinic_id where s.clinic_id = ${leave.clinicId} and s.status = 'free'
          and (s.start at time zone ${TRUST_TIME_ZONE})::date between ${leave.from}::date and ${leave.to}::date group by 1, 2, 3`));
    }
    if (leave.surgeonId) {
      rows.push(...await queryRows<ForecastCapacity>(db, sql`select specialty_code as "specialtyCode", 'theatre' as type, date::text as date,
          sum(minutes_available - minutes_booked)::int as count
        from theatre_sessions where surgeon_id = ${leave.surgeonId} and date between ${leave.from}::date and ${leave.to}::date
          and minutes_available > minutes_booked group by 1, 3`));
    }
    return rows;
  };

  return router()
    .openapi(route({
      method: 'get', path: '/', tags: ['forecast'], operationId: 'forecast',
      summary: 'The breach forecast by week and specialty: demand, free capacity by type, predicted bookings and breaches',
      description: `As the last recompute stored it (nightly, and after each capacity change). \`weeks\` 1–${FORECAST_WEEKS} (default ${FORECAST_WEEKS}); \`specialty\` a treatment function code.`,
      middleware: forecastReaders,
      request: { query: z.object({
        specialty: z.string().max(20).optional().openapi({ description: 'Treatment function code; all when empty' }),
        weeks: z.coerce.number().int().min(1).max(FORECAST_WEEKS).optional().openapi({ description: `Weeks ahead, 1–${FORECAST_WEEKS}` }),
      }) },
      responses: { 200: json('The weeks, each specialty', forecastRecord), ...errors(...signedIn) },
    }), async (c) => {
      const { specialty, weeks = FORECAST_WEEKS } = c.req.valid('query');
      const [run] = await queryRows<{ id: string; computedAt: string; today: string }>(db, sql`select id, today::text as today,
        to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "computedAt" from forecast_runs order by created_at desc, id desc limit 1`);
      const rows = await queryRows<z.infer<typeof weekRecord>>(db, sql`select w.specialty_code as "specialtyCode", coalesce(s.name, w.specialty_code) as "specialtyName",
          w.week_start::text as "weekStart", w.demand, w.capacity, w.bookings, w.breaches
        from forecast_weeks w left join specialties s on s.code = w.specialty_code
        where w.week_start < (select min(week_start) from forecast_weeks) + ${weeks * 7}::int
          ${specialty ? sql`and w.specialty_code = ${specialty}` : sql``}
        order by w.specialty_code, w.week_start`);
      const weekStarts = [...new Set(rows.map((r) => r.weekStart))].sort();
      return c.json({ runId: run?.id ?? null, computedAt: run?.computedAt ?? null, today: run?.today ?? null, weeks, weekStarts, rows });
    })
    .openapi({ ...listRoute('forecast-at-risk', 'Pathways predicted to breach: predicted date, breach date, days short, what would save each', atRiskRecord, forecastReaders),
      path: '/at-risk', operationId: 'list_forecast_at_risk', tags: ['forecast'] }, (c) => listResource(c, db, forecastAtRiskListSpec))
    .openapi(route({
      method: 'get', path: '/at-risk.csv', tags: ['forecast', 'exports'], operationId: 'export_forecast_at_risk', middleware: forecastReaders,
      summary: "Pathways predicted to breach as CSV (the list's filters and order, every row)",
      request: { query: z.object({ sort: z.string().optional(), filter: z.string().optional() }) },
      responses: { 200: { description: 'CSV, one line per pathway', content: { 'text/csv': { schema: z.string() } } }, ...errors(...signedIn) },
    }), (c) => listCsv(c, db, forecastAtRiskListSpec, forecastAtRiskCsv, { filename: `forecast-at-risk-${deps.today()}.csv` }))
    .openapi(route({
      method: 'post', path: '/what-if', tags: ['forecast'], operationId: 'forecast_what_if', middleware: forecastReaders,
      summary: 'The forecast with a change made, changing nothing: who moves into or out of breach',
      description: 'One of `addSessions` or `removeSessions` (capacity by specialty, type, date and count: slots, or theatre minutes), '
        + '`leave` (a clinic\'s free slots or a surgeon\'s free theatre minutes from … to, taken away) or `defer` (one pathway\'s next event put back '
        + 'a number of weeks). Runs on the data as it stands now; nothing is stored.',
      request: { body: body(whatIfBody) },
      responses: { 200: json('The difference', whatIfResult), ...errors(...signedIn, 404) },
    }), async (c) => {
      const change = c.req.valid('json');
      const today = deps.today();
      const input = await loadForecastInput(db, today);
      let whatIf: WhatIf;
      if ('leave' in change) whatIf = { leave: await leaveCapacity(change.leave) };
      else if ('defer' in change) {
        if (!input.pathways.some((p) => p.referralId === change.defer.referralId)) throw invalid('defer.referralId', 'is not an open pathway on the forecast');
        whatIf = change;
      } else whatIf = change as WhatIf;
      const opts = { today, weeks: FORECAST_WEEKS };
      const before = forecast(input, opts);
      const after = forecast(applyWhatIf(input, whatIf, today), opts);
      const { intoBreach, outOfBreach } = diffForecasts(before, after);
      const ids = [...intoBreach, ...outOfBreach].map((m) => m.referralId);
      const names = new Map((ids.length ? await queryRows<{ id: string; name: string }>(db, sql`select r.id, p.given_name || ' ' || p.family_name as name
        from referrals r join patients p on p.id = r.patient_id where r.id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`) : []).map((r) => [r.id, r.name]));
      const move = (m: ForecastChange) => ({
        referralId: m.referralId, patientName: names.get(m.referralId) ?? '', specialtyCode: m.after.specialtyCode, priority: m.after.priority,
        stage: m.after.stage, breachDate: m.after.breachDate, predictedBefore: m.before.predictedDate, predictedAfter: m.after.predictedDate,
        daysShort: m.after.daysShort,
      });
      return c.json({
        today, weeks: FORECAST_WEEKS, atRiskBefore: before.pathways.filter((p) => p.breach).length, atRiskAfter: after.pathways.filter((p) => p.breach).length,
        intoBreach: intoBreach.map(move), outOfBreach: outOfBreach.map(move),
      });
    })
    .openapi(route({
      method: 'post', path: '/recompute', tags: ['forecast'], operationId: 'forecast_recompute', middleware: onlyFor(['ops', 'admin'], 'recompute the forecast'),
      summary: 'Recompute and store the forecast now (it runs nightly and after each capacity change); no escalation is raised',
      responses: { 200: json('The run', recomputeResult), ...errors(...signedIn) },
    }), async (c) => {
      const r = await recomputeForecast(db, { today: deps.today(), reason: 'manual' });
      return c.json({ runId: r.runId, pathways: r.pathways, atRisk: r.atRisk, newlyAtRisk: r.newlyAtRisk.length });
    });
}
