import type { Client } from '@temporalio/client';
import type { MiddlewareHandler } from 'hono';
import type { Database } from '../db/client';
import type { Logger } from './log';
import type { Role } from '../domain/model';
import type { ImportJobs } from './imports';

export type { Role };
export type SignedIn = { id: string; email: string; name: string; role: Role };

export type AppDeps = {
  db: Database;
  temporal: { client: Client; taskQueue: string };
  logger: Logger;
  sessionHours?: number;
  cookieSecure?: boolean;
  /** Origins allowed to call the API from another site (CORS); none unless configured. */
  corsOrigins?: string[];
  /** The bearer token Prometheus reads GET /metrics with (METRICS_TOKEN); unset, only ops and admin sessions may. */
  metricsToken?: string;
  /** Sign-in lockout; tests lower it. */
  signInLimits?: { perEmail: number; perAddress: number; windowMinutes: number };
  uiDist?: string; // the built console; not served when absent
  /** Today as the trust's calendar date; injectable so tests can pin it. */
  today?: () => string;
  /** Now, in ms: whether a slot or an appointment has started (issue 10); tests on the time-skipping server follow server time. */
  now?: () => number;
  /** A span per request when traces are on (bin/lib/tracing.ts); unset, none. */
  tracing?: MiddlewareHandler;
  /** Go-live imports run by this process (issue 13); startSystem passes its own so it can resume and stop them. */
  imports?: ImportJobs;
};

export type AppEnv = {
  Variables: {
    staff: SignedIn;
    requestId: string;
    /** The app's logger with this request's id on every line. */
    logger: Logger;
    idempotency?: { staffId: string; key: string };
  };
};
