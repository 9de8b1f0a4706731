#!/usr/bin/env -S npx tsx
// npm run bench:escalations: how late an escalation becomes visible after its rung falls due, with 20,000 pathways
// waiting on their ladders, on a worker wired as production wires it (WORKER_CACHED_WORKFLOWS at its default) while
// other pathways keep its cache turning over. It only measures and prints.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createLogger } from '../../api/log';
import { loadConfig } from '../../bin/lib/config';
import { workerTuning } from '../../bin/lib/worker';
import { loadDemoTrust, prepareDatabase, startSystem, type RunningSystem } from '../../bin/lib/system';
import { pathwayQuery } from '../../workflows';
import { createTestDatabase, type TestDatabase } from '../support/database';
import globalSetup from '../support/global-setup';
import { demoPassword, startTemporal, type TestStack } from '../support/stack';
import { loopbackPostgresUrl } from './support';
import { carryOnWaitingPathways } from './waiting-pathways';
import { lagBreakdown, measureLag, ms, spread, startCpuMeter, type LagRung } from './work-queues';

const help = `Usage: npm run bench:escalations -- [--ladders N] [--lag N] [--churn N]

Starts a Temporal dev server, a fresh Postgres database (127.0.0.1:5432, TEST_POSTGRES_URL to change) and the worker
as production wires it (its workflow cache WORKER_CACHED_WORKFLOWS, default ${loadConfig({}).worker.maxCachedWorkflows}), then:
  ladders  N referralPathway workflows left waiting on their booking ladder (what intake leaves, by SQL, each pathway
           carried on from that state: tests/bench/waiting-pathways.ts)
  lag      rungs of record_attendance items falling due in the next seconds (half 100 ms apart, half in a burst):
           due time → escalation_level 1 visible in Postgres (polled every 50 ms), p50/p95/p99, and where the time went
  churn    meanwhile, queries to random waiting pathways, so the worker's cache turns over as it does with 20,000
           pathways and a cache a tenth of that (a rung's pathway then replays its history first)

Options:
  --ladders N   pathways waiting on a ladder (default 20000)
  --lag N       rungs measured (default 200)
  --churn N     concurrent query loops during the measurement (default 4; 0 for none)
  --cache N     the worker's workflow cache (default: WORKER_CACHED_WORKFLOWS's default), to weigh a smaller cache's replays
  -h, --help    this help`;

const n0 = (x: number) => Math.round(x).toLocaleString('en-GB');
const secs = (x: number) => `${(x / 1000).toFixed(1)} s`;

function options() {
  const { values } = parseArgs({
    options: { cache: { type: 'string' }, ladders: { type: 'string', default: '20000' }, lag: { type: 'string', default: '200' }, churn: { type: 'string', default: '4' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { console.log(help); process.exit(0); }
  const whole = (name: 'ladders' | 'lag' | 'churn' | 'cache', min: number) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be a whole number from ${min}`);
    return v;
  };
  return { ladders: whole('ladders', 1), lag: whole('lag', 2), churn: whole('churn', 0), cache: values.cache === undefined ? undefined : whole('cache', 0) };
}

export async function benchEscalations(opts: { ladders: number; lag: number; churn: number; cache?: number }, say: (line: string) => void): Promise<string[]> {
  loopbackPostgresUrl();
  say('Finding the Temporal binaries and bundling the workflows …');
  await globalSetup();
  say('Starting the Temporal dev server, a fresh Postgres database and the worker …');
  let env: TestWorkflowEnvironment | undefined;
  let db: TestDatabase | undefined;
  let system: RunningSystem | undefined;
  const stopAll = async () => {
    await system?.stop().catch((err) => console.error(String(err)));
    await env?.teardown().catch((err) => console.error(String(err)));
    await db?.drop().catch((err) => console.error(String(err)));
  };
  process.once('SIGINT', () => { console.log('\nStopping …'); void stopAll().then(() => process.exit(130)); });
  try {
    env = await startTemporal('dev');
    db = await createTestDatabase('postgres');
    await prepareDatabase(db);
    await loadDemoTrust(db, demoPassword);
    const taskQueue = `access-desk-${randomBytes(4).toString('hex')}`;
    const tuning = workerTuning(opts.cache === undefined ? loadConfig({}).worker : { maxCachedWorkflows: opts.cache });
    system = await startSystem({
      db, temporalAddress: env.address, taskQueue, runApi: false, logger: createLogger('access-desk', 'error'),
      workflowBundle: { codePath: process.env.ACCESS_DESK_WORKFLOW_BUNDLE! }, temporalClient: env.client, workerTuning: tuning,
    });
    const client = env.client;
    const lines: string[] = [];
    const cpus = os.cpus();
    lines.push(`Access Desk escalation lag benchmark — ${cpus[0]?.model.trim() ?? 'unknown CPU'} ×${cpus.length}, Node ${process.version}, ` +
      `Temporal dev server, worker cache ${n0(tuning.maxCachedWorkflows ?? 0)} workflows, ${tuning.maxConcurrentWorkflowTaskExecutions ?? 0} workflow tasks at once`);

    // Ladders: each pathway waits on its day-84 booking rung (and its validation timers).
    say(`Ladders: ${n0(opts.ladders)} pathways …`);
    const ladderIds: string[] = [];
    const t0 = performance.now();
    let lastSaid = t0;
    const ladderCpu = await startCpuMeter();
    await carryOnWaitingPathways({
      db: db.db, client, taskQueue, prefix: 'ladder', count: opts.ladders, lanes: 48,
      made: (id) => {
        ladderIds.push(id);
        if (performance.now() - lastSaid > 15_000) { lastSaid = performance.now(); say(`  ${n0(ladderIds.length)} started after ${secs(lastSaid - t0)}`); }
      },
    });
    // Pending once the worker has run each first task: a query waits for it, and the last started are the last run.
    // A query gives up after about 10 s while the worker is behind: ask again until it answers (at most 10 minutes).
    const answered = async (id: string) => {
      for (const by = Date.now() + 600_000; ; ) {
        try { return await client.workflow.getHandle(id).query(pathwayQuery); } catch (err) { if (Date.now() > by) throw err; }
      }
    };
    for (const id of ladderIds.slice(-100)) await answered(id);
    const ladderMs = performance.now() - t0;
    lines.push(`ladders pending: ${n0(ladderIds.length)} referralPathway workflows waiting on their day-84 booking rung, ` +
      `started and waiting in ${secs(ladderMs)} (${(ladderIds.length / (ladderMs / 1000)).toFixed(1)}/s)`);
    lines.push(await ladderCpu('ladder starts'));

    // Churn: other pathways woken while the rungs fall due, so the cache holds what was touched last, as it would.
    let churning = opts.churn > 0;
    let churned = 0;
    const churn = Promise.all(Array.from({ length: opts.churn }, async () => {
      while (churning) {
        await client.workflow.getHandle(ladderIds[Math.floor(Math.random() * ladderIds.length)]).query(pathwayQuery).catch(() => undefined);
        churned += 1;
      }
    }));
    const t1 = performance.now();
    // The rungs: record_attendance items due 48 h after their appointments started (tests/bench/work-queues.ts).
    const stack = { db, env } as unknown as TestStack;
    say(`Escalation lag: ${opts.lag} rungs due in the next seconds, ${n0(ladderIds.length)} ladders pending …`);
    const lag = await measureLag(stack, opts.lag, opts.ladders, { taskQueue, prefix: 'lag', clinicId: 'clin_2' }, say);
    churning = false;
    await churn;
    const churnSeconds = (performance.now() - t1) / 1000;
    say('Reading the lag pathways\' histories …');
    const breakdown = await lagBreakdown(stack, lag.rungs);
    const seen = lag.rungs.filter((r) => r.seenAt !== undefined);
    const lagLine = (rs: LagRung[]) => {
      const visible = rs.filter((r) => r.seenAt !== undefined);
      const lags = visible.map((r) => r.seenAt! - r.dueAt);
      return `${spread(lags)}  max ${ms(Math.max(...lags))}   (written by the activity: ${spread(visible.map((r) => r.writtenAt! - r.dueAt), [50, 99])})`;
    };
    const group = (g: LagRung['group']) => lag.rungs.filter((r) => r.group === g);
    lines.push(`escalation lag, due → escalation_level 1 visible in Postgres (polled every 50 ms), ${seen.length} rungs, ${n0(ladderIds.length)} ladders pending` +
      `${opts.churn ? `, ${n0(churned)} queries to other pathways meanwhile (${(churned / churnSeconds).toFixed(0)}/s)` : ''}:`);
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
    return lines;
  } finally {
    say('Stopping the stack …');
    await stopAll();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const opts = options();
  const begun = performance.now();
  benchEscalations(opts, (line) => console.log(line)).then(
    (lines) => { console.log(`\n${lines.join('\n')}\nwhole run: ${((performance.now() - begun) / 1000).toFixed(1)} s\n`); process.exit(0); },
    (err) => { console.error(err instanceof Error ? err.stack ?? err.message : String(err)); process.exit(1); },
  );
}
