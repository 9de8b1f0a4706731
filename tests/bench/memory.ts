#!/usr/bin/env -S npx tsx
// npm run bench:memory: the API and the worker as separate processes, as production runs them (bin/api.ts and
// bin/worker.ts against a Postgres database and a Temporal dev server this script starts), and the RSS of each while
// open pathways are created and then touched (a query each, so every one is loaded into the worker's workflow cache
// again). It only measures and prints: RSS per 1,000 cached pathways, and what that makes of 75,000 open pathways.
import os from 'node:os';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { AccessDeskClient } from '../../bin/lib/api-client';
import { DEFAULT_CACHED_WORKFLOWS } from '../../bin/lib/config';
import { loadDemoTrust, prepareDatabase } from '../../bin/lib/system';
import { pathwayQuery } from '../../workflows';
import { referralBody } from '../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../support/database';
import globalSetup from '../support/global-setup';
import { demoPassword, startTemporal } from '../support/stack';
import { loopbackPostgresUrl } from './support';
import { carryOnWaitingPathways } from './waiting-pathways';
import { syntheticRows } from './import';
import { importPathways } from '../../api/import-pathways';
import { queryRows } from '../../db/client';
import { londonDate } from '../../domain';
import { sql } from 'drizzle-orm';

/** The worker's RSS target, in MB as the issue states it (300 MB = 286 MiB). */
const TARGET_MB = 300;

const help = `Usage: npm run bench:memory -- [--pathways N] [--cache N] [--touch N] [--runner compiled|tsx] [--heap-mb N]

Starts a Temporal dev server and a fresh Postgres database (127.0.0.1:5432, TEST_POSTGRES_URL to change), then
the API and the worker as two child processes, as production runs them (the worker compiled ahead by
npm run build:worker, node dist/worker/worker.mjs), and samples each one's RSS (/proc/<pid>/status VmRSS every
200 ms) while:
  create   N open pathways are made (each one waiting on its triage item)
  touch    pathways are queried through Temporal, so each is loaded into the worker's cache again
It prints the worker's RSS against the ${TARGET_MB} MB target.

Options:
  --pathways N  open pathways (default 5000)
  --cache N     the worker's WORKER_CACHED_WORKFLOWS (default ${DEFAULT_CACHED_WORKFLOWS}, the setting's default)
  --clients N   concurrent API clients making pathways, and concurrent queries (default 16)
  --touch N     pathways queried in the touch phase, spread evenly over all of them (default: all; at 75,000 a
                sample of 5,000 fills any cache and takes minutes, not an hour of replays)
  --minutes M   stop making pathways after M minutes (whole chunks of 500) and measure what was made; for a
                loaded machine, where 75,000 may take longer than the time there is
  --runner R    compiled (default: node dist/worker/worker.mjs, built first, as the Dockerfile runs it) or tsx
                (node --import tsx bin/worker.ts, as npm run worker did before)
  --heap-mb N   the worker's V8 heap limit (--max-old-space-size; default 128, as npm run worker and compose run it;
                0 for Node's own). The worker also gets MALLOC_ARENA_MAX=2, as in the Docker image, unless set here
  --source S    how pathways are made: carried (default: intake's rows by SQL, each pathway carried on from the
                state intake leaves, its first task running no activity), intake (POST /api/referrals; slow) or import
                (the go-live import engine on synthetic PAS rows, in chunks of 5,000; then waits for the worker's first tasks)
  --no-prebuilt the worker bundles its workflows itself at start (webpack in its process) instead of loading
                WORKFLOW_BUNDLE, built ahead as npm run build:workflows does
  -h, --help    this help`;

const MiB = 1024 * 1024;
const MB = 1000 * 1000;
const root = fileURLToPath(new URL('../..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const n0 = (x: number) => Math.round(x).toLocaleString('en-GB');
const mib = (bytes: number) => `${Math.round(bytes / MiB)} MiB`;

function options() {
  const { values } = parseArgs({
    options: {
      pathways: { type: 'string', default: '5000' }, cache: { type: 'string', default: String(DEFAULT_CACHED_WORKFLOWS) },
      clients: { type: 'string', default: '16' }, 'heap-mb': { type: 'string', default: '128' }, source: { type: 'string', default: 'carried' },
      touch: { type: 'string' }, runner: { type: 'string', default: 'compiled' }, minutes: { type: 'string' },
      'no-prebuilt': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { console.log(help); process.exit(0); }
  const whole = (name: 'pathways' | 'cache' | 'clients' | 'heap-mb' | 'touch' | 'minutes', min: number) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be a whole number from ${min}`);
    return v;
  };
  if (values.source !== 'intake' && values.source !== 'carried' && values.source !== 'import') throw new Error('--source must be intake, carried or import');
  if (values.runner !== 'compiled' && values.runner !== 'tsx') throw new Error('--runner must be compiled or tsx');
  const pathways = whole('pathways', 10);
  return { source: values.source as 'intake' | 'carried' | 'import', prebuilt: !values['no-prebuilt'], pathways, cache: whole('cache', 0), clients: whole('clients', 1),
    heapMb: Number(values['heap-mb']) === 0 ? undefined : whole('heap-mb', 64), runner: values.runner as 'compiled' | 'tsx',
    touch: values.touch === undefined ? pathways : Math.min(pathways, whole('touch', 0)), minutes: values.minutes === undefined ? undefined : whole('minutes', 1) };
}

const statusField = (status: string, name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
const procStatus = (pid: number) => { try { return readFileSync(`/proc/${pid}/status`, 'utf8'); } catch { return ''; } };
const vmRss = (pid: number) => statusField(procStatus(pid), 'VmRSS') * 1024;
/** What the RSS is made of: anonymous memory (V8's heaps, the SDK core's allocations, thread stacks) and mapped files (node, the core's .node library). */
const rssParts = (pid: number) => {
  const s = procStatus(pid);
  return `${mib(statusField(s, 'RssAnon') * 1024)} anonymous + ${mib(statusField(s, 'RssFile') * 1024)} files, ${statusField(s, 'Threads')} threads`;
};
const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;

/** RSS of each child every 200 ms: the latest, and the peak since the last `mark`. */
function rssMeter(procs: Record<'api' | 'worker', ChildProcess>) {
  const now = { api: 0, worker: 0 };
  const peak = { api: 0, worker: 0 };
  const sample = () => {
    for (const k of ['api', 'worker'] as const) {
      now[k] = vmRss(procs[k].pid!);
      peak[k] = Math.max(peak[k], now[k]);
    }
  };
  sample();
  const timer = setInterval(sample, 200);
  return {
    read() { sample(); return { ...now }; },
    peak: () => ({ ...peak }),
    stop: () => clearInterval(timer),
  };
}

/** A child running one of bin/'s entry points (a .ts file through tsx's loader, a compiled .mjs as it is), its output kept for errors. */
function startEntry(file: string, env: Record<string, string>, nodeArgs: string[] = []) {
  const args = file.endsWith('.ts') ? [...nodeArgs, '--import', 'tsx', file] : [...nodeArgs, file];
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (b: Buffer) => { output = (output + b.toString()).slice(-20_000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  // A child that exits before it is stopped (out of memory, say) ends the run with its last words.
  const died = new Promise<never>((_, reject) => child.once('exit', (code, signal) => {
    if (!stopping.has(child)) reject(new Error(`${file} exited (${code ?? signal}) during the run:\n${output.slice(-4000)}`));
  }));
  died.catch(() => undefined);
  return { child, died, output: () => output, until: (re: RegExp, ms: number) => untilOutput(child, () => output, re, ms) };
}

async function untilOutput(child: ChildProcess, output: () => string, re: RegExp, ms: number) {
  const by = Date.now() + ms;
  while (!re.test(output())) {
    if (child.exitCode !== null) throw new Error(`${String(child.spawnfile)} exited ${child.exitCode}:\n${output()}`);
    if (Date.now() > by) throw new Error(`no ${String(re)} within ${ms} ms:\n${output()}`);
    await sleep(200);
  }
}

const stopping = new Set<ChildProcess>();

async function stopChild(child: ChildProcess) {
  stopping.add(child);
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** Runs `count` jobs over `lanes` concurrent loops. */
async function inLanes(lanes: number, count: number, job: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => { while (next < count) await job(next++); }));
}

export type PathwayMakerContext = { apiUrl: string; db: TestDatabase; client: Client; taskQueue: string; clients: number; until?: number };
/**
 * Makes `count` open pathways, calling `made(workflowId)` for each once it is waiting. The bench's only dependence on
 * how pathways come to be: today the API's intake (a referral each); the import engine (api/import-pathways.ts) can
 * be put here when it lands, to reach 75,000.
 */
export type PathwayMaker = (ctx: PathwayMakerContext, count: number, made: (workflowId: string) => void) => Promise<void>;

/** Referrals through POST /api/referrals, as an officer at the intake does: each pathway then waits on its triage item. */
export const pathwaysByIntake: PathwayMaker = async (ctx, count, made) => {
  const officer = new AccessDeskClient(ctx.apiUrl);
  await officer.signIn('officer@demo.nhs.uk', demoPassword);
  const lanes = Array.from({ length: ctx.clients }, () => officer.sharingSession());
  let lane = 0;
  await inLanes(ctx.clients, count, async () => {
    const api = lanes[lane++ % lanes.length];
    const referral = await api.post<{ id: string }>('/api/referrals', referralBody());
    made(`referral-${referral.id}`);
  });
};

/** What intake leaves, written by SQL, and each pathway carried on from that state (tests/bench/waiting-pathways.ts): ten times intake's rate here. */
export const pathwaysCarriedOn: PathwayMaker = async (ctx, count, made) => {
  await carryOnWaitingPathways({ db: ctx.db.db, client: ctx.client, taskQueue: ctx.taskQueue, prefix: 'mem', count, lanes: 3 * ctx.clients, made, until: ctx.until });
};

/**
 * A go-live import (api/import-pathways.ts) of synthetic PAS rows, run in this process as the API runs an import, with the
 * worker in its own: each pathway counts once its import chunk has started it; the bench then waits for the worker's
 * first tasks (importCaughtUp).
 */
export const pathwaysImported: PathwayMaker = async (ctx, count, made) => {
  const today = londonDate(Date.now());
  const rows = await syntheticRows(ctx.db.db, count, today);
  const temporal = { client: ctx.client, taskQueue: ctx.taskQueue };
  const step = 5000;
  for (let i = 0; i < rows.length && (ctx.until === undefined || performance.now() < ctx.until); i += step) {
    const chunk = rows.slice(i, i + step);
    await importPathways({ db: ctx.db.db, temporal, today, now: new Date() }, 'imp_memory', chunk);
    const ids = await queryRows<{ workflow_id: string }>(ctx.db.db, sql`select workflow_id from referrals
      where pathway_id in (${sql.join(chunk.map((r) => sql`${r.pathwayId}`), sql`, `)})`);
    for (const { workflow_id: id } of ids) made(id);
  }
};

/** Until the worker has run the first task of the last pathways started (their histories hold a completed task). */
async function importCaughtUp(client: Client, workflowIds: string[]) {
  for (const id of workflowIds.slice(-50)) {
    while (((await client.workflow.getHandle(id).describe()).historyLength ?? 0) < 4) await sleep(200);
  }
}

const makers = { intake: pathwaysByIntake, carried: pathwaysCarriedOn, import: pathwaysImported };
const makerWords = {
  intake: 'through POST /api/referrals', carried: 'carried on from the state intake leaves (rows by SQL)',
  import: 'imported (api/import-pathways.ts in this process, as the API runs it; rows written and workflows started)',
};

export type MemoryBenchOptions = {
  pathways: number; cache: number; clients: number; heapMb?: number; source: keyof typeof makers; prebuilt: boolean;
  runner: 'compiled' | 'tsx'; touch: number; minutes?: number;
};

export async function benchMemory(opts: MemoryBenchOptions, say: (line: string) => void): Promise<string[]> {
  const makePathways = makers[opts.source];
  loopbackPostgresUrl();
  say('Finding the Temporal binaries …');
  await globalSetup();
  say('Starting the Temporal dev server and a fresh Postgres database with the demo trust …');
  let env: TestWorkflowEnvironment | undefined;
  let db: TestDatabase | undefined;
  const children: ChildProcess[] = [];
  let meter: ReturnType<typeof rssMeter> | undefined;
  const stopAll = async () => {
    meter?.stop();
    for (const c of children) await stopChild(c);
    await env?.teardown().catch((err) => console.error(String(err)));
    await db?.drop().catch((err) => console.error(String(err)));
  };
  process.once('SIGINT', () => { console.log('\nStopping …'); void stopAll().then(() => process.exit(130)); });
  // However this process ends, its children end with it.
  process.once('exit', () => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL'); });
  try {
    if (opts.runner === 'compiled') {
      say('Compiling the worker (npm run build:worker) …');
      const built = spawnSync(process.execPath, ['--import', 'tsx', 'bin/build-worker.ts'], { cwd: root, encoding: 'utf8' });
      if (built.status !== 0) throw new Error(`npm run build:worker failed:\n${built.stdout}${built.stderr}`);
    }
    env = await startTemporal('dev');
    db = await createTestDatabase('postgres');
    await prepareDatabase(db);
    await loadDemoTrust(db, demoPassword);
    const url = new URL(loopbackPostgresUrl());
    url.pathname = `/${db.name}`;
    const port = 20000 + Math.floor(Math.random() * 20000);
    const common = {
      DATABASE_URL: url.toString(), TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: `access-desk-${randomBytes(4).toString('hex')}`,
      LOG_LEVEL: 'warn', NODE_ENV: 'production',
    };
    const workerEntry = opts.runner === 'compiled' ? 'dist/worker/worker.mjs' : 'bin/worker.ts';
    const bundle = opts.runner === 'compiled' ? 'dist/workflow-bundle.js' : process.env.ACCESS_DESK_WORKFLOW_BUNDLE!;
    say(`Starting bin/api.ts and ${workerEntry} as two processes …`);
    const api = startEntry('bin/api.ts', { ...common, PORT: String(port) });
    children.push(api.child);
    const worker = startEntry(workerEntry, {
      ...common, LOG_LEVEL: 'info', WORKER_CACHED_WORKFLOWS: String(opts.cache), MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2', ...(opts.prebuilt ? { WORKFLOW_BUNDLE: bundle } : {}),
    },
      opts.heapMb ? [`--max-old-space-size=${opts.heapMb}`] : []);
    children.push(worker.child);
    const apiUp = async () => {
      for (const by = Date.now() + 180_000; Date.now() < by; await sleep(500)) {
        if (api.child.exitCode !== null) throw new Error(`bin/api.ts exited ${api.child.exitCode}:\n${api.output()}`);
        if (await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false)) return;
      }
      throw new Error(`bin/api.ts not healthy within 180 s:\n${api.output()}`);
    };
    await Promise.all([apiUp(), worker.until(/Access Desk worker polling/, 180_000)]);
    await sleep(5000); // both settled: the first schedules, pools and polls
    meter = rssMeter({ api: api.child, worker: worker.child });
    const idle = meter.read();
    const lines: string[] = [];
    const cpus = os.cpus();
    lines.push(`Access Desk memory benchmark — ${n0(opts.pathways)} open pathways, worker cache ${n0(opts.cache)} workflows` +
      `${opts.heapMb ? `, worker heap limit ${opts.heapMb} MiB` : ''}, MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? '2'}, worker ${opts.runner === 'compiled' ? 'compiled (node dist/worker/worker.mjs)' : 'through tsx (node --import tsx bin/worker.ts)'}, ` +
      `workflows ${opts.prebuilt ? 'bundled ahead (WORKFLOW_BUNDLE)' : 'bundled by the worker at start'}, ${cpus[0]?.model.trim() ?? 'unknown CPU'} ×${cpus.length}, Node ${process.version}`);
    lines.push(`load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} on ${cpus.length} CPUs`);
    lines.push(`idle after start: API ${mib(idle.api)}, worker ${mib(idle.worker)} (${rssParts(worker.child.pid!)})`);

    // Create: the worker's RSS at every tenth of the way, each pathway counted once it waits on its triage item.
    say(`Creating ${n0(opts.pathways)} open pathways …`);
    const workflowIds: string[] = [];
    const t0 = performance.now();
    const ctx: PathwayMakerContext = { apiUrl: `http://127.0.0.1:${port}`, db, client: env.client, taskQueue: common.TEMPORAL_TASK_QUEUE, clients: opts.clients,
      until: opts.minutes === undefined ? undefined : t0 + opts.minutes * 60_000 };
    const curve: Array<{ open: number; worker: number; api: number }> = [];
    let nextMark = Math.ceil(opts.pathways / 10);
    const making = makePathways(ctx, opts.pathways, (id) => {
      workflowIds.push(id);
      if (workflowIds.length >= nextMark) {
        nextMark += Math.ceil(opts.pathways / 10);
        const r = meter!.read();
        curve.push({ open: workflowIds.length, ...r });
        say(`  ${n0(workflowIds.length)} pathways started after ${((performance.now() - t0) / 1000).toFixed(1)} s: worker ${mib(r.worker)}, API ${mib(r.api)}`);
      }
    });
    await Promise.race([making, api.died, worker.died]);
    await sleep(3000);
    const created = meter.read();
    const createSeconds = (performance.now() - t0) / 1000;
    const peakCreate = meter.peak();
    if (workflowIds.length < opts.pathways) lines.push(`create: stopped at --minutes ${opts.minutes}: ${n0(workflowIds.length)} of the ${n0(opts.pathways)} asked for`);
    lines.push(`create: ${n0(workflowIds.length)} pathways ${makerWords[opts.source]} in ${createSeconds.toFixed(1)} s (${(workflowIds.length / createSeconds).toFixed(1)}/s); ` +
      `then API ${mib(created.api)}, worker ${mib(created.worker)}; peak API ${mib(peakCreate.api)}, worker ${mib(peakCreate.worker)}`);
    lines.push(`  worker RSS by pathways started: ${curve.map((c) => `${n0(c.open)} → ${mib(c.worker)}`).join(', ')}`);
    if (opts.source === 'import') {
      say('Waiting for the worker to run every imported pathway\'s first task …');
      await Promise.race([importCaughtUp(env.client, workflowIds), worker.died]);
      const allSeconds = (performance.now() - t0) / 1000;
      lines.push(`import with the worker in its own process: every first task run after ${allSeconds.toFixed(1)} s ` +
        `(${(workflowIds.length / allSeconds).toFixed(1)} pathways/s; 75,000 at this rate: ${(75_000 / (workflowIds.length / allSeconds) / 60).toFixed(1)} min); ` +
        `worker then ${mib(meter.read().worker)}`);
    }

    // Touch: a query each, pathways spread evenly over all made, so those evicted come back into the cache (a replay each).
    const touchIds = Array.from({ length: Math.min(opts.touch, workflowIds.length) }, (_, i) => workflowIds[Math.floor(i * workflowIds.length / Math.min(opts.touch, workflowIds.length))]);
    say(`Touching ${n0(touchIds.length)} pathways (a query each) …`);
    const t1 = performance.now();
    let failed = 0;
    await Promise.race([worker.died, inLanes(opts.clients, touchIds.length, async (i) => {
      try { await env!.client.workflow.getHandle(touchIds[i]).query(pathwayQuery); } catch { failed += 1; }
    })]);
    const touchSeconds = (performance.now() - t1) / 1000;
    await sleep(3000);
    const touched = meter.read();
    const peak = meter.peak();
    lines.push(`touch: ${n0(touchIds.length)} queries${touchIds.length < workflowIds.length ? ` (every ${n0(workflowIds.length / touchIds.length)}th pathway)` : ''} in ${touchSeconds.toFixed(1)} s (${(touchIds.length / touchSeconds).toFixed(0)}/s)${failed ? `, ${failed} failed` : ''}; ` +
      `then API ${mib(touched.api)}, worker ${mib(touched.worker)} (${rssParts(worker.child.pid!)}); peak over the run API ${mib(peak.api)}, worker ${mib(peak.worker)}`);
    const verdict = (bytes: number) => `${mb(bytes)}, ${bytes <= TARGET_MB * MB ? 'under' : 'OVER'} the ${TARGET_MB} MB target (${(bytes / (TARGET_MB * MB)).toFixed(2)} of it)`;
    lines.push(`worker RSS with ${n0(workflowIds.length)} open pathways: ${verdict(touched.worker)}; its peak over the run ${verdict(peak.worker)}`);
    lines.push(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} on ${cpus.length} CPUs`);

    // What a cached pathway costs: the worker's growth over idle, per 1,000 pathways the cache can hold.
    const cached = Math.min(opts.cache, touchIds.length);
    if (cached > 0) {
      const per1000 = (touched.worker - idle.worker) / (cached / 1000);
      const at75k = idle.worker + per1000 * (Math.min(opts.cache, 75_000) / 1000);
      lines.push(`worker per 1,000 cached pathways: ${mib(per1000)} (after touch: ${mib(touched.worker)} − idle ${mib(idle.worker)} over ${n0(cached)} cached)`);
      if (workflowIds.length < 75_000) {
        lines.push(`75,000 open pathways (extrapolated, not measured): the worker caches ${n0(Math.min(opts.cache, 75_000))} of them, ` +
          `so about ${mib(at75k)}; pathways beyond the cache cost the worker nothing until their next task (a replay)`);
      }
    } else {
      lines.push('worker cache off: the worker holds no pathway between tasks; every task replays its history');
    }
    lines.push(`API growth over the run: ${mib(touched.api - idle.api)} (the API keeps no pathway in memory)`);
    return lines;
  } finally {
    say('Stopping the stack …');
    await stopAll();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const opts = options();
  const begun = performance.now();
  benchMemory(opts, (line) => console.log(line)).then(
    (lines) => { console.log(`\n${lines.join('\n')}\nwhole run: ${((performance.now() - begun) / 1000).toFixed(1)} s\n`); process.exit(0); },
    (err) => { console.error(err instanceof Error ? err.stack ?? err.message : String(err)); process.exit(1); },
  );
}
