#!/usr/bin/env -S npx tsx
// The returns benchmark: 180,000 pathways' RTT periods and events over two years, written by bulk SQL into a
// database of its own, then a year of monthly RTT returns (twelve months) through the API beside the bare SQL
// for the same rows in the same run (both with JIT off, as the API reads), and one WLMDS week (extract, diff, summary) beside its bare SQL. It only
// measures and prints, and appends what it printed to docs/benchmarks.md.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { createApp } from '../../api/app';
import { withoutJit } from '../../api/routes/ptl';
import { silentLogger } from '../../api/log';
import { hashPassword } from '../../api/passwords';
import { connectPostgres, queryRows } from '../../db/client';
import { loadReferenceData } from '../../db/reference-data';
import { rttReturnCountsSql, wlmdsSql } from '../../db/returns';
import { addDays, londonDate } from '../../domain';
import { isoWeekOf, returnMonth, returnWeek } from '../../domain/rtt-returns';
import { loopbackPostgresUrl } from './support';

const help = `Usage: npm run bench:returns -- [--pathways N] [--rounds N] [--no-record]

Creates a database on the local Postgres (TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres;
loopback only), writes N pathways (default 180000) with their RTT periods and events spread over the two years
before today, then, in the same run and interleaved, for each of the last twelve ended months:
  API   GET /api/returns/rtt?month=… (the Hono app in this process, signed in as an officer), and the CSV once
  SQL   the same counting query on the same database, bare
and for last week: the WLMDS extract, its diff and summary through the API, and the extract's query bare.
Rounds (default 3) repeat the year; the table shows each month's median. The database is dropped at the end.

Options:
  --pathways N   pathways to write (default 180000)
  --rounds N     times the year is computed (default 3)
  --no-record    print only; do not append to docs/benchmarks.md
  -h, --help     this help`;

const { values: args } = parseArgs({
  options: {
    pathways: { type: 'string', default: '180000' }, rounds: { type: 'string', default: '3' },
    'no-record': { type: 'boolean', default: false }, 'data-only': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) { console.log(help); process.exit(0); }
const pathwayCount = Math.min(1_000_000, Math.max(1000, Number(args.pathways)));
const rounds = Math.min(10, Math.max(1, Number(args.rounds)));

const serverUrl = loopbackPostgresUrl();

const ms = (x: number) => (x < 10 ? `${x.toFixed(2)} ms` : x < 100 ? `${x.toFixed(1)} ms` : `${Math.round(x)} ms`);
const secs = (x: number) => `${(x / 1000).toFixed(2)} s`;
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const time = async <T>(f: () => Promise<T>): Promise<[number, T]> => { const t = performance.now(); const r = await f(); return [performance.now() - t, r]; };

const name = `access_desk_bench_returns_${randomBytes(4).toString('hex')}`;
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const handle = connectPostgres(url.toString(), { max: 10 });
const bare = postgres(url.toString(), { max: 1, onnotice: () => {} });
const lines: string[] = [];
const out = (line = '') => { console.log(line); lines.push(line); };
// Bounded: the whole run gives up after 20 minutes, and the database goes whatever happens.
const deadline = setTimeout(() => { console.error('returns bench: gave up after 20 minutes'); void cleanup().finally(() => process.exit(1)); }, 20 * 60_000);
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  clearTimeout(deadline);
  await bare.end({ timeout: 5 }).catch(() => {});
  await handle.close().catch(() => {});
  if (args['data-only']) console.log(`kept database ${name}`);
  else await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
  await admin.end({ timeout: 5 }).catch(() => {});
}

try {
  const today = londonDate(Date.now());
  const db = handle.db;
  await handle.migrate();
  await loadReferenceData(db, { passwordHash: await hashPassword('bench-returns'), effectiveFrom: addDays(today, -7) });
  // Three codes reported on "other" lines (X05, X02, X06) beside the demo trust's own.
  await db.execute(sql`insert into specialties (code, name) values ('191', 'Pain Management'), ('420', 'Paediatric Neurology'), ('650', 'Physiotherapy') on conflict do nothing`);

  // ---- Data: one statement per table, generated in Postgres from a pathway number i (deterministic per i).
  const from = addDays(today, -730);
  const [loaded] = await time(async () => {
    await bare.unsafe(`
      create temporary table g as
      select i,
        ('${from}'::date + (abs(hashint4(i)) % 729))::date as start,
        abs(hashint4(i * 7 + 1)) % 100 as fate,
        abs(hashint4(i * 7 + 2)) % 400 as length,
        abs(hashint4(i * 7 + 3)) % 100 as extra,
        (array['100','101','110','120','130','300','320','330','502','191','420','650'])[1 + abs(hashint4(i * 7 + 4)) % 12] as specialty
      from generate_series(1, ${pathwayCount}) i`);
    await bare.unsafe(`insert into patients (id, nhs_number, given_name, family_name, date_of_birth)
      select 'pat_bench' || lpad(i::text, 7, '0'), '9' || lpad(i::text, 9, '0'), 'Bench', 'Patient' || (i % 1000), '1960-01-01' from g`);
    await bare.unsafe(`insert into referrals (id, patient_id, source, received_at, specialty_code, priority, clinical_priority, reason, state, workflow_id, pathway_started)
      select 'ref_bench' || lpad(i::text, 7, '0'), 'pat_bench' || lpad(i::text, 7, '0'), 'gp_letter', start, specialty,
        (case when extra < 10 then 'two_week_wait' when extra < 30 then 'urgent' else 'routine' end)::referral_priority,
        (case when extra < 10 then 'two_week_wait' when extra < 30 then 'urgent' else 'routine' end)::referral_priority,
        'Bench pathway', 'awaiting_booking', 'bench', true from g`);
    // Fates: 0–14 admitted treatment (30, after a DTA), 15–34 treated in clinic (30), 35–49 discharged (34), 50–54 active
    // monitoring (32; half of them a new period 11 later), 55–57 declined (35), 58 died (36), 59–62 nullified (33),
    // 63–64 transferred (21), the rest still waiting (a fifth of those with a DTA). A stop that would fall after
    // yesterday leaves the period running. 1% of starts are unknown.
    await bare.unsafe(`
      create temporary table p1 as
      select i, start, extra, specialty, length,
        case when fate < 59 and start + length < '${today}'::date then
          case when fate < 35 then 30 when fate < 50 then 34 when fate < 55 then 32 when fate < 58 then 35 else 36 end
          when fate between 59 and 64 and start + length % 60 < '${today}'::date then case when fate < 63 then 33 else 21 end
        end as stop_code,
        case when fate between 59 and 64 then start + length % 60 else start + length end as stop,
        fate
      from g`);
    await bare.unsafe(`insert into rtt_periods (referral_id, period_no, status, clock_start, start_code, start_known, ptl_order_start, clock_stop,
        stop_code, stop_admitted, decision_to_admit_on, last_code, last_event_on)
      select 'ref_bench' || lpad(i::text, 7, '0'), 1,
        (case when stop_code is null then 'running' when stop_code = 33 then 'nullified' when stop_code = 21 then 'transferred' else 'stopped' end)::rtt_period_status,
        start, 10, extra <> 42, start, case when stop_code is not null then stop end, stop_code, coalesce(stop_code = 30 and fate < 15, false),
        case when (fate < 15 and stop_code is not null) or (stop_code is null and extra < 20) then least(start + length / 2, '${today}'::date - 1) end,
        coalesce(stop_code, 10), case when stop_code is not null then stop else start end
      from p1`);
    await bare.unsafe(`insert into rtt_periods (referral_id, period_no, status, clock_start, start_code, start_known, ptl_order_start, last_code, last_event_on)
      select 'ref_bench' || lpad(i::text, 7, '0'), 2, 'running', stop + 5 + extra % 55, 11, true, start, 11, stop + 5 + extra % 55
      from p1 where stop_code = 32 and extra % 2 = 0 and stop + 5 + extra % 55 < '${today}'::date`);
    await bare.unsafe(`insert into rtt_events (referral_id, period_no, code, event_date, cause, rule, policy_version)
      select referral_id, period_no, start_code, clock_start, (case when period_no = 1 then 'referral' else 'monitoring_review' end)::rtt_event_cause, 'bench', 'bench'
        from rtt_periods
      union all select referral_id, period_no, 20, decision_to_admit_on, 'outcome', 'bench', 'bench' from rtt_periods where decision_to_admit_on is not null
      union all select referral_id, period_no, stop_code, clock_stop, (case when stop_code = 30 and stop_admitted then 'admission'
          when stop_code = 34 and referral_id like '%3' then 'validation' else 'outcome' end)::rtt_event_cause, 'bench', 'bench'
        from rtt_periods where stop_code is not null`);
    // A booked next appointment for a fifth of the pathways still waiting, in a clinic of the demo trust.
    await bare.unsafe(`
      create temporary table nx as
      select p.referral_id, r.patient_id, c.id as clinic_id, row_number() over () as n
      from rtt_periods p join referrals r on r.id = p.referral_id
      join lateral (select id from clinics order by id limit 1) c on true
      where p.status = 'running' and p.referral_id like '%0'`);
    await bare.unsafe(`insert into slots (id, clinic_id, start, "end", type, status)
      select 'slot_bench' || n, clinic_id, '${today}'::timestamptz + interval '1 day' + n * interval '1 minute',
        '${today}'::timestamptz + interval '1 day' + (n + 1) * interval '1 minute', 'new', 'booked' from nx`);
    await bare.unsafe(`insert into appointments (id, referral_id, patient_id, slot_id, clinic_id, start, kind, booked_at)
      select 'appt_bench' || n, referral_id, patient_id, 'slot_bench' || n, clinic_id, '${today}'::timestamptz + interval '1 day' + n * interval '1 minute',
        'new', '${today}'::timestamptz - (n % 30) * interval '1 day' from nx`);
    await bare.unsafe('analyze');
  });
  const [counts] = await bare.unsafe(`select (select count(*) from referrals)::int as pathways, (select count(*) from rtt_periods)::int as periods,
    (select count(*) from rtt_events)::int as events, (select count(*) from rtt_periods where status = 'running')::int as running,
    (select count(*) from appointments)::int as appointments`);

  if (args['data-only']) throw new Error('data only: stopping before the measurements');
  // ---- The API, in this process, signed in as an officer.
  const app = createApp({ db, temporal: {} as never, logger: silentLogger, today: () => today });
  const login = await app.request('/api/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'officer@demo.nhs.uk', password: 'bench-returns' }),
  });
  if (login.status !== 200) throw new Error(`sign-in answered ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const api = async (path: string) => {
    const res = await app.request(path, { headers: { cookie } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 200)}`);
    return text;
  };

  const loadAtStart = os.loadavg()[0]; // a shared machine: other work shows here, and in the figures
  const thisMonth = today.slice(0, 7);
  const months = Array.from({ length: 12 }, (_, k) => {
    const d = new Date(Date.UTC(Number(thisMonth.slice(0, 4)), Number(thisMonth.slice(5, 7)) - 1 - (12 - k), 1));
    return d.toISOString().slice(0, 7);
  });
  const apiMs: Record<string, number[]> = {};
  const sqlMs: Record<string, number[]> = {};
  const yearApi: number[] = [];
  const yearSql: number[] = [];
  let checked = 0;
  await api(`/api/returns/rtt?month=${months[0]}`); // warm: first request builds the OpenAPI validators and the plan cache
  for (let r = 0; r < rounds; r++) {
    let ya = 0;
    let ys = 0;
    for (const month of months) {
      const { first, census } = returnMonth(month)!;
      const [a, text] = await time(() => api(`/api/returns/rtt?month=${month}`));
      const [s, rows] = await time(() => withoutJit(db, (tx) => queryRows<{ n: number }>(tx, rttReturnCountsSql(first, census))));
      // The same rows: the API's grand total is the bare query's.
      const apiTotal = Object.values(JSON.parse(text).totals as Record<string, { total: number }>).reduce((t, p) => t + p.total, 0);
      if (apiTotal !== rows.reduce((t, x) => t + x.n, 0)) throw new Error(`${month}: API and SQL disagree`);
      checked++;
      (apiMs[month] ??= []).push(a);
      (sqlMs[month] ??= []).push(s);
      ya += a;
      ys += s;
    }
    yearApi.push(ya);
    yearSql.push(ys);
  }
  const [csvMs] = await time(() => api(`/api/returns/rtt.csv?month=${months[11]}`));

  // ---- One WLMDS week: last week that has ended.
  const week = returnWeek(isoWeekOf(addDays(today, -7)))!;
  const weekCensus = week.census < today ? week : returnWeek(isoWeekOf(addDays(today, -14)))!;
  const wApi: number[] = []; const wSql: number[] = []; const wDiff: number[] = []; const wSum: number[] = [];
  let extractRows = 0; let diffRows = 0; let diffCheck = '';
  for (let r = 0; r < rounds; r++) {
    const [a, text] = await time(() => api(`/api/returns/wlmds?week=${weekCensus.week}`));
    const [s, rows] = await time(() => withoutJit(db, (tx) => queryRows(tx, sql`${wlmdsSql(weekCensus.census)} order by p.clock_start, r.id, p.period_no`)));
    const [d, diff] = await time(() => api(`/api/returns/wlmds?week=${weekCensus.week}&diff=true`));
    const [m] = await time(() => api(`/api/returns/wlmds/summary?week=${weekCensus.week}`));
    extractRows = text.trimEnd().split('\r\n').length - 1;
    if (extractRows !== rows.length) throw new Error('WLMDS: API and SQL disagree');
    diffRows = diff.trimEnd().split('\r\n').length - 1;
    if (r === 0) {
      // The diff's joiners and leavers are the two extracts' set differences (checked once; not timed).
      const keys = (csv: string) => new Set(csv.trimEnd().split('\r\n').slice(1).map((l) => l.split(',').slice(1, 3).join('/')));
      const nowKeys = keys(text);
      const thenKeys = keys(await api(`/api/returns/wlmds?week=${weekCensus.previousWeek}`));
      const changes = diff.trimEnd().split('\r\n').slice(1).map((l) => l.split(',')[0]);
      const joined = [...nowKeys].filter((k) => !thenKeys.has(k)).length;
      const left = [...thenKeys].filter((k) => !nowKeys.has(k)).length;
      if (joined !== changes.filter((c) => c === 'joined').length || left !== changes.filter((c) => c === 'left').length) {
        throw new Error('WLMDS: the diff disagrees with the two extracts');
      }
      diffCheck = `${joined} joined, ${left} left, ${changes.filter((c) => c === 'changed').length} changed; joiners and leavers checked against the two extracts`;
    }
    wApi.push(a); wSql.push(s); wDiff.push(d); wSum.push(m);
  }

  const [{ version }] = await bare.unsafe('select current_setting(\'server_version\') as version');
  out(`Access Desk returns benchmark — ${counts.pathways.toLocaleString('en-GB')} pathways, ${counts.periods.toLocaleString('en-GB')} periods, `
    + `${counts.events.toLocaleString('en-GB')} events (${counts.running.toLocaleString('en-GB')} running, ${counts.appointments.toLocaleString('en-GB')} booked appointments), `
    + `${os.cpus()[0]?.model.trim() ?? 'cpu'} ×${os.cpus().length}, Node ${process.version}, Postgres ${version}`);
  out(`load average (1 min) at the start of the measurements ${loadAtStart.toFixed(2)}, at the end ${os.loadavg()[0].toFixed(2)}`);
  out(`data written by bulk SQL in ${secs(loaded)}; today ${today}; ${rounds} rounds, medians; every month's API total checked against the SQL (${checked} checks)`);
  out('');
  out('month      API (GET /api/returns/rtt)   bare SQL   API / SQL');
  for (const month of months) {
    const a = median(apiMs[month]); const s = median(sqlMs[month]);
    out(`${month}    ${ms(a).padStart(10)}                 ${ms(s).padStart(9)}   ${(a / s).toFixed(2)}`);
  }
  const ya = median(yearApi); const ys = median(yearSql);
  out(`year       ${secs(ya).padStart(10)}                 ${secs(ys).padStart(9)}   ${(ya / ys).toFixed(2)}   (target: the year under 10 s)`);
  out(`CSV of ${months[11]}: ${ms(csvMs)}`);
  out('');
  out(`WLMDS ${weekCensus.week} (census ${weekCensus.census}): ${extractRows.toLocaleString('en-GB')} rows; extract API ${ms(median(wApi))}, bare SQL ${ms(median(wSql))}, `
    + `API / SQL ${(median(wApi) / median(wSql)).toFixed(2)}; diff (${diffRows.toLocaleString('en-GB')} rows) ${ms(median(wDiff))}; summary ${ms(median(wSum))}`);
  out(`WLMDS diff: ${diffCheck}`);

  if (!args['no-record']) {
    const commit = (await import('node:child_process')).execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    appendFileSync(new URL('../../docs/benchmarks.md', import.meta.url), `\n## Returns benchmark, ${new Date().toISOString().slice(0, 10)} (\`npm run bench:returns\`, commit \`${commit}\`)\n\n`
      + `\`\`\`\n${lines.join('\n')}\n\`\`\`\n`);
  }
} finally {
  await cleanup();
}
