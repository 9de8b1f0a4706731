import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from './context';
import { AppError, fromZod } from './errors';
import { takesOtherThanJson, type BodyDeclarations } from './security';

/** A body already read as JSON, checked against a schema chosen at run time (a work item's outcome by its type). */
export function parseOutcome<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw fromZod(parsed.error);
  return parsed.data;
}

/** The answer when a body is missing or not JSON (also for a route validator's own 400). */
export const bodyNotJson = () => new AppError('VALIDATION_FAILED', 'The request body must be JSON', { '(body)': 'must be JSON' });

/**
 * Reads a JSON body once, before any route: not JSON is a 400, and a NUL character anywhere (Postgres
 * text cannot hold one) is a 400 naming where. Routes then validate the cached body with their schemas.
 */
export function checkJsonBodies(declarations: BodyDeclarations): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // A route that takes another type (the import: only text/csv) answers 415 to anything else itself (after sign-in), JSON too.
    if (takesOtherThanJson(declarations(c))) return next();
    const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (type === 'application/json' && c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.raw.body !== null) {
      const text = await c.req.text();
      if (text.trim() !== '') {
        let body: unknown;
        try { body = await c.req.json(); } catch { throw bodyNotJson(); }
        const nul = nulField(body, '');
        if (nul !== null) throw new AppError('VALIDATION_FAILED', `${nul || '(body)'}: must not contain a NUL character`, { [nul || '(body)']: 'must not contain a NUL character' });
      }
    }
    await next();
  };
}

/** Where a NUL character hides in a JSON body, as a dotted path; null if nowhere. */
function nulField(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return at;
    const found = nulField(item, at);
    if (found !== null) return found;
  }
  return null;
}
