// The API, composed: built by a function that does not listen, so tests call app.request().
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { requestId } from 'hono/request-id';
import { createRequire } from 'node:module';
import { HTTPException } from 'hono/http-exception';
import { serveStatic } from '@hono/node-server/serve-static';
import { z } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import { migrationStatus, pingDatabase } from '../db/client';
import { londonDate } from '../domain';
import type { AppDeps, AppEnv } from './context';
import { AppError, errorBody, fromZod, type ErrorCode } from './errors';
import { describeError, isDatabaseUnavailable } from './log';
import { idempotentCreate } from './idempotency';
import { authRoutes, requireSession, SESSION_COOKIE } from './auth';
import { referralRoutes } from './routes/referrals';
import { taskRoutes } from './routes/tasks';
import { absenceRoutes } from './routes/absences';
import { referenceResources, referenceRoutes } from './routes/reference';
import { clinicRoutes } from './routes/clinics';
import { patientRoutes } from './routes/patients';
import { errors, json, route, router, signedIn } from './openapi';
import { health, readiness } from './records';
import { queueRoutes } from './routes/queues';
import { ptlRoutes } from './routes/ptl';
import { exportRoutes } from './routes/exports';
import { returnRoutes } from './routes/returns';
import { appointmentRoutes, rttEventRoutes } from './routes/pathway';
import { auditRoutes, dashboardRoutes } from './routes/team';
import { appointmentChangeRoutes } from './routes/appointment-changes';
import { offerRoutes, referralOfferRoutes } from './routes/offers';
import { admissionRoutes, referralAdmittedRoutes, tciOfferRoutes, theatreSessionRoutes } from './routes/admitted';
import { sessionChangeRoutes } from './routes/session-changes';
import { communicationRoutes } from './routes/communications';
import { contactRoutes, patientContactRoutes } from './routes/contacts';
import { enquiryRoutes } from './routes/enquiry';
import { notificationRoutes } from './routes/notifications';
import { hl7MessageRoutes } from './routes/hl7-messages';
import { importRoutes } from './routes/imports';
import { createImportJobs } from './imports';
import { systemClientRoutes } from './routes/system-clients';
import { fhirRoutes } from './fhir/routes';
import { forecastRoutes } from './routes/forecast';
import { cancelledOperationExportRoutes, cancelledOperationRoutes, operationCancelRoutes } from './routes/cancelled-operations';
import { standByCommandRoutes, standByListRoutes } from './routes/stand-by';
import { followUpBacklogRoutes, partialBookingExportRoutes, partialBookingRoutes } from './routes/partial-booking';
import { wardFormRoutes } from './routes/ward-forms';
import { cashUpRoutes } from './routes/cash-up';
import { wardRoutes } from './routes/wards';
import { attendanceRoutes, pifuRoutes, referralPifuRoutes } from './routes/attendances';
import { bodyDeclarations, browserHeaders, corsFor, DOCS_PATH, jsonBodiesOnly, limitBodySize, refuseNul, sameOriginWrites } from './security';
import { bodyNotJson, checkJsonBodies } from './validate';
import { createMetrics, metricsAccess } from './metrics';

/** True if the probe succeeds within `ms`; false if it fails or takes longer. */
function withinMs(probe: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  return Promise.race([probe.catch(() => false), late]).finally(() => clearTimeout(timer));
}

const httpCodes: Record<number, ErrorCode> = { 400: 'VALIDATION_FAILED', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };

/** Scalar's single-file browser build, served from node_modules: this page reaches no CDN. */
let scalarScript: string | undefined;
function scalarBundle(): string {
  if (scalarScript) return scalarScript;
  // The package exports no path to this file, so look for it where Node looks for packages.
  const file = (createRequire(import.meta.url).resolve.paths('@scalar/api-reference') ?? [])
    .map((dir) => path.join(dir, '@scalar/api-reference/dist/browser/standalone.js')).find((f) => existsSync(f));
  if (!file) throw new AppError('NOT_FOUND', 'The reference page script is not installed');
  return (scalarScript = readFileSync(file, 'utf8'));
}

const openApiInfo = {
  openapi: '3.0.3',
  info: {
    title: 'Access Desk API', version: '0.3.0',
    description: 'Referral-to-appointment pathways for an NHS access centre. Sign in with POST /api/auth/login; the session cookie '
      + `\`${SESSION_COOKIE}\` authenticates every other call. Errors are one JSON shape: { message, code, errors: { field: message } }; `
      + 'docs/api.md lists every code.',
  },
  security: [{ session: [] }],
};

/** Today as the trust's calendar date: the one clock read for "today" in the API and the entry points. */
export const londonToday = () => londonDate(Date.now());

export function createApp(deps: AppDeps) {
  const full = { ...deps, today: deps.today ?? londonToday };
  const app = router();

  // A caller's X-Request-Id is kept (so a proxy's id follows the request), otherwise one is made; it is
  // echoed on the response, and every line logged for the request carries it through c.get('logger').
  app.use('*', requestId({ headerName: 'X-Request-Id', limitLength: 128 }));
  if (deps.tracing) app.use('*', deps.tracing);
  const metrics = createMetrics({ db: deps.db, today: full.today });
  app.use('*', metrics.middleware);
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
  // Each route's body (its media types, a larger size limit) as its definition declares it.
  const declared = bodyDeclarations(() => app);
  app.use('/api/*', corsFor(deps.corsOrigins), sameOriginWrites(deps.corsOrigins), refuseNul(), limitBodySize(declared), jsonBodiesOnly(declared), checkJsonBodies(declared));

  app.onError((err, c) => {
    if (err instanceof AppError) return c.json(errorBody(err), err.status);
    if (err instanceof z.ZodError) return c.json(errorBody(fromZod(err)), 400);
    // A route's validator refusing a missing or non-JSON body, or the media type.
    if (err instanceof HTTPException && httpCodes[err.status]) {
      const known = err.status === 400 ? bodyNotJson() : new AppError(httpCodes[err.status], err.message);
      return c.json(errorBody(known), known.status);
    }
    const requestId = c.get('requestId');
    // Never err.message: a failed query's message lists its bound parameters (NHS numbers, names).
    if (isDatabaseUnavailable(err)) {
      c.get('logger').warn('database unavailable', { method: c.req.method, path: c.req.path, error: describeError(err) });
      c.header('Retry-After', '1');
      return c.json(errorBody(new AppError('UNAVAILABLE', `The database is not answering just now; please try again (request ${requestId})`)), 503);
    }
    c.get('logger').error('unhandled error', { method: c.req.method, path: c.req.path, error: describeError(err) });
    return c.json({ message: `Something went wrong on our side (request ${requestId})`, code: 'INTERNAL', errors: {} }, 500);
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Set by POST /api/auth/login; HttpOnly, SameSite=Lax',
  });
  // Liveness: the process answers. An orchestrator restarts on this, so a dependency being down never fails it.
  app.openapi(route({
    method: 'get', path: '/api/health', tags: ['operations'], operationId: 'health', summary: 'The API process is alive', security: [],
    responses: { 200: json('Alive', health) },
  }), (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' }, 200);
  });
  // Readiness: send traffic here only when the database, Temporal and this build's migrations are all there.
  let migrationsCurrent = false; // once applied, a running build's migrations stay applied
  app.openapi(route({
    method: 'get', path: '/api/ready', tags: ['operations'], operationId: 'ready', summary: 'Ready for traffic: database, Temporal and migrations', security: [],
    responses: { 200: json('Ready', readiness), 503: json('Not ready: the body names what is down', readiness) },
  }), async (c) => {
    const probeMs = 1500;
    const [db, temporal, migrations] = await Promise.all([
      withinMs(pingDatabase(deps.db), probeMs),
      withinMs(deps.temporal.client.connection.withDeadline(Date.now() + probeMs, () => deps.temporal.client.workflowService.getSystemInfo({})).then(() => true), probeMs),
      migrationsCurrent ? 'current' as const : withinMs(migrationStatus(deps.db).then((m) => m.applied >= m.expected), probeMs)
        .then((current) => (current ? 'current' as const : 'behind' as const)),
    ]);
    const migrationState = !db ? 'unknown' : migrations;
    if (migrationState === 'current') migrationsCurrent = true;
    const down = [
      ...(db ? [] : ['the database is not answering']),
      ...(temporal ? [] : ['Temporal is not answering']),
      ...(migrationState === 'behind' ? ['the database lacks migrations (run npm run migrate)'] : []),
    ];
    const ready = down.length === 0;
    c.header('Cache-Control', 'no-store');
    return c.json({
      status: ready ? 'ready' as const : 'not_ready' as const, db: db ? 'up' as const : 'down' as const, temporal: temporal ? 'up' as const : 'down' as const,
      migrations: migrationState, message: ready ? 'Ready' : `Not ready: ${down.join('; ')}`,
    }, ready ? 200 : 503);
  });
  let document: ReturnType<typeof app.getOpenAPIDocument> | undefined; // made once, on first request: all routes are in by then
  const reference = Scalar((c) => ({
    url: '/api/openapi.json', cdn: `${DOCS_PATH}/standalone.js`, pageTitle: 'Access Desk API', withDefaultFonts: false,
    nonce: (c as unknown as { get(key: 'secureHeadersNonce'): string }).get('secureHeadersNonce'),
  }));
  app.openapi(route({
    method: 'get', path: '/api/openapi.json', tags: ['operations'], operationId: 'openapi', summary: 'This document', security: [],
    responses: { 200: json('OpenAPI 3.0', z.record(z.string(), z.unknown())) },
  }), (c) => c.json(document ??= app.getOpenAPIDocument(openApiInfo)));
  app.openapi(route({
    method: 'get', path: DOCS_PATH, tags: ['operations'], operationId: 'reference', summary: 'This document as an interactive reference page', security: [],
    responses: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } } },
  }), async (c, next) => (await reference(c as never, next)) as Response);
  app.openapi(route({
    method: 'get', path: `${DOCS_PATH}/standalone.js`, tags: ['operations'], operationId: 'reference_script', summary: "The reference page's script", security: [],
    responses: { 200: { description: 'JavaScript', content: { 'text/javascript': { schema: z.string() } } } },
  }), (c) => c.body(scalarBundle(), 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.route('/api/auth', authRoutes(full));
  // Prometheus (docs/operations.md "Metrics"): METRICS_TOKEN as a bearer token, or an ops or admin session.
  app.openAPIRegistry.registerComponent('securitySchemes', 'metricsBearer', {
    type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, as configured on the API: for Prometheus',
  });
  app.openapi(route({
    method: 'get', path: '/metrics', tags: ['operations'], operationId: 'metrics', summary: 'Prometheus metrics: requests, work queues, pathways, breaches due, outboxes',
    security: [{ session: [] }, { metricsBearer: [] }], middleware: metricsAccess(deps),
    responses: { 200: { description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: z.string() } } }, ...errors(...signedIn) },
  }), async (c) => c.body(await metrics.scrape(), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' }));

  const api = router();
  api.use('*', requireSession(deps));
  // Creating writes honour Idempotency-Key (referrals have no natural key without a UBRN); so does
  // completing an item, which books appointments, so a retried booking replays its answer.
  for (const creating of ['/referrals', '/absences', '/tasks/:id/complete', '/referrals/:id/rtt-events']) api.use(creating, idempotentCreate(deps.db));
  // Confirming a session change too; its preview changes nothing and keeps no answer.
  const idempotentChange = idempotentCreate(deps.db);
  api.use('/clinic-sessions/changes', (c, next) => (c.req.query('preview') === 'true' ? next() : idempotentChange(c, next)));
  api.route('/referrals', referralRoutes(full));
  api.route('/referrals', rttEventRoutes(full));
  api.route('/appointments', appointmentRoutes(full));
  // Issue 10: appointments cancelled or moved; offers of dates to patients.
  for (const changing of ['/appointments/:id/cancel', '/appointments/:id/reschedule', '/referrals/:id/offers']) api.use(changing, idempotentCreate(deps.db));
  api.route('/appointments', appointmentChangeRoutes(full));
  api.route('/referrals', referralOfferRoutes(full));
  api.route('/offers', offerRoutes(full));
  // Issue 15: admitted care. Decisions and offers honour Idempotency-Key: a retried request answers as the first did.
  for (const changing of ['/referrals/:id/decision-to-admit', '/referrals/:id/tci-offers', '/theatre-sessions', '/admissions/:id/pre-op-outcome',
    '/admissions/:id/admit', '/admissions/:id/decision-not-to-treat', '/tci-offers/:id/accept', '/tci-offers/:id/decline']) api.use(changing, idempotentCreate(deps.db));
  api.route('/referrals', referralAdmittedRoutes(full));
  api.route('/admissions', admissionRoutes(full));
  api.route('/theatre-sessions', theatreSessionRoutes(full));
  api.route('/tci-offers', tciOfferRoutes(full));
  // Issue 16: attendances outside clinic and PIFU requests honour Idempotency-Key: a retry answers as the first did.
  for (const changing of ['/attendances', '/referrals/:id/pifu-trigger']) api.use(changing, idempotentCreate(deps.db));
  api.route('/attendances', attendanceRoutes(full));
  api.route('/referrals', referralPifuRoutes(full));
  api.route('/pifu', pifuRoutes(full));
  api.route('/tasks', taskRoutes(full));
  api.route('/absences', absenceRoutes(full));
  api.route('/queues', queueRoutes(full));
  api.route('/audit', auditRoutes(full));
  api.route('/dashboard', dashboardRoutes(full));
  api.route('/', exportRoutes(full)); // GET /api/<list>.csv
  api.route('/', ptlRoutes(full));
  api.route('/returns', returnRoutes(full));
  // Adding a clinic or a template version honours Idempotency-Key too: a retried create makes one, not two.
  for (const creating of ['/clinics', '/clinics/:id/templates']) api.use(creating, idempotentCreate(deps.db));
  api.route('/clinics', clinicRoutes(full));
  api.route('/clinic-sessions', sessionChangeRoutes(full));
  api.route('/communications', communicationRoutes(full)); // the outbox (issue 12)
  api.route('/patients', patientRoutes(full));
  // Issue 12: the contact log (a retried log writes one contact), the Enquiry screen's search, the staff inbox.
  api.use('/patients/:id/contacts', idempotentCreate(deps.db));
  api.route('/patients', patientContactRoutes(full));
  api.route('/contacts', contactRoutes(full));
  api.route('/enquiry', enquiryRoutes(full));
  api.route('/notifications', notificationRoutes(full));
  api.route('/hl7-messages', hl7MessageRoutes(full));
  // Go-live (issue 13): PAS extracts in, run in the background by this process's import jobs.
  const importJobs = deps.imports ?? createImportJobs({ db: deps.db, temporal: deps.temporal, logger: deps.logger, today: full.today, now: deps.now });
  api.route('/imports', importRoutes(full, importJobs));
  // FHIR read API (issue 14): administrators give other hospital systems a token for /fhir.
  api.route('/system-clients', systemClientRoutes(full));
  // Issue 15: stand-by, on-the-day cancellations and the 28-day guarantee, ward capacity.
  api.route('/admissions', standByCommandRoutes(full));
  api.route('/admissions', operationCancelRoutes(full));
  api.route('/stand-by', standByListRoutes(full));
  api.route('/', cancelledOperationExportRoutes(full)); // GET /api/cancelled-operations.csv
  api.route('/cancelled-operations', cancelledOperationRoutes(full));
  api.route('/wards', wardRoutes(full));
  // Issue 16: the partial booking list, booking from it, the follow-up backlog (and their CSVs).
  api.route('/', partialBookingExportRoutes(full));
  api.route('/partial-booking', partialBookingRoutes(full));
  api.route('/follow-up-backlog', followUpBacklogRoutes(full));
  // Issue 16: ward forms (a retried form makes one pathway) and the clinic cash-up (a retried pass replays its answer).
  for (const creating of ['/ward-forms', '/cash-up/:id']) api.use(creating, idempotentCreate(deps.db));
  api.route('/ward-forms', wardFormRoutes(full));
  api.route('/cash-up', cashUpRoutes(full));
  api.route('/forecast', forecastRoutes(full)); // issue 17
  for (const resource of referenceResources) api.route(`/${resource}`, referenceRoutes(full, resource));
  api.all('*', (c) => { throw new AppError('NOT_FOUND', `No such route: ${c.req.method} ${c.req.path}`); });
  app.route('/api', api);
  // FHIR R4 (UK Core) reads for the rest of the hospital: staff sessions or a system client's bearer token.
  app.route('/fhir', fhirRoutes(full) as never);

  if (deps.uiDist && existsSync(path.join(deps.uiDist, 'index.html'))) {
    const root = path.relative(process.cwd(), deps.uiDist) || '.';
    const index = readFileSync(path.join(deps.uiDist, 'index.html'), 'utf8');
    app.use('/*', serveStatic({ root }));
    app.get('*', (c) => c.html(index));
  }
  return app;
}

export type App = ReturnType<typeof createApp>;
