import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { Hono } from 'hono';
import { z } from 'zod';
import { queueMembers, sessions, staff } from '../db/schema';
import type { AppDeps, AppEnv, Role } from './context';
import { AppError } from './errors';
import { verifyPassword } from './passwords';
import { parseBody } from './validate';
import { writeAudit } from '../activities/audit';

export const SESSION_COOKIE = 'ad_session';
const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export function requireSession(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (!token) throw new AppError('UNAUTHENTICATED', 'Sign in first');
    const [row] = await deps.db.select({ id: staff.id, email: staff.email, name: staff.name, role: staff.role, active: staff.active })
      .from(sessions).innerJoin(staff, eq(staff.id, sessions.staffId))
      .where(and(eq(sessions.id, tokenHash(token)), gt(sessions.expiresAt, new Date())));
    if (!row || !row.active) throw new AppError('UNAUTHENTICATED', 'Your session has ended; sign in again');
    c.set('staff', { id: row.id, email: row.email, name: row.name, role: row.role });
    await next();
  };
}

export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    assertRole(c, roles);
    await next();
  };
}

export function assertRole(c: Context<AppEnv>, roles: readonly Role[], what = 'do this') {
  const me = c.get('staff');
  if (!roles.includes(me.role)) throw new AppError('FORBIDDEN', `A ${me.role.replace('_', ' ')} cannot ${what}`);
}

const loginBody = z.object({ email: z.string().trim().toLowerCase().email(), password: z.string().min(1) });

export function authRoutes(deps: AppDeps) {
  const hours = deps.sessionHours ?? 12;
  return new Hono<AppEnv>()
    .post('/login', async (c) => {
      const body = await parseBody(c, loginBody);
      const [user] = await deps.db.select().from(staff).where(eq(staff.email, body.email));
      if (!user || !user.active || !(await verifyPassword(body.password, user.passwordHash))) {
        throw new AppError('INVALID_CREDENTIALS', 'Email or password is not right');
      }
      const token = randomBytes(32).toString('base64url');
      await deps.db.transaction(async (tx) => {
        await tx.insert(sessions).values({ id: tokenHash(token), staffId: user.id, expiresAt: new Date(Date.now() + hours * 3600_000) });
        await writeAudit(tx, { actorId: user.id, action: 'staff.signed_in', entityType: 'staff', entityId: user.id });
      });
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: deps.cookieSecure ?? false, maxAge: hours * 3600 });
      return c.json({ id: user.id, email: user.email, name: user.name, role: user.role });
    })
    .post('/logout', async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await deps.db.delete(sessions).where(eq(sessions.id, tokenHash(token)));
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    })
    .get('/me', requireSession(deps), async (c) => {
      const me = c.get('staff');
      const memberOf = await deps.db.select({ queueId: queueMembers.queueId }).from(queueMembers).where(eq(queueMembers.staffId, me.id));
      return c.json({ ...me, queueIds: memberOf.map((m) => m.queueId) });
    });
}
