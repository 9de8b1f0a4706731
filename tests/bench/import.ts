#!/usr/bin/env -S npx tsx
// npm run bench:import: go-live import throughput (issue 13). Imports N synthetic open pathways (every stage, some
// booked) through importPathways on a fresh stack, until every pathway's first workflow task has run, beside the
// ceiling of the same Temporal server in the same run (a bare workflow with one no-op activity). Prints the rate, the
// total time, the ratio, and the RSS of the process that runs the worker (and the API) after. It only measures.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { addDays, londonDate } from '../../domain';
import type { ImportRow } from '../../domain/import';
import type { ImportStage, ReferralPriority } from '../../domain/model';
import { queryRows } from '../../db/client';
import { seededRandom, syntheticNhsNumber } from '../../bin/lib/demo';
import { importPathways } from '../../api/import-pathways';
import { withBenchStack } from './support';
import { cpuLine, startMeter } from './measure';
import type { bareWaitingWorkflow, bareWorkflow } from './bare-workflow';

const help = `Usage: npm run bench:import -- [--pathways N] [--ceiling N]

Starts a Temporal dev server, a fresh Postgres database on 127.0.0.1:5432 (TEST_POSTGRES_URL to change), the worker
and the API in this process, then measures:
  import   pathways/s from importPathways' first row until every imported pathway's first workflow task has run
  ceiling  workflows/s of a bare workflow running one no-op activity, on the same server (32 starters)
  second ceiling  workflows/s of a bare workflow whose first task only sets a timer (an imported pathway's shape),
           started and waited for as the import is
  memory   RSS of this process (worker + API) and of the Temporal server after the import

Options:
  --pathways N  open pathways to import (default 75000)
  --ceiling N   bare workflows for the ceiling (default: the smaller of N and 3000)
  -h, --help    this help`;

const MiB = 1024 * 1024;
const bareWorkflowsPath = fileURLToPath(new URL('./bare-workflow.ts', import.meta.url));
const quietBundler = { trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m), log() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function options() {
  const { values } = parseArgs({ options: { pathways: { type: 'string', default: '75000' }, ceiling: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { console.log(help); process.exit(0); }
  const pathways = Number(values.pathways);
  const ceiling = Number(values.ceiling ?? Math.min(pathways, 3000));
  if (!Number.isInteger(pathways) || pathways < 1) throw new Error('--pathways must be a whole number above 0');
  if (!Number.isInteger(ceiling) || ceiling < 1) throw new Error('--ceiling must be a whole number above 0');
  return { pathways, ceiling };
}

/** A PAS extract's worth of open pathways: every stage, mostly routine, a quarter of the outpatient ones booked. */
export async function syntheticRows(db: Parameters<typeof queryRows>[0], count: number, today: string): Promise<ImportRow[]> {
  const rand = seededRandom(13);
  const free = await queryRows<{ clinic_id: string; start: Date; specialty_code: string }>(db, sql`
    select s.clinic_id, s.start, c.specialty_code from slots s join clinics c on c.id = s.clinic_id
    where s.status = 'free' and s.start > now() + interval '1 day' order by s.start`);
  const specialties = [...new Set(free.map((s) => s.specialty_code))];
  let nextSlot = 0;
  const run = Date.now().toString(36);
  return Array.from({ length: count }, (_, i) => {
    const r = rand();
    const stage: ImportStage = r < 0.2 ? 'awaiting_triage' : r < 0.6 ? 'awaiting_first_appointment' : r < 0.8 ? 'awaiting_follow_up' : 'awaiting_admission';
    const p = rand();
    const priority: ReferralPriority = p < 0.05 ? 'two_week_wait' : p < 0.25 ? 'urgent' : 'routine';
    const clockStart = addDays(today, -Math.floor(rand() * (priority === 'routine' ? 300 : 40)));
    const slot = (stage === 'awaiting_first_appointment' || stage === 'awaiting_follow_up') && rand() < 0.25 && nextSlot < free.length ? free[nextSlot++] : null;
    const lastRttDate = stage === 'awaiting_follow_up' || stage === 'awaiting_admission' ? addDays(clockStart, Math.floor((Date.parse(today) - Date.parse(clockStart)) / 2 / 86_400_000)) : null;
    return {
      line: i + 2, nhsNumber: syntheticNhsNumber(rand), givenName: 'Test', familyName: `Patient${i}`, dateOfBirth: '1970-01-01', postcode: 'L39 2AZ',
      pathwayId: `BENCH-${run}-${i}`, ubrn: null, specialtyCode: slot?.specialty_code ?? specialties[i % specialties.length], priority, clockStart,
      lastRttCode: lastRttDate ? 20 : null, lastRttDate, stage, clinicId: slot?.clinic_id ?? null, appointmentStart: slot ? new Date(slot.start).toISOString() : null,
    };
  });
}

/** A second worker on its own task queue, on the same server, running only the bare workflow (as tests/bench/run.ts). */
async function bareCeiling(env: TestWorkflowEnvironment, count: number, shape: 'activity' | 'timer', starters = 32) {
  const { code } = await bundleWorkflowCode({ workflowsPath: bareWorkflowsPath, logger: quietBundler as never });
  const connection = await NativeConnection.connect({ address: env.address });
  const taskQueue = `bench-bare-${randomBytes(4).toString('hex')}`;
  const worker = await Worker.create({ connection, taskQueue, workflowBundle: { code }, activities: { noop: async () => {} } });
  const running = worker.run();
  let next = 0;
  const lanes = async (n: number, run: string) => {
    const started = performance.now();
    await Promise.all(Array.from({ length: starters }, async () => {
      while (next < n) {
        next += 1;
        if (shape === 'activity') {
          await env.client.workflow.execute<typeof bareWorkflow>('bareWorkflow', { taskQueue, workflowId: `${taskQueue}-${run}-${next}` });
          continue;
        }
        await env.client.workflow.start<typeof bareWaitingWorkflow>('bareWaitingWorkflow', { taskQueue, workflowId: `${taskQueue}-${run}-${next}` });
      }
    }));
    // Timer-only: measured as the import is, until the last ones started have run their first task (the timer set).
    if (shape === 'timer') {
      for (let i = Math.max(1, n - starters + 1); i <= n; i += 1) {
        while (((await env.client.workflow.getHandle(`${taskQueue}-${run}-${i}`).describe()).historyLength ?? 0) < 4) await sleep(50);
      }
    }
    return performance.now() - started;
  };
  try {
    await lanes(starters, 'warm-up'); // untimed
    next = 0;
    const ms = await lanes(count, 'measured');
    return count / (ms / 1000);
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
  }
}

const rssOf = (pid: number) => {
  try { return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024; } catch { return 0; }
};

async function main() {
  const { pathways, ceiling } = options();
  const say = (m: string) => console.log(m);
  await withBenchStack(say, async ({ env, db, taskQueue }) => {
    const today = londonDate(Date.now());
    say(`Making ${pathways} synthetic PAS rows …`);
    const rows = await syntheticRows(db.db, pathways, today);
    const temporal = { client: env.client, taskQueue };
    const loadBefore = os.loadavg()[0];

    say(`Import: ${pathways} pathways …`);
    const meter = await startMeter(db);
    const started = performance.now();
    const result = await importPathways({ db: db.db, temporal, today, now: new Date() }, 'imp_bench', rows);
    const startedMs = performance.now() - started;
    // Every pathway's first workflow task has run: the last ones started have a completed task in their history.
    const last = await queryRows<{ workflow_id: string }>(db.db, sql`select workflow_id from referrals where import_id = 'imp_bench' order by id desc limit 50`);
    for (const { workflow_id: id } of last) {
      for (;;) {
        const d = await env.client.workflow.getHandle(id).describe();
        if ((d.historyLength ?? 0) >= 4) break;
        await sleep(50);
      }
    }
    const totalMs = performance.now() - started;
    const { cpu } = await meter.stop();
    const rate = result.imported / (totalMs / 1000);
    const workerRss = process.memoryUsage().rss;

    say(`Ceiling: ${ceiling} bare workflows …`);
    const ceilingMeter = await startMeter(db);
    const ceilingStarted = performance.now();
    const ceilingRate = await bareCeiling(env, ceiling, 'activity');
    const ceilingCpu = (await ceilingMeter.stop()).cpu;
    const ceilingS = (performance.now() - ceilingStarted) / 1000;
    say(`Second ceiling: ${ceiling} bare workflows that only set a timer …`);
    const timerMeter = await startMeter(db);
    const timerStarted = performance.now();
    const timerRate = await bareCeiling(env, ceiling, 'timer');
    const timerCpu = (await timerMeter.stop()).cpu;
    const timerS = (performance.now() - timerStarted) / 1000;
    // Warm-up rounds are inside the metered span: per-workflow CPU counts them (32 more runs).
    const perRun = (share: number, s: number) => (share * 10 * s / (ceiling + 32)).toFixed(1);
    const [booked] = await queryRows<{ n: number }>(db.db, sql`select count(*)::int as n from appointments where referral_id in (select id from referrals where import_id = 'imp_bench')`);
    const cpus = os.cpus();
    say([
      '',
      `Access Desk import benchmark — ${pathways} pathways (${booked.n} booked), ${cpus[0]?.model.trim() ?? 'unknown CPU'} ×${cpus.length}, Node ${process.version}`,
      `import: ${result.imported} imported, ${result.unchanged} unchanged in ${(totalMs / 1000).toFixed(1)} s ` +
        `(rows written and workflows started ${(startedMs / 1000).toFixed(1)} s)   ${rate.toFixed(1)} pathways/s`,
      `ceiling (bare workflow + no-op activity, ${ceiling} runs): ${ceilingRate.toFixed(1)} workflows/s`,
      `import / ceiling: ${(rate / ceilingRate).toFixed(2)}`,
      cpuLine('the import', cpu),
      `CPU per imported pathway: this process ${(cpu.self * 10 * totalMs / 1000 / result.imported).toFixed(1)} ms, Temporal server ${(cpu.server * 10 * totalMs / 1000 / result.imported).toFixed(1)} ms, Postgres ${(cpu.postgres * 10 * totalMs / 1000 / result.imported).toFixed(1)} ms`,
      `second ceiling (bare workflow started and its first task run, one timer set: an imported pathway's shape, ${ceiling} runs): ${timerRate.toFixed(1)} workflows/s`,
      `import / second ceiling: ${(rate / timerRate).toFixed(2)}   (75,000 at the second ceiling's rate: ${(75_000 / timerRate / 60).toFixed(1)} min)`,
      `CPU per bare workflow: with an activity: this process ${perRun(ceilingCpu.self, ceilingS)} ms, Temporal server ${perRun(ceilingCpu.server, ceilingS)} ms;` +
        ` timer only: this process ${perRun(timerCpu.self, timerS)} ms, Temporal server ${perRun(timerCpu.server, timerS)} ms`,
      `RSS after the import: this process (worker + API) ${Math.round(workerRss / MiB)} MiB` +
        `   Temporal server ${Math.round(childServerRss() / MiB)} MiB`,
      `load average (1 min) before the import ${loadBefore.toFixed(1)}, after ${os.loadavg()[0].toFixed(1)} (the machine is shared)`,
      '',
    ].join('\n'));
  });
}

/** The Temporal dev server(s) this process spawned. */
function childServerRss(): number {
  let total = 0;
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.split(')').pop()!.trim().split(' ')[1]);
      if (ppid === process.pid && /temporal/.test(readFileSync(`/proc/${d}/comm`, 'utf8'))) total += rssOf(Number(d));
    } catch { /* gone */ }
  }
  return total;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    () => process.exit(0),
    (err) => { console.error(err instanceof Error ? err.stack ?? err.message : String(err)); process.exit(1); },
  );
}
