#!/usr/bin/env -S npx tsx
// The forecast benchmark (issue 17): N open pathways loaded by SQL into a database of its own on the loopback Postgres
// (the demo trust's clinics, 26 weeks of their slots and its theatre lists), then the recompute timed: reading the
// input, running the forecast, and the whole stored recompute (the nightly job). Appends to docs/benchmarks.md.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { loadForecastInput, recomputeForecast } from '../../activities/forecast';
import { loadDemoTrust, prepareDatabase } from '../../bin/lib/system';
import { connectPostgres, queryRows } from '../../db/client';
import { forecast, londonDate } from '../../domain';
import { loopbackPostgresUrl, recordBenchmark } from './support';

const help = `Usage: npm run bench:forecast -- [--pathways N] [--runs N] [--no-record] [--recompute-only]

Creates a database of its own on the loopback Postgres (TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres;
any other host is refused), loads the demo trust and N open pathways by SQL (default 75000, at most 200000; a tenth awaiting
admission, a fifth follow-ups, a quarter booked, 12 weeks of arrivals), and times --runs times (default 3; the median):
  load       the three input queries (pathways, free capacity, arrivals)
  forecast   the pure forecast over them (18 weeks)
  recompute  the whole stored recompute: read, forecast, replace the stored weeks and at-risk list (target: under 30 s)
The database is dropped at the end. --no-record prints without appending to docs/benchmarks.md. --recompute-only times the
recompute alone, holding nothing else, as the worker's nightly activity runs it: under node --max-old-space-size=128 it
shows whether it fits the worker's heap.`;

const { values: args } = parseArgs({
  options: {
    pathways: { type: 'string', default: '75000' }, runs: { type: 'string', default: '3' },
    'no-record': { type: 'boolean', default: false }, 'recompute-only': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) { console.log(help); process.exit(0); }
const pathwayCount = Math.min(200_000, Math.max(100, Number(args.pathways)));
const runs = Math.min(10, Math.max(1, Number(args.runs)));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (n: number) => `${n.toFixed(0)} ms`;

async function loadPathways(db: ReturnType<typeof connectPostgres>['db'], n: number, today: string) {
  // Specialties with clinics, round robin; clock starts over 200 days; 5% 2WW, 15% urgent.
  await db.execute(sql`create temporary table bench_spec as
    select s.code, (row_number() over (order by s.code) - 1)::int as k, (select min(c.id) from clinics c where c.specialty_code = s.code) as clinic
    from specialties s where exists (select 1 from clinics c where c.specialty_code = s.code)`);
  const gen = sql`(select i, (i * 7919) % 200 as age, sp.code, sp.clinic,
      case when i % 20 = 0 then 'two_week_wait' when i % 20 < 4 then 'urgent' else 'routine' end::referral_priority as prio,
      case i % 10 when 0 then 'awaiting_triage' when 1 then 'awaiting_booking' when 2 then 'awaiting_booking' when 3 then 'awaiting_follow_up'
        when 4 then 'awaiting_admission' when 5 then 'booked' when 6 then 'booked' when 7 then 'awaiting_booking' when 8 then 'awaiting_follow_up'
        else 'follow_up_booked' end::referral_state as state
    from generate_series(1, ${n}) i join bench_spec sp on sp.k = i % (select count(*) from bench_spec))`;
  const start = sql`(${today}::date - g.age)`;
  await db.execute(sql`insert into patients (id, nhs_number, given_name, family_name, date_of_birth)
    select 'bpat_' || g.i, '8' || lpad(g.i::text, 9, '0'), 'Bench', 'Patient' || g.i, '1960-01-01' from ${gen} g`);
  await db.execute(sql`insert into referrals (id, patient_id, source, received_at, specialty_code, priority, clinical_priority, reason, state, workflow_id, pathway_started)
    select 'bref_' || g.i, 'bpat_' || g.i, 'gp_letter', ${start}, g.code, g.prio, g.prio, 'Benchmark pathway', g.state, 'bench', true from ${gen} g`);
  await db.execute(sql`insert into pathways (referral_id, rtt_status, clock_start, last_rtt_code, breach_date, usc_first_seen_target, cancer62_target)
    select 'bref_' || g.i, 'running', ${start}, 10, ${start} + 127, case when g.prio = 'two_week_wait' then ${start} + 14 end,
      case when g.prio = 'two_week_wait' then ${start} + 62 end from ${gen} g`);
  // The booked ones hold a slot of their clinic: one appointment per free slot taken, set-based.
  await db.execute(sql`with want as (select 'bref_' || g.i as ref, 'bpat_' || g.i as pat, g.clinic, g.state,
        row_number() over (partition by g.clinic order by g.i) as n from ${gen} g where g.state in ('booked', 'follow_up_booked')),
      free as (select s.id, s.clinic_id, s.start, row_number() over (partition by s.clinic_id order by s.start, s.id) as n from slots s where s.status = 'free'),
      pair as (select w.ref, w.pat, w.state, f.id as slot, f.clinic_id, f.start from want w join free f on f.clinic_id = w.clinic and f.n = w.n),
      taken as (update slots s set status = 'booked' from pair p where s.id = p.slot returning s.id)
    insert into appointments (id, referral_id, patient_id, slot_id, clinic_id, start, kind)
    select 'bappt_' || p.ref, p.ref, p.pat, p.slot, p.clinic_id, p.start, case when p.state = 'booked' then 'new' else 'follow_up' end::appointment_kind
    from pair p`);
}

async function main() {
  const serverUrl = loopbackPostgresUrl();
  const name = `access_desk_bench_forecast_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = connectPostgres(url.toString(), { max: 4 });
  const lines: string[] = [];
  const log = (line: string) => { console.log(line); lines.push(line); };
  try {
    const today = londonDate(Date.now());
    await prepareDatabase(handle);
    await loadDemoTrust(handle, 'access-desk-bench');
    const loadStarted = performance.now();
    await loadPathways(handle.db, pathwayCount, today);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    await handle.db.execute(sql`analyze`);
    const pgVersion = (await queryRows<{ v: string }>(handle.db, sql`select current_setting('server_version') as v`))[0].v;
    const [counts] = await queryRows<{ slots: number; sessions: number }>(handle.db, sql`select (select count(*) from slots where status = 'free')::int as slots,
      (select count(*) from theatre_sessions)::int as sessions`);
    log(`${pathwayCount.toLocaleString('en-GB')} open pathways loaded in ${loadSeconds.toFixed(1)} s; ${counts.slots.toLocaleString('en-GB')} free slots, ${counts.sessions} theatre sessions`);

    const load: number[] = []; const run: number[] = []; const recompute: number[] = [];
    let atRisk = 0;
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      if (args['recompute-only']) {
        // Nothing else held: the worker's activity alone (run under node --max-old-space-size=128 to check it fits).
        const r = await recomputeForecast(handle.db, { today, reason: 'manual' });
        recompute.push(performance.now() - t);
        atRisk = r.atRisk;
        continue;
      }
      const input = await loadForecastInput(handle.db, today);
      load.push(performance.now() - t);
      t = performance.now();
      const f = forecast(input, { today, weeks: 18 });
      run.push(performance.now() - t);
      t = performance.now();
      const r = await recomputeForecast(handle.db, { today, reason: 'manual' });
      recompute.push(performance.now() - t);
      atRisk = r.atRisk;
      if (i === 0) log(`input: ${input.pathways.length.toLocaleString('en-GB')} pathways, ${input.capacity.length.toLocaleString('en-GB')} capacity rows, ${input.arrivals.length} arrival rows; ${f.pathways.filter((p) => p.breach).length.toLocaleString('en-GB')} predicted to breach`);
    }
    if (load.length) {
      log(`load       median ${ms(median(load))}  (runs: ${load.map(ms).join(', ')})`);
      log(`forecast   median ${ms(median(run))}  (runs: ${run.map(ms).join(', ')})`);
    }
    log(`recompute  median ${ms(median(recompute))}  (runs: ${recompute.map(ms).join(', ')}); ${atRisk.toLocaleString('en-GB')} stored at risk; target under 30 s: ${median(recompute) < 30_000 ? 'met' : 'NOT met'}`);

    if (!args['no-record']) {
      recordBenchmark(`Forecast benchmark (npm run bench:forecast), ${today}`, pgVersion, '', lines);
    }
  } finally {
    await handle.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
