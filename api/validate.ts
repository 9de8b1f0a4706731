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
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw fromZod(parsed.error);
  return parsed.data;
}
