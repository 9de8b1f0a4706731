#!/usr/bin/env -S npx tsx
// npm run bench: intake throughput (POST /api/referrals until the triage work item is in its queue) beside
// the ceiling of the same Temporal server in the same run (a bare workflow with one no-op activity), and
// the peak memory of the process that runs the worker and the API. It only measures and prints.
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { queryRows } from '../../db/client';
import { AccessDeskClient } from '../../bin/lib/api-client';
import { referralBody } from '../support/fixtures';
import { withBenchStack } from './support';
import type { TestDatabase } from '../support/database';
import { demoPassword } from '../support/stack';
import type { bareWorkflow } from './bare-workflow';

const help = `Usage: npm run bench -- [--count N] [--clients N]

Starts a Temporal dev server, a fresh Postgres database on 127.0.0.1:5432 (TEST_POSTGRES_URL to change),
the worker and the API in this process, then measures:
  intake   referrals/s from POST /api/referrals until the triage work item is listed in its queue
  ceiling  workflows/s of a bare workflow running one no-op activity, on the same server
  memory   peak RSS and heap of this process (API + worker) during intake

Options:
  --count N     referrals, and bare workflows (default 2000)
  --clients N   concurrent clients, and concurrent starters (default 16)
  -h, --help    this help`;

const MiB = 1024 * 1024;
const officerEmail = 'officer@demo.nhs.uk';
const bareWorkflowsPath = fileURLToPath(new URL('./bare-workflow.ts', import.meta.url));
const quietBundler = { trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m), log() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function options() {
  const { values } = parseArgs({
    options: { count: { type: 'string', default: '2000' }, clients: { type: 'string', default: '16' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { console.log(help); process.exit(0); }
  const count = Number(values.count);
  const clients = Number(values.clients);
  if (!Number.isInteger(count) || count < 1) throw new Error('--count must be a whole number above 0');
  if (!Number.isInteger(clients) || clients < 1) throw new Error('--clients must be a whole number above 0');
  return { count, clients };
}

/** A bar on a terminal; a line every 10% when the output is a file or a pipe. */
function progress(label: string, total: number) {
  const started = performance.now();
  let done = 0;
  let lastDraw = 0;
  let lastTenth = 0;
  return () => {
    done += 1;
    const now = performance.now();
    const rate = done / Math.max(0.001, (now - started) / 1000);
    if (process.stdout.isTTY) {
      if (done !== total && now - lastDraw < 200) return;
      lastDraw = now;
      const filled = Math.round((done / total) * 30);
      process.stdout.write(`\r  ${label} [${'█'.repeat(filled)}${'░'.repeat(30 - filled)}] ${done}/${total}  ${rate.toFixed(1)}/s${done === total ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor((done * 10) / total);
    if (tenth > lastTenth) {
      lastTenth = tenth;
      console.log(`  ${label} ${String(tenth * 10).padStart(3)}%  ${done}/${total}  ${rate.toFixed(1)}/s so far`);
    }
  };
}

/** Runs `count` jobs over `lanes` concurrent loops; each lane takes the next job until none are left. */
async function inLanes<T>(lanes: T[], count: number, job: (lane: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(lanes.map(async (lane) => {
    while (next < count) await job(lane, next++);
  }));
}

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** CPU time of a process in seconds, from /proc/<pid>/stat (utime + stime); 0 when it cannot be read. */
function cpuSeconds(pid: number) {
  const fields = readProc(pid, 'stat').split(')').pop()?.trim().split(' ') ?? [];
  return ((Number(fields[11]) || 0) + (Number(fields[12]) || 0)) / ticksPerSecond;
}

/** Busy CPU seconds of the whole machine since boot, from /proc/stat; undefined off Linux. */
function machineBusySeconds() {
  const [, ...ticks] = safeRead('/proc/stat').split('\n')[0].trim().split(/\s+/).map(Number);
  if (ticks.length < 5) return undefined;
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - ticks[3] - ticks[4]) / ticksPerSecond; // less idle and iowait
}

function safeRead(file: string) {
  try { return readFileSync(file, 'utf8'); } catch { return ''; }
}

/** The Postgres backends serving this run's database (they are not our children, so ask Postgres). */
async function postgresBackends(db: TestDatabase) {
  const rows = await queryRows<{ pid: number }>(db.db, sql`select pid from pg_stat_activity where datname = current_database()`);
  return rows.map((r) => Number(r.pid));
}

/** Percent of one core over a phase's wall time; `machine` is every process's, when /proc/stat is there. */
type CpuShares = { self: number; server: number; postgres: number; machine?: number };

/**
 * What the machine did during a phase: peak memory of this process (sampled every 100 ms) and of the
 * Temporal server it spawned, and whose CPU the phase used, so a busy neighbour shows in the figures.
 */
async function startMeter(db: TestDatabase) {
  const serverPids = childPids().filter((pid) => /temporal/.test(readProc(pid, 'comm')));
  const peak = { rss: 0, heapUsed: 0, serverRss: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    let server = 0;
    for (const pid of serverPids) server += Number(/VmRSS:\s+(\d+) kB/.exec(readProc(pid, 'status'))?.[1] ?? 0) * 1024;
    peak.serverRss = Math.max(peak.serverRss, server);
  };
  const serverCpu = () => serverPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const pgBefore = new Map((await postgresBackends(db)).map((pid) => [pid, cpuSeconds(pid)]));
  const before = { at: performance.now(), machine: machineBusySeconds(), self: process.cpuUsage(), server: serverCpu() };
  sample();
  const timer = setInterval(sample, 100);
  return {
    async stop() {
      clearInterval(timer);
      sample();
      const wall = (performance.now() - before.at) / 1000;
      const self = process.cpuUsage(before.self);
      const pg = (await postgresBackends(db)).reduce((sum, pid) => sum + cpuSeconds(pid) - (pgBefore.get(pid) ?? 0), 0);
      const machine = machineBusySeconds();
      const share = (seconds: number) => Math.round((seconds / wall) * 100);
      const cpu: CpuShares = {
        self: share((self.user + self.system) / 1e6), server: share(serverCpu() - before.server), postgres: share(pg),
        machine: machine === undefined || before.machine === undefined ? undefined : share(machine - before.machine),
      };
      return { peak, cpu };
    },
  };
}

const cpuLine = (label: string, cpu: CpuShares) => {
  const parts = [`this process ${cpu.self}%`, `Temporal server ${cpu.server}%`, `Postgres ${cpu.postgres}%`];
  if (cpu.machine !== undefined) parts.push(`anything else ${Math.max(0, cpu.machine - cpu.self - cpu.server - cpu.postgres)}%`);
  return `CPU during ${label} (100% = one core of ${os.cpus().length}): ${parts.join(', ')}`;
};

const readProc = (pid: number, file: string) => safeRead(`/proc/${pid}/${file}`);

/** Processes whose parent is this one (Linux only; elsewhere none, and the server's memory is not shown). */
function childPids(): number[] {
  let pids: string[] = [];
  try { pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)); } catch { return []; }
  // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
  return pids.map(Number).filter((pid) => Number(readProc(pid, 'stat').split(')').pop()?.trim().split(' ')[1]) === process.pid);
}

/** Polls the work list as staff see it, backing off from 5 to 50 ms, until the referral's triage item is there. */
async function untilTriageListed(officer: AccessDeskClient, referralId: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 50)) {
    const listed = await officer.list('tasks', { filter: { referralId, type: 'triage_referral' }, range: [0, 0] });
    if (listed.length > 0) return;
    if (Date.now() > deadline) throw new Error(`no triage work item for ${referralId} after ${timeoutMs} ms`);
    await sleep(delay);
  }
}

type PhaseResult = { done: number; wallMs: number; latencies: number[]; errors: string[] };

async function intake(officers: AccessDeskClient[], count: number, onEach = () => {}) {
  const result: PhaseResult & { postMs: number[] } = { done: 0, wallMs: 0, latencies: [], postMs: [], errors: [] };
  const started = performance.now();
  await inLanes(officers, count, async (officer) => {
    const t0 = performance.now();
    try {
      const referral = await officer.post('/api/referrals', referralBody());
      result.postMs.push(performance.now() - t0);
      await untilTriageListed(officer, referral.id);
      result.latencies.push(performance.now() - t0);
      result.done += 1;
    } catch (err) {
      result.errors.push(String(err));
    }
    onEach();
  });
  result.wallMs = performance.now() - started;
  return result;
}

/** A second worker on its own task queue, on the same server, running only the bare workflow. */
async function startBareWorker(env: TestWorkflowEnvironment) {
  const { code } = await bundleWorkflowCode({ workflowsPath: bareWorkflowsPath, logger: quietBundler as never });
  const connection = await NativeConnection.connect({ address: env.address });
  const taskQueue = `bench-bare-${randomBytes(4).toString('hex')}`;
  const worker = await Worker.create({ connection, taskQueue, workflowBundle: { code }, activities: { noop: async () => {} } });
  const running = worker.run();
  let runs = 0;
  return {
    async run(starters: number, count: number, onEach = () => {}) {
      const result: PhaseResult = { done: 0, wallMs: 0, latencies: [], errors: [] };
      const started = performance.now();
      await inLanes(Array.from({ length: starters }), count, async () => {
        const t0 = performance.now();
        try {
          await env.client.workflow.execute<typeof bareWorkflow>('bareWorkflow', { taskQueue, workflowId: `bench-bare-${taskQueue}-${runs++}` });
          result.latencies.push(performance.now() - t0);
          result.done += 1;
        } catch (err) {
          result.errors.push(String(err));
        }
        onEach();
      });
      result.wallMs = performance.now() - started;
      return result;
    },
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

function temporalServerVersion() {
  const out = spawnSync(process.env.TEMPORAL_CLI_PATH!, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return /Server ([\d.]+)/.exec(out)?.[1] ?? (out.trim() || 'version unknown');
}

async function postgresVersion(db: TestDatabase) {
  const [row] = await queryRows<{ v: string }>(db.db, sql`select current_setting('server_version') as v`);
  return row?.v.split(' ')[0] ?? 'version unknown';
}

const ms = (x: number) => `${Math.round(x)} ms`;
const latencyLine = (latencies: number[]) => {
  const s = [...latencies].sort((a, b) => a - b);
  return `p50 ${ms(percentile(s, 50))}  p95 ${ms(percentile(s, 95))}  p99 ${ms(percentile(s, 99))}`;
};
const errorLine = (label: string, errors: string[]) => errors.length
  ? `  ${errors.length} ${label} failed; first: ${errors[0]}` : '';

async function main() {
  const { count, clients } = options();
  const say = (m: string) => console.log(m);

  await withBenchStack(say, async ({ env, db, system }) => {
    // One session shared by every client: signing in again ends a person's other sessions, so 16
    // separate sign-ins as one officer would sign each other out.
    const first = new AccessDeskClient(system.url);
    await first.signIn(officerEmail, demoPassword);
    const officers = [first, ...Array.from({ length: clients - 1 }, () => first.sharingSession())];
    // A few untimed rounds first, so neither figure carries the JIT's and the server's first contact.
    const warmUp = clients;

    say(`Intake: ${count} referrals from ${clients} clients (after ${warmUp} untimed) …`);
    await intake(officers, warmUp);
    const intakeMeter = await startMeter(db);
    const intakeResult = await intake(officers, count, progress('intake', count));
    const { peak, cpu: intakeCpu } = await intakeMeter.stop();

    say(`Ceiling: ${count} bare workflows from ${clients} starters (after ${warmUp} untimed) …`);
    const bare = await startBareWorker(env);
    let ceilingResult: PhaseResult;
    let ceilingCpu: CpuShares;
    try {
      await bare.run(clients, warmUp);
      const ceilingMeter = await startMeter(db);
      ceilingResult = await bare.run(clients, count, progress('ceiling', count));
      ceilingCpu = (await ceilingMeter.stop()).cpu;
    } finally {
      await bare.stop();
    }

    const intakeRate = intakeResult.done / (intakeResult.wallMs / 1000);
    const ceilingRate = ceilingResult.done / (ceilingResult.wallMs / 1000);
    const cpus = os.cpus();
    const lines = [
      `Access Desk intake benchmark — ${count} referrals, ${clients} clients, ${cpus[0]?.model.trim() ?? 'unknown CPU'} ×${cpus.length}, ` +
        `Node ${process.version}, Temporal dev server ${temporalServerVersion()}, Postgres ${await postgresVersion(db)}`,
      `intake (POST → triage item listed): ${intakeRate.toFixed(1)} referrals/s   ${latencyLine(intakeResult.latencies)}` +
        `   (POST alone p50 ${ms(percentile([...intakeResult.postMs].sort((a, b) => a - b), 50))})`,
      `ceiling (bare workflow + no-op activity): ${ceilingRate.toFixed(1)} workflows/s   ${latencyLine(ceilingResult.latencies)}`,
      `intake / ceiling: ${(intakeRate / ceilingRate).toFixed(2)}`,
      `peak RSS (API + worker + bench clients, one process): ${Math.round(peak.rss / MiB)} MiB   peak heap (main thread): ${Math.round(peak.heapUsed / MiB)} MiB` +
        (peak.serverRss ? `   Temporal server RSS: ${Math.round(peak.serverRss / MiB)} MiB` : ''),
      `wall time: intake ${(intakeResult.wallMs / 1000).toFixed(1)} s, ceiling ${(ceilingResult.wallMs / 1000).toFixed(1)} s`,
      cpuLine('intake', intakeCpu),
      cpuLine('ceiling', ceilingCpu),
      errorLine('referrals', intakeResult.errors),
      errorLine('bare workflows', ceilingResult.errors),
    ].filter(Boolean);
    say(`\n${lines.join('\n')}\n`);
  });
}

main().then(
  () => process.exit(0),
  (err) => { console.error(err instanceof Error ? err.stack ?? err.message : String(err)); process.exit(1); },
);
