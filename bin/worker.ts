#!/usr/bin/env -S npx tsx
// The worker on its own, for the real stack: DATABASE_URL and TEMPORAL_ADDRESS must be set.
import { NativeConnection } from '@temporalio/worker';
import { connectPostgres } from '../db/client';
import { createLogger } from '../api/log';
import { hl7FeedConfig, loadConfig, type Config } from './lib/config';
import { assertTemporalSettings, temporalConnectionOptions } from './lib/temporal-connection';
import { serveWorkerHealth } from './lib/worker-health';
import { createAccessDeskWorker, workerTuning } from './lib/worker';
import { ensureCommunicationsOutbox, ensureHl7Feed, requireMigrated } from './lib/loops';
import { Client, Connection } from '@temporalio/client';
import { installTemporalRuntime, temporalLevel } from './lib/temporal-log';
import { createErsClient } from '../activities/ers-client';
import { ersServiceSpecialties } from '../db/reference-data';
import { existsSync } from 'node:fs';
import { tracingFromEnv } from './lib/tracing';
import { fileURLToPath } from 'node:url';

/** Set by npm run build:worker: the workflow bundle built beside the compiled worker, used when WORKFLOW_BUNDLE is unset. */
declare const BUILT_WORKFLOW_BUNDLE: string | undefined;
const builtBundle = typeof BUILT_WORKFLOW_BUNDLE === 'string' ? fileURLToPath(new URL(BUILT_WORKFLOW_BUNDLE, import.meta.url)) : undefined;

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`Usage: npm run worker   (node dist/worker/worker.mjs, compiled by npm run build:worker; or npx tsx bin/worker.ts)
Runs the Access Desk worker (all workflows and activities on task queue TEMPORAL_TASK_QUEUE).
Needs DATABASE_URL and TEMPORAL_ADDRESS (and TEMPORAL_TLS_* or TEMPORAL_API_KEY for a secured cluster), and a
database npm run migrate has brought up to date. WORKER_HEALTH_PORT serves GET /health on HOST. On SIGTERM it stops
polling and lets activities in hand finish for up to SHUTDOWN_GRACE_SECONDS (20) before cancelling them.
WORKER_METRICS_ADDRESS (host:port, off by default) serves the Temporal SDK's worker metrics for Prometheus.
WORKER_CACHED_WORKFLOWS sizes its workflow cache (docs/operations.md "Worker memory"); compiled, it loads the
workflow bundle built beside it unless WORKFLOW_BUNDLE names another.
Creates no sign-ins and no demo data.`);
  process.exit(0);
}
let config: Config;
try {
  config = loadConfig();
  assertTemporalSettings(config.temporal);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
if (!config.databaseUrl || !config.temporal.address) {
  console.error('bin/worker needs DATABASE_URL and TEMPORAL_ADDRESS. For everything in one go with embedded defaults, use npm start.');
  process.exit(2);
}
const logger = createLogger('worker', config.logLevel);
// The SDK's logs (worker state, activity failures, the Rust core's warnings) join ours as JSON lines.
// WORKER_METRICS_ADDRESS (e.g. 0.0.0.0:9464): the SDK's worker metrics for Prometheus; off unless set.
const metricsAddress = process.env.WORKER_METRICS_ADDRESS || undefined;
installTemporalRuntime(logger, temporalLevel(config.logLevel), { metricsAddress });
if (metricsAddress) logger.info('Temporal worker metrics served', { url: `http://${metricsAddress}/metrics` });
const db = connectPostgres(config.databaseUrl);
try {
  await requireMigrated(db);
} catch (err) {
  logger.error((err as Error).message);
  await db.close();
  process.exit(2);
}
const pasHost = config.hl7.enabled ? config.hl7.host : undefined;
if (!pasHost) logger.warn(config.hl7.enabled ? 'HL7_HOST is not set: PAS feed messages wait in the outbox unsent' : 'HL7_FEED=off: PAS feed messages wait in the outbox unsent');
const temporalOptions = temporalConnectionOptions(config.temporal);
const connection = await NativeConnection.connect(temporalOptions);
const { baseUrl, apiKey, templates } = config.notify;
if (!baseUrl || !apiKey) logger.warn('NOTIFY_BASE_URL and NOTIFY_API_KEY are not set: letters, texts and emails wait in the outbox unsent');
const bundlePath = config.worker.workflowBundle ?? (builtBundle && existsSync(builtBundle) ? builtBundle : undefined);
if (!bundlePath) logger.warn('No workflow bundle built ahead (npm run build:worker): bundling the workflows now, which leaves the worker about 120 MiB larger');
// e-RS (issue 14): the poll's activities need the adapter and a client to start pathways and send their Updates.
const ersConfig = config.ers;
if (!ersConfig.baseUrl) logger.warn('ERS_BASE_URL is not set: the e-RS poll cannot run on this worker');
const ersClient = ersConfig.baseUrl && ersConfig.accessToken
  ? new Client({ connection: await Connection.connect(temporalOptions), namespace: config.temporal.namespace })
  : undefined;
// Traces (OTEL_EXPORTER_OTLP_ENDPOINT, docs/operations.md "Traces"): off unless set.
const tracing = await tracingFromEnv(process.env.OTEL_SERVICE_NAME || 'access-desk-worker');
const worker = await createAccessDeskWorker({ tracing, connection, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, db: db.db,
  tuning: { ...workerTuning(config.worker), shutdownGraceTime: config.shutdownGraceSeconds * 1000 }, workflowBundle: bundlePath ? { codePath: bundlePath } : undefined,
  notify: baseUrl && apiKey ? { baseUrl, apiKey, templates } : undefined,
  hl7: pasHost ? hl7FeedConfig(config.hl7, { host: pasHost, port: config.hl7.port }) : undefined,
  ers: ersClient && ersConfig.baseUrl && ersConfig.accessToken ? {
    api: createErsClient({ baseUrl: ersConfig.baseUrl, accessToken: ersConfig.accessToken, odsCode: ersConfig.odsCode, businessFunction: ersConfig.businessFunction,
      onBehalfOfUserId: ersConfig.onBehalfOfUserId, serviceIds: ersConfig.serviceIds, timeoutMs: ersConfig.timeoutMs }),
    services: ersServiceSpecialties(), temporal: { client: ersClient, taskQueue: config.temporal.taskQueue },
  } : undefined });
if (baseUrl && apiKey) {
  // The outbox loop runs on this worker; a second worker finds it already running.
  const client = new Client({ connection: await Connection.connect(temporalOptions), namespace: config.temporal.namespace });
  await ensureCommunicationsOutbox(client, config.temporal.taskQueue);
}
if (pasHost) {
  // The PAS feed's loop likewise (docs/hl7.md).
  const client = new Client({ connection: await Connection.connect(temporalOptions), namespace: config.temporal.namespace });
  await ensureHl7Feed(client, config.temporal.taskQueue);
}
// SIGTERM: stop polling, let activities in hand finish (shutdownGraceTime), then close; a second signal changes nothing.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (worker.getState() !== 'RUNNING') return;
    logger.info('Access Desk worker draining', { signal, graceSeconds: config.shutdownGraceSeconds });
    worker.shutdown();
  });
}
const health = config.workerHealthPort
  ? await serveWorkerHealth({ port: config.workerHealthPort, host: config.host, state: () => worker.getState(), taskQueue: config.temporal.taskQueue })
  : undefined;
logger.info('Access Desk worker polling', { taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace, cachedWorkflows: config.worker.maxCachedWorkflows,
  ...(health ? { health: `http://${config.host}:${health.port}/health` } : {}) });
try {
  await worker.run();
} finally {
  health?.server.close();
  await tracing?.shutdown().catch(() => {});
  await connection.close();
  await db.close();
}
logger.info('Access Desk worker stopped');
process.exit(0); // nothing left to wait for: a handle the SDK keeps must not hold a stopping container
