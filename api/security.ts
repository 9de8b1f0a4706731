// What every request meets before any route: a size limit read before the body, JSON only, no NUL
// characters, CORS only for a configured allow-list, writes only from our own origin, and the
// browser's security headers.
import type { Context, MiddlewareHandler } from 'hono';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { matchedRoutes } from 'hono/route';
import { cors } from 'hono/cors';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './context';
import { AppError } from './errors';

/** Bodies larger than this are refused before they are read (and before sign-in is checked). */
export const MAX_BODY_BYTES = 100 * 1024;
/** Moving work by id list may name up to 20,000 items (about 600 kB of ids). */
export const MAX_BULK_BODY_BYTES = 1024 * 1024;
/** A go-live PAS extract (issue 13): a file, not JSON. About 75,000 rows are 10–15 MB. */
export const MAX_IMPORT_BODY_BYTES = 50 * 1024 * 1024;

/**
 * How a route declares a body larger than MAX_BODY_BYTES: this OpenAPI extension on its definition (`route({ ...,
 * [MAX_BODY_BYTES_EXTENSION]: n })`), so the document tells clients the limit too.
 */
export const MAX_BODY_BYTES_EXTENSION = 'x-max-body-bytes';

/** What a route declares of its body: the media types it takes (its OpenAPI request body) and its size limit, if larger. */
export type BodyDeclaration = { types: string[]; maxBytes?: number };
export type BodyDeclarations = (c: Context) => BodyDeclaration | undefined;

/**
 * The body declaration of the route a request is for, read from the app's OpenAPI definitions, so that the
 * middleware before the routes follows what each route says rather than knowing paths. Read at the first request,
 * when every route is registered.
 */
export function bodyDeclarations(app: () => Pick<OpenAPIHono, 'openAPIRegistry'>): BodyDeclarations {
  let byRoute: Map<string, BodyDeclaration> | undefined;
  const load = () => {
    const map = new Map<string, BodyDeclaration>();
    for (const def of app().openAPIRegistry.definitions) {
      if (def.type !== 'route') continue;
      const types = Object.keys(def.route.request?.body?.content ?? {});
      const maxBytes = (def.route as unknown as Record<string, unknown>)[MAX_BODY_BYTES_EXTENSION] as number | undefined;
      // Hono's spelling of the path, as the router matched it: {id} → :id.
      if (types.length || maxBytes) map.set(`${def.route.method.toUpperCase()} ${def.route.path.replace(/\{(\w+)\}/g, ':$1')}`, { types, maxBytes });
    }
    return map;
  };
  return (c) => {
    byRoute ??= load();
    // The route that answers: the first matched for this method (middleware registered for any method is 'ALL').
    const route = matchedRoutes(c).find((r) => r.method === c.req.method);
    return route && byRoute.get(`${route.method} ${route.path}`);
  };
}

/** True when the route takes a body that is not JSON (the import's text/csv): it checks the media type itself. */
export const takesOtherThanJson = (declared: BodyDeclaration | undefined) => !!declared?.types.length && !declared.types.includes('application/json');

export function limitBodySize(declarations: BodyDeclarations): MiddlewareHandler<AppEnv> {
  const inWords = (max: number) => (max >= 1024 * 1024 ? `${Math.round(max / 1024 / 1024)} MB` : `${Math.round(max / 1024)} kB`);
  const tooLarge = (max: number) => () => {
    throw new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${inWords(max)}`, { '(body)': `must be at most ${inWords(max)}` });
  };
  const limits = new Map<number, MiddlewareHandler>();
  const limitOf = (max: number) => {
    if (!limits.has(max)) limits.set(max, bodyLimit({ maxSize: max, onError: tooLarge(max) }));
    return limits.get(max)!;
  };
  return (c, next) => limitOf(declarations(c)?.maxBytes ?? MAX_BODY_BYTES)(c, next);
}

const hasBody = (headers: Headers) => headers.has('transfer-encoding') || Number(headers.get('content-length') ?? '0') > 0;

/**
 * Only `application/json` bodies: a cross-site HTML form can only send form encodings or text/plain,
 * so this refuses forged form posts, and nothing is parsed as JSON that did not say it was.
 */
export function jsonBodiesOnly(declarations: BodyDeclarations): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // A route that declares another type (the import's text/csv) refuses anything else itself, after sign-in and the
    // role check; a form cannot send text/csv.
    if (takesOtherThanJson(declarations(c))) return next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS' && hasBody(c.req.raw.headers)) {
      const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/json') {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json', { '(body)': 'must be application/json' });
      }
    }
    await next();
  };
}

/** A NUL character in a path or query never reaches Postgres (which cannot store one): 400 naming where. */
export function refuseNul(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const refuse = (field: string) => new AppError('VALIDATION_FAILED', `${field}: must not contain a NUL character`, { [field]: 'must not contain a NUL character' });
    if (/%00/.test(url.pathname) || url.pathname.includes('\u0000')) throw refuse('id');
    for (const [name, value] of url.searchParams) if (name.includes('\u0000') || value.includes('\u0000')) throw refuse(name.replace(/\u0000/g, ''));
    await next();
  };
}

/** CORS stays off (same-origin console) unless origins are listed; only a listed origin is ever echoed. */
export function corsFor(origins: readonly string[] | undefined): MiddlewareHandler<AppEnv> {
  if (!origins?.length) return async (_c, next) => { await next(); };
  return cors({ origin: [...origins], credentials: true, exposeHeaders: ['Content-Range', 'X-Request-Id'] });
}

const SAFE_METHODS = /^(GET|HEAD|OPTIONS)$/;

/**
 * Writes from another site are refused (403 CROSS_SITE_REQUEST): a browser names the page's origin on
 * every POST/PUT/DELETE, so an Origin that is neither this host nor a configured CORS origin is a forged
 * request riding on the officer's cookie. Hono's `csrf()` does the same check but only for bodies a form
 * can send, refuses clients that send no Origin at all (scripts, curl), and answers in plain text; this
 * covers every write, leaves non-browser clients alone and answers in the one error shape. The host is
 * compared rather than the full origin so a TLS-terminating proxy (https outside, http here) still matches.
 */
export function sameOriginWrites(allowed: readonly string[] = []): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!SAFE_METHODS.test(c.req.method)) {
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      const host = c.req.header('host') ?? new URL(c.req.url).host;
      const ours = (o: string) => { try { return new URL(o).host === host || allowed.includes(o); } catch { return false; } };
      const forged = origin !== undefined ? site !== 'same-origin' && !ours(origin) : site === 'cross-site';
      if (forged) {
        throw new AppError('CROSS_SITE_REQUEST', 'This request came from another site and was refused', { '(origin)': 'must be this site' });
      }
    }
    await next();
  };
}

/** The console's policy: its own scripts only; inline styles for MUI/emotion; never framed. */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The API's reference page (Scalar). */
export const DOCS_PATH = '/api/docs';

export function browserHeaders(opts: { https: boolean }): MiddlewareHandler<AppEnv> {
  const withPolicy = (contentSecurityPolicy: typeof CONTENT_SECURITY_POLICY | Record<string, unknown>) => secureHeaders({
    contentSecurityPolicy,
    xFrameOptions: 'DENY',
    xContentTypeOptions: true,
    referrerPolicy: 'no-referrer',
    // HSTS only where the site is served over HTTPS (COOKIE_SECURE says so).
    strictTransportSecurity: opts.https ? 'max-age=31536000; includeSubDomains' : false,
  });
  const headers = withPolicy(CONTENT_SECURITY_POLICY);
  // The reference page starts Scalar with one inline script: allowed by its nonce, on that page only.
  const docsHeaders = withPolicy({ ...CONTENT_SECURITY_POLICY, scriptSrc: ["'self'", NONCE] });
  return async (c, next) => {
    await (c.req.path === DOCS_PATH ? docsHeaders : headers)(c, next);
    // Patient data must not be kept by the browser or a proxy.
    if (c.req.path.startsWith('/api/')) c.res.headers.set('Cache-Control', 'no-store');
  };
}
