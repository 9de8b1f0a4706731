#!/usr/bin/env -S npx tsx
// The demo load benchmark: `npm start`'s 2,000 demo referrals walked through their pathways on the embedded
// database (PGlite in a folder, as npm start keeps it), with a console's page read all the while, so the figures
// say both how long a newcomer waits and whether the console stays usable meanwhile. It only measures and prints.
import os from 'node:os';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { connectPglite, queryRows } from '../../db/client';
import { createLogger } from '../../api/log';
import { AccessDeskClient } from '../../bin/lib/api-client';
import { loadDemoData } from '../../bin/lib/demo';
import { loadDemoTrust, londonToday, prepareDatabase, startSystem } from '../../bin/lib/system';
import globalSetup from '../support/global-setup';
import { demoPassword, startTemporal } from '../support/stack';

const help = `Usage: npm run bench:demo -- [--count N] [--walked N] [--concurrency N] [--memory]

Starts a Temporal dev server, PGlite in a temporary folder (as npm start keeps it), the worker and the API in this
process (npm start's wiring), then loads the demo referrals through the API and their pathways, as npm start does
on an empty database (a share walked through the API step by step, the rest imported as a go-live PAS extract), while
a team leader's console reads a page of work items every 250 ms. Prints:
  load     wall time and referrals/s, walked (triage, booking, attendance, outcomes) and imported
  console  latency of GET /api/tasks?range=[0,24] during the load, beside the same page on the idle system
           before it (ratio during / idle)

Options:
  --count N        demo referrals (default 2000)
  --walked N       how many are walked through the API (default: the loader's own, DEMO_WALKED)
  --concurrency N  the loader's lanes (default: the loader's own)
  --memory         PGlite in memory instead of a folder
  -h, --help       this help`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (x: number) => `${Math.round(x)} ms`;
function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const readProc = (pid: number, file: string) => { try { return readFileSync(`/proc/${pid}/${file}`, 'utf8'); } catch { return ''; } };
/** CPU seconds of the Temporal server this process started (Linux; 0 elsewhere): on a shared machine, CPU per referral is the steadier figure. */
function temporalServerCpu() {
  let pids: number[] = [];
  try { pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number); } catch { return 0; }
  return pids.filter((pid) => Number(readProc(pid, 'stat').split(')').pop()?.trim().split(' ')[1]) === process.pid && /temporal/.test(readProc(pid, 'comm')))
    .reduce((sum, pid) => {
      const f = readProc(pid, 'stat').split(')').pop()?.trim().split(' ') ?? [];
      return sum + ((Number(f[11]) || 0) + (Number(f[12]) || 0)) / 100;
    }, 0);
}

/** Reads the console's first page every `everyMs` until stopped; the latencies of each read. */
function consoleProbe(client: AccessDeskClient, everyMs = 250) {
  const latencies: number[] = [];
  const failures: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      // A read that fails (the server closed the connection, an error) is counted, not the end of the benchmark.
      try {
        await client.list('tasks', { sort: ['dueAt', 'ASC'], range: [0, 24] });
        latencies.push(performance.now() - t0);
      } catch (err) {
        failures.push(err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err));
      }
      await sleep(everyMs);
    }
  })();
  return { latencies, failures, async stop() { running = false; await loop; return [...latencies].sort((a, b) => a - b); } };
}

async function main() {
  const { values } = parseArgs({ options: {
    count: { type: 'string', default: '2000' }, walked: { type: 'string' }, concurrency: { type: 'string' }, memory: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  } });
  if (values.help) { console.log(help); return; }
  const count = Number(values.count);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  const walked = values.walked === undefined ? undefined : Number(values.walked);
  if (walked !== undefined && (!Number.isInteger(walked) || walked < 0)) throw new Error('--walked must be a whole number');
  if (!Number.isInteger(count) || count < 1) throw new Error('--count must be a whole number above 0');
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) throw new Error('--concurrency must be a whole number above 0');
  const say = (m: string) => console.log(m);

  say('Finding the Temporal binaries and bundling the workflows …');
  await globalSetup();
  const dir = values.memory ? undefined : mkdtempSync(path.join(os.tmpdir(), 'access-desk-demo-'));
  const env = await startTemporal('dev');
  const db = connectPglite(dir);
  let system: Awaited<ReturnType<typeof startSystem>> | undefined;
  try {
    say(`Starting PGlite (${dir ?? 'in memory'}), migrations, the demo trust, the worker and the API …`);
    await prepareDatabase(db);
    await loadDemoTrust(db, demoPassword);
    system = await startSystem({
      db, temporalAddress: env.address, taskQueue: `access-desk-${randomBytes(4).toString('hex')}`, port: 0,
      logger: createLogger('access-desk', 'error'), workflowBundle: { codePath: process.env.ACCESS_DESK_WORKFLOW_BUNDLE! },
      temporalClient: env.client,
    });
    const leader = new AccessDeskClient(system.url);
    await leader.signIn('leader@demo.nhs.uk', demoPassword);

    const idleProbe = consoleProbe(leader, 50);
    await sleep(3000);
    const idle = await idleProbe.stop();

    say(`Loading ${count} demo referrals${concurrency ? ` over ${concurrency} lanes` : ''} …`);
    const probe = consoleProbe(leader);
    const started = performance.now();
    const cpuBefore = { self: process.cpuUsage(), server: temporalServerCpu() };
    let lastTenth = 0;
    const loaded = await loadDemoData({
      baseUrl: system.url, password: demoPassword, today: londonToday(), db: db.db, count, walked, concurrency,
      onProgress: (done, total) => {
        const tenth = Math.floor((done * 10) / total);
        if (tenth > lastTenth) {
          lastTenth = tenth;
          say(`  ${String(tenth * 10).padStart(3)}%  ${done}/${total}  ${(done / ((performance.now() - started) / 1000)).toFixed(1)}/s so far`);
        }
      },
    });
    const wall = (performance.now() - started) / 1000;
    const selfCpu = ((c) => (c.user + c.system) / 1e6)(process.cpuUsage(cpuBefore.self));
    const serverCpu = temporalServerCpu() - cpuBefore.server;
    const during = await probe.stop();
    const states = await queryRows<{ state: string; n: number }>(db.db, sql`select state, count(*)::int as n from referrals group by state order by 2 desc`);

    const cpus = os.cpus();
    const lines = [
      `Access Desk demo load benchmark — ${count} referrals, PGlite ${dir ? 'in a folder' : 'in memory'}, ${cpus[0]?.model.trim() ?? 'unknown CPU'} ×${cpus.length}, Node ${process.version}`,
      `load average (1 min) at the end: ${os.loadavg()[0].toFixed(2)} on ${cpus.length} CPUs`,
      `demo load: ${wall.toFixed(1)} s, ${(count / wall).toFixed(1)} referrals/s (${loaded.walked} walked in full, ${loaded.skipped} stepped round, ${loaded.imported} imported)`,
      ...(loaded.skipped ? [`stepped round: ${Object.entries(loaded.skippedReasons.reduce<Record<string, number>>((n, s) => ({ ...n, [s.reason]: (n[s.reason] ?? 0) + 1 }), {}))
        .map(([reason, n]) => `${reason} ${n}`).join(', ')}`] : []),
      `CPU per referral: this process (API, worker, PGlite, loader) ${ms((selfCpu * 1000) / count)}, Temporal server ${ms((serverCpu * 1000) / count)}` +
        ` (${Math.round((selfCpu / wall) * 100)}% and ${Math.round((serverCpu / wall) * 100)}% of one core over the load)`,
      `console page (GET /api/tasks, 25 rows) during the load: p50 ${ms(percentile(during, 50))}  p95 ${ms(percentile(during, 95))}  max ${ms(during.at(-1) ?? NaN)} (${during.length} reads${probe.failures.length ? `, ${probe.failures.length} failed: ${[...new Set(probe.failures)].join('; ')}` : ''})`,
      `the same page idle, before the load:                p50 ${ms(percentile(idle, 50))}  p95 ${ms(percentile(idle, 95))}  (${idle.length} reads)`,
      `console p95 during / idle: ${(percentile(during, 95) / percentile(idle, 95)).toFixed(1)}`,
      `referrals by state: ${states.map((s) => `${s.state} ${s.n}`).join(', ')}`,
    ];
    say(`\n${lines.join('\n')}\n`);
  } finally {
    await system?.stop().catch((err) => console.error(String(err)));
    await env.teardown().catch((err) => console.error(String(err)));
    await db.close().catch(() => {});
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => { console.error(err instanceof Error ? `${err.stack ?? err.message}${err.cause ? `\ncaused by: ${err.cause instanceof Error ? err.cause.stack ?? err.cause.message : String(err.cause)}` : ''}` : String(err)); process.exit(1); },
);
