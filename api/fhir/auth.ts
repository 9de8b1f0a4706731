// Who is reading /fhir: a member of staff on their console session, or a system client with its bearer token.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { systemClients } from '../../db/schema';
import type { AppDeps } from '../context';
import { AppError } from '../errors';
import { requireSession } from '../auth';
import { FhirError } from './common';
import type { FhirEnv } from './env';

export const SYSTEM_TOKEN_PREFIX = 'adsys_';
export const hashSystemToken = (token: string) => createHash('sha256').update(token).digest('hex');
/** A new token: shown once to the admin who made the client; only its hash is kept. */
export const newSystemToken = () => `${SYSTEM_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

/** Either credential will do; a bearer token that is wrong or revoked is a 401 even with a session beside it. */
export function fhirCaller(deps: AppDeps): MiddlewareHandler<FhirEnv> {
  const session = requireSession(deps);
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header !== undefined) {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
      if (!token) throw new FhirError(401, 'login', 'The Authorization header must be "Bearer <token>"');
      const [client] = await deps.db.select({ id: systemClients.id, name: systemClients.name, revokedAt: systemClients.revokedAt })
        .from(systemClients).where(eq(systemClients.tokenHash, hashSystemToken(token)));
      if (!client) throw new FhirError(401, 'login', 'This token is not known; ask an administrator for a system client token');
      if (client.revokedAt) throw new FhirError(401, 'login', 'This system client has been revoked; ask an administrator for a new one');
      // When it was last used, to the minute: enough to see an unused client, without a write on every read.
      await deps.db.update(systemClients).set({ lastUsedAt: new Date() })
        .where(and(eq(systemClients.id, client.id), or(isNull(systemClients.lastUsedAt), lt(systemClients.lastUsedAt, sql`now() - interval '1 minute'`))));
      c.set('fhirCaller', { kind: 'system', id: client.id, name: client.name });
      return next();
    }
    try {
      await session(c as never, async () => {});
    } catch (err) {
      if (err instanceof AppError && err.status === 401) throw new FhirError(401, 'login', `${err.message}, or send a system client's bearer token`);
      throw err;
    }
    const staff = c.get('staff');
    // Any staff role may read: every role reads patients, referrals, appointments and clinics on the console too.
    c.set('fhirCaller', { kind: 'staff', id: staff.id, name: staff.name, role: staff.role });
    return next();
  };
}
