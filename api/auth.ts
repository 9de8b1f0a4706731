import type { OpenAPIHono } from '@hono/zod-openapi';
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { queueMembers, sessions, signInFailures, staff } from '../db/schema';
import { queryRows, type Database } from '../db/client';
import type { AppDeps, AppEnv, Role } from './context';
import { AppError, forbiddenFor } from './errors';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './passwords';
import { errors, json, publicErrors, route, router, signedIn, body as jsonBody } from './openapi';
import { me as meRecord, staffMember } from './records';
import { loginBody } from './schemas';
import { writeAudit } from '../activities/audit';
import { completableTypes, onLeaveMessage } from '../domain/work-access';
import { currentLeave } from '../db/workable';

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

/** Route middleware: only these roles may `what` (403 naming the role otherwise), checked before the body is read. */
export function onlyFor(roles: readonly Role[], what: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    assertRole(c, roles, what);
    await next();
  };
}

export function assertRole(c: Context<AppEnv>, roles: readonly Role[], what = 'do this') {
  const me = c.get('staff');
  if (!roles.includes(me.role)) throw forbiddenFor(roles, what);
}

/** Failed sign-ins allowed in the window before 429: per email (guessing one password), per address (spraying many). */
export const SIGN_IN_LIMITS = { perEmail: 5, perAddress: 50, windowMinutes: 15 };

function clientAddress(c: Context<AppEnv>): string {
  try { return getConnInfo(c).remote.address ?? 'unknown'; } catch { return 'unknown'; } // app.request() in tests has no socket
}

/** Seconds until the next attempt may be made (0: not locked). Counted in Postgres so it holds across API processes. */
async function lockedFor(db: Database, email: string, address: string, limits: typeof SIGN_IN_LIMITS): Promise<number> {
  // Locked while the limit-th newest failure is inside the window; it opens when that one leaves it.
  const [row] = await queryRows<{ wait: number | null }>(db, sql`select greatest(
      (select ceil(extract(epoch from (at + make_interval(mins => ${limits.windowMinutes}) - now())))
         from sign_in_failures where email = ${email} and at > now() - make_interval(mins => ${limits.windowMinutes})
         order by at desc offset ${limits.perEmail - 1} limit 1),
      (select ceil(extract(epoch from (at + make_interval(mins => ${limits.windowMinutes}) - now())))
         from sign_in_failures where ip = ${address} and at > now() - make_interval(mins => ${limits.windowMinutes})
         order by at desc offset ${limits.perAddress - 1} limit 1))::int as wait`);
  return Math.max(0, row?.wait ?? 0);
}

export function authRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const hours = deps.sessionHours ?? 12;
  const limits = deps.signInLimits ?? SIGN_IN_LIMITS;
  void dummyHash(); // made now, so the first unknown email is not the slow one
  return router()
    .openapi(route({
      method: 'post', path: '/login', tags: ['auth'], operationId: 'login', summary: "Sign in; ends the person's other sessions", security: [],
      request: { body: jsonBody(loginBody) },
      responses: {
        200: { ...json('Signed in; session cookie set', staffMember), headers: { 'Set-Cookie': { schema: { type: 'string' } } } },
        ...errors(...publicErrors, 401, 429),
      },
    }), async (c) => {
      const body = c.req.valid('json');
      const address = clientAddress(c);
      // Sweep as we go: expired sessions and day-old failures are of no use to anyone.
      await deps.db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
      await deps.db.delete(signInFailures).where(lt(signInFailures.at, new Date(Date.now() - 86_400_000)));
      const wait = await lockedFor(deps.db, body.email, address, limits);
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        throw new AppError('TOO_MANY_ATTEMPTS', `Too many failed sign-ins; try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''}`,
          { email: 'too many failed sign-ins' });
      }
      const [user] = await deps.db.select().from(staff).where(eq(staff.email, body.email));
      const matches = await verifyPassword(body.password, user?.passwordHash ?? await dummyHash());
      if (!user || !user.active || !matches) {
        await deps.db.insert(signInFailures).values({ email: body.email, ip: address });
        throw new AppError('INVALID_CREDENTIALS', 'Email or password is not right');
      }
      const rehash = needsRehash(user.passwordHash) ? await hashPassword(body.password) : null;
      const token = randomBytes(32).toString('base64url');
      await deps.db.transaction(async (tx) => {
        // One session per person: signing in ends any other (a stolen cookie dies at the next sign-in).
        const ended = await tx.delete(sessions).where(eq(sessions.staffId, user.id)).returning({ id: sessions.id });
        await tx.insert(sessions).values({ id: tokenHash(token), staffId: user.id, expiresAt: new Date(Date.now() + hours * 3600_000) });
        await tx.delete(signInFailures).where(eq(signInFailures.email, body.email));
        if (rehash) await tx.update(staff).set({ passwordHash: rehash }).where(eq(staff.id, user.id));
        await writeAudit(tx, { actorId: user.id, action: 'staff.signed_in', entityType: 'staff', entityId: user.id,
          after: { endedSessions: ended.length, ...(rehash ? { passwordRehashed: true } : {}) } });
      });
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: deps.cookieSecure ?? false, maxAge: hours * 3600 });
      return c.json({ id: user.id, email: user.email, name: user.name, role: user.role });
    })
    .openapi(route({
      method: 'post', path: '/logout', tags: ['auth'], operationId: 'logout', summary: 'Sign out', security: [],
      responses: { 204: { description: 'Signed out' } },
    }), async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await deps.db.delete(sessions).where(eq(sessions.id, tokenHash(token)));
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    })
    .openapi(route({
      method: 'get', path: '/me', tags: ['auth'], operationId: 'me', summary: 'Who is signed in, with the queues they work',
      middleware: requireSession(deps), responses: { 200: json('The member of staff', meRecord), ...errors(...signedIn) },
    }), async (c) => {
      const me = c.get('staff');
      const memberOf = await deps.db.select({ queueId: queueMembers.queueId }).from(queueMembers).where(eq(queueMembers.staffId, me.id));
      const leave = await currentLeave(deps.db, me.id, deps.today!());
      return c.json({ ...me, queueIds: memberOf.map((m) => m.queueId), completableTypes: completableTypes(me.role),
        leave: leave && { ...leave, message: onLeaveMessage(leave) } });
    });
}
