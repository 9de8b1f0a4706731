// What the intake benchmarks share (tests/bench/run.ts, tests/bench/ers.ts): progress lines, lanes of clients, the
// console's intake (POST /api/referrals until its triage item is listed), percentiles, and whose CPU a phase used.
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { referralBody } from '../support/fixtures';
import type { TestDatabase } from '../support/database';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A bar on a terminal; a line every 10% when the output is a file or a pipe. */
export function progress(label: string, total: number) {
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
export async function inLanes<T>(lanes: T[], count: number, job: (lane: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(lanes.map(async (lane) => {
    while (next < count) await job(lane, next++);
  }));
}

export function percentile(sorted: number[], p: number) {
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
export type CpuShares = { self: number; server: number; postgres: number; machine?: number };

/**
 * What the machine did during a phase: peak memory of this process (sampled every 100 ms) and of the
 * Temporal server it spawned, and whose CPU the phase used, so a busy neighbour shows in the figures.
 */
export async function startMeter(db: TestDatabase) {
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

export const cpuLine = (label: string, cpu: CpuShares) => {
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
export async function untilTriageListed(officer: AccessDeskClient, referralId: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 50)) {
    const listed = await officer.list('tasks', { filter: { referralId, type: 'triage_referral' }, range: [0, 0] });
    if (listed.length > 0) return;
    if (Date.now() > deadline) throw new Error(`no triage work item for ${referralId} after ${timeoutMs} ms`);
    await sleep(delay);
  }
}

export type PhaseResult = { done: number; wallMs: number; latencies: number[]; errors: string[] };

export async function intake(officers: AccessDeskClient[], count: number, onEach = () => {}) {
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

export function temporalServerVersion() {
  const out = spawnSync(process.env.TEMPORAL_CLI_PATH!, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return /Server ([\d.]+)/.exec(out)?.[1] ?? (out.trim() || 'version unknown');
}

export async function postgresVersion(db: TestDatabase) {
  const [row] = await queryRows<{ v: string }>(db.db, sql`select current_setting('server_version') as v`);
  return row?.v.split(' ')[0] ?? 'version unknown';
}

export const ms = (x: number) => `${Math.round(x)} ms`;
export const latencyLine = (latencies: number[]) => {
  const s = [...latencies].sort((a, b) => a - b);
  return `p50 ${ms(percentile(s, 50))}  p95 ${ms(percentile(s, 95))}  p99 ${ms(percentile(s, 99))}`;
};
export const errorLine = (label: string, errors: string[]) => errors.length
  ? `  ${errors.length} ${label} failed; first: ${errors[0]}` : '';

