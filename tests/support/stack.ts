// The whole system for a test file: its own database, a real Temporal server (the dev server, or the
// time-skipping test server when a test needs to move time), the worker and the API on a free port.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomBytes } from 'node:crypto';
import { AccessDeskClient } from '../../bin/lib/api-client';
import { createLogger, silentLogger, type Logger } from '../../api/log';
import { installTemporalRuntime } from '../../bin/lib/temporal-log';
import { startSystem, type RunningSystem } from '../../bin/lib/system';
import { singleHostServerArgs } from '../../bin/lib/temporal-server';
import { createDemoTrustDatabase, type TestDatabase } from './database';
import { startLocalNotify } from '../../bin/lib/local-notify';
import { notifyControl, type NotifyControl } from './notify';
import type { CommunicationsOutboxInput } from '../../workflows/communications-outbox';
import { startLocalErs, type LocalErsOptions } from '../../bin/lib/local-ers';
import { createErsClient } from '../../activities/ers-client';
import { ersServiceSpecialties } from '../../db/reference-data';
import { ersControl, type ErsControl } from './ers';

export const demoPassword = 'access-desk-test';

let runtimeInstalled = false;
function quietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  // TEST_TEMPORAL_LOG=warn shows the SDK's warnings as JSON lines on stderr while debugging a test.
  const verbose = process.env.TEST_TEMPORAL_LOG === 'warn';
  try { installTemporalRuntime(verbose ? createLogger('test', 'warn') : silentLogger, verbose ? 'WARN' : 'ERROR'); } catch { /* already installed */ }
}

export type TestStack = {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  system: RunningSystem;
  url: string;
  /** The local GOV.UK Notify service the worker sends through (a live-type key: statuses move as they are read). */
  notify: { baseUrl: string; apiKey: string; control: NotifyControl };
  taskQueue: string;
  /** The local e-RS service the worker polls (only with the `ers` option): its FHIR base and its /__control. */
  ers?: { baseUrl: string; origin: string; control: ErsControl };
  signIn(email: string): Promise<AccessDeskClient>;
  restartWorker(): Promise<void>;
  /** Today in server time (moves with the time-skipping server). */
  today(): string;
  /** Now in server time, as an ISO instant. */
  now(): string;
  /** Moves the time-skipping server on to an instant, then lets the worker catch up. */
  sleepUntil(iso: string): Promise<void>;
  stop(): Promise<void>;
};

export async function startTemporal(kind: 'dev' | 'time-skipping') {
  quietRuntime();
  return kind === 'time-skipping'
    ? TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: process.env.TEMPORAL_TEST_SERVER_PATH! } } })
    : TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: process.env.TEMPORAL_CLI_PATH! }, ip: '127.0.0.1', ui: false, extraArgs: singleHostServerArgs() } });
}

export async function startTestStack(opts: {
  database?: 'postgres' | 'pglite'; temporal?: 'dev' | 'time-skipping'; uiDist?: string; logger?: Logger;
  /**
   * The outbox loop's options; off unless asked for: on the time-skipping server every skipped round would run, and
   * elsewhere it would send (and fail, raising contact_patient items for patients without an address) beside tests
   * that count work items.
   */
  outbox?: CommunicationsOutboxInput | false;
  /**
   * A local e-RS service (bin/lib/local-ers.ts) and the system wired to it as `npm start` wires it: the worker runs the
   * e-RS activities and the `ers-poll` Schedule polls every `pollSeconds` (default 5, so a browser test sees referrals
   * within seconds; the time-skipping server has no Schedules). Off unless asked for: other tests count work items.
   */
  ers?: { pollSeconds?: number; localErs?: LocalErsOptions };
  /**
   * Keep a workflow cache on the dev server (default): without one every task replays its whole history, which made
   * the long walks (the demo load, the screens) CPU-bound. Tests that restart the worker turn it off: the dev server
   * would wait out the old worker's sticky queue before handing a task to the new one.
   */
  workflowCache?: boolean;
} = {}): Promise<TestStack> {
  if (opts.ers && opts.temporal === 'time-skipping') throw new Error('the e-RS poll is a Schedule: use the dev server');
  const env = await startTemporal(opts.temporal ?? 'dev');
  const db = await createDemoTrustDatabase(opts.database ?? 'postgres', demoPassword);
  const localNotify = await startLocalNotify();
  const notify = { baseUrl: localNotify.baseUrl, apiKey: localNotify.apiKey, control: notifyControl(localNotify.baseUrl) };
  const taskQueue = `access-desk-${randomBytes(4).toString('hex')}`;
  const localErs = opts.ers ? await startLocalErs(opts.ers.localErs) : undefined;
  const ers = localErs && {
    api: createErsClient({ baseUrl: localErs.baseUrl, accessToken: localErs.userToken, odsCode: localErs.odsCode, businessFunction: 'SERVICE_PROVIDER_CLINICIAN' }),
    services: ersServiceSpecialties(),
    // ersPollSchedule takes minutes; a fraction is a seconds-level interval (Temporal parses "0.083 minutes").
    pollMinutes: (opts.ers?.pollSeconds ?? 5) / 60,
  };
  let skippedMs = 0; // how far the server's clock is ahead of the wall clock
  const today = () => new Date(Date.now() + skippedMs).toISOString().slice(0, 10);
  const start = () => startSystem({
    db, temporalAddress: env.address, taskQueue, port: 0, logger: opts.logger ?? silentLogger, uiDist: opts.uiDist,
    workflowBundle: { codePath: process.env.ACCESS_DESK_WORKFLOW_BUNDLE! }, temporalClient: env.client,
    today: opts.temporal === 'time-skipping' ? today : undefined,
    now: opts.temporal === 'time-skipping' ? () => Date.now() + skippedMs : undefined,
    // The time-skipping server never hands an Update to a new worker while the old one's sticky queue
    // is remembered, so its tests keep no workflow cache: every task replays its history, which also proves replay.
    workerTuning: { maxCachedWorkflows: opts.temporal === 'time-skipping' || opts.workflowCache === false ? 0 : 200 },
    // The time-skipping server has no Schedules.
    slotHorizonSchedule: opts.temporal !== 'time-skipping',
    notify: { baseUrl: notify.baseUrl, apiKey: notify.apiKey },
    outbox: opts.outbox ?? false,
    ers,
  });
  let system = await start();
  const stack: TestStack = {
    env, db, taskQueue, notify,
    ers: localErs && { baseUrl: localErs.baseUrl, origin: localErs.origin, control: ersControl(localErs.origin) },
    get system() { return system; },
    get url() { return system.url; },
    async signIn(email: string) {
      const client = new AccessDeskClient(system.url);
      await client.signIn(email, demoPassword);
      return client;
    },
    today,
    now: () => new Date(Date.now() + skippedMs).toISOString(),
    async sleepUntil(iso: string) {
      const ms = Date.parse(iso) - (await env.currentTimeMs());
      if (ms > 0) await env.sleep(ms);
      skippedMs = (await env.currentTimeMs()) - Date.now();
      await new Promise((r) => setTimeout(r, 300));
    },
    async restartWorker() {
      await system.stop();
      system = await start();
    },
    async stop() {
      await system.stop();
      await env.teardown();
      await localNotify.stop();
      await localErs?.stop();
      await db.drop();
    },
  };
  return stack;
}
