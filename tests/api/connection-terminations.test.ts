// Finding 2: Postgres connections terminated under load (a failover, an admin, a pooler) must give
// failed queries and 503s, never an uncaught exception that takes the API or the worker down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { silentLogger, type Logger } from '../../api/log';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
const uncaught: unknown[] = [];
const onUncaught = (err: unknown) => { uncaught.push(err); };
const serverUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
let admin: postgres.Sql;
// What the API logged as errors: a 500 under terminations is named in the failure, not lost.
const loggedErrors: unknown[] = [];
const capturing: Logger = { ...silentLogger, error: (msg, fields) => { loggedErrors.push({ msg, ...fields }); }, child: () => capturing };

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', logger: capturing });
  admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  process.on('uncaughtException', onUncaught);
});
afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await admin?.end();
  await stack?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const terminateAll = (database: string) =>
  admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`;

describe('terminated database connections', () => {
  it('reject the next query on a reserved connection instead of crashing the process', async () => {
    const url = new URL(serverUrl);
    url.pathname = `/${stack.db.name}`;
    const sql = postgres(url.toString(), { max: 2, onnotice: () => {} });
    try {
      const reserved = await sql.reserve();
      const [{ pid }] = await reserved`select pg_backend_pid() as pid`;
      await admin`select pg_terminate_backend(${pid})`;
      await reserved`select 1`.catch(() => {});
      const second = await reserved`select 1`.then(() => 'answered', (err) => (err as { code?: string }).code ?? 'failed');
      expect(second).not.toBe('answered');
      reserved.release();
      await sleep(50);
      expect(await sql`select 1 as one`).toEqual([{ one: 1 }]); // the pool recovers
      expect(uncaught).toEqual([]);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  // A terminated (or failed) query leaves its half-received result behind in postgres.js: the next query on
  // that connection was rejected with the old 57P01 and the one after resolved as [hole, hole, row], so
  // `const [row] = await ...` saw no row (the rare 401 "signed out" in the burst test below).
  it('give the next queries on a connection their own answers after a termination mid-result', async () => {
    const url = new URL(serverUrl);
    url.pathname = `/${stack.db.name}`;
    const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      const [{ pid }] = await sql`select pg_backend_pid() as pid`;
      // Two rows go out, then the backend sleeps on the third until it is terminated (rows flushed with the FATAL).
      const slow = sql`select x, pg_sleep(case when x = 3 then 30 else 0 end) from generate_series(1, 5) x`
        .then(() => 'answered', (err) => (err as { code?: string }).code ?? 'failed');
      for (let i = 0; i < 250; i++) {
        const [row] = await admin`select wait_event from pg_stat_activity where pid = ${pid}`;
        if (row?.wait_event === 'PgSleep') break;
        await sleep(20);
      }
      await admin`select pg_terminate_backend(${pid})`;
      expect(await slow).not.toBe('answered');
      for (let n = 0; n < 3; n++) {
        const rows = await sql`select ${n}::int as n`;
        expect([...rows]).toEqual([{ n }]);
      }
      // The same on a live connection: a query failing after some rows (upstream porsager/postgres#1181).
      await expect(sql`select 1 / (3 - x) as v from generate_series(1, 5) x`).rejects.toMatchObject({ code: '22012' });
      expect([...await sql`select 7 as n`]).toEqual([{ n: 7 }]);
      expect(uncaught).toEqual([]);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  it('keep the API answering through bursts of terminations, with 503 at worst', async () => {
    const officer = await stack.signIn('officer@demo.nhs.uk');
    const statuses = new Map<number, number>();
    let stop = false;
    const load = Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 400 && !stop; i++) {
        const res = await fetch(`${stack.url}/api/tasks?range=[0,9]`, { headers: { cookie: (officer as unknown as { cookie: string }).cookie } });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    });
    for (let burst = 0; burst < 12; burst++) {
      await terminateAll(stack.db.name);
      await sleep(40 + burst * 10);
    }
    stop = true;
    await Promise.all(load);
    // After the storm the API answers normally again.
    const after = await fetch(`${stack.url}/api/health`);
    expect(after.status).toBe(200);
    const seen = [...statuses.keys()];
    expect(seen.every((s) => s === 200 || s === 503), `statuses ${JSON.stringify(Object.fromEntries(statuses))}; errors logged: ${JSON.stringify(loggedErrors).slice(0, 2000)}`).toBe(true);
    expect(uncaught).toEqual([]);
  }, 60_000);
});
