// GET /metrics for Prometheus (docs/operations.md "Metrics"): the API's requests, and the state of the work
// (queues, pathways, breaches due, outboxes) read by SQL at scrape time. Labels hold route patterns, queue ids
// and vocabulary values only, never a record's id: the number of series stays bounded whatever the load.
import { timingSafeEqual, createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { queryRows, type Database } from '../db/client';
import { addDays } from '../domain/dates';
import type { AppDeps, AppEnv } from './context';
import { AppError } from './errors';
import { requireSession, assertRole } from './auth';

/** Scrapes within this long of the last reading answer from it: a busy Prometheus (or several) cannot load the database. */
export const METRICS_CACHE_MS = 5_000;
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export type Metrics = {
  registry: Registry;
  /** Hono middleware timing every request by method, route pattern and status. */
  middleware: MiddlewareHandler<AppEnv>;
  /** The Prometheus text, with the work's gauges read afresh if the last reading is older than the cache. */
  scrape(): Promise<string>;
};

type Reading = {
  queues: { queue: string; open: number; oldest: number }[];
  stages: { stage: string; n: number }[];
  breaches: { n: number }[];
  outbox: { outbox: string; n: number; oldest: number }[];
};

async function readWork(db: Database, today: string): Promise<Reading> {
  // Each is one index-friendly aggregate; together a few milliseconds on a trust's database.
  const [queues, stages, breaches, outbox] = await Promise.all([
    queryRows<Reading['queues'][number]>(db, sql`select q.id as queue, count(t.id)::int as open,
        coalesce(extract(epoch from now() - min(t.created_at)), 0)::float8 as oldest
      from queues q left join tasks t on t.queue_id = q.id and t.status in ('open', 'claimed') group by q.id`),
    queryRows<Reading['stages'][number]>(db, sql`select state::text as stage, count(*)::int as n from referrals group by state`),
    queryRows<Reading['breaches'][number]>(db, sql`select count(*)::int as n from pathways
      where rtt_status = 'running' and breach_date >= ${today}::date and breach_date <= ${addDays(today, 7)}::date`),
    queryRows<Reading['outbox'][number]>(db, sql`select 'communications' as outbox, count(*)::int as n,
        coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as oldest
        from communications where status in ('queued', 'sending')
      union all select 'hl7', count(*)::int, coalesce(extract(epoch from now() - min(created_at)), 0)::float8
        from hl7_messages where status in ('queued', 'sending', 'rejected')`),
  ]);
  return { queues, stages, breaches, outbox };
}

export function createMetrics(deps: Pick<AppDeps, 'db'> & { today: () => string }): Metrics {
  const registry = new Registry();
  const requests = new Histogram({
    name: 'access_desk_http_request_duration_seconds', help: 'API requests by method, route pattern and status, and how long they took',
    labelNames: ['method', 'route', 'status'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
  });
  const openItems = new Gauge({ name: 'access_desk_work_items_open', help: 'Open work items (open or claimed) by queue', labelNames: ['queue'] as const, registers: [registry] });
  const oldestItem = new Gauge({ name: 'access_desk_work_item_oldest_age_seconds', help: 'Age of the oldest open work item by queue (0 when none)', labelNames: ['queue'] as const, registers: [registry] });
  const pathways = new Gauge({ name: 'access_desk_pathways', help: 'Referral pathways by stage', labelNames: ['stage'] as const, registers: [registry] });
  const breaches = new Gauge({ name: 'access_desk_breaches_due_7_days', help: 'Running RTT clocks whose 18-week breach date falls today or in the next 7 days', registers: [registry] });
  const backlog = new Gauge({ name: 'access_desk_outbox_backlog', help: 'Messages waiting to go: communications (queued or sending), hl7 (queued, sending or rejected)', labelNames: ['outbox'] as const, registers: [registry] });
  const oldestOutbox = new Gauge({ name: 'access_desk_outbox_oldest_age_seconds', help: 'Age of the oldest message waiting in each outbox (0 when none)', labelNames: ['outbox'] as const, registers: [registry] });
  const readAt = new Gauge({ name: 'access_desk_work_read_timestamp_seconds', help: 'When the work gauges were last read from the database', registers: [registry] });

  let last = 0;
  let reading: Promise<void> | undefined;
  const refresh = async () => {
    const r = await readWork(deps.db, deps.today());
    // Reset first: a stage nobody is in any more drops out rather than keeping its last count.
    for (const g of [openItems, oldestItem, pathways, backlog, oldestOutbox]) g.reset();
    for (const q of r.queues) { openItems.set({ queue: q.queue }, q.open); oldestItem.set({ queue: q.queue }, q.open ? q.oldest : 0); }
    for (const s of r.stages) pathways.set({ stage: s.stage }, s.n);
    breaches.set(r.breaches[0]?.n ?? 0);
    for (const o of r.outbox) { backlog.set({ outbox: o.outbox }, o.n); oldestOutbox.set({ outbox: o.outbox }, o.n ? o.oldest : 0); }
    readAt.set(Date.now() / 1000);
    last = Date.now();
  };

  return {
    registry,
    middleware: async (c, next) => {
      const end = requests.startTimer();
      try {
        await next();
      } finally {
        // The matched pattern (/api/tasks/:id/complete), never the raw path; anything unmatched is one label.
        let route = 'unmatched';
        try { route = routePath(c) || 'unmatched'; } catch { /* no route matched */ }
        end({ method: METHODS.has(c.req.method) ? c.req.method : 'OTHER', route, status: String(c.res.status) });
      }
    },
    async scrape() {
      if (Date.now() - last >= METRICS_CACHE_MS) {
        // Concurrent scrapes share one reading.
        reading ??= refresh().finally(() => { reading = undefined; });
        await reading;
      }
      return Registry.merge([processRegistry(), registry]).metrics();
    },
  };
}

// The process's own (memory, CPU, event loop lag): once per process, however many apps a test builds.
let processMetrics: Registry | undefined;
function processRegistry() {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics, prefix: 'access_desk_api_' });
  }
  return processMetrics;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Who reads /metrics: Prometheus with `Authorization: Bearer <METRICS_TOKEN>` (when the token is configured),
 * or a signed-in ops or admin user. Everyone else is refused: queue depths and breach counts are the trust's business.
 */
export function metricsAccess(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const session = requireSession(deps);
  return async (c, next) => {
    const header = c.req.header('Authorization');
    if (header?.startsWith('Bearer ')) {
      const token = header.slice('Bearer '.length).trim();
      if (deps.metricsToken && timingSafeEqual(digest(token), digest(deps.metricsToken))) return next();
      c.header('WWW-Authenticate', 'Bearer realm="Access Desk metrics"');
      throw new AppError('UNAUTHENTICATED', 'That metrics token is not the one configured (METRICS_TOKEN)');
    }
    return session(c, async () => {
      assertRole(c, ['ops', 'admin'], 'read the metrics');
      await next();
    });
  };
}
