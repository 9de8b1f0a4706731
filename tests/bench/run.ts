#!/usr/bin/env -S npx tsx
// npm run bench: intake throughput (POST /api/referrals until the triage work item is in its queue) beside
// the ceiling of the same Temporal server in the same run (a bare workflow with one no-op activity), and
// the peak memory of the process that runs the worker and the API. It only measures and prints.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { AccessDeskClient } from '../../bin/lib/api-client';
import { withBenchStack } from './support';
import { demoPassword } from '../support/stack';
import {
  cpuLine, errorLine, inLanes, intake, latencyLine, ms, percentile, postgresVersion, progress, startMeter, temporalServerVersion,
  type CpuShares, type PhaseResult,
} from './measure';
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
