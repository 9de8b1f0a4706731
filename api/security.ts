// What every request meets before any route: a size limit read before the body, JSON only, no NUL
// characters, CORS only for a configured allow-list, writes only from our own origin, and the
// browser's security headers.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './context';
import { AppError } from './errors';

/** Bodies larger than this are refused before they are read (and before sign-in is checked). */
export const MAX_BODY_BYTES = 100 * 1024;
/** Moving work by id list may name up to 20,000 items (about 600 kB of ids). */
export const MAX_BULK_BODY_BYTES = 1024 * 1024;
/** A go-live PAS extract (issue 13): the one body that is a file, and the one that is not JSON. About 75,000 rows are 10–15 MB. */
export const IMPORT_PATH = '/api/imports';
export const MAX_IMPORT_BODY_BYTES = 50 * 1024 * 1024;

export function limitBodySize(): MiddlewareHandler<AppEnv> {
  const inWords = (max: number) => (max >= 1024 * 1024 ? `${Math.round(max / 1024 / 1024)} MB` : `${Math.round(max / 1024)} kB`);
  const tooLarge = (max: number) => () => {
    throw new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${inWords(max)}`, { '(body)': `must be at most ${inWords(max)}` });
  };
  const normal = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge(MAX_BODY_BYTES) });
  const bulk = bodyLimit({ maxSize: MAX_BULK_BODY_BYTES, onError: tooLarge(MAX_BULK_BODY_BYTES) });
  const importFile = bodyLimit({ maxSize: MAX_IMPORT_BODY_BYTES, onError: tooLarge(MAX_IMPORT_BODY_BYTES) });
  return (c, next) => (c.req.path === '/api/tasks/bulk-assign' ? bulk : c.req.path === IMPORT_PATH ? importFile : normal)(c, next);
}

const hasBody = (headers: Headers) => headers.has('transfer-encoding') || Number(headers.get('content-length') ?? '0') > 0;

/**
 * Only `application/json` bodies: a cross-site HTML form can only send form encodings or text/plain,
 * so this refuses forged form posts, and nothing is parsed as JSON that did not say it was.
 */
export function jsonBodiesOnly(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // The import takes text/csv and refuses anything else itself, after sign-in and the role check (a form cannot send text/csv).
    if (c.req.path === IMPORT_PATH && c.req.method === 'POST') return next();
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
