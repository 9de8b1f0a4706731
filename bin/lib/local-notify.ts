// A local GOV.UK Notify (interfaces.md §3.4–3.5): the same /v2 API, JWT check, error shapes and statuses, so
// the real notifications-node-client talks to it in development and tests. Nothing leaves the machine.
// `/__control` lets a test inject failures, switch the rate limit, set a status and see what was received.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Hono, type Context } from 'hono';
import { decode, verify } from 'hono/jwt';
import { serve, type ServerType } from '@hono/node-server';
import { fillPlaceholders, notifyTemplates, placeholdersIn } from '../../domain/messages';

export type LocalNotifyTemplate = { id: string; name: string; type: 'sms' | 'email' | 'letter'; subject: string | null; body: string };
export type KeyType = 'test' | 'team' | 'live';

/** An API key as Notify issues it: `{key_name}-{service_id}-{secret}`; the name says its type (§3.3). */
export function parseApiKey(key: string) {
  const secret = key.slice(-36);
  const serviceId = key.slice(-73, -37);
  const name = key.slice(0, -74);
  const type: KeyType = /^test/i.test(name) ? 'test' : /^team/i.test(name) ? 'team' : 'live';
  return { name, serviceId, secret, type };
}

/** The local service's own keys (not secrets of anything real): a live-type key for `npm start`, a test key. */
export const localServiceId = '2f7c3a1e-5b0d-4c8e-9a6f-1d2e3f4a5b6c';
export const localApiKey = `access_desk_local-${localServiceId}-6a1b9c2d-3e4f-4a5b-8c7d-9e0f1a2b3c4d`;
export const localTestApiKey = `test_access_desk-${localServiceId}-0f9e8d7c-6b5a-4c3d-8e1f-2a3b4c5d6e7f`;

/** Recipients that fail as GOV.UK Notify's simulator and test key make them fail. */
export const simulatedFailures: Record<string, 'permanent-failure' | 'temporary-failure' | 'technical-failure'> = {
  '07700900002': 'permanent-failure',
  '07700900003': 'temporary-failure',
  '07700900004': 'technical-failure',
  'perm-fail@simulator.notify': 'permanent-failure',
  'temp-fail@simulator.notify': 'temporary-failure',
};

export type LocalNotifyOptions = {
  port?: number; // 0 or unset: a free port
  host?: string;
  apiKeys?: string[];
  templates?: LocalNotifyTemplate[];
  /** Requests per key type per window before 429 RateLimitError (Notify's: 3,000 per 60 s). */
  rateLimit?: number;
  /** The rate limit's window; 60 s as Notify's, tests shorten it to see a limit lift. */
  rateWindowMs?: number;
  /** How statuses move on: each status read moves a message one step (default), or after so many ms. */
  progression?: 'on-read' | { afterMs: number };
  /** The clock for JWT `iat`, created_at and the rate window (tests move it). */
  now?: () => number;
};

type Stored = {
  id: string; type: 'sms' | 'email' | 'letter'; reference: string | null; keyType: KeyType;
  phoneNumber: string | null; emailAddress: string | null; lines: (string | null)[]; postage: string | null;
  personalisation: Record<string, unknown>; pdfBytes: number | null;
  template: { id: string; version: number } | null; subject: string | null; body: string;
  steps: string[]; step: number; createdAt: number; sentAt: number | null; completedAt: number | null; forced: string | null;
};

type Failure = { statusCode: number; error: string; message: string };
type Env = { Variables: { keyType: KeyType } };
type Ctx = Context<Env>;

const notifyError = (c: Context, statusCode: number, error: string, message: string) =>
  c.json({ status_code: statusCode, errors: [{ error, message }] }, statusCode as 400);

const mobile = (raw: string) => {
  const digits = raw.replace(/[\s()-]/g, '').replace(/^\+44/, '0').replace(/^0044/, '0').replace(/^44(?=7)/, '0');
  return /^07\d{9}$/.test(digits) ? digits : null;
};
const emailOk = (s: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);
const postcodeLike = (s: string) => /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/i.test(s.trim());
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const finalStatuses = new Set(['delivered', 'permanent-failure', 'temporary-failure', 'technical-failure', 'received', 'validation-failed', 'cancelled']);

export function createLocalNotifyApp(opts: LocalNotifyOptions = {}) {
  const now = opts.now ?? Date.now;
  const keys = (opts.apiKeys ?? [localApiKey, localTestApiKey]).map(parseApiKey);
  const templates = new Map((opts.templates ?? notifyTemplates().map((t) => ({ ...t, type: t.type as 'sms' | 'email' }))).map((t) => [t.id, t]));
  const progression = opts.progression ?? 'on-read';
  const rateWindowMs = opts.rateWindowMs ?? 60_000;
  let rateLimit: number | null = opts.rateLimit ?? 3000;
  let rateLimited = false;
  let failures: Failure[] = [];
  let windows = new Map<KeyType, { start: number; count: number }>();
  let notifications: Stored[] = [];

  const view = (n: Stored) => ({
    id: n.id, reference: n.reference, type: n.type, status: currentStatus(n),
    email_address: n.emailAddress, phone_number: n.phoneNumber,
    line_1: n.lines[0] ?? null, line_2: n.lines[1] ?? null, line_3: n.lines[2] ?? null, line_4: n.lines[3] ?? null,
    line_5: n.lines[4] ?? null, line_6: n.lines[5] ?? null, line_7: n.lines[6] ?? null, postcode: null,
    postage: n.postage, body: n.body, subject: n.subject,
    template: n.template ? { ...n.template, uri: `/v2/template/${n.template.id}` } : null,
    created_by_name: null, created_at: iso(n.createdAt), sent_at: iso(n.sentAt), completed_at: iso(n.completedAt),
    estimated_delivery: null, cost_in_pounds: 0, is_cost_data_ready: true,
  });

  const currentStatus = (n: Stored) => n.forced ?? n.steps[n.step];
  const settle = (n: Stored, to: number) => {
    n.step = Math.min(to, n.steps.length - 1);
    if (n.step >= 1 && n.sentAt === null) n.sentAt = now();
    if (finalStatuses.has(n.steps[n.step]) && n.completedAt === null) n.completedAt = now();
  };
  /** A status read: on-read moves one step; timed progression goes by age. */
  const advance = (n: Stored) => {
    if (n.forced) return;
    if (progression === 'on-read') settle(n, n.step + 1);
    else settle(n, now() - n.createdAt >= progression.afterMs ? n.steps.length - 1 : 1);
  };

  const app = new Hono<Env>();

  // Control API for tests and local runs: never part of Notify, so no JWT.
  const control = new Hono()
    .post('/reset', (c) => { notifications = []; failures = []; windows = new Map(); rateLimited = false; rateLimit = opts.rateLimit ?? 3000; return c.json({ ok: true }); })
    .post('/fail', async (c) => {
      const b = await c.req.json<{ count?: number; statusCode?: number; error?: string; message?: string }>();
      const f: Failure = { statusCode: b.statusCode ?? 500, error: b.error ?? 'Exception', message: b.message ?? 'Internal server error' };
      failures.push(...Array.from({ length: b.count ?? 1 }, () => f));
      return c.json({ pending: failures.length });
    })
    .post('/rate-limit', async (c) => {
      const b = await c.req.json<{ limited?: boolean; limit?: number | null }>();
      if (b.limited !== undefined) rateLimited = b.limited;
      if (b.limit !== undefined) { rateLimit = b.limit; windows = new Map(); }
      return c.json({ limited: rateLimited, limit: rateLimit });
    })
    .post('/notifications/:id/status', async (c) => {
      const n = notifications.find((x) => x.id === c.req.param('id'));
      if (!n) return c.json({ error: 'no such notification' }, 404);
      const { status } = await c.req.json<{ status: string }>();
      n.forced = status;
      if (n.sentAt === null) n.sentAt = now();
      if (finalStatuses.has(status)) n.completedAt ??= now();
      return c.json(view(n));
    })
    .get('/notifications', (c) => c.json(notifications.map((n) => ({
      id: n.id, type: n.type, reference: n.reference, keyType: n.keyType, status: currentStatus(n),
      phoneNumber: n.phoneNumber, emailAddress: n.emailAddress, addressLines: n.lines.filter(Boolean),
      templateId: n.template?.id ?? null, personalisation: n.personalisation, subject: n.subject, body: n.body, pdfBytes: n.pdfBytes,
    }))));
  app.route('/__control', control);

  // Authentication as Notify does it: the token's iss names the service, one of its keys' secrets must sign
  // it, and its iat must be within 30 s of now.
  app.use('/v2/*', async (c, next) => {
    const header = c.req.header('Authorization');
    if (!header?.startsWith('Bearer ')) return notifyError(c, 401, 'AuthError', 'Unauthorized: authentication token must be provided');
    const token = header.slice(7);
    let claims: Record<string, unknown>;
    try { claims = decode(token).payload as Record<string, unknown>; } catch {
      return notifyError(c, 403, 'AuthError', 'Invalid token: signature, api token is not valid');
    }
    if (typeof claims.iss !== 'string') return notifyError(c, 403, 'AuthError', 'Invalid token: iss field not provided');
    const serviceKeys = keys.filter((k) => k.serviceId === claims.iss);
    if (serviceKeys.length === 0) return notifyError(c, 403, 'AuthError', 'Invalid token: service not found');
    let key: (typeof keys)[number] | undefined;
    for (const k of serviceKeys) {
      // Signature only here; the clock is judged below with Notify's own tolerance.
      if (await verify(token, k.secret, { alg: 'HS256', iat: false, exp: false, nbf: false }).then(() => true, () => false)) { key = k; break; }
    }
    if (!key) return notifyError(c, 403, 'AuthError', 'Invalid token: API key not found');
    if (typeof claims.iat !== 'number' || Math.abs(now() / 1000 - claims.iat) > 30) {
      return notifyError(c, 403, 'AuthError', 'Error: Your system clock must be accurate to within 30 seconds');
    }
    const failure = failures.shift();
    if (failure) return notifyError(c, failure.statusCode, failure.error, failure.message);
    if (rateLimited || rateLimit !== null) {
      const w = windows.get(key.type);
      const window = w && now() - w.start < rateWindowMs ? w : { start: now(), count: 0 };
      window.count += 1;
      windows.set(key.type, window);
      if (rateLimited || (rateLimit !== null && window.count > rateLimit)) {
        c.header('Retry-After', String(Math.max(1, Math.ceil((window.start + rateWindowMs - now()) / 1000))));
        return notifyError(c, 429, 'RateLimitError', `Exceeded rate limit for key type ${key.type.toUpperCase()} of ${rateLimit ?? 0} requests per ${rateWindowMs / 1000} seconds`);
      }
    }
    c.set('keyType', key.type);
    await next();
  });

  const body = async (c: Ctx) => {
    try { return (await c.req.json()) as Record<string, unknown>; } catch { return null; }
  };
  const stringRecord = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {});

  const store = (c: Ctx, n: Omit<Stored, 'id' | 'keyType' | 'step' | 'steps' | 'createdAt' | 'sentAt' | 'completedAt' | 'forced'>, recipient: string | null) => {
    const keyType = c.get('keyType');
    const fails = recipient ? simulatedFailures[mobile(recipient) ?? recipient.toLowerCase()] : undefined;
    const steps = n.type === 'letter' ? ['accepted', 'received'] : ['created', 'sending', fails ?? 'delivered'];
    const stored: Stored = { ...n, id: randomUUID(), keyType, steps, step: 0, createdAt: now(), sentAt: null, completedAt: null, forced: null };
    // A test key sends nothing: the message is finished the moment it is accepted.
    if (keyType === 'test') settle(stored, steps.length - 1);
    notifications.push(stored);
    return stored;
  };

  const rendered = (c: Ctx, templateId: unknown, type: 'sms' | 'email' | 'letter', personalisation: Record<string, unknown>) => {
    if (typeof templateId !== 'string' || !/^[0-9a-f-]{36}$/i.test(templateId)) return { error: notifyError(c, 400, 'ValidationError', 'template_id is not a valid UUID') };
    const t = templates.get(templateId);
    if (!t) return { error: notifyError(c, 400, 'BadRequestError', 'Template not found') };
    if (t.type !== type) return { error: notifyError(c, 400, 'BadRequestError', `${type} template is not suitable for ${t.type} notification`) };
    const values = Object.fromEntries(Object.entries(personalisation).map(([k, v]) => [k, String(v)]));
    const missing = [...placeholdersIn(t.body), ...placeholdersIn(t.subject ?? '')].filter((p, i, all) => all.indexOf(p) === i && values[p] === undefined);
    if (missing.length > 0) return { error: notifyError(c, 400, 'BadRequestError', `Missing personalisation: ${missing.join(', ')}`) };
    return { template: t, body: fillPlaceholders(t.body, values), subject: t.subject === null ? null : fillPlaceholders(t.subject, values) };
  };

  const baseUrl = (c: Ctx) => new URL(c.req.url).origin;
  const reference = (v: unknown) => (typeof v === 'string' ? v : null);

  app.post('/v2/notifications/sms', async (c) => {
    const b = await body(c);
    if (!b) return notifyError(c, 400, 'BadRequestError', 'Invalid JSON supplied in POST data');
    if (typeof b.phone_number !== 'string') return notifyError(c, 400, 'ValidationError', 'phone_number is a required property');
    const phone = mobile(b.phone_number);
    if (!phone) return notifyError(c, 400, 'ValidationError', 'phone_number Not a UK mobile number');
    const personalisation = stringRecord(b.personalisation);
    const r = rendered(c, b.template_id, 'sms', personalisation);
    if ('error' in r) return r.error;
    const n = store(c, { type: 'sms', reference: reference(b.reference), phoneNumber: `+44${phone.slice(1)}`, emailAddress: null, lines: [], postage: null,
      personalisation, pdfBytes: null, template: { id: r.template.id, version: 1 }, subject: null, body: r.body }, phone);
    return c.json({ id: n.id, reference: n.reference, content: { body: r.body, from_number: 'NHSTRUST' }, uri: `${baseUrl(c)}/v2/notifications/${n.id}`,
      template: { id: r.template.id, version: 1, uri: `${baseUrl(c)}/v2/template/${r.template.id}` } }, 201);
  });

  app.post('/v2/notifications/email', async (c) => {
    const b = await body(c);
    if (!b) return notifyError(c, 400, 'BadRequestError', 'Invalid JSON supplied in POST data');
    if (typeof b.email_address !== 'string') return notifyError(c, 400, 'ValidationError', 'email_address is a required property');
    if (!emailOk(b.email_address)) return notifyError(c, 400, 'ValidationError', 'email_address Not a valid email address');
    const personalisation = stringRecord(b.personalisation);
    const r = rendered(c, b.template_id, 'email', personalisation);
    if ('error' in r) return r.error;
    const n = store(c, { type: 'email', reference: reference(b.reference), phoneNumber: null, emailAddress: b.email_address, lines: [], postage: null,
      personalisation, pdfBytes: null, template: { id: r.template.id, version: 1 }, subject: r.subject, body: r.body }, b.email_address);
    return c.json({ id: n.id, reference: n.reference, content: { subject: r.subject, body: r.body, from_email: 'access.centre@notifications.service.gov.uk' },
      uri: `${baseUrl(c)}/v2/notifications/${n.id}`, template: { id: r.template.id, version: 1, uri: `${baseUrl(c)}/v2/template/${r.template.id}` } }, 201);
  });

  app.post('/v2/notifications/letter', async (c) => {
    const b = await body(c);
    if (!b) return notifyError(c, 400, 'BadRequestError', 'Invalid JSON supplied in POST data');
    if (c.get('keyType') === 'team') return notifyError(c, 400, 'BadRequestError', 'Cannot send letters with a team api key');
    if (b.content !== undefined) {
      // A precompiled letter: a PDF of at most 5 MB; the reference is required.
      if (typeof b.reference !== 'string' || b.reference === '') return notifyError(c, 400, 'ValidationError', 'reference is a required property');
      if (b.postage !== undefined && b.postage !== 'first' && b.postage !== 'second') return notifyError(c, 400, 'ValidationError', 'postage invalid. It must be either first or second.');
      const pdf = typeof b.content === 'string' ? Buffer.from(b.content, 'base64') : Buffer.alloc(0);
      if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') return notifyError(c, 400, 'ValidationError', 'Letter content is not a valid PDF');
      if (pdf.length > 5 * 1024 * 1024) return notifyError(c, 400, 'ValidationError', 'Letter content is too large: it must be 5MB or smaller');
      const postage = (b.postage as string | undefined) ?? 'second';
      const n = store(c, { type: 'letter', reference: b.reference, phoneNumber: null, emailAddress: null, lines: [], postage,
        personalisation: {}, pdfBytes: pdf.length, template: null, subject: 'Pre-compiled PDF', body: '' }, null);
      return c.json({ id: n.id, reference: n.reference, postage }, 201);
    }
    const personalisation = stringRecord(b.personalisation);
    const lines = Array.from({ length: 7 }, (_, i) => personalisation[`address_line_${i + 1}`]).map((l) => (typeof l === 'string' && l.trim() ? l : null));
    if (!lines[0]) return notifyError(c, 400, 'ValidationError', 'personalisation address_line_1 is a required property');
    const given = lines.filter((l): l is string => l !== null);
    if (given.length < 3) return notifyError(c, 400, 'ValidationError', 'Address must be at least 3 lines');
    if (!postcodeLike(given[given.length - 1])) return notifyError(c, 400, 'ValidationError', 'Must be a real UK postcode');
    const r = rendered(c, b.template_id, 'letter', personalisation);
    if ('error' in r) return r.error;
    const n = store(c, { type: 'letter', reference: reference(b.reference), phoneNumber: null, emailAddress: null, lines, postage: 'second',
      personalisation, pdfBytes: null, template: { id: r.template.id, version: 1 }, subject: r.subject, body: r.body }, null);
    return c.json({ id: n.id, reference: n.reference, content: { subject: r.subject, body: r.body }, uri: `${baseUrl(c)}/v2/notifications/${n.id}`,
      template: { id: r.template.id, version: 1, uri: `${baseUrl(c)}/v2/template/${r.template.id}` }, scheduled_for: null }, 201);
  });

  app.get('/v2/notifications/:id', (c) => {
    const id = c.req.param('id');
    if (!/^[0-9a-f-]{36}$/i.test(id)) return notifyError(c, 400, 'ValidationError', 'notification_id is not a valid UUID');
    const n = notifications.find((x) => x.id === id);
    if (!n) return notifyError(c, 404, 'NoResultFound', 'No result found');
    advance(n);
    return c.json(view(n));
  });

  const filterStatuses = ['created', 'sending', 'sent', 'delivered', 'pending', 'failed', 'technical-failure', 'temporary-failure', 'permanent-failure', 'accepted', 'received'];
  app.get('/v2/notifications', (c) => {
    const q = c.req.query();
    if (q.template_type && !['sms', 'email', 'letter'].includes(q.template_type)) {
      return notifyError(c, 400, 'ValidationError', `template_type ${q.template_type} is not one of [sms, email, letter]`);
    }
    const statuses = c.req.queries('status') ?? [];
    const bad = statuses.find((s) => !filterStatuses.includes(s));
    if (bad) return notifyError(c, 400, 'ValidationError', `status ${bad} is not one of [${filterStatuses.join(', ')}]`);
    // Newest first, as Notify lists them; older_than pages on from a notification's id.
    let list = [...notifications].reverse();
    if (q.older_than) {
      const at = list.findIndex((n) => n.id === q.older_than);
      list = at < 0 ? [] : list.slice(at + 1);
    }
    list.forEach(advance);
    list = list.filter((n) => (!q.template_type || n.type === q.template_type) && (!q.reference || n.reference === q.reference)
      && (statuses.length === 0 || statuses.some((s) => (s === 'failed' ? currentStatus(n).endsWith('failure') : currentStatus(n) === s))));
    const page = list.slice(0, 250);
    const self = new URL(c.req.url);
    const next = list.length > 250 ? new URL(self) : null;
    next?.searchParams.set('older_than', page[page.length - 1].id);
    return c.json({ notifications: page.map(view), links: { current: self.toString(), ...(next ? { next: next.toString() } : {}) } });
  });

  const templateView = (c: Ctx, t: LocalNotifyTemplate) => ({
    id: t.id, name: t.name, type: t.type, created_at: '2026-01-01T00:00:00.000Z', updated_at: null, created_by: 'access-desk@local',
    version: 1, body: t.body, subject: t.subject, letter_contact_block: null, postage: null, personalisation: Object.fromEntries(
      [...placeholdersIn(t.body), ...placeholdersIn(t.subject ?? '')].map((p) => [p, { required: true }])),
    uri: `${baseUrl(c)}/v2/template/${t.id}`,
  });

  app.get('/v2/template/:id', (c) => {
    const t = templates.get(c.req.param('id'));
    return t ? c.json(templateView(c, t)) : notifyError(c, 404, 'NoResultFound', 'No result found');
  });
  app.get('/v2/template/:id/version/:version', (c) => {
    const t = templates.get(c.req.param('id'));
    return t && c.req.param('version') === '1' ? c.json(templateView(c, t)) : notifyError(c, 404, 'NoResultFound', 'No result found');
  });
  app.get('/v2/templates', (c) => {
    const type = c.req.query('type');
    if (type && !['sms', 'email', 'letter'].includes(type)) return notifyError(c, 400, 'ValidationError', `type ${type} is not one of [sms, email, letter]`);
    return c.json({ templates: [...templates.values()].filter((t) => !type || t.type === type).map((t) => templateView(c, t)) });
  });
  app.post('/v2/template/:id/preview', async (c) => {
    const t = templates.get(c.req.param('id'));
    if (!t) return notifyError(c, 404, 'NoResultFound', 'No result found');
    const b = (await body(c)) ?? {};
    const r = rendered(c, t.id, t.type, stringRecord(b.personalisation));
    if ('error' in r) return r.error;
    return c.json({ id: t.id, type: t.type, version: 1, body: r.body, subject: r.subject, html: null, postage: null });
  });

  app.notFound((c) => notifyError(c, 404, 'NoResultFound', 'No result found'));
  return app;
}

export type LocalNotify = { baseUrl: string; apiKey: string; testApiKey: string; stop(): Promise<void> };

/** Starts the service on 127.0.0.1 (a free port unless one is given). */
export async function startLocalNotify(opts: LocalNotifyOptions = {}): Promise<LocalNotify> {
  const app = createLocalNotifyApp(opts);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: opts.host ?? '127.0.0.1' }, () => resolve(s));
  });
  const apiKeys = opts.apiKeys ?? [localApiKey, localTestApiKey];
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey: apiKeys.find((k) => parseApiKey(k).type !== 'test') ?? apiKeys[0],
    testApiKey: apiKeys.find((k) => parseApiKey(k).type === 'test') ?? apiKeys[0],
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closed;
    },
  };
}
