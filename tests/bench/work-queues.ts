#!/usr/bin/env -S npx tsx
// The work-queue benchmark: with a large `tasks` table in Postgres, how fast an officer gets the next item
// and a page of My work through the API (beside the same page as bare SQL, so the API's share shows as a
// ratio), how long a team leader's bulk move takes, and how late a work item's escalation rung becomes
// visible while thousands of pathways wait on their own ladders. It only measures and prints.
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Database } from '../../db/client';
import { workOrderSql } from '../../db/work-order';
import { claimableSql, myWorkSql } from '../../db/workable';
import { countQuery, whereFor } from '../../api/list';
import { claimNextSql, claimNextTask, taskListSpec } from '../../api/routes/tasks';
import PgBoss from 'pg-boss';
import { londonToday, startSystem } from '../../bin/lib/system';
import { createLogger } from '../../api/log';
import { referralPathway } from '../../workflows';
import type { PathwayInput } from '../../workflows/types';
import type { PathwayState } from '../../workflows/pathway/context';
import { addDays, bookingTargetDate, rttBreachDate, startRttClock, taskTitles, workItemEscalations } from '../../domain';
import globalSetup from '../support/global-setup';
import { startTestStack, type TestStack } from '../support/stack';

const help = `Usage: npx tsx tests/bench/work-queues.ts [--open N] [--done N] [--ladders N] [options]

Starts a Temporal dev server, a fresh Postgres database on 127.0.0.1:5432 (TEST_POSTGRES_URL to change),
the worker and the API in this process (the test stack), seeds the tasks table by SQL, then measures:
  claim-next   POST /api/tasks/claim-next as officer@demo.nhs.uk, sequential, interleaved with the same
               claim statement and record read as bare SQL; the ratio API / SQL
  peer         the claim statement (claimNextTask) against pg-boss's fetch of one job from a queue holding
               as many open jobs, on the same Postgres, interleaved; the ratio of their rates
  my work      GET /api/tasks?filter={"mine":true,…}&range=[0,24] through the API, and the same page and
               count queries as bare SQL on the same database, interleaved; the ratio API / SQL
  bulk move    one POST /api/tasks/bulk-assign of 5,000 items by ids, then the same items back by filter
  ladders      referralPathway workflows started and left waiting on their day-84 booking rung, on a
               second worker wired as npm start wires it (the test stack's own keeps no workflow cache)
  lag          per work item rung: due time → escalation visible in Postgres (polled every 50 ms), on that
               worker and on the test stack's, with where the time went from the workflows' histories

Options:
  --open N            open work items (default 100000)
  --done N            completed work items (default 500000)
  --ladders N         pathways left waiting on a ladder during the lag measurement (default 20000)
  --ladder-seconds S  stop starting ladders after S seconds and use as many as started (default 300)
  --claims N          claim-next calls (default 500)
  --pages N           My work pages, and as many bare SQL runs (default 500)
  --phase-seconds S   stop the claim-next and My work loops after S seconds each, whatever is done (default 40)
  --lag N             rungs whose lag is measured, half spread out, half in a burst (default 200), on a
                      worker wired as npm start wires it (the SDK's default workflow cache)
  --lag-test-worker N the same on the test stack's own worker, which keeps no workflow cache (default 100;
                      0 skips it)
  --queues-only       skip the ladders and the lag (the queue figures take about a minute and a half)
  -h, --help          this help`;

export type WorkQueueBenchOptions = {
  stack: TestStack;
  log: (line: string) => void;
  open?: number;
  done?: number;
  ladders?: number;
  ladderSeconds?: number;
  claims?: number;
  pages?: number;
  phaseSeconds?: number;
  lag?: number;
  lagTestWorker?: number;
  /** Skip the ladders and the escalation lag: only the queues (claim-next, the pg-boss peer, My work, bulk moves). */
  queuesOnly?: boolean;
};

const officerEmail = 'officer@demo.nhs.uk';
const leaderEmail = 'leader@demo.nhs.uk';
const specialtyQueues = ['100', '101', '110', '120', '130', '300', '320', '330', '502'];
// officer2 works these queues (db/reference-data.ts): a bulk move to officer2 must stay inside them.
const officer2Queues = ['queue_100', 'queue_101', 'queue_110', 'queue_120', 'queue_130'];
const bulkSize = 5000;
const pollMs = 50;
const lagSpecialty = '101'; // Urology: clin_2 and clin_11 are Urology clinics, so these referrals may book their slots

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const n0 = (x: number) => Math.round(x).toLocaleString('en-GB');
export const ms = (x: number) => (Number.isNaN(x) ? '–' : x < 10 ? `${x.toFixed(2)} ms` : x < 100 ? `${x.toFixed(1)} ms` : `${Math.round(x)} ms`);
const secs = (x: number) => `${(x / 1000).toFixed(1)} s`;

export function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
export function spread(xs: number[], ps = [50, 95, 99]) {
  const s = sorted(xs);
  return ps.map((p) => `p${p} ${ms(percentile(s, p))}`).join('  ');
}

/** A progress line every 10%, or every 15 s between them: `log` is line by line, no carriage returns. */
function progress(log: (line: string) => void, label: string, total: number) {
  const started = performance.now();
  let done = 0;
  let lastTenth = 0;
  let lastAt = started;
  return (by = 1) => {
    done += by;
    const now = performance.now();
    const tenth = Math.floor((done * 10) / total);
    if (tenth > lastTenth || now - lastAt > 15_000) {
      lastTenth = tenth;
      lastAt = now;
      log(`  ${label} ${String(Math.floor((done * 100) / total)).padStart(3)}%  ${n0(done)}/${n0(total)}  ${(done / Math.max(0.001, (now - started) / 1000)).toFixed(1)}/s`);
    }
  };
}

/** Runs `count` jobs over `lanes` concurrent loops, until done or `until` (performance.now()) passes. */
async function inLanes(lanes: number, count: number, job: (i: number) => Promise<void>, until = Infinity) {
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < count && performance.now() < until) await job(next++);
  }));
  return Math.min(next, count);
}

const list = (ids: string[]) => sql.join(ids.map((id) => sql`${id}`), sql`, `);

// ---------------------------------------------------------------------------------------------------------
// Seeding: set-based inserts, so 600,000 rows take seconds, not the hours a pathway each would.

export async function seedWorkItems(db: Database, open: number, done: number, log: (line: string) => void) {
  const patients = Math.max(open, 1000);
  const t0 = performance.now();
  await db.execute(sql`insert into patients (id, nhs_number, given_name, family_name, date_of_birth, postcode)
    select 'pat_bench_' || n, 'B' || lpad(n::text, 9, '0'),
      (array['Ada','Ben','Cara','Dev','Ema','Finn','Gita','Hal'])[1 + n % 8],
      (array['Lovelace','Okafor','Khan','Jones','Patel','Walsh','Nowak','Evans','Byrne'])[1 + n % 9],
      date '1940-01-01' + (n % 25000), 'L39 2AZ'
    from generate_series(1, ${patients}::int) n`);
  log(`  ${n0(patients)} patients in ${secs(performance.now() - t0)}`);

  // Open items over the nine specialty queues: 10% 2WW, 20% urgent, 70% routine; 10% held by
  // staff_officer and 5% by staff_leader (claimed), the rest unassigned; 1% snoozed, 2% already escalated,
  // about a fifth overdue; breach dates over the next 18 weeks.
  const t1 = performance.now();
  await db.execute(sql`insert into tasks (id, task_key, type, title, status, priority, priority_rank, due_at, escalation_level,
      queue_id, assignee_id, workflow_id, patient_id, payload, created_at, updated_at, snoozed_until, snooze_reason, breach_date)
    select id, id, ty::task_type, title, case when who is null then 'open' else 'claimed' end::task_status, pr::referral_priority,
      case pr when 'two_week_wait' then 0 when 'urgent' then 1 else 2 end,
      now() + ((n % 240) - 48) * interval '1 hour', case when n % 50 = 0 then 1 else 0 end,
      'queue_' || spec, who, 'bench', 'pat_bench_' || n, jsonb_build_object('specialtyCode', spec),
      created, created, case when who is null and n % 100 = 50 then now() + interval '3 days' end,
      case when who is null and n % 100 = 50 then 'Waiting for the GP to send results' end,
      case when n % 100 = 0 then null else current_date + (n * 7919 % 126) end
    from (
      select n, 'task_bench_' || n as id, (array[${list(specialtyQueues)}]::text[])[1 + n % 9] as spec,
        case when n % 10 = 0 then 'two_week_wait' when n % 10 < 3 then 'urgent' else 'routine' end as pr,
        case when n % 5 = 0 then 'triage_referral' when n % 5 = 4 then 'book_follow_up' else 'book_new_appointment' end as ty,
        case when n % 5 = 0 then 'Triage referral' when n % 5 = 4 then 'Book follow-up' else 'Book new appointment' end as title,
        case when n % 20 in (1, 2) then 'staff_officer' when n % 20 = 3 then 'staff_leader' end as who,
        now() - ((n * 31) % 129600) * interval '1 minute' as created
      from generate_series(1, ${open}::int) n
    ) s`);
  log(`  ${n0(open)} open work items in ${secs(performance.now() - t1)}`);

  // Completed items: the last year's work, by three people, in chunks so progress shows.
  const t2 = performance.now();
  const chunk = 100_000;
  const tick = progress(log, 'done work items', done);
  for (let from = 1; from <= done; from += chunk) {
    const to = Math.min(done, from + chunk - 1);
    await db.execute(sql`insert into tasks (id, task_key, type, title, status, priority, priority_rank, due_at, queue_id, assignee_id,
        workflow_id, patient_id, payload, outcome, created_at, updated_at, completed_at, completed_by, breach_date, version)
      select id, id, 'book_new_appointment', 'Book new appointment', 'done', pr::referral_priority,
        case pr when 'two_week_wait' then 0 when 'urgent' then 1 else 2 end, completed - interval '1 day',
        'queue_' || spec, who, 'bench', 'pat_bench_' || (1 + n % ${patients}::int), jsonb_build_object('specialtyCode', spec),
        '{"slotId":"slot_bench"}'::jsonb, completed - interval '3 days', completed, completed, who,
        (completed + interval '100 days')::date, 2
      from (
        select n, 'task_bench_' || (${open}::int + n) as id, (array[${list(specialtyQueues)}]::text[])[1 + n % 9] as spec,
          case when n % 10 = 0 then 'two_week_wait' when n % 10 < 3 then 'urgent' else 'routine' end as pr,
          (array['staff_officer','staff_officer2','staff_leader'])[1 + n % 3] as who,
          now() - ((n * 37) % 525600) * interval '1 minute' as completed
        from generate_series(${from}::int, ${to}::int) n
      ) s`);
    tick(to - from + 1);
  }
  const insertMs = performance.now() - t0;
  log(`  ${n0(done)} done work items in ${secs(performance.now() - t2)}`);
  // A settled table, as production's would be after autovacuum: statistics and the visibility map, and no
  // autovacuum of 600,000 fresh rows starting in the middle of a timed phase.
  const t3 = performance.now();
  await db.execute(sql`vacuum (analyze) tasks`);
  await db.execute(sql`vacuum (analyze) patients`);
  return { patients, insertMs, vacuumMs: performance.now() - t3 };
}

// ---------------------------------------------------------------------------------------------------------
// Whose CPU a phase used (Linux /proc; elsewhere only this process's): on two cores the API, the worker,
// the Temporal server and Postgres all share, and the figures mean little without it.

const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;
const readText = (file: string) => { try { return readFileSync(file, 'utf8'); } catch { return ''; } };
const readProc = (pid: number, file: string) => readText(`/proc/${pid}/${file}`);
/** Fields after "pid (comm)" of /proc/<pid>/stat (comm may hold spaces): 0 state, 1 ppid, 11 utime, 12 stime, 13 cutime, 14 cstime. */
const statFields = (pid: number) => readProc(pid, 'stat').split(')').pop()?.trim().split(' ') ?? [];
/** utime + stime of a process in seconds. */
const cpuSeconds = (pid: number) => {
  const f = statFields(pid);
  return ((Number(f[11]) || 0) + (Number(f[12]) || 0)) / ticksPerSecond;
};
function allPids() {
  try { return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number); } catch { return []; }
}
/** The Temporal dev server the test stack spawned: a child of this process. */
function temporalServerPids() {
  return allPids().filter((pid) => Number(statFields(pid)[1]) === process.pid && /temporal/.test(readProc(pid, 'comm')));
}
/**
 * CPU seconds of the whole Postgres server: the postmaster with the children it has reaped (cutime, cstime:
 * backends, parallel workers and autovacuum workers that have exited) and those still running. Parallel
 * workers live only as long as a query, so counting backends alone misses them.
 */
function postgresServerSeconds() {
  const procs = allPids().map((pid) => ({ pid, comm: readProc(pid, 'comm').trim(), f: statFields(pid) }));
  const isPg = new Set(procs.filter((p) => p.comm === 'postgres').map((p) => p.pid));
  const masters = new Set(procs.filter((p) => isPg.has(p.pid) && !isPg.has(Number(p.f[1]))).map((p) => p.pid));
  let ticks = 0;
  for (const p of procs) {
    if (masters.has(p.pid)) ticks += (Number(p.f[11]) || 0) + (Number(p.f[12]) || 0) + (Number(p.f[13]) || 0) + (Number(p.f[14]) || 0);
    else if (masters.has(Number(p.f[1]))) ticks += (Number(p.f[11]) || 0) + (Number(p.f[12]) || 0);
  }
  return ticks / ticksPerSecond;
}
/** Busy CPU seconds of the whole machine (less idle and iowait); undefined off Linux. */
function machineBusySeconds() {
  const [, ...t] = readText('/proc/stat').split('\n')[0].trim().split(/\s+/).map(Number);
  return t.length < 5 ? undefined : (t.slice(0, 8).reduce((a, b) => a + b, 0) - t[3] - t[4]) / ticksPerSecond;
}

export async function startCpuMeter() {
  const server = temporalServerPids();
  const serverCpu = () => server.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const before = { at: performance.now(), self: process.cpuUsage(), server: serverCpu(), pg: postgresServerSeconds(), machine: machineBusySeconds() };
  return async (label: string) => {
    const wall = (performance.now() - before.at) / 1000;
    const share = (seconds: number) => Math.round((seconds / wall) * 100);
    const self = process.cpuUsage(before.self);
    const mine = share((self.user + self.system) / 1e6);
    const temporal = share(serverCpu() - before.server);
    const pg = share(postgresServerSeconds() - before.pg);
    const machine = machineBusySeconds();
    const parts = [`this process (API + worker + bench) ${mine}%`, `Temporal server ${temporal}%`, `Postgres server ${pg}%`];
    if (machine !== undefined && before.machine !== undefined) {
      const all = share(machine - before.machine);
      parts.push(`anything else ${Math.max(0, all - mine - temporal - pg)}%`, `machine ${all}% of ${os.cpus().length * 100}%`);
    }
    return `  CPU during ${label}: ${parts.join(', ')}`;
  };
}

// ---------------------------------------------------------------------------------------------------------
// My work as the API runs it: the route's select, joins and where (api/list.ts), with the `mine` condition
// of db/workable.ts, page and count in parallel.

const mineFor = (staffId: string) => myWorkSql('t', { id: staffId, role: 'officer' }, new Date(), false);
const myWorkFilter = { mine: true, status: ['open', 'claimed'] };
const myWorkPath = `/api/tasks?${new URLSearchParams({ filter: JSON.stringify(myWorkFilter), sort: JSON.stringify(['priority', 'ASC']), range: JSON.stringify([0, 24]) })}`;

function myWorkQueries(staffId: string) {
  const where = whereFor({ ...taskListSpec, custom: { ...taskListSpec.custom, mine: () => mineFor(staffId) } }, myWorkFilter);
  const { select, from, sorts } = taskListSpec;
  const order = sql`${sorts.priority} asc nulls last, ${workOrderSql('t')}`;
  return {
    page: sql`select ${select} from ${from} where ${where} order by ${order} limit ${25} offset ${0}`,
    count: countQuery(taskListSpec, where, order, 0, 25).query, // capped at 1,000, as the route counts
  };
}

const officerWorker = { id: 'staff_officer', role: 'officer' as const };
/** What claim-next answers: the claimed item's record, as the route reads it (api/routes/tasks.ts `record`). */
const taskRecordSql = (id: string) => sql`select ${taskListSpec.select} from ${taskListSpec.from} where t.id = ${id}`;

/** One line from EXPLAIN ANALYZE: the scans it chose and the execution time. */
async function planLine(db: Database, label: string, query: SQL) {
  let line = '';
  const rollback = new Error('rollback');
  await db.transaction(async (tx) => {
    const [row] = await queryRows<{ 'QUERY PLAN': Array<{ Plan: PlanNode; 'Execution Time': number }> }>(tx, sql`explain (analyze, buffers, format json) ${query}`);
    const plan = row['QUERY PLAN'][0];
    const scans = new Set<string>();
    let sortNote = '';
    const walk = (node: PlanNode) => {
      if (/Scan/.test(node['Node Type']) && node['Relation Name'] !== 'queue_members') {
        scans.add(`${node['Node Type']}${node['Index Name'] ? ` using ${node['Index Name']}` : ''} on ${node['Relation Name'] ?? '?'} (${n0(node['Actual Rows'] * (node['Actual Loops'] ?? 1))} rows)`);
      }
      if (node['Sort Method'] && !sortNote) sortNote = `, ${node['Sort Method']}`;
      node.Plans?.forEach(walk);
    };
    walk(plan.Plan);
    line = `  ${label}: ${plan['Execution Time'].toFixed(1)} ms — ${[...scans].join('; ')}${sortNote}`;
    throw rollback; // claim-next's plan takes row locks: give them back
  }).catch((err) => { if (err !== rollback) throw err; });
  return line;
}
type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; 'Actual Rows': number; 'Actual Loops'?: number; 'Sort Method'?: string; Plans?: PlanNode[] };

// ---------------------------------------------------------------------------------------------------------
// Ladders: real referralPathway workflows. Rows by SQL (patients exist already), pathways through the
// Temporal client with the options the API's startPathway uses.

type Referral = { id: string; patient_id: string; specialty_code: string; received_at: string };

async function insertReferrals(db: Database, prefix: string, from: number, to: number, patients: number) {
  const receivedAt = londonToday(); // received today: the routine booking ladder's first rung is day 84
  return queryRows<Referral>(db, sql`insert into referrals (id, patient_id, source, received_at, specialty_code, priority, reason, workflow_id, pathway_started)
    select ${prefix}::text || n, 'pat_bench_' || (1 + n % ${patients}::int), 'ers', ${receivedAt}::date,
      (array[${list(specialtyQueues)}]::text[])[1 + n % 9], 'routine', 'Benchmark referral',
      'referral-' || ${prefix}::text || n, false
    from generate_series(${from}::int, ${to}::int) n
    returning id, patient_id, specialty_code, received_at::text`);
}

/** Starts a pathway, or carries one on from `resumed` (what continue-as-new hands the next run). */
async function startPathwayOf(stack: TestStack, taskQueue: string, input: PathwayInput, resumed?: PathwayState) {
  await stack.env.client.workflow.start(referralPathway, {
    workflowId: `referral-${input.referralId}`, taskQueue, args: resumed ? [input, resumed] : [input],
    workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
}

async function countStarted(db: Database, prefix: string) {
  const [{ n }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from referrals where id like ${`${prefix}%`} and pathway_started`);
  return n;
}

async function startLadders(stack: TestStack, taskQueue: string, count: number, budgetMs: number, patients: number, log: (line: string) => void) {
  const db = stack.db.db;
  const prefix = 'ref_bench_';
  const t0 = performance.now();
  const until = t0 + budgetMs;
  const chunk = 500;
  const maxBacklog = 500;
  let started = 0;
  let ready = 0;
  let lastTenth = 0;
  let lastAt = t0;
  const errors: string[] = [];
  const report = (force = false) => {
    const now = performance.now();
    const tenth = Math.floor((ready * 10) / Math.max(1, count));
    if (!force && tenth <= lastTenth && now - lastAt < 15_000) return;
    lastTenth = tenth;
    lastAt = now;
    log(`  ladders: ${n0(started)} started, ${n0(ready)} pending after ${secs(now - t0)} (${(ready / ((now - t0) / 1000)).toFixed(1)}/s)`);
  };
  // Starts are paced by how fast the worker takes them up (at most `maxBacklog` started and not yet
  // pending), so that when the time runs out what has started is, within seconds, all pending. Rows are
  // inserted a chunk at a time just before their pathways start: rows never started would otherwise be
  // picked up by the system's own reconciler (startPendingPathways) and muddle the count.
  while (started < count && performance.now() < until) {
    ready = await countStarted(db, prefix);
    report();
    if (started - ready > maxBacklog) { await sleep(250); continue; }
    const rows = await insertReferrals(db, prefix, started + 1, Math.min(count, started + chunk), patients);
    const ran = await inLanes(48, rows.length, async (i) => {
      const r = rows[i];
      const input: PathwayInput = { referralId: r.id, patientId: r.patient_id, receivedAt: r.received_at, priority: 'routine', specialtyCode: r.specialty_code };
      try { await startPathwayOf(stack, taskQueue, input); } catch (err) { errors.push(String(err)); }
    }, until);
    if (ran < rows.length) await db.execute(sql`delete from referrals where id in (${list(rows.slice(ran).map((r) => r.id))})`);
    started += ran;
  }
  const startMs = performance.now() - t0;
  // Pending means the first activity has run (pathway row, triage item) and the workflow is on its timer.
  const readyBy = performance.now() + 90_000;
  ready = await countStarted(db, prefix);
  while (ready < started - errors.length && performance.now() < readyBy) {
    await sleep(1000);
    ready = await countStarted(db, prefix);
    report();
  }
  report(true);
  const readyMs = performance.now() - t0;
  await sleep(2000); // the workflow task after the first activity, which sets the 84-day timer
  return { requested: count, started, ready, startMs, readyMs, errors };
}

// ---------------------------------------------------------------------------------------------------------
// Escalation lag. A record_attendance item's first rung (notify) falls due 48 h after the appointment starts,
// so a pathway whose appointment started 48 h ago, give or take, has a rung due at a moment we choose. Such a
// pathway was booked days ago, before its slot started, and nobody has recorded the attendance since (the
// cash-up list). A slot that has started cannot be booked (issue 10), and the bench cannot book two days ago:
// it writes what that booking left, as it seeds everything else (rows by SQL: the referral, the booked slot,
// the appointment and its open record_attendance item), and carries each pathway on from the state it would
// hold, through the workflow's own entry for a pathway carried on (continue-as-new's). From there the rung's
// timer, the workflow task that decides and the escalate activity are the product's own, unchanged.

export type LagRung = { referralId: string; taskId: string; dueAt: number; group: 'spread' | 'burst'; seenAt?: number; writtenAt?: number };

export type LagRun = { taskQueue: string; prefix: string; clinicId: string };

/** Pathways booked days ago into `clinicId`, their appointments started `dueAt − 48 h`, attendance not yet recorded. */
async function seedUnoutcomedAppointments(db: Database, run: LagRun, dues: Array<{ dueAt: number; group: LagRung['group'] }>, patients: number) {
  const notifyAfterMs = Date.parse(workItemEscalations('record_attendance', new Date(0).toISOString())[0].at); // 48 h
  const receivedAt = addDays(londonToday(), -21);
  const [clinic] = await queryRows<{ name: string }>(db, sql`select name from clinics where id = ${run.clinicId}`);
  const rows = dues.map(({ dueAt, group }, i) => {
    const n = i + 1;
    const referralId = `ref_${run.prefix}_${n}`;
    const start = new Date(dueAt - notifyAfterMs).toISOString();
    return {
      referralId, group, dueAt, start, patientId: `pat_bench_${1 + (n % patients)}`, slotId: `slot_bench_${run.prefix}_${n}`,
      appointmentId: `appt_bench_${run.prefix}_${n}`, taskId: `task_bench_${run.prefix}_${n}`,
    };
  });
  const values = (f: (r: (typeof rows)[number]) => SQL) => sql.join(rows.map(f), sql`, `);
  const breachDate = rttBreachDate(receivedAt);
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into referrals (id, patient_id, source, received_at, specialty_code, priority, clinical_priority, reason, state,
        clinic_id, workflow_id, pathway_started) values ${values((r) => sql`(${r.referralId}, ${r.patientId}, 'ers', ${receivedAt}::date, ${lagSpecialty},
        'routine', 'routine', 'Benchmark referral', 'booked', ${run.clinicId}, ${`referral-${r.referralId}`}, true)`)}`);
    await tx.execute(sql`insert into slots (id, clinic_id, start, "end", type, status) values ${values((r) => sql`(${r.slotId}, ${run.clinicId},
        ${r.start}::timestamptz, ${r.start}::timestamptz + interval '20 minutes', 'new', 'booked')`)}`);
    await tx.execute(sql`insert into appointments (id, referral_id, patient_id, slot_id, clinic_id, start, kind, booked_by, booked_at)
      values ${values((r) => sql`(${r.appointmentId}, ${r.referralId}, ${r.patientId}, ${r.slotId}, ${run.clinicId}, ${r.start}::timestamptz, 'new',
        'staff_officer', ${r.start}::timestamptz - interval '10 days')`)}`);
    await tx.execute(sql`insert into tasks (id, task_key, type, title, priority, priority_rank, due_at, queue_id, workflow_id, referral_id, patient_id,
        payload, breach_date) values ${values((r) => sql`(${r.taskId}, ${`${r.referralId}:3:record_attendance`}, 'record_attendance',
        ${taskTitles.record_attendance}, 'routine', 2, ${r.start}::timestamptz, ${`queue_${lagSpecialty}`}, ${`referral-${r.referralId}`}, ${r.referralId},
        ${r.patientId}, ${JSON.stringify({ specialtyCode: lagSpecialty, appointmentId: r.appointmentId, clinicName: clinic.name, slotStart: r.start })}::jsonb,
        ${breachDate}::date)`)}`);
  });
  // What the pathway holds after triage (change 2) and booking (change 3): its next change is the rung's.
  const states = rows.map((r): [PathwayInput, PathwayState] => [
    { referralId: r.referralId, patientId: r.patientId, receivedAt, priority: 'routine', specialtyCode: lagSpecialty },
    {
      stage: 'booked', clock: startRttClock(receivedAt), clinicalPriority: 'routine', clinicId: run.clinicId, openTaskId: r.taskId,
      openTaskType: 'record_attendance', openEscalationTaskIds: [], escalationLevel: 0, firstBooked: true, appointmentId: r.appointmentId,
      appointmentKind: 'new', step: 3, openTaskDueAt: r.start, openTaskLevel: 0, validationTaskId: null, validatedThrough: null,
      bookBy: bookingTargetDate(receivedAt, 'routine'), appointmentStart: r.start, patientCancellations: 0, declinedOfferIds: [], reviewTaskId: null,
    },
  ]);
  return { rows, states };
}

export async function measureLag(stack: TestStack, count: number, patients: number, run: LagRun, log: (line: string) => void) {
  const db = stack.db.db;
  // The rungs: half spread one every 100 ms, then after a pause half in a burst within 1 ms of each other
  // per rung (slots of one clinic need distinct starts). Every pathway must be waiting on its timer before
  // the first is due: a few seconds each for a hundred starts on two shared cores, and never under 15 s.
  const half = Math.ceil(count / 2);
  const firstDue = Date.now() + Math.max(15_000, count * 100);
  const spreadEnd = firstDue + half * 100;
  const dues = Array.from({ length: count }, (_, i) => i < half
    ? { dueAt: firstDue + i * 100, group: 'spread' as const }
    : { dueAt: spreadEnd + 5000 + (i - half), group: 'burst' as const });
  const { rows, states } = await seedUnoutcomedAppointments(db, run, dues, patients);

  const t0 = performance.now();
  const tickStart = progress(log, 'carried on', count);
  const failures: string[] = [];
  const startedAt = new Map<string, number>();
  await inLanes(16, rows.length, async (i) => {
    const [input, state] = states[i];
    await startPathwayOf(stack, run.taskQueue, input, state)
      .then(() => startedAt.set(input.referralId, Date.now()), (err) => failures.push(`start: ${String(err)}`));
    tickStart();
  });
  log(`  ${startedAt.size}/${count} pathways carried on in ${secs(performance.now() - t0)}; first rung due in ${secs(firstDue - Date.now())}`);
  const rungs: LagRung[] = rows.map((r) => ({ referralId: r.referralId, taskId: r.taskId, dueAt: r.dueAt, group: r.group }));
  // A pathway carried on after its rung was due would show the start's delay, not the ladder's: left out.
  const late = rungs.filter((r) => startedAt.has(r.referralId) && startedAt.get(r.referralId)! > r.dueAt);
  const watched = rungs.filter((r) => startedAt.has(r.referralId) && !late.includes(r));

  const byTask = new Map(watched.map((r) => [r.taskId!, r]));
  const lastDue = Math.max(...watched.map((r) => r.dueAt));
  const stopAt = lastDue + 60_000;
  let unseen = watched.length;
  const tickSeen = progress(log, 'rungs visible', watched.length);
  await sleep(Math.max(0, Math.min(...watched.map((r) => r.dueAt)) - Date.now() - 500));
  const cpu = await startCpuMeter();
  while (unseen > 0 && Date.now() < stopAt) {
    const sentAt = Date.now();
    const pending = watched.filter((r) => r.seenAt === undefined).map((r) => r.taskId!);
    const rows = await queryRows<{ id: string; written: string }>(db, sql`select id, (extract(epoch from updated_at) * 1000)::float8::text as written
      from tasks where id in (${list(pending)}) and escalation_level >= 1`);
    for (const row of rows) {
      const r = byTask.get(row.id)!;
      r.seenAt = sentAt; // the snapshot this poll read was taken as it was sent
      r.writtenAt = Number(row.written);
      unseen -= 1;
      tickSeen();
    }
    await sleep(Math.max(0, pollMs - (Date.now() - sentAt)));
  }
  return { rungs: watched, late: late.length, missing: rungs.length - startedAt.size, failures, unseen, cpu: await cpu('the rungs (first due − 0.5 s to last visible)') };
}

/**
 * Where each rung's lag went, from its pathway's history: the timer's intended fire time against the rung's
 * due time (the workflow reads its clock at the start of the task that sets the timer, the server counts from
 * the task's end), the server firing it, the workflow task that decides, the activity's dispatch, and the
 * activity with its commit and our 50 ms poll.
 */
export async function lagBreakdown(stack: TestStack, rungs: LagRung[]) {
  const at = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => (t ? Number(t.seconds) * 1000 + (t.nanos ?? 0) / 1e6 : NaN);
  const parts = { setLate: [] as number[], serverTimer: [] as number[], workflowTask: [] as number[], activityDispatch: [] as number[], toVisible: [] as number[] };
  const visible = rungs.filter((r) => r.seenAt !== undefined);
  await inLanes(8, visible.length, async (i) => {
    const r = visible[i];
    const events = (await stack.env.client.workflow.getHandle(`referral-${r.referralId}`).fetchHistory()).events ?? [];
    const firedIndex = events.findIndex((e) => e.timerFiredEventAttributes);
    if (firedIndex < 0) return;
    const fired = events[firedIndex];
    const started = events.find((e) => Number(e.eventId) === Number(fired.timerFiredEventAttributes!.startedEventId));
    const scheduled = events.slice(firedIndex).find((e) => e.activityTaskScheduledEventAttributes);
    const activityStarted = scheduled && events.find((e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === Number(scheduled.eventId));
    if (!started || !scheduled || !activityStarted) return;
    const intended = at(started.eventTime) + at(started.timerStartedEventAttributes!.startToFireTimeout);
    parts.setLate.push(intended - r.dueAt);
    parts.serverTimer.push(at(fired.eventTime) - intended);
    parts.workflowTask.push(at(scheduled.eventTime) - at(fired.eventTime));
    parts.activityDispatch.push(at(activityStarted.eventTime) - at(scheduled.eventTime));
    parts.toVisible.push(r.seenAt! - at(activityStarted.eventTime));
  });
  const pq = (xs: number[]) => { const s = sorted(xs); return `${ms(percentile(s, 50))} / ${ms(percentile(s, 95))}`; };
  return `  where it goes (p50 / p95 over ${parts.setLate.length} histories): timer set late ${pq(parts.setLate)}; ` +
    `server fires it ${pq(parts.serverTimer)} after that; workflow task ${pq(parts.workflowTask)}; ` +
    `activity dispatch ${pq(parts.activityDispatch)}; activity, commit and poll ${pq(parts.toVisible)}`;
}

// ---------------------------------------------------------------------------------------------------------

function temporalServerVersion() {
  const out = spawnSync(process.env.TEMPORAL_CLI_PATH ?? 'temporal', ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return /Server ([\d.]+)/.exec(out)?.[1] ?? (out.trim() || 'version unknown');
}

// ---------------------------------------------------------------------------------------------------------
// The peer: pg-boss (a well-used Postgres job queue) in a schema of its own in the same database.

const pgServerUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const peerQueue = 'bench-claims';

async function benchPeer(o: { db: Database; dbName: string; open: number; claims: number; phaseMs: number; log: (line: string) => void; apiClaimMs: number[] }) {
  const { db, log } = o;
  const url = new URL(pgServerUrl);
  url.pathname = `/${o.dbName}`;
  // No maintenance, no cron: only the queue and its fetch, as claim-next has only its table.
  const boss = new PgBoss({ connectionString: url.toString(), schema: 'pgboss', supervise: false, schedule: false, max: 10 });
  boss.on('error', (err) => log(`  pg-boss: ${String(err)}`));
  await boss.start();
  try {
    await boss.createQueue(peerQueue);
    log(`Peer: ${n0(o.open)} open pg-boss jobs …`);
    const t0 = performance.now();
    for (let from = 0; from < o.open; from += 10_000) {
      const n = Math.min(10_000, o.open - from);
      await boss.insert(Array.from({ length: n }, (_, i) => ({ name: peerQueue, data: { item: from + i } })));
    }
    const insertMs = performance.now() - t0;
    await db.execute(sql`vacuum (analyze) pgboss.job`);
    log(`  inserted in ${secs(insertMs)}; claimNextTask and boss.fetch, ${o.claims} calls each, interleaved (at most ${secs(o.phaseMs)}) …`);
    for (let i = 0; i < 5; i++) { await claimNextTask(db, officerWorker); await boss.fetch(peerQueue); } // untimed
    const oursMs: number[] = [];
    const bossMs: number[] = [];
    let fetched = 0;
    const tick = progress(log, 'peer', o.claims);
    const cpu = await startCpuMeter();
    const until = performance.now() + o.phaseMs;
    for (let i = 0; i < o.claims && performance.now() < until; i++) {
      let t = performance.now();
      await claimNextTask(db, officerWorker, undefined, { notOnLeaveOn: londonToday() });
      oursMs.push(performance.now() - t);
      t = performance.now();
      const jobs = await boss.fetch(peerQueue);
      bossMs.push(performance.now() - t);
      fetched += jobs.length;
      tick();
    }
    // Calls a second, one after another: the count over the time spent in them.
    const rate = (xs: number[]) => xs.length / (xs.reduce((a, b) => a + b, 0) / 1000);
    const ours = rate(oursMs);
    const theirs = rate(bossMs);
    return [
      `claim-next peer, pg-boss ${bossVersion()} fetch (one job a call, ${n0(o.open)} open jobs in its queue, ${n0(fetched)} fetched), ` +
        `against claimNextTask (one item a call, in the work order, audited), ${oursMs.length} sequential calls each, interleaved:`,
      `  claimNextTask: ${spread(oursMs)}  ${ours.toFixed(0)}/s;  pg-boss fetch: ${spread(bossMs)}  ${theirs.toFixed(0)}/s`,
      `  claimNextTask / pg-boss fetch rate ×${(ours / theirs).toFixed(2)}; claim-next through the API (above, ${rate(o.apiClaimMs).toFixed(0)}/s) / pg-boss fetch ×${(rate(o.apiClaimMs) / theirs).toFixed(2)}`,
      await cpu('the peer (both together)'),
    ];
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => {});
  }
}
const bossVersion = () => {
  try { return JSON.parse(readFileSync(new URL('../../node_modules/pg-boss/package.json', import.meta.url), 'utf8')).version as string; } catch { return ''; }
};

export async function benchWorkQueues(opts: WorkQueueBenchOptions): Promise<string[]> {
  const { stack, log } = opts;
  const open = opts.open ?? 100_000;
  const done = opts.done ?? 500_000;
  const ladders = opts.ladders ?? 20_000;
  const claims = opts.claims ?? 500;
  const pages = opts.pages ?? 500;
  const lagCount = opts.lag ?? 200;
  const lagTestCount = opts.lagTestWorker ?? 100;
  const ladderMs = (opts.ladderSeconds ?? 300) * 1000;
  const phaseMs = (opts.phaseSeconds ?? 40) * 1000;
  const db = stack.db.db;
  const lines: string[] = [];

  const cpus = os.cpus();
  const [{ v: pgVersion }] = await queryRows<{ v: string }>(db, sql`select current_setting('server_version') as v`);
  lines.push(`Access Desk work-queue benchmark — ${cpus[0]?.model.trim() ?? 'unknown CPU'} ×${cpus.length}, ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, Postgres ${pgVersion.split(' ')[0]}, Temporal dev server ${temporalServerVersion()}`);

  log(`Seeding ${n0(open)} open and ${n0(done)} done work items …`);
  const seeded = await seedWorkItems(db, open, done, log);
  const [{ total }] = await queryRows<{ total: number }>(db, sql`select count(*)::int as total from tasks`);
  lines.push(`seeded: ${n0(open)} open + ${n0(done)} done work items (${n0(total)} in tasks) and ${n0(seeded.patients)} patients ` +
    `by insert … select from generate_series in ${secs(seeded.insertMs)}; vacuum analyze ${secs(seeded.vacuumMs)}`);

  const [officer, leader] = await Promise.all([stack.signIn(officerEmail), stack.signIn(leaderEmail)]);

  // claim-next, sequential, as one officer working down the queue, interleaved with the statements the route
  // runs (the claim, then the claimed item's record) sent as bare SQL through the same pool: each claims an item.
  log(`claim-next: ${claims} calls as ${officerEmail} and as many as bare SQL, interleaved (at most ${secs(phaseMs)}) …`);
  const bareClaim = async () => {
    const [row] = await queryRows<{ id: string }>(db, claimNextSql(officerWorker, new Date(), {}, londonToday()));
    if (row) await queryRows(db, taskRecordSql(row.id));
    return row;
  };
  for (let i = 0; i < 5; i++) { await officer.request('POST', '/api/tasks/claim-next', {}); await bareClaim(); } // untimed: JIT and pool
  const claimMs: number[] = [];
  const bareClaimMs: number[] = [];
  let claimed = 0;
  const tickClaim = progress(log, 'claim-next', claims);
  const claimCpu = await startCpuMeter();
  const claimUntil = performance.now() + phaseMs;
  for (let i = 0; i < claims && performance.now() < claimUntil; i++) {
    let t = performance.now();
    const res = await officer.request('POST', '/api/tasks/claim-next', {});
    claimMs.push(performance.now() - t);
    if (res.status === 200) claimed += 1;
    t = performance.now();
    await bareClaim();
    bareClaimMs.push(performance.now() - t);
    tickClaim();
  }
  const claimS = sorted(claimMs);
  const bareClaimS = sorted(bareClaimMs);
  lines.push(`claim-next (API, ${claimMs.length} sequential calls, ${claimed} items claimed): ${spread(claimMs)}  max ${ms(Math.max(...claimMs))}`);
  lines.push(`  same claim as bare SQL (the claim statement, then the item's record, as the route runs them): ${spread(bareClaimMs)}`);
  lines.push(`  API / SQL: p50 ×${(percentile(claimS, 50) / percentile(bareClaimS, 50)).toFixed(2)}  p95 ×${(percentile(claimS, 95) / percentile(bareClaimS, 95)).toFixed(2)}`);
  lines.push(await claimCpu('claim-next (API and SQL together)'));

  // The peer: pg-boss's fetch (SELECT … FOR UPDATE SKIP LOCKED in a CTE, one job per call) from a queue holding
  // as many open jobs, on the same Postgres, interleaved call by call with claimNextTask, which also keeps the
  // clinical work order (priority, breach date, age) over 100,000 open and 500,000 done rows and writes an audit row.
  lines.push(...await benchPeer({ db, dbName: stack.db.name, open, claims, phaseMs, log, apiClaimMs: claimMs }));

  // My work: the API's page and the same two queries on the same database, interleaved so both see the
  // same cache and the same neighbours.
  log(`My work: ${pages} pages through the API and ${pages} as bare SQL, interleaved (at most ${secs(phaseMs)}) …`);
  const { page, count } = myWorkQueries('staff_officer');
  const apiMs: number[] = [];
  const sqlMs: number[] = [];
  const pageOnlyMs: number[] = [];
  const countOnlyMs: number[] = [];
  let listed = '';
  for (let i = 0; i < 3; i++) { await officer.request('GET', myWorkPath); await Promise.all([queryRows(db, page), queryRows(db, count)]); }
  const tickPage = progress(log, 'My work', pages);
  const pageCpu = await startCpuMeter();
  const pageUntil = performance.now() + phaseMs;
  for (let i = 0; i < pages && performance.now() < pageUntil; i++) {
    let t = performance.now();
    const res = await officer.request('GET', myWorkPath);
    apiMs.push(performance.now() - t);
    listed = res.headers.get('content-range') ?? '';
    t = performance.now();
    await Promise.all([queryRows(db, page), queryRows(db, count)]);
    sqlMs.push(performance.now() - t);
    // Each query alone, every tenth round, to say which of the two the time goes to.
    if (i % 10 === 0) {
      t = performance.now(); await queryRows(db, page); pageOnlyMs.push(performance.now() - t);
      t = performance.now(); await queryRows(db, count); countOnlyMs.push(performance.now() - t);
    }
    tickPage();
  }
  const apiS = sorted(apiMs);
  const sqlS = sorted(sqlMs);
  const pageCpuLine = await pageCpu('My work (API and SQL together)');
  lines.push(`My work page [0,24] (API, ${apiMs.length} sequential, Content-Range ${listed}): ${spread(apiMs)}`);
  lines.push(`  same page as bare SQL (page + count in parallel, as the API runs them): ${spread(sqlMs)}`);
  lines.push(`  of which page query alone: ${spread(pageOnlyMs, [50, 95])}; count query alone: ${spread(countOnlyMs, [50, 95])} (${pageOnlyMs.length} runs each)`);
  lines.push(`  API / SQL: p50 ×${(percentile(apiS, 50) / percentile(sqlS, 50)).toFixed(2)}  p95 ×${(percentile(apiS, 95) / percentile(sqlS, 95)).toFixed(2)}`);
  lines.push(pageCpuLine);

  // Bulk move: items officer holds in officer2's queues, to officer2 by ids, then back by a filter.
  const movable = (await queryRows<{ id: string }>(db, sql`select id from tasks where id like 'task_bench_%' and assignee_id = 'staff_officer'
    and status = 'claimed' and queue_id in (${list(officer2Queues)}) order by id limit ${bulkSize}`)).map((r) => r.id);
  log(`Bulk move: ${n0(movable.length)} items …`);
  let t = performance.now();
  const there = await leader.post<{ moved: number }>('/api/tasks/bulk-assign', { ids: movable, assigneeId: 'staff_officer2' });
  const byIdsMs = performance.now() - t;
  t = performance.now();
  const back = await leader.post<{ moved: number }>('/api/tasks/bulk-assign', { filter: { assigneeId: 'staff_officer2' }, assigneeId: 'staff_officer' });
  const byFilterMs = performance.now() - t;
  lines.push(`bulk reassignment (API, one call each): ${n0(there.moved)} items by ids to staff_officer2 ${ms(byIdsMs)}; ` +
    `${n0(back.moved)} back by filter {assigneeId} ${ms(byFilterMs)}`);

  // Plans, once, after the timed runs: where the time goes.
  lines.push('query plans (EXPLAIN ANALYZE, once, after the timed runs):');
  lines.push(await planLine(db, 'claim-next statement', claimNextSql(officerWorker, new Date(), {}, londonToday())));
  lines.push(await planLine(db, 'My work page', page));
  lines.push(await planLine(db, 'My work count', count));

  // Ladders, then the lag with them pending. They run on a worker wired as `npm start` wires it (startSystem,
  // the SDK's default workflow cache), on a task queue of its own: the test stack's worker keeps no cache,
  // so every workflow task replays the whole history, which tests want and production does not do. The
  // same lag is then measured on the test stack's worker too, so the cost of that shows as a ratio.
  if (opts.queuesOnly) return lines;
  const taskQueue = `bench-work-queues-${randomBytes(4).toString('hex')}`;
  const bundle = process.env.ACCESS_DESK_WORKFLOW_BUNDLE;
  const worker = await startSystem({
    db: stack.db, temporalAddress: stack.env.address, taskQueue, runApi: false, quietBundler: true,
    logger: createLogger('access-desk', 'error'), workflowBundle: bundle ? { codePath: bundle } : undefined, temporalClient: stack.env.client,
  });
  try {
    log(`Ladders: starting ${n0(ladders)} referralPathway workflows (at most ${secs(ladderMs)}) …`);
    const ladderCpu = await startCpuMeter();
    const started = await startLadders(stack, taskQueue, ladders, ladderMs, seeded.patients, log);
    const ladderCpuLine = await ladderCpu('ladder starts');
    lines.push(`ladders pending: ${n0(started.ready)} referralPathway workflows waiting on their day-84 booking rung ` +
      `(${n0(started.requested)} asked for; ${n0(started.started)} started in ${secs(started.startMs)}, paced to the worker; ` +
      `${(started.ready / (started.readyMs / 1000)).toFixed(1)} pending/s, all pending after ${secs(started.readyMs)})` +
      (started.errors.length ? `; ${started.errors.length} starts failed, first: ${started.errors[0]}` : ''));
    lines.push(ladderCpuLine);

    const runs: Array<LagRun & { count: number; title: string }> = [
      { taskQueue, prefix: 'lag', clinicId: 'clin_2', count: lagCount, title: 'worker as npm start wires it (workflow cache on)' },
      { taskQueue: stack.taskQueue, prefix: 'lagt', clinicId: 'clin_11', count: lagTestCount, title: 'test stack\'s worker (maxCachedWorkflows 0)' },
    ].filter((r) => r.count >= 2);
    for (const run of runs) {
      log(`Escalation lag on the ${run.title}: ${run.count} pathways carried on from appointments booked days ago, their outcome rungs due shortly …`);
      const lag = await measureLag(stack, run.count, seeded.patients, run, log);
      log('Reading the lag pathways\' histories …');
      const breakdown = await lagBreakdown(stack, lag.rungs);
      const seen = lag.rungs.filter((r) => r.seenAt !== undefined);
      const lagLine = (rs: LagRung[]) => {
        const visible = rs.filter((r) => r.seenAt !== undefined);
        const lags = visible.map((r) => r.seenAt! - r.dueAt);
        const written = visible.map((r) => r.writtenAt! - r.dueAt);
        return `${spread(lags)}  max ${ms(Math.max(...lags))}   (written by the activity: ${spread(written, [50, 99])})`;
      };
      const group = (g: LagRung['group']) => lag.rungs.filter((r) => r.group === g);
      lines.push(`escalation lag on the ${run.title}, due → escalation_level 1 visible in Postgres (polled every ${pollMs} ms), ` +
        `${seen.length} rungs, ${n0(started.ready)} ladders pending:`);
      lines.push(`  all:    ${lagLine(lag.rungs)}`);
      lines.push(`  spread (${group('spread').length} rungs 100 ms apart): ${lagLine(group('spread'))}`);
      lines.push(`  burst  (${group('burst').length} rungs within ${group('burst').length} ms): ${lagLine(group('burst'))}`);
      lines.push(breakdown);
      lines.push(lag.cpu);
      const notes = [
        lag.late ? `${lag.late} carried on after their rung was due (left out)` : '',
        lag.missing ? `${lag.missing} could not be carried on (left out)` : '',
        lag.unseen ? `${lag.unseen} not visible within 60 s of the last due time` : '',
        lag.failures.length ? `${lag.failures.length} pathways failed to start, first: ${lag.failures[0]}` : '',
      ].filter(Boolean);
      if (notes.length) lines.push(`  note: ${notes.join('; ')}`);
    }
  } finally {
    await worker.stop();
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------------

function options() {
  const { values } = parseArgs({
    options: {
      open: { type: 'string', default: '100000' }, done: { type: 'string', default: '500000' }, ladders: { type: 'string', default: '20000' },
      'ladder-seconds': { type: 'string', default: '300' }, claims: { type: 'string', default: '500' }, pages: { type: 'string', default: '500' },
      'phase-seconds': { type: 'string', default: '40' }, lag: { type: 'string', default: '200' }, 'lag-test-worker': { type: 'string', default: '100' },
      'queues-only': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { console.log(help); process.exit(0); }
  const whole = (name: keyof typeof values, min: number) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be a whole number from ${min}`);
    return v;
  };
  return {
    open: whole('open', 1000), done: whole('done', 0), ladders: whole('ladders', 0), ladderSeconds: whole('ladder-seconds', 1),
    claims: whole('claims', 1), pages: whole('pages', 1), phaseSeconds: whole('phase-seconds', 1), lag: whole('lag', 2),
    lagTestWorker: whole('lag-test-worker', 0), queuesOnly: values['queues-only'] ?? false,
  };
}

async function main() {
  const opts = options();
  const say = (m: string) => console.log(m);
  const begun = performance.now();
  say('Finding the Temporal binaries and bundling the workflows …');
  await globalSetup();
  say('Starting the Temporal dev server, a fresh Postgres database, the worker and the API …');
  const stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stack.stop().catch((err) => console.error(String(err))));
  process.once('SIGINT', () => { console.log('\nStopping …'); void stop().then(() => process.exit(130)); });
  try {
    const lines = await benchWorkQueues({ stack, log: say, ...opts });
    say(`\n${lines.join('\n')}\nwhole run: ${secs(performance.now() - begun)}\n`);
  } finally {
    say('Stopping the stack …');
    await stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (err) => { console.error(err instanceof Error ? err.stack ?? err.message : String(err)); process.exit(1); },
  );
}
