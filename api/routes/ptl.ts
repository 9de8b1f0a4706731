// The PTL (JSON page, CSV export, week-band histogram), the cancer view with its FDS outcome, and a referral's
// clock explained. The PTL is one SQL query (db/ptl.ts); waits, bands and alerts come from the rules engine.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import { writeAudit } from '../../activities/audit';
import { queryRows, type Database, type Queryable } from '../../db/client';
import { clockStartForBreachBy, dayStartOf, openReferralStates, ptlSql, ptlStageSql, weekBandFloorDays, type PtlSqlRow } from '../../db/ptl';
import { rttPeriodsOf } from '../../db/rtt';
import { notes, pathwayEvents, pathways, referrals, staff } from '../../db/schema';
import {
  addDays, cancer62TargetDate, fdsOutcomeLabels, fdsOutcomes, fdsTargetDate, isStorableDate, londonDate, longWaitBand, ptlStages,
  referralPriorities, rttBreachDate, rttDaysWaited, rttEventCauseLabels, rttMaxDays, rttReturnTfc, rttStatusMeanings, rttWeekBand,
  rttWeekBandLabel, rttWeekBandLabels, uscFirstSeenTargetDate, validationDates, type FdsOutcome, type PtlStage, type RttStatusCode,
} from '../../domain';
import { cancerBreachRisk, cancerNextStep, type CancerPathwayFacts } from '../../domain/cancer-ptl';
import { communicationNeedsInWords } from '../../domain/communication-needs';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { AppError, invalid, notFound } from '../errors';
import { csvField, csvHeader, csvLines, csvResponse, rowBatches, type CsvColumn } from '../csv';
import { enumFilter, listParams, whereFor, type ListSpec } from '../list';
import { body, errors, idParams, json, listQuery, route, router, signedIn } from '../openapi';
import { cancerBreachRisks, cancerPtlRow, ptlHistogram, ptlRow, referralClock, type CancerPtlRow, type PtlAlert, type PtlRow } from '../ptl-records';
import { fdsOutcomeBody } from '../schemas';

type Deps = AppDeps & { today: () => string };

// ---------------------------------------------------------------------------------------------------- the PTL

const censusParam = z.string().optional().openapi({ description: 'YYYY-MM-DD: count waits to this date; list the periods open on it' });
const ptlQuery = listQuery.extend({ census: censusParam });

const ptlSorts = ['clinicalPriority', 'daysWaited', 'breachDate', 'clockStart', 'specialtyCode', 'nextEventDate', 'id'] as const;

/** The request's PTL: scope (census, active monitoring), the where clause and the order, all checked (400 naming the field). */
export function ptlRequest(c: Context, today: string) {
  const params = listParams(c, { sorts: Object.fromEntries(ptlSorts.map((k) => [k, sql``])), defaultSort: ['clinicalPriority', 'ASC'] });
  const filter = { ...params.filter };
  const topCensus = c.req.query('census');
  const census = filter.census ?? (topCensus === '' ? undefined : topCensus);
  const censusField = filter.census !== undefined ? 'filter.census' : 'census';
  if (census !== undefined && !isStorableDate(census)) throw invalid(censusField, 'must be a real date written YYYY-MM-DD');
  // Waits are counted to it, validation dates walked up to it: a census no PTL could have had is refused.
  if (census !== undefined && (census < '1990-01-01' || census > addDays(today, 366))) {
    throw invalid(censusField, 'must be from 1990-01-01 to a year from today');
  }
  delete filter.census;
  const stages = filter.stage === undefined ? [] : Array.isArray(filter.stage) ? filter.stage : [filter.stage];
  const scope = { asOf: (census as string | undefined) ?? today, census: census !== undefined, monitoring: stages.includes('active_monitoring') };
  const q = ptlSql(scope);
  const spec: ListSpec<PtlSqlRow> = {
    resource: 'ptl', select: q.select, from: q.from('join'),
    filters: {
      id: { column: sql`r.id` }, specialty: { column: sql`r.specialty_code` },
      stage: enumFilter(q.stage, ptlStages), priority: enumFilter(q.clinicalPriority, referralPriorities),
    },
    custom: {
      weekBand_gte: (v) => {
        const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 105) throw invalid('filter.weekBand_gte', 'must be a week band from 1 to 105');
        return sql`${q.daysWaited} >= ${weekBandFloorDays(n)}`;
      },
      breachDate_lte: (v) => {
        if (!isStorableDate(v)) throw invalid('filter.breachDate_lte', 'must be a real date written YYYY-MM-DD');
        if (v < '1900-01-01') return sql`false`; // no clock started 127 days before then
        return sql`p.clock_start <= ${clockStartForBreachBy(v)}::date`;
      },
      unbooked: (v) => {
        if (v !== true && v !== false && v !== 'true' && v !== 'false') throw invalid('filter.unbooked', 'must be true or false');
        return v === true || v === 'true' ? sql`${q.nextEventDate} is null` : sql`${q.nextEventDate} is not null`;
      },
    },
    search: [sql`pt.nhs_number`, sql`pt.family_name`],
    sorts: {
      clinicalPriority: q.clinicalPriority, daysWaited: q.daysWaited, breachDate: sql`p.clock_start`, clockStart: sql`p.clock_start`,
      specialtyCode: sql`r.specialty_code`, nextEventDate: q.nextEventDate, id: sql`r.id`,
    },
    defaultSort: ['clinicalPriority', 'ASC'],
    tieBreak: { fixed: sql`${q.clinicalPriority}, p.ptl_order_start, r.id` },
  };
  const where = sql`${q.membership} and ${whereFor(spec, filter)}`;
  const sortCol = spec.sorts[params.sortField];
  // Clinical priority (2WW, urgent, routine), then the PTL order start (breach order; a period opened by 11 keeps
  // its place), then the referral id: the default, and the tie-break of every other sort.
  const order = params.sortField === 'clinicalPriority'
    ? sql`${sortCol} ${params.dir}, p.ptl_order_start ${params.dir}, r.id ${params.dir}`
    : sql`${sortCol} ${params.dir} nulls last, ${q.clinicalPriority}, p.ptl_order_start, r.id`;
  const needsNext = Object.hasOwn(filter, 'unbooked') || params.sortField === 'nextEventDate';
  const narrow = { patients: Object.hasOwn(filter, 'q') };
  const countFrom = q.from(Object.hasOwn(filter, 'unbooked') ? 'join' : 'none', narrow);
  const pageFrom = q.from(needsNext ? 'join' : 'none', narrow);
  const wideFrom = q.from(Object.hasOwn(filter, 'unbooked') ? 'join' : 'none');
  return { scope, q, spec, where, order, countFrom, pageFrom, wideFrom, first: params.first, limit: params.limit };
}

export type PtlRequest = ReturnType<typeof ptlRequest>;

/**
 * The whole list's SQL (for the CSV: the next appointments by one hash join), or a page's: the page's periods are
 * chosen first from the narrow sort keys, then only they are joined to their next appointment and the rest. Both
 * keep the estimated cost low, so Postgres does not spend seconds JIT-compiling a query that runs in milliseconds.
 */
export function ptlRowsSql(r: PtlRequest, page?: { limit: number; offset: number }): SQL {
  if (!page) return sql`select ${r.q.select} from ${r.spec.from} where ${r.where} order by ${r.order}, p.id`;
  const chosen = sql`select p.id from ${r.pageFrom} where ${r.where}
    order by ${r.order}, p.id limit ${page.limit} offset ${page.offset}`;
  return sql`select ${r.q.select} from ${r.q.from('lateral')} where p.id in (${chosen}) order by ${r.order}, p.id`;
}
export const ptlCountSql = (r: PtlRequest): SQL => sql`select count(*)::int as total from ${r.countFrom} where ${r.where}`;

/** A PTL row from its SQL row: waits to the census date (frozen at the stop on active monitoring), band, breach date, alerts. */
export function ptlRecord(row: PtlSqlRow, asOf: string): PtlRow {
  const end = row.frozenOn ?? asOf;
  const daysWaited = end < row.clockStart ? 0 : rttDaysWaited(row.clockStart, end);
  const weekBand = rttWeekBand(daysWaited);
  const waiting = row.frozenOn === null;
  const alerts: PtlAlert[] = [];
  if (waiting) {
    if (daysWaited > rttMaxDays) alerts.push('breached');
    if (longWaitBand(daysWaited) !== null) alerts.push('over_52_weeks');
    if (row.nextEventDate === null) alerts.push('unbooked');
    const due = validationDates(row.clockStart, end).at(-1);
    const validatedOn = row.lastValidatedAt ? londonDate(Date.parse(row.lastValidatedAt)) : null;
    if (due !== undefined && (validatedOn === null || validatedOn < due)) alerts.push('not_validated');
  }
  return {
    id: row.id, referralId: row.referralId, nhsNumber: row.nhsNumber, patientName: row.patientName, specialtyCode: row.specialtyCode,
    specialtyName: row.specialtyName, treatmentFunctionCode: rttReturnTfc(row.specialtyCode),
    priority: row.priority as PtlRow['priority'], clinicalPriority: row.clinicalPriority as PtlRow['clinicalPriority'], stage: row.stage,
    clockStart: row.clockStart, daysWaited, weekBand, weekBandLabel: rttWeekBandLabel(weekBand), breachDate: rttBreachDate(row.clockStart),
    nextEventDate: row.nextEventDate, nextEventType: row.nextEventType as PtlRow['nextEventType'], lastRttCode: row.lastRttCode,
    lastValidatedAt: row.lastValidatedAt,
    lastValidatedBy: row.lastValidatedById ? { id: row.lastValidatedById, name: row.lastValidatedByName ?? '' } : null,
    alerts, communicationNeeds: row.communicationNeeds,
  };
}

// ---------------------------------------------------------------------------------------------------- CSV

// Moved to api/csv.ts for every list's export; re-exported for the PTL benchmark.
export { csvField, rowBatches };

/** The CSV's columns: the row's fields in the contract's order. */
export const ptlCsvColumns = [
  'id', 'referralId', 'nhsNumber', 'patientName', 'specialtyCode', 'specialtyName', 'treatmentFunctionCode', 'priority', 'clinicalPriority',
  'stage', 'clockStart', 'daysWaited', 'weekBand', 'weekBandLabel', 'breachDate', 'nextEventDate', 'nextEventType', 'lastRttCode',
  'lastValidatedAt', 'lastValidatedBy', 'alerts', 'communicationNeeds',
] as const satisfies ReadonlyArray<keyof PtlRow>;

const freeTextColumns = new Set<string>(['patientName', 'specialtyName', 'lastValidatedBy', 'communicationNeeds']);
export function ptlCsvLine(row: PtlRow): string {
  return `${ptlCsvColumns.map((col) => {
    const v = col === 'lastValidatedBy' ? row.lastValidatedBy?.name ?? null : col === 'alerts' ? row.alerts.join(';')
      : col === 'communicationNeeds' ? (row.communicationNeeds ? communicationNeedsInWords(row.communicationNeeds, '; ') : null) : row[col];
    return csvField(v, freeTextColumns.has(col));
  }).join(',')}\r\n`;
}

/**
 * Runs the PTL's reads with JIT compilation off. Postgres JIT-compiles a query whose estimated cost is high, and the
 * PTL's correlated look-ups (the last appointment's kind, the review date) make estimates high for queries that run
 * in milliseconds: compiling took seconds in the benchmark. Off for this transaction only.
 */
export function withoutJit<T>(db: Database, read: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return read(tx);
  });
}

// ---------------------------------------------------------------------------------------------------- cancer view

const cancerSelect = (today: string) => sql`r.id as "id", r.id as "referralId", pt.nhs_number as "nhsNumber",
  pt.given_name || ' ' || pt.family_name as "patientName", r.specialty_code as "specialtyCode", s.name as "specialtyName",
  coalesce(pw.cancer_clock_start, r.received_at)::text as "cancerClockStart", pw.usc_first_seen_target::text as "uscFirstSeenTarget",
  pw.fds_target::text as "fdsTarget", pw.cancer62_target::text as "cancer62Target", pw.fds_outcome::text as "fdsOutcome",
  pw.fds_communicated_on::text as "fdsCommunicatedOn",
  ${ptlStageSql(sql`r.state`, sql`(select a.kind from appointments a where a.referral_id = r.id order by a.start desc, a.id desc limit 1)`)} as "stage",
  (select min((a.start at time zone 'Europe/London')::date) from appointments a
    where a.referral_id = r.id and a.kind = 'new' and a.state = 'attended')::text as "firstSeenOn",
  (select min((a.start at time zone 'Europe/London')::date) from appointments a
    where a.referral_id = r.id and a.kind = 'new' and a.state = 'booked')::text as "firstBookedOn",
  (select min((a.start at time zone 'Europe/London')::date) from appointments a
    where a.referral_id = r.id and a.state = 'booked' and a.start >= ${dayStartOf(today)}::timestamptz)::text as "nextEventDate",
  exists (select 1 from rtt_periods tp where tp.referral_id = r.id and tp.stop_code = 30) as "treated"`;
const cancerFrom = sql`referrals r join patients pt on pt.id = r.patient_id join specialties s on s.code = r.specialty_code
  join pathways pw on pw.referral_id = r.id`;
const isCancerPathway = sql`(r.clinical_priority = 'two_week_wait' or r.priority = 'two_week_wait')`;

type CancerSqlRow = Omit<CancerPtlRow, 'daysSinceReferral' | 'nextStep' | 'breachRisk' | 'uscFirstSeenTarget' | 'fdsTarget' | 'cancer62Target'> & {
  uscFirstSeenTarget: string | null; fdsTarget: string | null; cancer62Target: string | null; firstBookedOn: string | null; treated: boolean;
};

export function cancerRecord(row: CancerSqlRow, today: string): CancerPtlRow {
  const start = row.cancerClockStart;
  const facts: CancerPathwayFacts = {
    today, uscFirstSeenTarget: row.uscFirstSeenTarget ?? uscFirstSeenTargetDate(start), fdsTarget: row.fdsTarget ?? fdsTargetDate(start),
    cancer62Target: row.cancer62Target ?? cancer62TargetDate(start), fdsOutcome: row.fdsOutcome as FdsOutcome | null,
    fdsCommunicatedOn: row.fdsCommunicatedOn, firstSeenOn: row.firstSeenOn, firstBookedOn: row.firstBookedOn, treated: row.treated,
  };
  return {
    id: row.id, referralId: row.referralId, nhsNumber: row.nhsNumber, patientName: row.patientName, specialtyCode: row.specialtyCode,
    specialtyName: row.specialtyName, cancerClockStart: start, daysSinceReferral: Math.max(0, rttDaysWaited(start, today < start ? start : today)),
    firstSeenOn: row.firstSeenOn, uscFirstSeenTarget: facts.uscFirstSeenTarget, fdsTarget: facts.fdsTarget, fdsOutcome: facts.fdsOutcome,
    fdsCommunicatedOn: row.fdsCommunicatedOn, cancer62Target: facts.cancer62Target, stage: row.stage as PtlStage | null,
    nextStep: cancerNextStep(facts), nextEventDate: row.nextEventDate, breachRisk: cancerBreachRisk(facts),
  };
}

const cancerSorts: Record<string, (r: CancerPtlRow) => string | number> = {
  fdsTarget: (r) => r.fdsTarget, cancer62Target: (r) => r.cancer62Target, cancerClockStart: (r) => r.cancerClockStart,
  daysSinceReferral: (r) => r.daysSinceReferral, specialtyCode: (r) => r.specialtyCode, id: (r) => r.id,
};

async function cancerRowFor(db: Database, id: string, today: string): Promise<CancerPtlRow | undefined> {
  const [row] = await queryRows<CancerSqlRow>(db, sql`select ${cancerSelect(today)} from ${cancerFrom} where r.id = ${id}`);
  return row && cancerRecord(row, today);
}

/** The cancer view's CSV columns, in people's words. */
const cancerCsvColumns: CsvColumn<CancerPtlRow>[] = [
  { header: 'Patient', value: (r) => r.patientName, freeText: true }, { header: 'NHS number', value: (r) => r.nhsNumber },
  { header: 'Specialty', value: (r) => r.specialtyName, freeText: true }, { header: 'Cancer clock start', value: (r) => r.cancerClockStart },
  { header: 'Days since referral', value: (r) => r.daysSinceReferral }, { header: 'First seen by', value: (r) => r.uscFirstSeenTarget },
  { header: 'First seen on', value: (r) => r.firstSeenOn }, { header: 'Faster Diagnosis by', value: (r) => r.fdsTarget },
  { header: 'Faster Diagnosis outcome', value: (r) => (r.fdsOutcome ? fdsOutcomeLabels[r.fdsOutcome] : null) },
  { header: 'Outcome told on', value: (r) => r.fdsCommunicatedOn }, { header: 'Treatment by (62 days)', value: (r) => r.cancer62Target },
  { header: 'Breach risk', value: (r) => cancerBreachRiskWords[r.breachRisk] }, { header: 'Next step', value: (r) => r.nextStep, freeText: true },
  { header: 'Next appointment', value: (r) => r.nextEventDate }, { header: 'Referral', value: (r) => r.referralId },
];
const cancerBreachRiskWords: Record<CancerPtlRow['breachRisk'], string> = { breached: 'Breached', at_risk: 'At risk', on_track: 'On track', met: 'Met' };

/** The cancer view's rows for the request's filters, in its order (worked out in the rules engine, so all open 2WW rows are read). */
async function cancerPtlRecords(c: Context, db: Database, today: string) {
  const params = listParams(c, { sorts: Object.fromEntries(Object.keys(cancerSorts).map((k) => [k, sql``])), defaultSort: ['fdsTarget', 'ASC'] });
  const { breachRisk, ...filter } = params.filter;
  const risks = breachRisk === undefined || breachRisk === null || breachRisk === '' ? null : Array.isArray(breachRisk) ? breachRisk : [breachRisk];
  if (risks && !risks.every((v) => (cancerBreachRisks as readonly unknown[]).includes(v))) {
    throw invalid('filter.breachRisk', `must be one of ${cancerBreachRisks.join(', ')}`);
  }
  const spec: ListSpec<CancerSqlRow> = {
    resource: 'cancer-ptl', select: sql``, from: sql``,
    filters: { id: { column: sql`r.id` }, specialty: { column: sql`r.specialty_code` } },
    custom: {
      fdsOutcome: (v) => {
        if (v === 'none') return sql`pw.fds_outcome is null`;
        if (typeof v !== 'string' || !(fdsOutcomes as readonly string[]).includes(v)) throw invalid('filter.fdsOutcome', `must be one of ${fdsOutcomes.join(', ')}, none`);
        return sql`pw.fds_outcome = ${v}`;
      },
    },
    search: [sql`pt.nhs_number`, sql`pt.family_name`], sorts: {}, defaultSort: ['fdsTarget', 'ASC'], tieBreak: sql`r.id`,
  };
  const open = sql.join(openReferralStates.map((s) => sql`${s}`), sql`, `);
  const rows = await queryRows<CancerSqlRow>(db, sql`select ${cancerSelect(today)} from ${cancerFrom}
    where ${isCancerPathway} and r.state in (${open}) and ${whereFor(spec, filter)}`);
  const key = cancerSorts[params.sortField];
  const sign = params.descending ? -1 : 1;
  const records = rows.map((row) => cancerRecord(row, today)).filter((row) => !risks || risks.includes(row.breachRisk))
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      return (x < y ? -sign : x > y ? sign : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
  return { params, records };
}

// ---------------------------------------------------------------------------------------------------- routes

const ptlTag = ['ptl'];
const readers = onlyFor(['officer', 'team_leader', 'clinician', 'ops', 'admin'], 'read the PTL');

export function ptlRoutes(deps: Deps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  return router()
    .openapi(route({
      method: 'get', path: '/ptl', tags: ptlTag, operationId: 'list_ptl', summary: 'The PTL: one row per open RTT period',
      description: 'The react-admin list contract. Filters: specialty, stage, priority (clinical), weekBand_gte, breachDate_lte, unbooked, '
        + 'census, q (NHS number or surname). Patients on active monitoring only when filter.stage names active_monitoring. '
        + 'Default order: clinical priority, then PTL order start (breach order), then id. docs/ptl.md explains every column.',
      middleware: readers, request: { query: ptlQuery },
      responses: {
        200: { ...json('The rows of the page', z.array(ptlRow)), headers: { 'Content-Range': { description: '`ptl <first>-<last>/<total>`', schema: { type: 'string' } } } },
        ...errors(...signedIn),
      },
    }), async (c) => {
      const r = ptlRequest(c, deps.today());
      const [rows, [{ total }]] = await Promise.all([
        withoutJit(db, (tx) => queryRows<PtlSqlRow>(tx, ptlRowsSql(r, { limit: r.limit, offset: r.first }))),
        withoutJit(db, (tx) => queryRows<{ total: number }>(tx, ptlCountSql(r))),
      ]);
      const records = rows.map((row) => ptlRecord(row, r.scope.asOf));
      c.header('Content-Range', `ptl ${r.first}-${records.length ? r.first + records.length - 1 : r.first}/${total}`);
      return c.json(records);
    })
    .openapi(route({
      method: 'get', path: '/ptl.csv', tags: ptlTag, operationId: 'export_ptl', summary: 'The PTL as CSV, streamed (same filters and order)',
      description: `Header: ${ptlCsvColumns.join(',')}. alerts are joined with ";", lastValidatedBy is the name. sort and filter as for GET /api/ptl; range is ignored.`,
      middleware: readers, request: { query: ptlQuery },
      responses: { 200: { description: 'CSV, one line per row', content: { 'text/csv': { schema: z.string() } } }, ...errors(...signedIn) },
    }), (c) => {
      const r = ptlRequest(c, deps.today());
      async function* lines() {
        yield `${ptlCsvColumns.join(',')}\r\n`;
        for await (const rows of rowBatches<PtlSqlRow>(db, (page) => ptlRowsSql(r, page))) {
          yield rows.map((row) => ptlCsvLine(ptlRecord(row, r.scope.asOf))).join('');
        }
      }
      return csvResponse(lines(), `ptl-${r.scope.asOf}.csv`);
    })
    .openapi(route({
      method: 'get', path: '/ptl/histogram', tags: ptlTag, operationId: 'ptl_histogram', summary: 'The PTL by specialty and week band (same filters)',
      middleware: readers, request: { query: ptlQuery },
      responses: { 200: json('Patients per specialty and week band', ptlHistogram), ...errors(...signedIn) },
    }), async (c) => {
      const r = ptlRequest(c, deps.today());
      const groups = await withoutJit(db, (tx) => queryRows<{ specialtyCode: string; specialtyName: string; days: number; n: number }>(tx, sql`
        select r.specialty_code as "specialtyCode", s.name as "specialtyName", ${r.q.daysWaited} as days, count(*)::int as n
        from ${r.wideFrom} where ${r.where} group by 1, 2, 3`));
      const bySpecialty = new Map<string, { specialtyCode: string; specialtyName: string; total: number; within18Weeks: number; over52Weeks: number; bands: number[] }>();
      for (const g of groups) {
        let s = bySpecialty.get(g.specialtyCode);
        if (!s) bySpecialty.set(g.specialtyCode, s = { specialtyCode: g.specialtyCode, specialtyName: g.specialtyName, total: 0, within18Weeks: 0, over52Weeks: 0, bands: Array(105).fill(0) });
        const days = Math.max(0, g.days);
        s.total += g.n;
        s.bands[rttWeekBand(days) - 1] += g.n;
        if (days <= rttMaxDays) s.within18Weeks += g.n;
        if (longWaitBand(days) !== null) s.over52Weeks += g.n;
      }
      return c.json({
        census: r.scope.asOf, bandLabels: [...rttWeekBandLabels],
        specialties: [...bySpecialty.values()].sort((a, b) => a.specialtyCode.localeCompare(b.specialtyCode)),
      });
    })
    .openapi(route({
      method: 'get', path: '/cancer-ptl', tags: ptlTag, operationId: 'list_cancer_ptl', summary: 'The cancer view: open two-week-wait pathways',
      description: 'The react-admin list contract. Filters: specialty, breachRisk, fdsOutcome (cancer_confirmed, cancer_ruled_out, or none for not yet told). '
        + 'Sortable: fdsTarget (default), cancer62Target, cancerClockStart, daysSinceReferral, specialtyCode, id.',
      middleware: readers, request: { query: listQuery },
      responses: {
        200: { ...json('The rows of the page', z.array(cancerPtlRow)), headers: { 'Content-Range': { description: '`cancer-ptl <first>-<last>/<total>`', schema: { type: 'string' } } } },
        ...errors(...signedIn),
      },
    }), async (c) => {
      const today = deps.today();
      const { params, records } = await cancerPtlRecords(c, db, today);
      const page = records.slice(params.first, params.first + params.limit);
      c.header('Content-Range', `cancer-ptl ${params.first}-${page.length ? params.first + page.length - 1 : params.first}/${records.length}`);
      return c.json(page);
    })
    .openapi(route({
      method: 'get', path: '/cancer-ptl.csv', tags: ptlTag, operationId: 'export_cancer_ptl', summary: 'The cancer view as CSV (same filters and order)',
      description: `Header: ${cancerCsvColumns.map((col) => col.header).join(',')}. Dates YYYY-MM-DD. sort and filter as for GET /api/cancer-ptl; range is ignored.`,
      middleware: readers, request: { query: listQuery },
      responses: { 200: { description: 'CSV, one line per row', content: { 'text/csv': { schema: z.string() } } }, ...errors(...signedIn) },
    }), async (c) => {
      const today = deps.today();
      const { records } = await cancerPtlRecords(c, db, today);
      async function* lines() {
        yield csvHeader(cancerCsvColumns);
        for (let i = 0; i < records.length; i += 1000) yield csvLines(cancerCsvColumns, records.slice(i, i + 1000));
      }
      return csvResponse(lines(), `cancer-ptl-${today}.csv`);
    })
    .openapi(route({
      method: 'post', path: '/referrals/{id}/fds-outcome', tags: ['referrals'], operationId: 'record_fds_outcome',
      summary: 'Record the Faster Diagnosis outcome told to the patient (two-week-wait referrals)',
      description: 'Idempotent: the same outcome again answers 200 and records nothing more; a different outcome is 409 FDS_ALREADY_RECORDED.',
      middleware: onlyFor(['officer', 'team_leader', 'clinician', 'admin'], 'record FDS outcomes'),
      request: { params: idParams('The referral id'), body: body(fdsOutcomeBody) },
      responses: { 200: json("The referral's cancer view row", cancerPtlRow), ...errors(...signedIn, 404, 409, 422) },
    }), async (c) => {
      const id = c.req.valid('param').id;
      const { outcome, communicatedOn } = c.req.valid('json');
      const today = deps.today();
      const actorId = c.get('staff').id;
      await db.transaction(async (tx) => {
        const [referral] = await tx.select().from(referrals).where(eq(referrals.id, id));
        if (!referral) throw notFound('referral', id);
        if (referral.priority !== 'two_week_wait' && referral.clinicalPriority !== 'two_week_wait') {
          throw new AppError('FDS_NOT_CANCER_PATHWAY', 'Only a two-week-wait (suspected cancer) referral has a Faster Diagnosis outcome');
        }
        const [pathway] = await tx.select().from(pathways).where(eq(pathways.referralId, id)).for('update');
        if (!pathway) throw new AppError('FDS_NOT_CANCER_PATHWAY', 'The referral has no pathway yet: its cancer clock has not started');
        const clockStart = pathway.cancerClockStart ?? referral.receivedAt;
        if (communicatedOn > today) throw invalid('communicatedOn', 'must not be in the future');
        if (communicatedOn < clockStart) throw invalid('communicatedOn', `must not be before the cancer clock start ${clockStart}`);
        if (pathway.fdsOutcome !== null) {
          if (pathway.fdsOutcome === outcome) return; // said again: nothing doubled
          throw new AppError('FDS_ALREADY_RECORDED', `The outcome ${fdsOutcomeLabels[pathway.fdsOutcome].toLowerCase()} is already recorded`, { outcome: 'already recorded' });
        }
        await tx.update(pathways).set({ fdsOutcome: outcome, fdsCommunicatedOn: communicatedOn, updatedAt: new Date() }).where(eq(pathways.referralId, id));
        await tx.insert(pathwayEvents).values({
          referralId: id, kind: 'fds_outcome', eventDate: communicatedOn, note: `Faster Diagnosis outcome told: ${fdsOutcomeLabels[outcome]}`, actorId,
        });
        await writeAudit(tx, {
          actorId, action: 'pathway.fds_outcome_recorded', entityType: 'referral', entityId: id,
          before: { fdsOutcome: null, fdsCommunicatedOn: null }, after: { fdsOutcome: outcome, fdsCommunicatedOn: communicatedOn },
        });
      });
      return c.json((await cancerRowFor(db, id, today))!);
    })
    .openapi(route({
      method: 'get', path: '/referrals/{id}/clock', tags: ['referrals'], operationId: 'referral_clock',
      summary: "The referral's RTT periods with every clock event, its cause, actor and rule",
      middleware: readers, request: { params: idParams('The referral id') },
      responses: { 200: json('The clock explained', referralClock), ...errors(...signedIn, 404) },
    }), async (c) => {
      const id = c.req.valid('param').id;
      const today = deps.today();
      const [referral] = await db.select({ id: referrals.id }).from(referrals).where(eq(referrals.id, id));
      if (!referral) throw notFound('referral', id);
      const periods = await rttPeriodsOf(db, id);
      const events = periods.flatMap((p) => p.events);
      const actorIds = [...new Set(events.map((e) => e.actorId).filter((x): x is string => x !== null))];
      const noteIds = [...new Set(events.map((e) => e.noteId).filter((x): x is string => x !== null))];
      const actors = new Map((actorIds.length ? await db.select({ id: staff.id, name: staff.name }).from(staff).where(inArray(staff.id, actorIds)) : []).map((s) => [s.id, s]));
      const noteText = new Map((noteIds.length ? await db.select({ id: notes.id, body: notes.body }).from(notes).where(inArray(notes.id, noteIds)) : []).map((n) => [n.id, n.body]));
      const waited = (start: string, stop: string | null) => {
        const end = stop ?? today;
        return end < start ? 0 : rttDaysWaited(start, end);
      };
      const out = periods.map((p) => ({
        periodNo: p.periodNo, status: p.status, clockStart: p.clockStart, startCode: p.startCode, clockStop: p.clockStop, stopCode: p.stopCode,
        ptlOrderStart: p.ptlOrderStart, decisionToAdmitOn: p.decisionToAdmitOn, stopAdmitted: p.stopAdmitted,
        daysWaited: waited(p.clockStart, p.clockStop), breachDate: rttBreachDate(p.clockStart),
        events: p.events.map((e) => ({
          id: String(e.id), code: e.code, meaning: rttStatusMeanings[e.code as RttStatusCode] ?? `code ${e.code}`, date: e.eventDate, cause: e.cause,
          causeLabel: rttEventCauseLabels[e.cause], appointmentId: e.appointmentId, taskId: e.taskId, outcome: e.outcome,
          actor: e.actorId ? actors.get(e.actorId) ?? { id: e.actorId, name: e.actorId } : null, rule: e.rule, policyVersion: e.policyVersion,
          note: e.noteId ? noteText.get(e.noteId) ?? null : null, recordedAt: new Date(e.recordedAt).toISOString(),
        })),
      }));
      const last = out.at(-1);
      return c.json({
        referralId: id,
        current: last ? {
          periodNo: last.periodNo, status: last.status, clockStart: last.clockStart, clockStop: last.clockStop, daysWaited: last.daysWaited,
          weekBand: rttWeekBand(last.daysWaited), breachDate: last.breachDate,
        } : null,
        periods: out,
      });
    });
}

