#!/usr/bin/env -S npx tsx
// The admitted waiting list benchmark (issue 15): N admitted pathways (default 20,000) loaded by SQL into a database of
// its own on the loopback Postgres, then the admitted list's first page as the console asks for it (GET /api/admissions,
// 50 rows of those still on the list, the API's order) and a few filtered or re-sorted first pages, each beside the same
// page and count as bare SQL on the same database in the same run. Prints progress and a table, and appends a dated
// section to docs/benchmarks.md.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import postgres from 'postgres';
import { sql, type SQL } from 'drizzle-orm';
import { createApp } from '../../api/app';
import { silentLogger } from '../../api/log';
import { AccessDeskClient } from '../../bin/lib/api-client';
import { loadDemoTrust, prepareDatabase } from '../../bin/lib/system';
import { connectPostgres, queryRows, type Database } from '../../db/client';
import { londonDate } from '../../domain';
import { loopbackPostgresUrl, recordBenchmark } from './support';

const help = `Usage: npm run bench:admitted -- [--pathways N] [--requests N] [--no-record]

Creates a database of its own on the loopback Postgres (TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres;
any other host is refused), loads N admitted pathways by SQL (default 20000, at most 200000: patient, referral, pathway,
RTT period and an admitted waiting-list entry each; surgical priorities P1a 1%, P1b 2%, P2 17%, P3 40%, P4 40%; 75% waiting,
20% with a TCI booked, 5% cancelled to rebook), starts the API in this process on 127.0.0.1 and measures, --requests times
(default 200), half of them:
  first page   GET /api/admissions?range=[0,49]&filter={"status":["waiting","tci_booked","cancelled"]} with no sort: the
               console's request (those still on the list, in the API's order: surgical priority, then target date)
and the other half in turn: filtered by specialty, by surgical priority, TCI booked only, and sorted by breach date; each
beside the same page and count as bare SQL on the same database (checked to be the same rows first). p50/p95/max and the
ratio of the p95s. The database is dropped at the end. --explain prints the plans of the console's page and count.
--no-record prints without appending to
docs/benchmarks.md.`;

const { values: args } = parseArgs({
  options: {
    pathways: { type: 'string', default: '20000' }, requests: { type: 'string', default: '200' },
    'no-record': { type: 'boolean', default: false }, explain: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) { console.log(help); process.exit(0); }
const pathwayCount = Math.min(200_000, Math.max(1000, Number(args.pathways) || 20_000));
const requestCount = Math.min(2000, Math.max(10, Number(args.requests) || 200));

const serverUrl = loopbackPostgresUrl();
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const ms = (n: number) => `${n.toFixed(1)} ms`;
const progress = (line: string) => console.log(`… ${line}`);

async function loadAdmittedPathways(db: Database, n: number, today: string) {
  // Specialties that have a clinic, in code order; pathway i gets specialty i mod count, a clock start up to 500 days ago,
  // a decision to admit 30 days after it, and a consultant from the demo clinicians.
  await db.execute(sql`create temporary table if not exists bench_spec as
    select s.code, (row_number() over (order by s.code) - 1)::int as k from specialties s
    where exists (select 1 from clinics c where c.specialty_code = s.code)`);
  await db.execute(sql`create temporary table if not exists bench_consultant as
    select id, (row_number() over (order by id) - 1)::int as k from staff where role = 'clinician'`);
  const gen = sql`(select i, (i * 7919) % 500 as age, sp.code, c.id as consultant,
      case when i % 100 = 0 then 'P1a' when i % 100 < 3 then 'P1b' when i % 100 < 20 then 'P2' when i % 100 < 60 then 'P3' else 'P4' end as prio,
      case when i % 20 = 0 then 'cancelled' when i % 5 = 1 then 'tci_booked' else 'waiting' end as status
    from generate_series(1, ${n}) i
    join bench_spec sp on sp.k = i % (select count(*) from bench_spec)
    join bench_consultant c on c.k = i % (select count(*) from bench_consultant))`;
  const start = sql`(${today}::date - g.age)`;
  progress(`loading ${n} patients and referrals`);
  await db.execute(sql`insert into patients (id, nhs_number, given_name, family_name, date_of_birth)
    select 'bpat_' || g.i, '8' || lpad(g.i::text, 9, '0'), 'Bench', 'Patient' || g.i, '1960-01-01' from ${gen} g`);
  await db.execute(sql`insert into referrals (id, patient_id, source, received_at, specialty_code, priority, clinical_priority, reason, state, workflow_id, pathway_started)
    select 'bref_' || g.i, 'bpat_' || g.i, 'gp_letter', ${start}, g.code, 'routine', 'routine', 'Benchmark pathway', 'awaiting_admission', 'bench', true from ${gen} g`);
  progress('loading their pathways and RTT periods');
  await db.execute(sql`insert into pathways (referral_id, rtt_status, clock_start, last_rtt_code, breach_date)
    select 'bref_' || g.i, 'running', ${start}, 10, ${start} + 126 from ${gen} g`);
  await db.execute(sql`insert into rtt_periods (referral_id, period_no, status, clock_start, start_code, ptl_order_start, last_code, last_event_on)
    select 'bref_' || g.i, 1, 'running', ${start}, 10, ${start}, 10, ${start} from ${gen} g`);
  progress('loading the admitted waiting list');
  const decided = sql`(${start} + 30)`;
  await db.execute(sql`insert into admissions (id, admission_key, referral_id, specialty_code, procedure, intended_management, surgical_priority,
      consultant_id, decided_on, target_date, status, pre_op_required, pre_op_status, pre_op_valid_until, estimated_minutes, tci_date, ward,
      stand_by, declined_reasonable_offers)
    select 'badm_' || g.i, 'bench:' || g.i, 'bref_' || g.i, g.code, 'Benchmark procedure ' || (g.i % 40),
      case when g.i % 3 = 0 then 'inpatient' else 'day_case' end::intended_management, g.prio::surgical_priority, g.consultant, ${decided},
      ${decided} + case g.prio when 'P1a' then 1 when 'P1b' then 3 when 'P2' then 30 when 'P3' then 90 else 180 end,
      g.status::admission_status, g.i % 4 <> 0,
      case when g.i % 4 = 0 then 'not_required' when g.i % 4 = 1 then 'needed' else 'fit' end::pre_op_status,
      case when g.i % 4 >= 2 then ${today}::date + 60 end, 30 + (g.i % 8) * 15,
      case when g.status = 'tci_booked' then ${today}::date + 7 + g.i % 60 end, case when g.status = 'tci_booked' then 'Ward ' || (g.i % 9) end,
      g.i % 4 >= 2 and g.i % 7 = 0, 0
    from ${gen} g`);
  await db.execute(sql`analyze`);
}

const onList = ['waiting', 'tci_booked', 'cancelled'];
type PageFilter = { status?: string[] | string; specialtyCode?: string; surgicalPriority?: string };
type Order = 'console' | 'breachDate';

/**
 * A first page as bare SQL: the same rows in the same order, and the count, as the list contract returns them. The
 * console's order is the API's default (surgical priority, then its tie-break: target date, id); `breachDate` is the
 * page sorted by breach date (sort=["breachDate","ASC"], the same tie-break after it).
 */
function pageSql(filter: PageFilter, order: Order): { rows: SQL; count: SQL } {
  const where: SQL[] = [];
  const statuses = filter.status === undefined ? [] : Array.isArray(filter.status) ? filter.status : [filter.status];
  if (statuses.length) where.push(sql`a.status in (${sql.join(statuses.map((v) => sql`${v}`), sql`, `)})`);
  if (filter.specialtyCode) where.push(sql`a.specialty_code = ${filter.specialtyCode}`);
  if (filter.surgicalPriority) where.push(sql`a.surgical_priority = ${filter.surgicalPriority}`);
  const cond = where.length ? sql.join(where, sql` and `) : sql`true`;
  const orderBy = order === 'console' ? sql`a.surgical_priority, a.target_date, a.id` : sql`pw.breach_date, a.target_date, a.id`;
  return {
    rows: sql`select a.id, a.referral_id, p.given_name || ' ' || p.family_name as patient_name, a.specialty_code, a.procedure,
        a.intended_management, a.surgical_priority, a.consultant_id, c.name as consultant_name, a.decided_on::text, a.target_date::text,
        pw.breach_date::text, a.status, a.pre_op_required, a.pre_op_status, a.pre_op_valid_until::text, a.estimated_minutes, a.tci_offer_id,
        a.tci_date::text, a.theatre_session_id, a.ward, a.stand_by, a.declined_reasonable_offers, a.version
      from admissions a join referrals r on r.id = a.referral_id join patients p on p.id = r.patient_id
      join pathways pw on pw.referral_id = a.referral_id join staff c on c.id = a.consultant_id
      where ${cond} order by ${orderBy} limit 50`,
    count: sql`select count(*)::int as n from admissions a join referrals r on r.id = a.referral_id join patients p on p.id = r.patient_id
      join pathways pw on pw.referral_id = a.referral_id join staff c on c.id = a.consultant_id where ${cond}`,
  };
}

async function main() {
  const name = `access_desk_bench_admitted_${randomBytes(4).toString('hex')}`;
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
    progress(`database ${name}: migrations and the demo trust`);
    await prepareDatabase(handle);
    await loadDemoTrust(handle, 'access-desk-bench');
    const loadStarted = performance.now();
    await loadAdmittedPathways(handle.db, pathwayCount, today);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const pgVersion = (await queryRows<{ v: string }>(handle.db, sql`select current_setting('server_version') as v`))[0].v;
    const [{ listed }] = await queryRows<{ listed: number }>(handle.db,
      sql`select count(*)::int as listed from admissions where status in ('waiting', 'tci_booked', 'cancelled')`);

    progress('starting the API on 127.0.0.1');
    const app = createApp({ db: handle.db, temporal: {} as never, logger: silentLogger });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server!.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new AccessDeskClient(base);
    await client.signIn('officer@demo.nhs.uk', 'access-desk-bench');
    const cookie = (client as unknown as { cookie: string }).cookie;

    // The console's request: those still on the list (its default filter), no sort (the API's order), 50 rows.
    const consoleFilter: PageFilter = { status: onList };
    const requests: Array<{ kind: string; filter: PageFilter; order: Order }> = [];
    const variants: Array<{ kind: string; filter: PageFilter; order: Order }> = [
      { kind: 'filtered: specialty 101', filter: { ...consoleFilter, specialtyCode: '101' }, order: 'console' },
      { kind: 'filtered: P2', filter: { ...consoleFilter, surgicalPriority: 'P2' }, order: 'console' },
      { kind: 'filtered: TCI booked', filter: { status: 'tci_booked' }, order: 'console' },
      { kind: 'sorted by breach date', filter: consoleFilter, order: 'breachDate' },
    ];
    for (let i = 0; i < requestCount; i++) {
      requests.push(i % 2 === 0 ? { kind: 'first page, as the console asks', filter: consoleFilter, order: 'console' } : variants[((i - 1) / 2) % variants.length]);
    }
    const apiUrl = (filter: PageFilter, order: Order) => `${base}/api/admissions?${new URLSearchParams({
      range: '[0,49]', filter: JSON.stringify(filter), ...(order === 'breachDate' ? { sort: '["breachDate","ASC"]' } : {}),
    })}`;
    // The API's pages must be the bare SQL's: same rows, same order, same total.
    for (const r of [{ filter: consoleFilter, order: 'console' as Order }, ...variants]) {
      const res = await fetch(apiUrl(r.filter, r.order), { headers: { cookie } });
      const body = await res.json() as Array<{ id: string }>;
      if (res.status !== 200) throw new Error(`GET /api/admissions answered ${res.status}: ${JSON.stringify(body)}`);
      const q = pageSql(r.filter, r.order);
      const bare = await queryRows<{ id: string }>(handle.db, q.rows);
      const [{ n }] = await queryRows<{ n: number }>(handle.db, q.count);
      const total = Number(res.headers.get('content-range')?.split('/').pop());
      if (body.map((x) => x.id).join(',') !== bare.map((x) => x.id).join(',') || total !== n) {
        throw new Error(`The API's page differs from the bare SQL's for ${JSON.stringify(r)}: ${total} against ${n} rows`);
      }
    }
    if (args.explain) {
      // The plans of the console's page and count, to see which index (if any) serves them.
      const q = pageSql(consoleFilter, 'console');
      for (const [what, query] of [['page', q.rows], ['count', q.count]] as const) {
        const plan = await queryRows<Record<string, string>>(handle.db, sql`explain (analyze, buffers off) ${query}`);
        console.log(`plan of the console's ${what}:\n${plan.map((r) => Object.values(r)[0]).join('\n')}`);
      }
    }
    const byKind = new Map<string, { api: number[]; sql: number[] }>();
    const apiTimes: number[] = [];
    const sqlTimes: number[] = [];
    // Warm both paths.
    for (const r of requests.slice(0, 10)) await (await fetch(apiUrl(r.filter, r.order), { headers: { cookie } })).text();
    for (const [i, r] of requests.entries()) {
      const timeApi = async () => {
        const t = performance.now();
        const res = await fetch(apiUrl(r.filter, r.order), { headers: { cookie } });
        const body = await res.json();
        if (res.status !== 200 || !Array.isArray(body)) throw new Error(`GET /api/admissions answered ${res.status}`);
        return performance.now() - t;
      };
      const timeSql = async () => {
        const t = performance.now();
        const q = pageSql(r.filter, r.order);
        await Promise.all([queryRows(handle.db, q.rows), queryRows(handle.db, q.count)]);
        return performance.now() - t;
      };
      // Alternate which goes first, so neither always meets a warmer cache.
      const [a, s] = i % 2 ? [await timeApi(), await timeSql()] : await timeSql().then(async (s1) => [await timeApi(), s1]);
      apiTimes.push(a); sqlTimes.push(s);
      const k = byKind.get(r.kind) ?? { api: [], sql: [] };
      k.api.push(a); k.sql.push(s); byKind.set(r.kind, k);
      if ((i + 1) % 50 === 0) progress(`${i + 1} of ${requestCount} requests`);
    }

    const cpu = os.cpus();
    log(`Access Desk admitted waiting list benchmark — ${pathwayCount} admitted pathways (${listed} on the list), ${requestCount} page requests, `
      + `${cpu[0]?.model.trim() ?? 'CPU'} ×${cpu.length}, Node ${process.version}, Postgres ${pgVersion}`);
    log(`load by SQL: ${loadSeconds.toFixed(1)} s; load average (1/5/15 min) at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} on ${cpu.length} CPUs`);
    log('');
    log('Admitted list page (GET /api/admissions, 50 rows + count)  p50         p95         max       | bare SQL p50   p95         | p95 API/SQL');
    const row = (label: string, a: number[], s: number[]) => {
      const sa = [...a].sort((x, y) => x - y);
      const ss = [...s].sort((x, y) => x - y);
      log(`  ${label.padEnd(55)} ${ms(quantile(sa, 0.5)).padEnd(11)} ${ms(quantile(sa, 0.95)).padEnd(11)} ${ms(sa.at(-1)!).padEnd(9)} | `
        + `${ms(quantile(ss, 0.5)).padEnd(14)} ${ms(quantile(ss, 0.95)).padEnd(11)} | ${(quantile(sa, 0.95) / quantile(ss, 0.95)).toFixed(2)}`);
    };
    row(`all ${requestCount}`, apiTimes, sqlTimes);
    for (const [kind, k] of byKind) row(`${kind} (${k.api.length})`, k.api, k.sql);
    const first = byKind.get('first page, as the console asks')!;
    const firstP95 = quantile([...first.api].sort((x, y) => x - y), 0.95);
    log('');
    log(`first page p95: ${ms(firstP95)} (bare SQL ${ms(quantile([...first.sql].sort((x, y) => x - y), 0.95))})`);

    if (!args['no-record']) {
      recordBenchmark(`Admitted waiting list benchmark (npm run bench:admitted), ${today}`, pgVersion,
        'The API runs in the benchmark\'s process and is called over HTTP on 127.0.0.1; the bare SQL is the same page (50 rows, checked to be the API\'s rows in the API\'s order) and count, written by hand, on the same pool, alternating which goes first. Figures from a loaded machine (2 cores shared with other work) unless said otherwise.', lines);
    }
  } finally {
    server?.close();
    await handle.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
