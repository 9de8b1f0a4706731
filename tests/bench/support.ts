// What every benchmark shares: the loopback-only Postgres it may write to, and the whole system wired as
// `npm start` wires it (the worker's default workflow cache, not the test stack's, which replays every task).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createLogger } from '../../api/log';
import { loadDemoTrust, prepareDatabase, startSystem, type RunningSystem, type SystemOptions } from '../../bin/lib/system';
import { createTestDatabase, type TestDatabase } from '../support/database';
import globalSetup from '../support/global-setup';
import { demoPassword, startTemporal } from '../support/stack';

/** The Postgres server URL (TEST_POSTGRES_URL), or exit 2 when it is not on this machine: benchmarks write databases of their own. */
export function loopbackPostgresUrl(): string {
  const serverUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const host = new URL(serverUrl).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    console.error(`Refusing to run against ${host}: the benchmark writes a database of its own on the loopback Postgres only`);
    process.exit(2);
  }
  return serverUrl;
}

export type BenchStack = { env: TestWorkflowEnvironment; db: TestDatabase; system: RunningSystem; taskQueue: string };

/**
 * Runs `measure` on a fresh stack (Temporal dev server, a new Postgres database with the demo trust, worker and API),
 * stopping everything afterwards and on Ctrl-C. `prepare` runs on the database before the system starts; `system` adds
 * to what startSystem is given (e-RS, for the e-RS intake benchmark).
 */
export async function withBenchStack<T>(say: (line: string) => void, measure: (stack: BenchStack) => Promise<T>,
  prepare?: (db: TestDatabase) => Promise<void>, system?: Pick<SystemOptions, 'ers'>): Promise<T> {
  say('Finding the Temporal binaries and bundling the workflows …');
  await globalSetup();
  say('Starting the Temporal dev server, a fresh Postgres database, the worker and the API …');
  let env: TestWorkflowEnvironment | undefined;
  let db: TestDatabase | undefined;
  let running: RunningSystem | undefined;
  const stopAll = async () => {
    await running?.stop().catch((err) => console.error(String(err)));
    await env?.teardown().catch((err) => console.error(String(err)));
    await db?.drop().catch((err) => console.error(String(err)));
  };
  process.once('SIGINT', () => { console.log('\nStopping …'); void stopAll().then(() => process.exit(130)); });
  try {
    env = await startTemporal('dev');
    db = await createTestDatabase('postgres');
    await prepareDatabase(db);
    await loadDemoTrust(db, demoPassword);
    await prepare?.(db);
    const taskQueue = `access-desk-${randomBytes(4).toString('hex')}`;
    running = await startSystem({
      ...system, db, temporalAddress: env.address, taskQueue, port: 0,
      logger: createLogger('access-desk', 'error'), workflowBundle: { codePath: process.env.ACCESS_DESK_WORKFLOW_BUNDLE! },
      temporalClient: env.client,
    });
    return await measure({ env, db, system: running, taskQueue });
  } finally {
    say('Stopping the stack …');
    await stopAll();
  }
}

/**
 * Appends a run to docs/benchmarks.md under `heading`: the machine, Postgres, the commit (and whether the tree had
 * changes), `method` (how it was measured, one paragraph or empty) and the printed lines.
 */
export function recordBenchmark(heading: string, pgVersion: string, method: string, lines: string[]) {
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).stdout.trim() !== '';
  const cpu = os.cpus();
  appendFileSync(new URL('../../docs/benchmarks.md', import.meta.url), `
## ${heading}

Machine: ${cpu.length} vCPU \`${cpu[0]?.model.trim()}\`, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, Postgres ${pgVersion}
on 127.0.0.1 (a database of its own, dropped afterwards). Code: commit \`${commit}\`${dirty ? ' with uncommitted changes' : ''}.${method ? ` ${method}` : ''}

\`\`\`
${lines.join('\n')}
\`\`\`
`);
  console.log('\nAppended to docs/benchmarks.md');
}
