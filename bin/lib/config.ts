// Configuration is read from the environment once, here, and passed down; modules never read process.env.
import path from 'node:path';
import { z } from 'zod';
import { defaultTemplateIds } from '../../domain/messages';
import { ersBusinessFunctions, validateErsClientConfig, type ErsBusinessFunction } from '../../activities/ers-client';
import type { Hl7Identity } from '../../activities/hl7-message';
import type { Hl7FeedConfig } from '../../activities/hl7-sender';

/** Sized for a worker at about 300 MB RSS at most with 64,500 open pathways (docs/benchmarks.md "Memory"), run as production runs it
 *  (npm run worker: compiled, a 128 MiB heap limit, MALLOC_ARENA_MAX=2); the SDK's own default follows the V8 heap limit. */
export const DEFAULT_CACHED_WORKFLOWS = 100;

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Where the API listens: this machine only by default; 0.0.0.0 in a container so its port mapping reaches it. */
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().default('data'),
  DATABASE_URL: z.string().url().optional(),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** A real cluster (docs/operations.md "Temporal"): mutual TLS client certificate and key (PEM file paths), the server's CA, its TLS name. */
  TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS_CA: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** Temporal Cloud's API key (sent as a bearer token over TLS); instead of a client certificate. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TASK_QUEUE: z.string().default('access-desk'),
  TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  TEMPORAL_PORT: z.coerce.number().int().default(7233),
  TEMPORAL_CLI_PATH: z.string().optional(),
  TEMPORAL_TEST_SERVER_PATH: z.string().optional(),
  DEMO_PASSWORD: z.string().min(8).default('access-desk-demo'),
  SESSION_HOURS: z.coerce.number().positive().default(12),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** On SIGTERM: how long the API lets requests in flight finish, and the worker its activities, before stopping them. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(20),
  /** The worker's own health endpoint (GET /health on HOST:WORKER_HEALTH_PORT); unset, none. */
  WORKER_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /**
   * Pathways the worker keeps in memory between their workflow tasks (the SDK's sticky workflow cache). Memory is about
   * this number times a cached pathway's size, whatever the number of open pathways; a pathway not in the cache replays
   * its history on its next task. 0 keeps none. See docs/operations.md "Worker memory".
   */
  WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(DEFAULT_CACHED_WORKFLOWS)
    .refine((n) => n !== 1, 'must be 0 (no cache) or at least 2'),
  /** A workflow bundle built ahead (npm run build:workflows): the worker loads it instead of running webpack at start, which leaves it smaller. */
  WORKFLOW_BUNDLE: z.string().min(1).optional(),
  COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
  /** Comma-separated origins allowed to call the API cross-site; empty keeps CORS off. */
  CORS_ORIGINS: z.string().default('').transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().url().refine((o) => new URL(o).origin === o, 'must be an origin such as https://desk.example.nhs.uk'))),
  /** GOV.UK Notify: unset, `npm start` runs the local Notify service (bin/lib/local-notify.ts) with its own key. */
  NOTIFY_BASE_URL: z.string().url().optional(),
  NOTIFY_API_KEY: z.string().regex(/^.+-[0-9a-f-]{36}-[0-9a-f-]{36}$/i, 'must be a Notify API key: {key_name}-{service_id}-{secret}').optional(),
  /** The PAS feed (issue 14, docs/hl7.md): HL7 v2 over MLLP to HL7_HOST:HL7_PORT; unset, `npm start` runs the local PAS. */
  HL7_FEED: z.enum(['on', 'off']).default('on'),
  HL7_HOST: z.string().min(1).optional(),
  HL7_PORT: z.coerce.number().int().min(1).max(65535).default(2575),
  /** The trust's ODS code: MSH-4 (and MSH-6 unless HL7_RECEIVING_FACILITY), and the assigning authority of our patient ids. */
  TRUST_ODS_CODE: z.string().regex(/^[A-Z0-9]{3,5}$/, 'must be an ODS code such as RXX').default('RXX'),
  HL7_SENDING_APPLICATION: z.string().min(1).default('ACCESS_DESK'),
  HL7_RECEIVING_APPLICATION: z.string().min(1).default('PAS'),
  HL7_RECEIVING_FACILITY: z.string().min(1).optional(),
  HL7_ACK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  HL7_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5_000),
  HL7_RETRY_MAX_MS: z.coerce.number().int().min(10).default(300_000),
  /** A real Notify account's template ids by key (`appointment_reminder:sms`), as JSON; see docs/notify.md. */
  NOTIFY_TEMPLATES: z.string().default('{}').transform((v, ctx) => {
    try { return JSON.parse(v) as unknown; } catch { ctx.addIssue({ code: 'custom', message: 'must be JSON' }); return z.NEVER; }
  }).pipe(z.record(z.string(), z.string().uuid()).superRefine((ids, ctx) => {
    for (const key of Object.keys(ids)) {
      if (!(key in defaultTemplateIds)) ctx.addIssue({ code: 'custom', path: [key], message: 'is not a message template key (see docs/notify.md)' });
    }
  })),
  /** e-RS FHIR base (…/referrals/FHIR); unset, `npm start` runs the local e-RS service (bin/lib/local-ers.ts). See docs/ers.md. */
  ERS_BASE_URL: z.string().url().optional(),
  ERS_ACCESS_TOKEN: z.string().min(1).optional(),
  ERS_ODS_CODE: z.string().regex(/^[A-Z0-9]{3,6}$/i, 'must be an ODS organisation code such as RVY').optional(),
  ERS_BUSINESS_FUNCTION: z.enum(ersBusinessFunctions).default('SERVICE_PROVIDER_CLINICIAN'),
  ERS_ON_BEHALF_OF_USER_ID: z.string().regex(/^\d{12}$/, 'must be a 12-digit SDS user id').optional(),
  /** Comma-separated e-RS service ids whose worklists are fetched (the A008 `service` filter). */
  ERS_SERVICE_IDS: z.string().default('').transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  ERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  /** Minutes between polls of the e-RS worklists (the `ers-poll` Schedule). */
  ERS_POLL_MINUTES: z.coerce.number().int().min(1, 'must be at least 1 minute').max(1440, 'must be at most a day (1440)').default(5),
});

/** Every environment variable Access Desk reads. */
export const configKeys = Object.keys(schema.shape);

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  temporal: {
    address?: string; namespace: string; taskQueue: string; uiPort: number; port: number; cliPath?: string; testServerPath?: string;
    /** File paths (PEM) and the TLS server name; see bin/lib/temporal-connection.ts. */
    tls: { cert?: string; key?: string; ca?: string; serverName?: string };
    apiKey?: string;
  };
  demoPassword: string;
  sessionHours: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  shutdownGraceSeconds: number;
  workerHealthPort?: number;
  /** The worker's tuning: its workflow cache (WORKER_CACHED_WORKFLOWS). */
  worker: { maxCachedWorkflows: number; workflowBundle?: string };
  cookieSecure: boolean;
  corsOrigins: string[];
  uiDist: string;
  /** No base URL: use the local Notify service (npm start starts one). */
  notify: { baseUrl?: string; apiKey?: string; templates: Record<string, string> };
  /** No base URL: use the local e-RS service (npm start starts one). */
  ers: { baseUrl?: string; accessToken?: string; odsCode?: string; businessFunction: ErsBusinessFunction; onBehalfOfUserId?: string; serviceIds: string[]; timeoutMs: number; pollMinutes: number };
  /** The PAS feed: off, or where it sends (no host: the local PAS, started by npm start). */
  hl7: { enabled: boolean; host?: string; port: number; identity: Hl7Identity; ackTimeoutMs: number; retryBaseMs: number; retryMaxMs: number };
};

/** The worker's PAS feed settings, once a host is known (HL7_HOST, or the local PAS's). */
export function hl7FeedConfig(hl7: Config['hl7'], at: { host: string; port: number }): Hl7FeedConfig {
  return { host: at.host, port: at.port, identity: hl7.identity, ackTimeoutMs: hl7.ackTimeoutMs, retryBaseMs: hl7.retryBaseMs, retryMaxMs: hl7.retryMaxMs };
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Configuration is not valid:\n${lines}`);
  }
  const e = parsed.data;
  if (e.NOTIFY_BASE_URL && !e.NOTIFY_API_KEY) throw new Error('Configuration is not valid:\n  NOTIFY_API_KEY: required when NOTIFY_BASE_URL is set');
  if (e.ERS_BASE_URL) {
    const problems = [...(e.ERS_ACCESS_TOKEN ? [] : ['ERS_ACCESS_TOKEN: required when ERS_BASE_URL is set']), ...validateErsClientConfig({
      businessFunction: e.ERS_BUSINESS_FUNCTION, onBehalfOfUserId: e.ERS_ON_BEHALF_OF_USER_ID, odsCode: e.ERS_ODS_CODE, serviceIds: e.ERS_SERVICE_IDS })];
    if (problems.length) throw new Error(`Configuration is not valid:\n  ${problems.join('\n  ')}`);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    temporal: {
      address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiPort: e.TEMPORAL_UI_PORT, port: e.TEMPORAL_PORT, cliPath: e.TEMPORAL_CLI_PATH, testServerPath: e.TEMPORAL_TEST_SERVER_PATH,
      tls: { cert: e.TEMPORAL_TLS_CERT, key: e.TEMPORAL_TLS_KEY, ca: e.TEMPORAL_TLS_CA, serverName: e.TEMPORAL_TLS_SERVER_NAME }, apiKey: e.TEMPORAL_API_KEY,
    },
    demoPassword: e.DEMO_PASSWORD,
    sessionHours: e.SESSION_HOURS,
    logLevel: e.LOG_LEVEL,
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    workerHealthPort: e.WORKER_HEALTH_PORT,
    worker: { maxCachedWorkflows: e.WORKER_CACHED_WORKFLOWS, workflowBundle: e.WORKFLOW_BUNDLE && path.resolve(e.WORKFLOW_BUNDLE) },
    cookieSecure: e.COOKIE_SECURE === 'true',
    corsOrigins: e.CORS_ORIGINS,
    notify: { baseUrl: e.NOTIFY_BASE_URL, apiKey: e.NOTIFY_API_KEY, templates: e.NOTIFY_TEMPLATES },
    ers: { baseUrl: e.ERS_BASE_URL, accessToken: e.ERS_ACCESS_TOKEN, odsCode: e.ERS_ODS_CODE, businessFunction: e.ERS_BUSINESS_FUNCTION,
      onBehalfOfUserId: e.ERS_ON_BEHALF_OF_USER_ID, serviceIds: e.ERS_SERVICE_IDS, timeoutMs: e.ERS_TIMEOUT_MS,
      pollMinutes: e.ERS_POLL_MINUTES },
    hl7: {
      enabled: e.HL7_FEED === 'on', host: e.HL7_HOST, port: e.HL7_PORT,
      identity: { sendingApplication: e.HL7_SENDING_APPLICATION, sendingFacility: e.TRUST_ODS_CODE, receivingApplication: e.HL7_RECEIVING_APPLICATION, receivingFacility: e.HL7_RECEIVING_FACILITY ?? e.TRUST_ODS_CODE },
      ackTimeoutMs: e.HL7_ACK_TIMEOUT_MS, retryBaseMs: e.HL7_RETRY_BASE_MS, retryMaxMs: e.HL7_RETRY_MAX_MS,
    },
    uiDist: path.resolve(new URL('../../admin-ui/dist', import.meta.url).pathname),
  };
}
