// Sessions and the browser: configured session length and Secure cookies, sign-in lockout held in
// Postgres, no timing tell for unknown emails, scrypt at OWASP strength with rehash, one session per
// person, expired sessions swept, CORS only for listed origins, writes only from our own origin, and the
// security headers.
import { randomBytes, scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createApp } from '../../api/app';
import { loadConfig } from '../../bin/lib/config';
import { silentLogger } from '../../api/log';
import { startSystem } from '../../bin/lib/system';
import { queryRows } from '../../db/client';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => { stack = await startTestStack({ database: 'postgres', temporal: 'dev' }); });
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const signIn = (email: string, password = demoPassword, base = stack.url) => fetch(`${base}/api/auth/login`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
});
const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0];
const me = (cookie: string) => fetch(`${stack.url}/api/auth/me`, { headers: { cookie } });
/** Another API process on the same database, as a second replica behind a load balancer would be. */
const otherApp = (extra: Parameters<typeof createApp>[0] extends infer D ? Partial<D> : never = {}) =>
  createApp({ db: stack.db.db, temporal: { client: stack.env.client, taskQueue: stack.taskQueue }, logger: silentLogger, ...extra });
const postJson = (app: ReturnType<typeof createApp>, path: string, body: unknown) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the session cookie', () => {
  it('applies SESSION_HOURS and COOKIE_SECURE from the configuration', async () => {
    const config = loadConfig({ SESSION_HOURS: '2', COOKIE_SECURE: 'true' });
    const system = await startSystem({
      db: stack.db, temporalAddress: stack.env.address, taskQueue: stack.taskQueue, port: 0, logger: silentLogger,
      temporalClient: stack.env.client, runWorker: false,
      web: { sessionHours: config.sessionHours, cookieSecure: config.cookieSecure, corsOrigins: config.corsOrigins },
    });
    try {
      const res = await signIn('clinician@demo.nhs.uk', demoPassword, system.url);
      expect(res.status).toBe(200);
      const cookie = res.headers.get('set-cookie')!;
      expect(cookie).toMatch(/Max-Age=7200/);
      expect(cookie).toMatch(/Secure/);
      expect(cookie).toMatch(/HttpOnly/);
      const [session] = await rows<{ hours: number }>(sql`select round(extract(epoch from expires_at - now()) / 3600)::int as hours from sessions where staff_id = 'staff_clinician'`);
      expect(session.hours).toBe(2);
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    } finally {
      await system.stop();
    }
  });

  it('signing in ends the person\'s other sessions', async () => {
    const first = cookieOf(await signIn('ops@demo.nhs.uk'));
    expect((await me(first)).status).toBe(200);
    const second = cookieOf(await signIn('ops@demo.nhs.uk'));
    expect((await me(first)).status).toBe(401);
    expect((await me(second)).status).toBe(200);
  });

  it('sweeps expired sessions', async () => {
    await rows(sql`insert into sessions (id, staff_id, expires_at) values ('expired-session', 'staff_admin', now() - interval '1 hour')`);
    await signIn('officer@demo.nhs.uk');
    expect(await rows(sql`select id from sessions where id = 'expired-session'`)).toHaveLength(0);
  });
});

describe('sign-in', () => {
  it('locks an email out after 5 failures in 15 minutes with 429 and Retry-After, in every API process', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn('leader@demo.nhs.uk', 'wrong-password')).status).toBe(401);
    const locked = await signIn('leader@demo.nhs.uk'); // even the right password
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(900);
    expect(await locked.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', errors: { email: expect.any(String) } });
    const elsewhere = await postJson(otherApp(), '/api/auth/login', { email: 'leader@demo.nhs.uk', password: demoPassword });
    expect(elsewhere.status).toBe(429);
    // Once the window has passed, the right password works again.
    await rows(sql`update sign_in_failures set at = at - interval '16 minutes' where email = 'leader@demo.nhs.uk'`);
    expect((await signIn('leader@demo.nhs.uk')).status).toBe(200);
  });

  it('locks out an address that sprays many emails', async () => {
    const app = otherApp({ signInLimits: { perEmail: 5, perAddress: 3, windowMinutes: 15 } });
    for (let i = 0; i < 3; i++) expect((await postJson(app, '/api/auth/login', { email: `nobody${i}@demo.nhs.uk`, password: 'guess' })).status).toBe(401);
    const res = await postJson(app, '/api/auth/login', { email: 'admin@demo.nhs.uk', password: demoPassword });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
    await rows(sql`delete from sign_in_failures where ip = 'unknown'`);
  });

  it('takes as long for an unknown email as for a wrong password', async () => {
    const time = async (email: string) => {
      const t = performance.now();
      expect((await signIn(email, 'wrong-password')).status).toBe(401);
      return performance.now() - t;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1];
    const known = median([await time('clinician@demo.nhs.uk'), await time('clinician@demo.nhs.uk'), await time('clinician@demo.nhs.uk')]);
    const unknown = median([await time('ghost1@demo.nhs.uk'), await time('ghost2@demo.nhs.uk'), await time('ghost3@demo.nhs.uk')]);
    // Before the dummy hash an unknown email answered about 15x faster.
    expect(unknown / known).toBeGreaterThan(0.4);
    await rows(sql`delete from sign_in_failures`);
  });

  it('hashes with scrypt N=2^17 and rehashes an older N=2^14 hash at sign-in', async () => {
    const [current] = await rows<{ h: string }>(sql`select password_hash as h from staff where id = 'staff_admin'`);
    expect(current.h.startsWith('scrypt$131072$8$1$')).toBe(true);
    const salt = randomBytes(16);
    const old = `scrypt$16384$8$1$${salt.toString('base64')}$${scryptSync(demoPassword, salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64')}`;
    await rows(sql`update staff set password_hash = ${old} where id = 'staff_officer2'`);
    expect((await signIn('officer2@demo.nhs.uk')).status).toBe(200);
    const [after] = await rows<{ h: string }>(sql`select password_hash as h from staff where id = 'staff_officer2'`);
    expect(after.h.startsWith('scrypt$131072$8$1$')).toBe(true);
    expect((await signIn('officer2@demo.nhs.uk')).status).toBe(200);
  });
});

describe('the browser', () => {
  it('sends the security headers on every response, and no-store on the API', async () => {
    for (const path of ['/api/health', '/api/tasks', '/api/nothing-here', '/']) {
      const res = await fetch(`${stack.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("style-src 'self' 'unsafe-inline'");
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      if (path.startsWith('/api/')) expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
  });

  it('answers no cross-origin request unless its origin is listed, and never echoes another', async () => {
    const evil = { origin: 'https://evil.example', 'access-control-request-method': 'POST' };
    const plain = await fetch(`${stack.url}/api/auth/me`, { headers: evil });
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    expect(plain.headers.get('access-control-allow-credentials')).toBeNull();
    const preflight = await fetch(`${stack.url}/api/queues/queue_101/members`, { method: 'OPTIONS', headers: evil });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();

    const app = otherApp({ corsOrigins: ['https://desk.example.nhs.uk'] });
    const listed = await app.request('/api/health', { headers: { origin: 'https://desk.example.nhs.uk' } });
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://desk.example.nhs.uk');
    const other = await app.request('/api/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a write from another site with 403 CROSS_SITE_REQUEST, even with a signed-in cookie', async () => {
    const app = otherApp();
    const cookie = cookieOf(await app.request('/api/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://localhost' },
      body: JSON.stringify({ email: 'officer@demo.nhs.uk', password: demoPassword }),
    }));
    expect(cookie).toMatch(/=/);
    const forged: Array<Record<string, string>> = [
      { origin: 'https://evil.example', 'content-type': 'application/json' }, // a JSON write with a foreign origin
      { origin: 'https://evil.example', 'content-type': 'text/plain' }, // what a cross-site form can send
      { origin: 'null' }, // a sandboxed frame, a body-less command
      { 'sec-fetch-site': 'cross-site' }, // a browser that said where it came from but not the origin
      { origin: 'https://localhost.evil.example', 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of forged) {
      const res = await app.request('http://localhost/api/tasks/claim-next', { method: 'POST', headers: { cookie, ...headers }, body: headers['content-type'] ? '{}' : undefined });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.json()).toMatchObject({ message: expect.stringMatching(/another site/), code: 'CROSS_SITE_REQUEST', errors: { '(origin)': expect.any(String) } });
    }
    // Signing in from another site is refused too (no login forgery).
    const login = await app.request('http://localhost/api/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ email: 'officer@demo.nhs.uk', password: demoPassword }),
    });
    expect(login.status).toBe(403);
  });

  it('lets the console, a listed origin and a script without an Origin write', async () => {
    const app = otherApp({ corsOrigins: ['https://desk.example.nhs.uk'] });
    const login = (headers: Record<string, string>) => app.request('http://localhost:3000/api/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ email: 'leader@demo.nhs.uk', password: demoPassword }),
    });
    expect((await login({ origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    // Behind a TLS-terminating proxy the browser's origin is https while this process sees http on the same host.
    expect((await login({ origin: 'https://localhost:3000', host: 'localhost:3000' })).status).toBe(200);
    expect((await login({ origin: 'https://desk.example.nhs.uk' })).status).toBe(200);
    expect((await login({})).status).toBe(200);
    // Reads are never refused for their origin (CORS decides what the browser may see).
    expect((await app.request('http://localhost:3000/api/health', { headers: { origin: 'https://evil.example' } })).status).not.toBe(403);
  });
});
