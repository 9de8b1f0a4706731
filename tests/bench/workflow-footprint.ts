#!/usr/bin/env -S node --expose-gc --import tsx
// npm run bench:footprint: what one cached pathway costs the worker, by kind of memory. A worker in this process
// (real Temporal dev server, real Postgres) caches N waiting pathways; after a full garbage collection before and after,
// the growth of V8's heap, its external memory and the RSS over N is a cached pathway's footprint. Each workflow
// bundle given is measured in turn (the product's, and what the SDK's options change), so the ratio is from one run.
import os from 'node:os';
import v8 from 'node:v8';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { NativeConnection } from '@temporalio/worker';
import { bundleWorkflows, createAccessDeskWorker, sharedWorkflowModules, workflowsPath } from '../../bin/lib/worker';
import { loadDemoTrust, prepareDatabase } from '../../bin/lib/system';
import { createTestDatabase } from '../support/database';
import globalSetup from '../support/global-setup';
import { demoPassword, startTemporal } from '../support/stack';
import { loopbackPostgresUrl } from './support';
import { carryOnWaitingPathways } from './waiting-pathways';

const help = `Usage: npm run bench:footprint -- [--pathways N] [--snapshot]

Measures what a cached pathway costs the worker: a worker in this process caches N waiting pathways (made as
tests/bench/waiting-pathways.ts makes them) and the growth of the V8 heap, external memory and RSS after a full GC is
divided by N. Run for two workflow bundles: the SDK's bundle of workflows/index.ts with nothing preloaded, and the
product's (bin/lib/worker.ts bundleWorkflows, which preloads the modules pathways share).

Options:
  --pathways N  cached pathways per bundle (default 500)
  --snapshot    also write a heap snapshot after each (tests/.tmp/footprint-<bundle>.heapsnapshot)
  -h, --help    this help`;

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;

function options() {
  const { values } = parseArgs({ options: { pathways: { type: 'string', default: '500' }, snapshot: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { console.log(help); process.exit(0); }
  const pathways = Number(values.pathways);
  if (!Number.isInteger(pathways) || pathways < 10) throw new Error('--pathways must be a whole number from 10');
  return { pathways, snapshot: Boolean(values.snapshot) };
}

function settled() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:footprint does)');
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
}

async function main() {
  const opts = options();
  loopbackPostgresUrl();
  await globalSetup();
  const env = await startTemporal('dev');
  const db = await createTestDatabase('postgres');
  const lines: string[] = [];
  try {
    await prepareDatabase(db);
    await loadDemoTrust(db, demoPassword);
    const bundles: Array<[string, () => Promise<{ code: string }>]> = [
      ['nothing preloaded (the SDK default)', () => bundleWorkflows({ preloadModules: [] })],
      ['libraries and domain preloaded', () => bundleWorkflows({ preloadModules: sharedWorkflowModules.filter((m) => m !== workflowsPath) })],
      ['the product bundle (libraries, domain and workflows preloaded)', () => bundleWorkflows()],
    ];
    lines.push(`Access Desk cached-pathway footprint — ${opts.pathways} waiting pathways cached per bundle, ${os.cpus()[0]?.model.trim()} ×${os.cpus().length}, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}`);
    for (const [name, make] of bundles) {
      const { code } = await make();
      const connection = await NativeConnection.connect({ address: env.address });
      const taskQueue = `footprint-${randomBytes(4).toString('hex')}`;
      const worker = await createAccessDeskWorker({ connection, namespace: 'default', taskQueue, db: db.db, workflowBundle: { code },
        // debugMode runs the workflows on this thread (not the SDK's workflow thread), so gc() and memoryUsage() see them.
        tuning: { maxCachedWorkflows: opts.pathways + 50, maxConcurrentWorkflowTaskExecutions: 40, debugMode: true } });
      const running = worker.run();
      await sleep(2000);
      const before = settled();
      const prefix = `fp${randomBytes(3).toString('hex')}`;
      await carryOnWaitingPathways({ db: db.db, client: env.client, taskQueue, prefix, count: opts.pathways, lanes: 32, from: 1_000_000 * (bundles.findIndex((b) => b[0] === name) + 1) });
      for (const by = Date.now() + 600_000; worker.getStatus().numCachedWorkflows < opts.pathways && Date.now() < by;) await sleep(500);
      await sleep(1000);
      const cached = worker.getStatus().numCachedWorkflows;
      const after = settled();
      const per = (k: keyof typeof after) => (after[k] - before[k]) / cached;
      lines.push(`${name}: ${cached} cached; per pathway: V8 heap ${kib(per('heap'))}, external ${kib(per('external'))}, RSS ${kib(per('rss'))} ` +
        `(heap ${(before.heap / MiB).toFixed(0)} → ${(after.heap / MiB).toFixed(0)} MiB, RSS ${(before.rss / MiB).toFixed(0)} → ${(after.rss / MiB).toFixed(0)} MiB)`);
      console.log(lines.at(-1));
      if (opts.snapshot) {
        const file = `tests/.tmp/footprint-${name.replace(/\W+/g, '-')}.heapsnapshot`;
        writeFileSync(file, '');
        v8.writeHeapSnapshot(file);
        console.log(`heap snapshot: ${file}`);
      }
      worker.shutdown();
      await running;
      await connection.close();
    }
  } finally {
    await env.teardown();
    await db.drop();
  }
  console.log(`\n${lines.join('\n')}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(() => process.exit(0), (err) => { console.error(err instanceof Error ? err.stack ?? err.message : String(err)); process.exit(1); });
}
