// The API, composed: built by a function that does not listen, so tests call app.request().
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { serveStatic } from '@hono/node-server/serve-static';
import { z } from 'zod';
import { pingDatabase } from '../db/client';
import { londonDate } from '../domain';
import type { AppDeps, AppEnv } from './context';
import { AppError, errorBody } from './errors';
import { describeError, isDatabaseUnavailable } from './log';
import { idempotentCreate } from './idempotency';
import { authRoutes, requireSession } from './auth';
import { referralRoutes } from './routes/referrals';
import { taskRoutes } from './routes/tasks';
import { absenceRoutes } from './routes/absences';
import { referenceResources, referenceRoutes } from './routes/reference';
import { openApiDocument } from './openapi';
import { queueRoutes } from './routes/queues';
import { auditRoutes, dashboardRoutes } from './routes/team';
import { browserHeaders, corsFor, jsonBodiesOnly, limitBodySize, refuseNul, sameOriginWrites } from './security';

/** True if the probe succeeds within `ms`; false if it fails or takes longer. */
function withinMs(probe: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  return Promise.race([probe.catch(() => false), late]).finally(() => clearTimeout(timer));
}

const londonToday = () => londonDate(Date.now());

export function createApp(deps: AppDeps) {
  const full = { ...deps, today: deps.today ?? londonToday };
  const app = new Hono<AppEnv>();

  // A caller's X-Request-Id is kept (so a proxy's id follows the request), otherwise one is made; it is
  // echoed on the response, and every line logged for the request carries it through c.get('logger').
  app.use('*', requestId({ headerName: 'X-Request-Id', limitLength: 128 }));
  app.use('*', async (c, next) => {
    const logger = deps.logger.child({ requestId: c.get('requestId') });
    c.set('logger', logger);
    const started = performance.now();
    await next();
    if (c.req.path.startsWith('/api/')) {
      logger.info('request', { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) });
    }
  });
  app.use('*', browserHeaders({ https: deps.cookieSecure ?? false }));
  app.use('/api/*', corsFor(deps.corsOrigins), sameOriginWrites(deps.corsOrigins), refuseNul(), limitBodySize(), jsonBodiesOnly());

  app.onError((err, c) => {
    if (err instanceof AppError) return c.json(errorBody(err), err.status);
    if (err instanceof z.ZodError) return c.json(errorBody(new AppError('VALIDATION_FAILED', err.message)), 400);
    const requestId = c.get('requestId');
    // Never err.message: a failed query's message lists its bound parameters (NHS numbers, names).
    if (isDatabaseUnavailable(err)) {
      c.get('logger').warn('database unavailable', { method: c.req.method, path: c.req.path, error: describeError(err) });
      c.header('Retry-After', '1');
      return c.json(errorBody(new AppError('UNAVAILABLE', `The database is not answering just now; please try again (request ${requestId})`)), 503);
    }
    c.get('logger').error('unhandled error', { method: c.req.method, path: c.req.path, error: describeError(err) });
    return c.json({ message: `Something went wrong on our side (request ${requestId})`, code: 'INTERNAL', errors: {}, error: { code: 'INTERNAL', message: 'Internal error', details: { requestId } } }, 500);
  });

  // Load balancers act on this: each probe has a short deadline, so a dead dependency answers 503 at once.
  app.get('/api/health', async (c) => {
    const probeMs = 1500;
    const [db, temporal] = await Promise.all([
      withinMs(pingDatabase(deps.db), probeMs),
      withinMs(deps.temporal.client.connection.withDeadline(Date.now() + probeMs, () => deps.temporal.client.workflowService.getSystemInfo({})).then(() => true), probeMs),
    ]);
    const body = { status: db && temporal ? 'ok' : 'degraded', db: db ? 'up' : 'down', temporal: temporal ? 'up' : 'down' };
    c.header('Cache-Control', 'no-store');
    return c.json(body, db && temporal ? 200 : 503);
  });
  app.get('/api/openapi.json', (c) => c.json(openApiDocument()));
  app.route('/api/auth', authRoutes(deps));

  const api = new Hono<AppEnv>();
  api.use('*', requireSession(deps));
  // Creating writes honour Idempotency-Key (referrals have no natural key without a UBRN); so does
  // completing an item, which books appointments, so a retried booking replays its answer.
  for (const creating of ['/referrals', '/absences', '/tasks/:id/complete']) api.use(creating, idempotentCreate(deps.db));
  api.route('/referrals', referralRoutes(full));
  api.route('/tasks', taskRoutes(full));
  api.route('/absences', absenceRoutes(full));
  api.route('/queues', queueRoutes(full));
  api.route('/audit', auditRoutes(full));
  api.route('/dashboard', dashboardRoutes(full));
  for (const resource of referenceResources) api.route(`/${resource}`, referenceRoutes(full, resource));
  api.all('*', (c) => { throw new AppError('NOT_FOUND', `No such route: ${c.req.method} ${c.req.path}`); });
  app.route('/api', api);

  if (deps.uiDist && existsSync(path.join(deps.uiDist, 'index.html'))) {
    const root = path.relative(process.cwd(), deps.uiDist) || '.';
    const index = readFileSync(path.join(deps.uiDist, 'index.html'), 'utf8');
    app.use('/*', serveStatic({ root }));
    app.get('*', (c) => c.html(index));
  }
  return app;
}

export type App = ReturnType<typeof createApp>;
