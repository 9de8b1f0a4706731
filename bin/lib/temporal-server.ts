// Starts the Temporal dev server for the embedded default: the `temporal` CLI with its SQLite file under
// the data folder and its Web UI. Falls back to the SDK's own download when no binary can be found.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { findTemporalBinary, missingBinaryHelp, MissingTemporalBinaryError } from './temporal-binaries';

export type RunningTemporal = { address: string; uiUrl?: string; stop(): Promise<void> };

/**
 * Dynamic configuration for a Temporal server on one host. Task queues default to four partitions, which spreads
 * load over matching hosts; on one host they only add forwarding between partitions (issue 13: a bare workflow's
 * server CPU 14.6 → 12.5 ms, its rate up about a tenth, on this 2-core machine).
 */
export const SINGLE_HOST_DYNAMIC_CONFIG = ['matching.numTaskqueueReadPartitions=1', 'matching.numTaskqueueWritePartitions=1'] as const;
export const singleHostServerArgs = () => SINGLE_HOST_DYNAMIC_CONFIG.flatMap((kv) => ['--dynamic-config-value', kv]);

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer().once('error', () => resolve(false)).once('listening', () => server.close(() => resolve(true)));
    server.listen(port, '127.0.0.1');
  });
}

async function waitForTemporal(address: string, child: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The Temporal dev server exited (code ${child.exitCode}) before it was ready`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`The Temporal dev server did not answer on ${address} within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

export async function startTemporalDevServer(opts: { dataDir: string; port: number; uiPort: number; cliPath?: string; namespace: string; say: (m: string) => void }): Promise<RunningTemporal> {
  let binary: string | undefined;
  try {
    binary = findTemporalBinary('temporal', { explicit: opts.cliPath, say: opts.say });
  } catch (err) {
    if (err instanceof MissingTemporalBinaryError) throw new Error(`${err.message}\n${missingBinaryHelp('temporal')}`);
    throw err;
  }
  if (!(await portFree(opts.port))) {
    throw new Error(`Port ${opts.port} is in use. If a Temporal server is already running there, set TEMPORAL_ADDRESS=127.0.0.1:${opts.port}; otherwise set TEMPORAL_PORT.`);
  }
  if (!binary) {
    opts.say('No temporal binary found: asking the Temporal SDK to download its dev server …');
    try {
      const env = await TestWorkflowEnvironment.createLocal({ server: { ip: '127.0.0.1', port: opts.port, ui: true, uiPort: opts.uiPort, dbFilename: path.join(opts.dataDir, 'temporal.db'), namespace: opts.namespace, extraArgs: singleHostServerArgs() } });
      return { address: env.address, uiUrl: `http://localhost:${opts.uiPort}`, stop: () => env.teardown() };
    } catch {
      throw new Error(missingBinaryHelp('temporal'));
    }
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--ui-port', String(opts.uiPort),
    '--db-filename', path.join(opts.dataDir, 'temporal.db'), '--namespace', opts.namespace, '--log-level', 'error', '--ui-disable-news-fetch', ...singleHostServerArgs()];
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
  const address = `127.0.0.1:${opts.port}`;
  try {
    await waitForTemporal(address, child);
  } catch (err) {
    child.kill('SIGTERM');
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  return {
    address,
    uiUrl: `http://localhost:${opts.uiPort}`,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => { clearTimeout(timer); resolve(); });
      child.kill('SIGTERM');
    }),
  };
}
