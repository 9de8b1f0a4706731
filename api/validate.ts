import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError, fromZod } from './errors';

export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The request body must be JSON', { '(body)': 'must be JSON' });
  }
  const nul = nulField(body, '');
  if (nul !== null) throw new AppError('VALIDATION_FAILED', `${nul || '(body)'}: must not contain a NUL character`, { [nul || '(body)']: 'must not contain a NUL character' });
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw fromZod(parsed.error);
  return parsed.data;
}

/** Where a NUL character hides in a JSON body (Postgres text cannot hold one), as a dotted path; null if nowhere. */
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
