// The PAS feed on a worker process of its own (bin/worker.ts with HL7_HOST set), sending to a local PAS with short
// timeouts, on a task queue of its own beside a test stack: the stack's own worker has no PAS to send to.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { LocalPas } from '../../bin/lib/local-pas';
import { HL7_FEED_ID, hl7Feed } from '../../workflows/hl7-feed';
import type { TestStack } from './stack';

export type FeedWorker = { stop(): void };

export async function startHl7FeedWorker(stack: TestStack, pas: LocalPas): Promise<FeedWorker> {
  const queue = `hl7-feed-${randomBytes(4).toString('hex')}`;
  const url = new URL(process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${stack.db.name}`;
  // Started here with a short poll; the worker's own start finds it running.
  await stack.env.client.workflow.start(hl7Feed, { workflowId: HL7_FEED_ID, taskQueue: queue, args: [{ pollIntervalMs: 200, heartbeatTimeoutMs: 3000 }],
    workflowIdConflictPolicy: 'USE_EXISTING' });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: url.toString(), TEMPORAL_ADDRESS: stack.env.address, TEMPORAL_TASK_QUEUE: queue,
    WORKFLOW_BUNDLE: process.env.ACCESS_DESK_WORKFLOW_BUNDLE!, LOG_LEVEL: 'error', WORKER_CACHED_WORKFLOWS: '0',
    HL7_HOST: pas.host, HL7_PORT: String(pas.port), TRUST_ODS_CODE: 'RXX', HL7_RECEIVING_APPLICATION: 'PAS',
    HL7_ACK_TIMEOUT_MS: '1000', HL7_RETRY_BASE_MS: '200', HL7_RETRY_MAX_MS: '800',
  };
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bin/worker.ts'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  proc.stderr!.on('data', (c) => { errors = (errors + String(c)).slice(-4000); });
  proc.on('exit', (code, signal) => { if (code && !signal) console.error(`feed worker exited ${code}: ${errors}`); });
  return { stop: () => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); } };
}
