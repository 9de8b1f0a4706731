// The worker: every workflow and activity on one task queue.
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../db/client';
import { createActivities } from '../../activities';
import { databaseErrorOf } from '../../api/log';
import { createNotifyGateway } from '../../activities/notify-gateway';
import type { Hl7FeedConfig } from '../../activities/hl7-sender';
import type { ErsDeps } from '../../activities/ers';
import type { Tracing } from './tracing';

/** Where the outbox sends: Notify's base URL and API key, and a real account's template ids (NOTIFY_TEMPLATES). */
export type NotifyConfig = { baseUrl: string; apiKey: string; templates?: Record<string, string> };

/** A database failure leaves an activity as its code only: drizzle's message lists the query's bound
 *  parameters, and Temporal keeps failure messages in history and logs them. Still retryable. */
export function scrubDatabaseError(err: unknown): unknown {
  const db = databaseErrorOf(err);
  if (!db) return err;
  const clean = new Error(`database error ${String(db.code ?? 'unknown')}${db.severity ? ` (${String(db.severity)})` : ''}`);
  clean.name = 'DatabaseError';
  return clean;
}


/**
 * The worker's options from the configuration. The cache holds pathways between workflow tasks: a hit runs only the new
 * events, a miss replays the pathway's whole history first (its rows are in Postgres, so nothing is lost, only CPU).
 * A worker runs at most this many workflow tasks at once, and never more than the SDK's default (40).
 */
export function workerTuning(worker: { maxCachedWorkflows: number }): NonNullable<Parameters<typeof createAccessDeskWorker>[0]['tuning']> {
  const n = worker.maxCachedWorkflows;
  // The SDK refuses more tasks at once than cached workflows (it warns and lowers it): say so ourselves.
  return n === 0 ? { maxCachedWorkflows: 0 } : { maxCachedWorkflows: n, maxConcurrentWorkflowTaskExecutions: Math.min(40, n) };
}

export const workflowsPath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));
/** Always in the bundle; inert unless a traced client started the run (workflows/tracing-interceptors.ts). */
export const workflowInterceptorModules = [fileURLToPath(new URL('../../workflows/tracing-interceptors.ts', import.meta.url))];

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m), log() {} };

/**
 * Modules evaluated once per worker instead of once per cached pathway. The SDK runs every workflow in one V8 context but
 * gives each its own copy of each module it loads (closures, export getters, constant tables): without this each cached
 * pathway carried its own copy of the domain rules and of the workflow modules themselves. Safe only for modules with
 * no state at module scope (the SDK deep-freezes them): ours keep their state inside the workflow function, and the
 * domain is pure (STYLE.md); a test holds the list to that (tests/workflows/shared-modules.test.ts).
 */
export const sharedWorkflowModules = [
  'long', 'ms', 'async-mutex', '@temporalio/common', '@temporalio/workflow',
  fileURLToPath(new URL('../../domain/index.ts', import.meta.url)),
  workflowsPath,
];

/** The workflow bundle, built once; bundling reports only errors. `preloadModules: []` is the SDK's default, for comparison. */
export const bundleWorkflows = (opts: { preloadModules?: string[] } = {}) =>
  bundleWorkflowCode({ workflowsPath, workflowInterceptorModules, logger: quiet as never, preloadModules: opts.preloadModules ?? sharedWorkflowModules });

export async function createAccessDeskWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Database;
  workflowBundle?: WorkerOptions['workflowBundle'];
  quiet?: boolean;
  tuning?: Pick<WorkerOptions, 'stickyQueueScheduleToStartTimeout' | 'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions' | 'debugMode' | 'shutdownGraceTime'>;
  notify?: NotifyConfig;
  /** The PAS feed's MLLP peer (issue 14); unset, HL7 messages wait in the outbox. */
  hl7?: Hl7FeedConfig;
  /** e-RS (issue 14): the adapter, the service mapping and the client intake starts pathways with. */
  ers?: ErsDeps['ers'];
  /** OpenTelemetry (OTEL_EXPORTER_OTLP_ENDPOINT): activity spans, and the sink workflow spans leave the sandbox by. */
  tracing?: Tracing;
}) {
  const workflowBundle = opts.workflowBundle ?? (opts.quiet ? await bundleWorkflows() : undefined);
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath }),
    activities: createActivities({
      db: opts.db,
      notify: opts.notify && { gateway: createNotifyGateway(opts.notify), templates: opts.notify.templates ?? {} },
      hl7: opts.hl7,
      ers: opts.ers,
    }),
    interceptors: {
      // A prebuilt bundle has them already (bundleWorkflows); the SDK warns if they are given again.
      ...(workflowBundle ? {} : { workflowModules: workflowInterceptorModules }),
      activity: [
        ...(opts.tracing?.worker.interceptors.activity ?? []),
        () => ({ inbound: { execute: (input, next) => next(input).catch((err: unknown) => { throw scrubDatabaseError(err); }) } }),
      ],
    },
    ...(opts.tracing ? { sinks: opts.tracing.worker.sinks } : {}),
    ...opts.tuning,
  });
}
