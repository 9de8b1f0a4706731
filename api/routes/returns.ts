// The national returns: the monthly RTT return (JSON and the CSV the trust submits) and the weekly WLMDS
// extract with its week-on-week changes. Everything is counted from dated periods and events (db/returns.ts),
// so a month or week already past answers the same figures whenever it is asked.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { rttReturnCounts, wlmdsCount, wlmdsDiffRows, wlmdsRows, type WlmdsDiffRow, type WlmdsRow } from '../../db/returns';
import { rttWeekBand } from '../../domain/rtt';
import { rttReturnParts, rttReturnTfc, rttWeekBandLabel, rttWeekBandLabels, type RttReturnPart } from '../../domain/rtt-reporting';
import {
  returnMonth, returnWeek, wlmdsColumns, wlmdsComparedFields, wlmdsJoinerReason, wlmdsLeaverReason,
} from '../../domain/rtt-returns';
import type { AppDeps, AppEnv } from '../context';
import { invalid } from '../errors';
import { errors, json, route, router, signedIn } from '../openapi';
import { rttReturn, wlmdsSummary } from '../records';
// JIT off for these reads, as for the PTL's: the WLMDS queries' estimated costs are high enough for Postgres to spend
// seconds compiling them.
import { withoutJit } from './ptl';

const monthQuery = z.object({
  month: z.string({ error: 'Required: the month as YYYY-MM' }).regex(/^\d{4}-\d{2}$/, 'Must be a month as YYYY-MM')
    .openapi({ param: { name: 'month', in: 'query', description: 'Reporting month YYYY-MM; its census is its last day, which must have passed' }, example: '2026-10' }),
});
const weekParam = z.string({ error: 'Required: the ISO week as YYYY-Www' }).regex(/^\d{4}-W\d{2}$/, 'Must be an ISO week as YYYY-Www')
  .openapi({ param: { name: 'week', in: 'query', description: 'ISO week YYYY-Www; its census is its Sunday, which must have passed' }, example: '2026-W47' });
const weekQuery = z.object({
  week: weekParam,
  // A pattern, not an enum: every enum in the document is a domain list (tests/api/access-model.test.ts).
  diff: z.string().regex(/^(true|false)$/, 'Must be true or false').optional()
    .openapi({ param: { name: 'diff', in: 'query', description: 'true: only what changed since the week before (joined, left, changed)' } }),
});
const csv = (description: string) => ({ description, content: { 'text/csv': { schema: z.string() } } });

type Deps = AppDeps & { today: () => string };

function censusOfMonth(month: string, today: string) {
  const m = returnMonth(month);
  if (!m) throw invalid('month', 'Must be a month as YYYY-MM (01 to 12)');
  if (m.census >= today) throw invalid('month', `The month has not ended yet: its census ${m.census} must be before today`);
  return m;
}

function censusOfWeek(week: string, today: string) {
  const w = returnWeek(week);
  if (!w) throw invalid('week', 'No such ISO week');
  if (w.census >= today) throw invalid('week', `The week has not ended yet: its census ${w.census} must be before today`);
  return w;
}

type PartCounts = { bands: number[]; unknown: number; total: number; within18Weeks: number };

/** The return for a month: every part for every line that appears in any part, zeros where none. */
async function rttReturnFor(deps: Deps, month: string) {
  const { first, census } = censusOfMonth(month, deps.today());
  const counts = await withoutJit(deps.db, (tx) => rttReturnCounts(tx, first, census));
  const tfcs = [...new Set(counts.map((c) => c.tfc))].sort();
  const cells = new Map<string, PartCounts>();
  const empty = (): PartCounts => ({ bands: Array<number>(105).fill(0), unknown: 0, total: 0, within18Weeks: 0 });
  for (const part of rttReturnParts) for (const tfc of tfcs) cells.set(`${part}|${tfc}`, empty());
  const totals = Object.fromEntries(rttReturnParts.map((p) => [p, { total: 0, within18Weeks: 0, known: 0 }])) as Record<RttReturnPart, { total: number; within18Weeks: number; known: number }>;
  for (const { part, tfc, band, n } of counts) {
    const cell = cells.get(`${part}|${tfc}`)!;
    const t = totals[part as RttReturnPart];
    cell.total += n;
    t.total += n;
    if (band === 0) { cell.unknown += n; continue; }
    cell.bands[band - 1] += n;
    t.known += n;
    if (band <= 18) { cell.within18Weeks += n; t.within18Weeks += n; }
  }
  const rows = rttReturnParts.flatMap((part) => tfcs.map((tfc) => ({ part, tfc, ...cells.get(`${part}|${tfc}`)! })));
  return {
    month, census, bandLabels: [...rttWeekBandLabels], rows,
    totals: Object.fromEntries(rttReturnParts.map((p) => {
      const { total, within18Weeks, known } = totals[p];
      return [p, { total, within18Weeks, percentWithin18Weeks: known === 0 ? null : Math.round((1000 * within18Weeks) / known) / 10 }];
    })),
  };
}

/** A CSV field: quoted only when it must be. */
const field = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const line = (values: unknown[]) => `${values.map(field).join(',')}\r\n`;

const csvResponse = (c: Context, filename: string, body: string) =>
  c.body(body, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'no-store' });

/** One extract line's values in wlmdsColumns order (written out, not spread: 100,000 lines a week). */
function wlmdsLine(row: WlmdsRow): unknown[] {
  return [
    row.week_ending, row.referral_id, row.period_no, row.nhs_number, row.local_patient_id, row.ppid_or_ubrn, rttReturnTfc(row.specialty_code),
    row.specialty_code, row.priority, row.clinical_priority, row.clock_start, row.start_known, row.days_waited,
    row.start_known ? rttWeekBandLabel(rttWeekBand(row.days_waited)) : 'unknown', row.last_rtt_code, row.decision_to_admit_on,
    row.next_appointment_date, row.stage,
  ];
}

type WlmdsChange = { change: 'joined' | 'left' | 'changed'; reason: string; reasonKey: string; changedFields: string[]; row: WlmdsRow };

function changeOf(d: WlmdsDiffRow): WlmdsChange {
  if (!d.prev) return { change: 'joined', reason: wlmdsJoinerReason(d.cur!.start_code), reasonKey: String(d.cur!.start_code), changedFields: [], row: d.cur! };
  if (!d.cur) {
    const { reason, label } = wlmdsLeaverReason(d.status ?? '', d.stop_code, d.stop_cause);
    return { change: 'left', reason: label, reasonKey: reason, changedFields: [], row: d.prev };
  }
  const changedFields = wlmdsComparedFields.filter((f) => (d.cur![f] ?? null) !== (d.prev![f] ?? null));
  return { change: 'changed', reason: '', reasonKey: '', changedFields, row: d.cur };
}

export function returnRoutes(deps: Deps): OpenAPIHono<AppEnv> {
  return router()
    .openapi(route({
      method: 'get', path: '/rtt', tags: ['returns'], operationId: 'rtt_return', summary: 'The monthly RTT return for a month that has ended',
      description: 'Parts 1A, 1B, 2, 2A and 3 by treatment function and week band, counted from dated RTT periods (docs/returns.md).',
      request: { query: monthQuery },
      responses: { 200: json('The return', rttReturn), ...errors(...signedIn) },
    }), async (c) => c.json(await rttReturnFor(deps, c.req.valid('query').month)))
    .openapi(route({
      method: 'get', path: '/rtt.csv', tags: ['returns'], operationId: 'rtt_return_csv', summary: 'The monthly RTT return as CSV',
      description: 'Header `part,tfc,0-1,1-2,…,103-104,104+,unknown,total`; one line per part and treatment function, parts 1A, 1B, 2, 2A, 3.',
      request: { query: monthQuery },
      responses: { 200: csv('The return, one line per part and treatment function'), ...errors(...signedIn) },
    }), async (c) => {
      const r = await rttReturnFor(deps, c.req.valid('query').month);
      const out = [line(['part', 'tfc', ...r.bandLabels, 'unknown', 'total'])];
      for (const row of r.rows) out.push(line([row.part, row.tfc, ...row.bands, row.unknown, row.total]));
      return csvResponse(c, `rtt-return-${r.month}.csv`, out.join(''));
    })
    .openapi(route({
      method: 'get', path: '/wlmds', tags: ['returns'], operationId: 'wlmds_extract', summary: 'The weekly waiting-list extract (WLMDS) as CSV',
      description: 'One line per RTT period open at the week\'s Sunday; with diff=true, the lines that joined, left or changed since the week before, '
        + 'led by change, reason and changed_fields (docs/returns.md lists the columns).',
      request: { query: weekQuery },
      responses: { 200: csv('The extract'), ...errors(...signedIn) },
    }), async (c) => {
      const { week, diff } = c.req.valid('query');
      const w = censusOfWeek(week, deps.today());
      if (diff !== 'true') {
        const out = [line([...wlmdsColumns])];
        for (const row of await withoutJit(deps.db, (tx) => wlmdsRows(tx, w.census))) out.push(line(wlmdsLine(row)));
        return csvResponse(c, `wlmds-${week}.csv`, out.join(''));
      }
      const out = [line(['change', 'reason', 'changed_fields', ...wlmdsColumns])];
      for (const d of await withoutJit(deps.db, (tx) => wlmdsDiffRows(tx, w.census, w.previousCensus))) {
        const ch = changeOf(d);
        out.push(line([ch.change, ch.reason, ch.changedFields.join(';'), ...wlmdsLine(ch.row)]));
      }
      return csvResponse(c, `wlmds-${week}-changes.csv`, out.join(''));
    })
    .openapi(route({
      method: 'get', path: '/wlmds/summary', tags: ['returns'], operationId: 'wlmds_summary', summary: 'The week\'s extract in numbers, and what changed since the week before',
      request: { query: z.object({ week: weekParam }) },
      responses: { 200: json('The summary', wlmdsSummary), ...errors(...signedIn) },
    }), async (c) => {
      const w = censusOfWeek(c.req.valid('query').week, deps.today());
      const [total, diff] = await Promise.all([
        withoutJit(deps.db, (tx) => wlmdsCount(tx, w.census)), withoutJit(deps.db, (tx) => wlmdsDiffRows(tx, w.census, w.previousCensus)),
      ]);
      const changes = diff.map(changeOf);
      const byReason = new Map<string, { reason: string; label: string; count: number }>();
      const byField = new Map<string, number>(wlmdsComparedFields.map((f) => [f, 0]));
      for (const ch of changes) {
        if (ch.change === 'left') {
          const r = byReason.get(ch.reasonKey) ?? { reason: ch.reasonKey, label: ch.reason, count: 0 };
          r.count += 1;
          byReason.set(ch.reasonKey, r);
        }
        if (ch.change === 'changed') for (const f of ch.changedFields) byField.set(f, byField.get(f)! + 1);
      }
      return c.json({
        ...w, total,
        joiners: changes.filter((ch) => ch.change === 'joined').length,
        leavers: changes.filter((ch) => ch.change === 'left').length,
        leaversByReason: [...byReason.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
        changed: changes.filter((ch) => ch.change === 'changed').length,
        changedByField: [...byField].map(([field, count]) => ({ field, count })),
      });
    });
}
