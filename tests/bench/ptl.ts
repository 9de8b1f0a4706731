#!/usr/bin/env -S npx tsx
// The PTL benchmark: 75,000 open pathways loaded by SQL into a database of its own on the loopback Postgres, then
// the PTL page through the API (first pages, random pages, filtered pages) beside the same page and count queries
// as bare SQL on the same database in the same run, and the CSV export of every row through the API beside the
// same rows read by bare SQL. Prints a table and appends a dated section to docs/benchmarks.md.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { createApp } from '../../api/app';
import { silentLogger } from '../../api/log';
import { ptlCountSql, ptlRequest, ptlRowsSql, rowBatches, withoutJit } from '../../api/routes/ptl';
import { AccessDeskClient } from '../../bin/lib/api-client';
import { loadDemoTrust, prepareDatabase } from '../../bin/lib/system';
import { connectPostgres, queryRows } from '../../db/client';
import { addDays, londonDate } from '../../domain';
import { loopbackPostgresUrl, recordBenchmark } from './support';

const help = `Usage: npm run bench:ptl -- [--pathways N] [--requests N] [--csv-runs N] [--no-record]

Creates a database of its own on the loopback Postgres (TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres;
any other host is refused), loads N open pathways by SQL (default 75000, at most 200000), starts the API in this process
on 127.0.0.1, and measures:
  page   GET /api/ptl, --requests times (default 200): first pages, random pages, and filtered pages (specialty, week band,
         unbooked, priority, stage, breach date, census, sort by days waited), each beside the same page and count
         queries run as bare SQL on the same database; p50/p95 and the ratio of the p95s (target: API within 2x)
  csv    GET /api/ptl.csv for every row (--csv-runs times, default 3; the median), beside the same query read by bare SQL
         through the same server-side cursor and as one plain select (target: under 5 s), and the heap growth during it
The database is dropped at the end. --no-record prints without appending to docs/benchmarks.md.`;

const { values: args } = parseArgs({
  options: {
    pathways: { type: 'string', default: '75000' }, requests: { type: 'string', default: '200' }, 'csv-runs': { type: 'string', default: '3' },
    'no-record': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) { console.log(help); process.exit(0); }
const pathwayCount = Math.min(200_000, Math.max(1000, Number(args.pathways)));
const requestCount = Math.min(2000, Math.max(10, Number(args.requests)));
const csvRuns = Math.min(10, Math.max(1, Number(args['csv-runs'])));

const serverUrl = loopbackPostgresUrl();

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function loadPathways(db: ReturnType<typeof connectPostgres>['db'], n: number, today: string) {
  // Specialties in code order with one clinic each; pathway i gets specialty i mod count, a clock start spread over
  // 800 days, 5% two-week wait and 15% urgent, half with a booked appointment ahead, a third validated.
  await db.execute(sql`create temporary table if not exists bench_spec as
    select s.code, (row_number() over (order by s.code) - 1)::int as k, (select min(c.id) from clinics c where c.specialty_code = s.code) as clinic
    from specialties s where exists (select 1 from clinics c where c.specialty_code = s.code)`);
  const gen = sql`(select i, (i * 7919) % 800 as age, sp.code, sp.clinic,
      case when i % 20 = 0 then 'two_week_wait' when i % 20 < 4 then 'urgent' else 'routine' end::referral_priority as prio,
      case i % 10 when 0 then 'awaiting_triage' when 1 then 'awaiting_booking' when 2 then 'awaiting_booking' when 3 then 'awaiting_follow_up'
        when 4 then 'awaiting_admission' when 5 then 'booked' when 6 then 'booked' when 7 then 'booked' when 8 then 'follow_up_booked'
        else 'follow_up_booked' end::referral_state as state
    from generate_series(1, ${n}) i join bench_spec sp on sp.k = i % (select count(*) from bench_spec))`;
  const start = sql`(${today}::date - g.age)`;
  await db.execute(sql`insert into patients (id, nhs_number, given_name, family_name, date_of_birth)
    select 'bpat_' || g.i, '8' || lpad(g.i::text, 9, '0'), 'Bench', 'Patient' || g.i, '1960-01-01' from ${gen} g`);
  await db.execute(sql`insert into referrals (id, patient_id, source, received_at, specialty_code, priority, clinical_priority, reason, state, workflow_id, pathway_started)
    select 'bref_' || g.i, 'bpat_' || g.i, 'gp_letter', ${start}, g.code, g.prio, case when g.state = 'awaiting_triage' then null else g.prio end,
      'Benchmark pathway', g.state, 'bench', true from ${gen} g`);
  await db.execute(sql`insert into pathways (referral_id, rtt_status, clock_start, last_rtt_code, breach_date, last_validated_at, last_validated_by)
    select 'bref_' || g.i, 'running', ${start}, 10, ${start} + 127,
      case when g.i % 3 = 0 then now() - (g.i % 90) * interval '1 day' end, case when g.i % 3 = 0 then 'staff_leader' end from ${gen} g`);
  await db.execute(sql`insert into rtt_periods (referral_id, period_no, status, clock_start, start_code, ptl_order_start, last_code, last_event_on)
    select 'bref_' || g.i, 1, 'running', ${start}, 10, ${start}, 10, ${start} from ${gen} g`);
  await db.execute(sql`insert into rtt_events (referral_id, period_no, code, event_date, cause, rule, policy_version)
    select 'bref_' || g.i, 1, 10, ${start}, 'referral', 'bench', 'bench' from ${gen} g`);
  // Appointments ahead at odd instants (a millisecond off the minute, one second apart), so no generated slot collides.
  const apptStart = sql`(date_trunc('day', now()) + (1 + g.i % 60) * interval '1 day' + g.i * interval '1 second' + interval '7 milliseconds')`;
  const booked = sql`g.state in ('booked', 'follow_up_booked')`;
  await db.execute(sql`insert into slots (id, clinic_id, start, "end", type, status)
    select 'bslot_' || g.i, g.clinic, ${apptStart}, ${apptStart} + interval '20 minutes',
      case when g.state = 'booked' then 'new' else 'follow_up' end::slot_type, 'booked' from ${gen} g where ${booked}`);
  await db.execute(sql`insert into appointments (id, referral_id, patient_id, slot_id, clinic_id, start, kind, state)
    select 'bappt_' || g.i, 'bref_' || g.i, 'bpat_' || g.i, 'bslot_' || g.i, g.clinic, ${apptStart},
      case when g.state = 'booked' then 'new' else 'follow_up' end::appointment_kind, 'booked' from ${gen} g where ${booked}`);
  await db.execute(sql`analyze`);
}

/** A stand-in for the request's context, so the bare SQL is built by the same code from the same parameters. */
const contextFor = (params: Record<string, string>) => ({ req: { query: (name: string) => params[name] } }) as unknown as Context;

async function main() {
  const name = `access_desk_bench_ptl_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = connectPostgres(url.toString(), { max: 10 });
  let server: ReturnType<typeof serve> | undefined;
  const lines: string[] = [];
  const log = (line: string) => { console.log(line); lines.push(line); };
  try {
    const today = londonDate(Date.now());
    await prepareDatabase(handle);
    await loadDemoTrust(handle, 'access-desk-bench');
    const loadStarted = performance.now();
    await loadPathways(handle.db, pathwayCount, today);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const pgVersion = (await queryRows<{ v: string }>(handle.db, sql`select current_setting('server_version') as v`))[0].v;

    const app = createApp({ db: handle.db, temporal: {} as never, logger: silentLogger });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server!.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new AccessDeskClient(base);
    await client.signIn('leader@demo.nhs.uk', 'access-desk-bench');
    const cookie = (client as unknown as { cookie: string }).cookie;

    const [{ total }] = await queryRows<{ total: number }>(handle.db, sql`select count(*)::int as total from rtt_periods where status = 'running'`);
    // The request mix: first pages, random pages, and filtered pages (random pages within them).
    const filters: Array<Record<string, unknown>> = [
      { specialty: '101' }, { weekBand_gte: 53 }, { unbooked: true }, { priority: 'urgent' }, { stage: 'awaiting_first_appointment' },
      { breachDate_lte: today }, { census: addDays(today, -30) }, { specialty: ['110', '120'], weekBand_gte: 19 }, { q: 'Patient1234' },
    ];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pageFrom = (max: number) => { const from = Math.floor(random() * max); return `[${from},${from + 24}]`; };
    const requests: Array<{ kind: string; params: Record<string, string> }> = [];
    for (let i = 0; i < requestCount; i++) {
      const slot = i % 5;
      if (slot === 0) requests.push({ kind: 'first page', params: { range: '[0,24]' } });
      else if (slot === 1) {
        const from = Math.floor(random() * (total - 25));
        requests.push({ kind: 'random page', params: { range: `[${from},${from + 24}]` } });
      } else if (slot === 4 && i % 10 === 4) requests.push({ kind: 'sorted by days waited', params: { sort: '["daysWaited","DESC"]', range: pageFrom(2000) } });
      else requests.push({ kind: 'filtered', params: { filter: JSON.stringify(filters[i % filters.length]), range: i % 2 ? '[0,24]' : pageFrom(500) } });
    }
    const apiTimes: number[] = [];
    const sqlTimes: number[] = [];
    const byKind = new Map<string, { api: number[]; sql: number[] }>();
    // Warm both paths once.
    for (const r of requests.slice(0, 5)) {
      await (await fetch(`${base}/api/ptl?${new URLSearchParams(r.params)}`, { headers: { cookie } })).text();
    }
    for (const [i, r] of requests.entries()) {
      const timeApi = async () => {
        const t = performance.now();
        const res = await fetch(`${base}/api/ptl?${new URLSearchParams(r.params)}`, { headers: { cookie } });
        const body = await res.json() as unknown[];
        if (res.status !== 200 || !Array.isArray(body)) throw new Error(`GET /api/ptl answered ${res.status}`);
        return performance.now() - t;
      };
      const timeSql = async () => {
        const t = performance.now();
        const req = ptlRequest(contextFor(r.params), today);
        await Promise.all([
          withoutJit(handle.db, (tx) => queryRows(tx, ptlRowsSql(req, { limit: req.limit, offset: req.first }))),
          withoutJit(handle.db, (tx) => queryRows(tx, ptlCountSql(req))),
        ]);
        return performance.now() - t;
      };
      // Alternate which goes first, so neither always meets a warmer cache.
      const [a, s] = i % 2 ? [await timeApi(), await timeSql()] : await timeSql().then(async (s1) => [await timeApi(), s1]);
      apiTimes.push(a); sqlTimes.push(s);
      const k = byKind.get(r.kind) ?? { api: [], sql: [] };
      k.api.push(a); k.sql.push(s); byKind.set(r.kind, k);
    }

    // CSV: the whole list through the API, beside the same query read by bare SQL (cursor, and one select).
    const csvTimes: number[] = [];
    const cursorTimes: number[] = [];
    const selectTimes: number[] = [];
    let csvLines = 0;
    let csvBytes = 0;
    let heapGrowth = 0;
    for (let run = 0; run < csvRuns; run++) {
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      let heapPeak = heapBefore;
      const sampler = setInterval(() => { heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed); }, 20);
      const t = performance.now();
      const res = await fetch(`${base}/api/ptl.csv`, { headers: { cookie } });
      if (res.status !== 200 || !res.body) throw new Error(`GET /api/ptl.csv answered ${res.status}`);
      let bytes = 0;
      let newlines = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        for (const b of chunk) if (b === 10) newlines++;
      }
      csvTimes.push(performance.now() - t);
      clearInterval(sampler);
      csvLines = newlines - 1;
      csvBytes = bytes;
      heapGrowth = Math.max(heapGrowth, heapPeak - heapBefore);
      const req = ptlRequest(contextFor({}), today);
      let t2 = performance.now();
      let n = 0;
      for await (const rows of rowBatches(handle.db, (page) => ptlRowsSql(req, page))) n += rows.length;
      cursorTimes.push(performance.now() - t2);
      if (n !== csvLines) throw new Error(`CSV has ${csvLines} rows, the bare cursor ${n}`);
      t2 = performance.now();
      const all = await withoutJit(handle.db, (tx) => queryRows(tx, ptlRowsSql(req)));
      selectTimes.push(performance.now() - t2);
      if (all.length !== csvLines) throw new Error(`CSV has ${csvLines} rows, the bare select ${all.length}`);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

    const sortedApi = [...apiTimes].sort((a, b) => a - b);
    const sortedSql = [...sqlTimes].sort((a, b) => a - b);
    const cpu = os.cpus();
    log(`Access Desk PTL benchmark — ${pathwayCount} open pathways (${total} running periods), ${requestCount} page requests, `
      + `${cpu[0]?.model.trim() ?? 'CPU'} ×${cpu.length}, Node ${process.version}, Postgres ${pgVersion}`);
    log(`load by SQL: ${loadSeconds.toFixed(1)} s; load average (1/5/15 min) at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} on ${cpu.length} CPUs`);
    log('');
    log('PTL page (GET /api/ptl, 25 rows + count)      p50         p95         max       | bare SQL p50   p95         | p95 API/SQL');
    const row = (label: string, a: number[], s: number[]) => {
      const sa = [...a].sort((x, y) => x - y);
      const ss = [...s].sort((x, y) => x - y);
      log(`  ${label.padEnd(42)} ${ms(quantile(sa, 0.5)).padEnd(11)} ${ms(quantile(sa, 0.95)).padEnd(11)} ${ms(sa.at(-1)!).padEnd(9)} | `
        + `${ms(quantile(ss, 0.5)).padEnd(14)} ${ms(quantile(ss, 0.95)).padEnd(11)} | ${(quantile(sa, 0.95) / quantile(ss, 0.95)).toFixed(2)}`);
    };
    row(`all ${requestCount}`, apiTimes, sqlTimes);
    for (const [kind, k] of byKind) row(`${kind} (${k.api.length})`, k.api, k.sql);
    log('');
    log(`CSV export (GET /api/ptl.csv, ${csvLines} rows, ${(csvBytes / 1_048_576).toFixed(1)} MiB), median of ${csvRuns}: ${(median(csvTimes) / 1000).toFixed(2)} s `
      + `(runs ${csvTimes.map((x) => (x / 1000).toFixed(2)).join(', ')} s)`);
    log(`  bare SQL, same query through the same cursor: ${(median(cursorTimes) / 1000).toFixed(2)} s; as one select: ${(median(selectTimes) / 1000).toFixed(2)} s`);
    log(`  CSV / bare cursor: ${(median(csvTimes) / median(cursorTimes)).toFixed(2)}   CSV / one select: ${(median(csvTimes) / median(selectTimes)).toFixed(2)}`);
    log(`  heap growth during the export (API and client in this process, sampled every 20 ms): ${(heapGrowth / 1_048_576).toFixed(0)} MiB`);
    log('');
    const pageRatio = quantile(sortedApi, 0.95) / quantile(sortedSql, 0.95);
    log(`targets: page p95 API within 2x bare SQL: ${pageRatio.toFixed(2)}x ${pageRatio <= 2 ? 'met' : 'NOT met'}; `
      + `CSV of ${csvLines} rows under 5 s: ${(median(csvTimes) / 1000).toFixed(2)} s ${median(csvTimes) < 5000 ? 'met' : 'NOT met'}`);

    if (!args['no-record']) {
      recordBenchmark(`PTL benchmark (npm run bench:ptl), ${today}`, pgVersion,
        'The API runs in the benchmark\'s process and is called over HTTP on 127.0.0.1; the bare SQL is the same page and count queries, built by the same code from the same parameters, run on the same pool, alternating which goes first.', lines);
    }
  } finally {
    server?.close();
    await handle.close();
    if (process.env.PTL_BENCH_KEEP === '1') console.log(`kept database ${name}`);
    else await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
