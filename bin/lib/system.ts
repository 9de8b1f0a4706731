// Access Desk in one process: migrations, reference data, the worker and the API. Used by `npm start`,
// the tests and the benchmark, so all three run the same wiring.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection, ScheduleAlreadyRunning, type ScheduleOptions } from '@temporalio/client';
import { NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { addDays, defaultAccessPolicy, TRUST_TIME_ZONE } from '../../domain';
import type { DatabaseHandle } from '../../db/client';
import { loadDemoTheatreSessions, loadReferenceData } from '../../db/reference-data';
import { generateSlots } from '../../db/slots';
import { slotHorizon } from '../../workflows/slot-horizon';
import { forecastRecompute } from '../../workflows/forecast-recompute';
import { FORECAST_SCHEDULE_ID, FORECAST_WORKFLOW_ID } from '../../activities/forecast';
import type { Hl7FeedInput } from '../../workflows/hl7-feed';
import type { Hl7FeedConfig } from '../../activities/hl7-sender';
import type { CommunicationsOutboxInput } from '../../workflows/communications-outbox';
import { ERS_POLL_ID, ersPoll } from '../../workflows/ers-poll';
import type { ErsApi } from '../../domain/ers';
import { createErsClient } from '../../activities/ers-client';
import { ersServiceSpecialties } from '../../db/reference-data';
import type { Config } from './config';
import { createApp, londonToday } from '../../api/app';
import { hashPassword } from '../../api/passwords';
import { startPendingPathways } from '../../api/referral-intake';
import { startPendingSessionChanges } from '../../api/session-change-start';
import { sweepIdempotencyKeys } from '../../api/idempotency';
import { createImportJobs, type ImportJobs } from '../../api/imports';
import { createAccessDeskWorker, type NotifyConfig } from './worker';
import { tracingFromEnv } from './tracing';
import type { TemporalConnectionOptions } from './temporal-connection';
import { describeError, type Logger } from '../../api/log';
import { ensureCommunicationsOutbox, ensureHl7Feed } from './loops';

export { ensureCommunicationsOutbox, ensureHl7Feed, requireMigrated } from './loops';

export { londonToday };
export const SLOT_HORIZON_DAYS = defaultAccessPolicy.slots.horizonDays;
export const SLOT_HORIZON_SCHEDULE_ID = 'slot-horizon';

export type SystemOptions = {
  db: DatabaseHandle;
  temporalAddress: string;
  /** TLS or an API key for a real cluster (bin/lib/temporal-connection.ts); the address stays temporalAddress. */
  temporalSecurity?: Pick<TemporalConnectionOptions, 'tls' | 'apiKey'>;
  namespace?: string;
  taskQueue?: string;
  port?: number; // 0 picks a free port
  /** Listen address; 127.0.0.1 unless configured (HOST). */
  host?: string;
  uiDist?: string;
  logger: Logger;
  workflowBundle?: WorkerOptions['workflowBundle'];
  runWorker?: boolean;
  runApi?: boolean;
  quietBundler?: boolean;
  /** A client to use instead of connecting one (tests pass the time-skipping environment's). */
  temporalClient?: Client;
  /** Today's date for the API; tests on the time-skipping server follow server time. */
  today?: () => string;
  /** Now for the API (whether a slot or appointment has started); tests on the time-skipping server follow server time. */
  now?: () => number;
  workerTuning?: Parameters<typeof createAccessDeskWorker>[0]['tuning'];
  /** Session length, Secure cookies and CORS allow-list, from the configuration. */
  web?: { sessionHours?: number; cookieSecure?: boolean; corsOrigins?: string[]; metricsToken?: string };
  /**
   * Create (or bring up to date) the `slot-horizon` Schedule on this task queue: the API and `npm start` do.
   * Off by default, because the time-skipping test server has no Schedules and a second system on a server
   * (a bench's extra worker) must not move the Schedule to its own task queue.
   */
  slotHorizonSchedule?: boolean;
  /** GOV.UK Notify for the worker's sender: a real account, or the local service (bin/lib/local-notify.ts). */
  notify?: NotifyConfig;
  /**
   * The outbox loop (workflows/communications-outbox.ts), started with the worker when Notify is configured; its
   * options, or false for none (the time-skipping test server would run every round of every skipped day).
   */
  outbox?: CommunicationsOutboxInput | false;
  /** The PAS feed (issue 14): where the worker sends HL7 messages; with it, the hl7Feed loop starts with the worker. */
  hl7?: Hl7FeedConfig;
  hl7Feed?: Hl7FeedInput | false;
  /**
   * e-RS (issue 14): the adapter the worker's e-RS activities call, the trust's service → specialty mapping, and the
   * `ers-poll` Schedule's interval (ERS_POLL_MINUTES; `schedule: false` for none, as tests that run polls themselves).
   */
  ers?: { api: ErsApi; services?: Readonly<Record<string, string>>; pollMinutes?: number; schedule?: boolean };
};

export type RunningSystem = {
  url: string;
  app: ReturnType<typeof createApp>;
  client: Client;
  /** The go-live imports this process runs (issue 13). */
  imports: ImportJobs;
  /**
   * Stops taking requests, lets those in flight finish for up to `graceMs` (0, the default for tests: at once), then
   * the imports, the worker (its own grace: shutdownGraceTime) and the connections. Closes no database: that is the caller's.
   */
  stop(opts?: { graceMs?: number }): Promise<void>;
};

/**
 * What every entry point does before serving: migrations, then dated slots to the horizon from the clinic
 * templates there are (the same reconciliation the slot-horizon Schedule runs nightly, without Temporal).
 * No sign-ins and no demo data: those come only from `npm start` or `npm run seed`.
 */
export async function prepareDatabase(db: DatabaseHandle) {
  await db.migrate();
  return generateSlots(db.db, { from: londonToday(), days: SLOT_HORIZON_DAYS });
}

/**
 * The demo trust: specialties, queues, clinics with templates, and staff in every role signing in with
 * `demoPassword`; then slots for the new clinics. Idempotent: existing rows are left as they are.
 */
export async function loadDemoTrust(db: DatabaseHandle, demoPassword: string) {
  const today = londonToday();
  await loadReferenceData(db.db, { passwordHash: await hashPassword(demoPassword), effectiveFrom: addDays(today, -7 * 40) });
  await loadDemoTheatreSessions(db.db, { from: today, weeks: 8 });
  return generateSlots(db.db, { from: today, days: SLOT_HORIZON_DAYS });
}

/** The slot-horizon Schedule: daily at 02:00 London time, a run skipped while one is going, a missed day caught up. */
export function slotHorizonSchedule(taskQueue: string): Omit<ScheduleOptions, 'scheduleId'> {
  return {
    spec: { calendars: [{ hour: 2, minute: 0 }], timezone: TRUST_TIME_ZONE },
    policies: { overlap: 'SKIP', catchupWindow: '1 day' },
    action: { type: 'startWorkflow', workflowType: slotHorizon, workflowId: SLOT_HORIZON_SCHEDULE_ID, taskQueue, args: [] },
  };
}

/**
 * Creates a Schedule, or updates one that exists to this definition (a deploy may change it); an operator's pause
 * (its state) is kept. Idempotent.
 */
async function ensureSchedule(client: Client, scheduleId: string, options: Omit<ScheduleOptions, 'scheduleId'>): Promise<'created' | 'updated'> {
  try {
    await client.schedule.create({ scheduleId, ...options });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((current) => ({ ...options, state: current.state }));
    return 'updated';
  }
}

export const ensureSlotHorizonSchedule = (client: Client, taskQueue: string) =>
  ensureSchedule(client, SLOT_HORIZON_SCHEDULE_ID, slotHorizonSchedule(taskQueue));

/** The forecast-nightly Schedule (issue 17): daily at 03:00 London time, after the slot horizon's top-up, one run at a time. */
export function forecastSchedule(taskQueue: string): Omit<ScheduleOptions, 'scheduleId'> {
  return {
    spec: { calendars: [{ hour: 3, minute: 0 }], timezone: TRUST_TIME_ZONE },
    policies: { overlap: 'SKIP', catchupWindow: '1 day' },
    action: { type: 'startWorkflow', workflowType: forecastRecompute, workflowId: FORECAST_WORKFLOW_ID, taskQueue, args: [{ reason: 'nightly' }] },
  };
}

export const ensureForecastSchedule = (client: Client, taskQueue: string) =>
  ensureSchedule(client, FORECAST_SCHEDULE_ID, forecastSchedule(taskQueue));

/** e-RS for startSystem from the configuration (ERS_*): none without a base URL and token. */
export function ersFromConfig(c: Config['ers']): SystemOptions['ers'] {
  if (!c.baseUrl || !c.accessToken) return undefined;
  return {
    api: createErsClient({ baseUrl: c.baseUrl, accessToken: c.accessToken, odsCode: c.odsCode, businessFunction: c.businessFunction,
      onBehalfOfUserId: c.onBehalfOfUserId, serviceIds: c.serviceIds, timeoutMs: c.timeoutMs }),
    services: ersServiceSpecialties(), pollMinutes: c.pollMinutes,
  };
}

/** The e-RS poll Schedule: every `minutes`, a run skipped while one is going, missed runs not made up (the next reads all). */
export function ersPollSchedule(taskQueue: string, minutes: number): Omit<ScheduleOptions, 'scheduleId'> {
  return {
    spec: { intervals: [{ every: `${minutes} minutes` }] },
    policies: { overlap: 'SKIP', catchupWindow: `${minutes} minutes` },
    action: { type: 'startWorkflow', workflowType: ersPoll, workflowId: ERS_POLL_ID, taskQueue, args: [] },
  };
}

/** Creates the `ers-poll` Schedule, or brings one that exists up to this definition (keeping an operator's pause). */
export async function ensureErsPollSchedule(client: Client, taskQueue: string, minutes: number): Promise<'created' | 'updated'> {
  const options = ersPollSchedule(taskQueue, minutes);
  try {
    await client.schedule.create({ scheduleId: ERS_POLL_ID, ...options });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(ERS_POLL_ID).update((current) => ({ ...options, state: current.state }));
    return 'updated';
  }
}

/** How long one try at something Temporal holds may take before it waits for the next tick. */
const TEMPORAL_TRY_MS = 5000;
/** How long the API keeps an idle kept-alive connection open (Node's default is 5 s). */
const KEEP_ALIVE_MS = 65_000;
/** How often startSystem reconciles with Temporal (pending pathways, Schedules and loops not yet made). */
const RECONCILE_MS = 30_000;

/**
 * Something Temporal must hold (a Schedule, a loop workflow) made once Temporal answers: each call tries, within a
 * few seconds, until one succeeds; later calls do nothing. A start while Temporal is away says so once, and says
 * again when it is made, rather than a warning on every tick. `what` names it in the access centre's words.
 */
export function whenTemporalAnswers(client: Client, logger: Logger, what: string, make: () => Promise<unknown>): () => Promise<void> {
  let made = false;
  let told = false;
  let trying: Promise<void> | undefined;
  const attempt = async () => {
    try {
      await client.connection.withDeadline(Date.now() + TEMPORAL_TRY_MS, make);
      made = true;
      if (told) logger.info(`${what} is set up now that Temporal answers`);
    } catch (err) {
      if (told) return;
      told = true;
      logger.warn(`${what} is not set up yet: Temporal did not answer. It is tried again every ${RECONCILE_MS / 1000} seconds.`, { error: describeError(err) });
    }
  };
  return () => {
    if (made) return Promise.resolve();
    // A tick while the last try is still waiting joins it rather than starting a second.
    trying ??= attempt().finally(() => { trying = undefined; });
    return trying;
  };
}

/** An import's rows a chunk on the embedded database (IMPORT_CHUNK_ROWS, 500, on Postgres). */
export const PGLITE_IMPORT_CHUNK_ROWS = 100;

export async function startSystem(opts: SystemOptions): Promise<RunningSystem> {
  const namespace = opts.namespace ?? 'default';
  const taskQueue = opts.taskQueue ?? 'access-desk';
  // Lazy: the API starts (and reports Temporal down on /api/health) while Temporal is away.
  const connectionOptions = { address: opts.temporalAddress, ...opts.temporalSecurity };
  const connection = opts.temporalClient ? undefined : Connection.lazy(connectionOptions);
  // Traces (OTEL_EXPORTER_OTLP_ENDPOINT): the client carries the trace into the workflows it starts and updates.
  const tracing = await tracingFromEnv();
  const client = opts.temporalClient && !tracing ? opts.temporalClient
    : new Client({ connection: opts.temporalClient?.connection ?? connection, namespace, interceptors: tracing?.client });
  const temporal = { client, taskQueue };
  const db = opts.db.db;

  let workerRun: Promise<void> | undefined;
  let shutdownWorker: (() => void) | undefined;
  let nativeConnection: NativeConnection | undefined;
  if (opts.runWorker !== false) {
    nativeConnection = await NativeConnection.connect(connectionOptions);
    const connection = nativeConnection;
    const ers = opts.ers && { api: opts.ers.api, services: opts.ers.services, temporal };
    const create = () => createAccessDeskWorker({ connection, namespace, taskQueue, db, workflowBundle: opts.workflowBundle, quiet: opts.quietBundler, tuning: opts.workerTuning, notify: opts.notify, hl7: opts.hl7, ers, tracing });
    let worker = await create();
    let stopping = false;
    let wake: (() => void) | undefined;
    // A worker that fails (Temporal gone too long, a fatal error) is started again with backoff:
    // pathways wait in Temporal meanwhile, nothing is lost.
    workerRun = (async () => {
      for (let backoff = 1000; ; ) {
        const started = Date.now();
        try {
          await worker.run();
          if (stopping) return;
          opts.logger.error('worker stopped by itself', { taskQueue });
        } catch (err) {
          if (stopping) return;
          opts.logger.error('worker failed', { taskQueue, error: describeError(err) });
        }
        if (Date.now() - started > 60_000) backoff = 1000;
        opts.logger.error(`worker restarting in ${backoff / 1000} s`, { taskQueue });
        await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, backoff); });
        backoff = Math.min(backoff * 2, 30_000);
        if (stopping) return;
        try {
          worker = await create();
          if (stopping) return;
        } catch (err) {
          opts.logger.error('worker could not be created', { taskQueue, error: describeError(err) });
        }
      }
    })();
    shutdownWorker = () => { stopping = true; wake?.(); if (worker.getState() === 'RUNNING') worker.shutdown(); };
  }

  // Go-live imports (issue 13) run in the API's process; a stop lets each finish its chunk in hand.
  // On PGlite a statement runs in this process's one thread, between the console's requests: chunks a fifth the size
  // keep each under a second, so the console stays prompt while an import (the demo's go-live list) runs.
  const imports = createImportJobs({ db, temporal, logger: opts.logger, today: opts.today ?? londonToday, now: opts.now,
    chunkRows: opts.db.kind === 'pglite' ? PGLITE_IMPORT_CHUNK_ROWS : undefined });
  const app = createApp({ db, temporal, logger: opts.logger, uiDist: opts.uiDist, today: opts.today, now: opts.now, imports, tracing: tracing?.middleware, ...opts.web });
  let server: ServerType | undefined;
  let url = '';
  if (opts.runApi !== false) {
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: opts.port ?? 3000, hostname: opts.host ?? '127.0.0.1' }, () => resolve(s));
    });
    // An idle kept-alive connection is closed by the client, not by us (Node's 5 s): closing it ourselves races a request
    // sent on it just then, which fails with ECONNRESET; with PGlite holding this thread for seconds (npm start's demo
    // load beside the console) that race ended the demo load. Clients' own idle limits are shorter (undici 4 s).
    const http1 = server as import('node:http').Server;
    http1.keepAliveTimeout = KEEP_ALIVE_MS;
    http1.headersTimeout = KEEP_ALIVE_MS + 1000;
    const listening = opts.host && !['127.0.0.1', '0.0.0.0', '::', 'localhost'].includes(opts.host) ? opts.host : 'localhost';
    url = `http://${listening.includes(':') ? `[${listening}]` : listening}:${(server.address() as AddressInfo).port}`;
  }

  // Schedules and loops that must exist once Temporal answers: each tried now, then on the reconcile tick until made.
  const temporalParts = [
    opts.slotHorizonSchedule && whenTemporalAnswers(client, opts.logger, 'The nightly top-up of clinic slots (the slot-horizon Schedule)',
      () => ensureSlotHorizonSchedule(client, taskQueue)),
    // The breach forecast's nightly recompute (issue 17), with the same switch: the time-skipping server has no Schedules.
    opts.slotHorizonSchedule && whenTemporalAnswers(client, opts.logger, 'The nightly breach forecast (the forecast-nightly Schedule)',
      () => ensureForecastSchedule(client, taskQueue)),
    // The e-RS poll (issue 14).
    opts.ers && opts.ers.schedule !== false && whenTemporalAnswers(client, opts.logger, 'The e-RS worklist poll (the ers-poll Schedule)',
      () => ensureErsPollSchedule(client, taskQueue, opts.ers?.pollMinutes ?? 5)),
    // The outbox loop: one per namespace, so a second start (another process, a restart) finds the running one.
    opts.runWorker !== false && opts.outbox !== false && opts.notify && whenTemporalAnswers(client, opts.logger,
      'Sending letters and messages (the communications outbox)', () => ensureCommunicationsOutbox(client, taskQueue, opts.outbox || {})),
    // The PAS feed's loop (issue 14): likewise one per namespace, started once a PAS is configured.
    opts.runWorker !== false && opts.hl7Feed !== false && opts.hl7 && whenTemporalAnswers(client, opts.logger,
      'The feed of bookings to the PAS (HL7)', () => ensureHl7Feed(client, taskQueue, opts.hl7Feed || {})),
  ].filter((part): part is () => Promise<void> => !!part);
  for (const ensure of temporalParts) await ensure();

  // Imports left running by a crash or a stop carry on from their next line (one process's start-up at a time is
  // enough: a second runner of the same import stops at its first chunk, see api/imports.ts).
  if (opts.runApi !== false) {
    void imports.resumeRunning().catch((err) => opts.logger.warn('could not resume imports', { error: describeError(err) }));
  }

  // Referrals and session changes recorded while Temporal was away get their workflows once it is back.
  const reconcile = setInterval(() => {
    for (const ensure of temporalParts) void ensure();
    startPendingPathways(db, temporal).catch((err) => opts.logger.warn('could not start pending pathways', { error: describeError(err) }));
    startPendingSessionChanges(db, temporal).catch((err) => opts.logger.warn('could not start pending session changes', { error: describeError(err) }));
    sweepIdempotencyKeys(db).catch((err) => opts.logger.warn('could not sweep idempotency keys', { error: describeError(err) }));
  }, RECONCILE_MS);
  reconcile.unref();

  return {
    url,
    app,
    client,
    imports,
    async stop({ graceMs = 0 } = {}) {
      clearInterval(reconcile);
      if (server) {
        // close() stops listening and drops idle keep-alive connections; a request in flight finishes and its connection
        // then closes. Whatever is still open after the grace is cut.
        const http = server as ServerType & { closeAllConnections?: () => void; closeIdleConnections?: () => void };
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeIdleConnections?.();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([closed, new Promise<void>((resolve) => { timer = setTimeout(resolve, graceMs); })]);
        clearTimeout(timer);
        http.closeAllConnections?.();
        await closed;
      }
      await imports.stop();
      shutdownWorker?.();
      await workerRun;
      await nativeConnection?.close();
      await connection?.close();
      // Spans still batched go to the collector (another system in this process may still be tracing: not shut down).
      await tracing?.flush().catch(() => {});
    },
  };
}
