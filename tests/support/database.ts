// Each test file gets a database of its own: a fresh Postgres database on the local server (dropped
// afterwards), or an in-memory PGlite.
import { createHash, randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { connectPglite, connectPostgres, type DatabaseHandle } from '../../db/client';

const serverUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDatabase = DatabaseHandle & { name: string; drop(): Promise<void> };

export async function createTestDatabase(kind: 'postgres' | 'pglite' = 'postgres', template?: string): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const handle = connectPglite();
    return { ...handle, name: 'pglite', drop: () => handle.close() };
  }
  const name = `access_desk_test_${randomBytes(5).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(template ? `create database ${name} template ${template}` : `create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = connectPostgres(url.toString(), { max: 20 });
  return {
    ...handle,
    name,
    async drop() {
      await handle.close();
      const a = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/**
 * A Postgres database with the migrations applied and the demo trust loaded, as every stack file needs. Migrating
 * and seeding cost seconds a file; within one test run (the global setup names it) the first file builds a template
 * for today's date and the rest copy it, which takes a fraction of a second. Outside a run (a bench, a script), or
 * on PGlite, it migrates and seeds as before.
 */
export async function createDemoTrustDatabase(kind: 'postgres' | 'pglite', demoPassword: string): Promise<TestDatabase> {
  // Loaded here, not at the top: the global setup imports this file for dropTemplates alone.
  const { loadDemoTrust, londonToday, prepareDatabase } = await import('../../bin/lib/system');
  const run = process.env.ACCESS_DESK_TEST_RUN;
  if (kind === 'pglite' || !run) {
    const db = await createTestDatabase(kind);
    await prepareDatabase(db);
    await loadDemoTrust(db, demoPassword);
    return db;
  }
  // Today's date is in the name: the seed lays slots and theatre sessions from today.
  const template = `${templatePrefix}${run}_${londonToday().replaceAll('-', '')}_${createHash('sha1').update(demoPassword).digest('hex').slice(0, 6)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    // Files start side by side: one builds, the others wait on the lock and then find it built.
    await admin`select pg_advisory_lock(hashtext(${template}))`;
    const [found] = await admin`select 1 from pg_database where datname = ${template}`;
    if (!found) {
      const building = await createTestDatabase('postgres');
      await prepareDatabase(building);
      await loadDemoTrust(building, demoPassword);
      await building.close();
      await admin.unsafe(`alter database ${building.name} rename to ${template}`);
    }
    await admin`select pg_advisory_unlock(hashtext(${template}))`;
  } finally {
    await admin.end();
  }
  return createTestDatabase('postgres', template);
}

const templatePrefix = 'access_desk_template_';

/** Drops this run's templates, and any a run left behind more than half a day ago (a run killed mid-way). */
export async function dropTemplates(run: string) {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    const names = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`${templatePrefix}%`}`;
    const stale = Date.now() - 12 * 3600_000;
    for (const { datname } of names) {
      const startedAt = Number(datname.slice(templatePrefix.length).split('_')[0]);
      if (datname.startsWith(`${templatePrefix}${run}_`) || (Number.isFinite(startedAt) && startedAt < stale)) {
        await admin.unsafe(`drop database if exists ${datname} with (force)`);
      }
    }
  } finally {
    await admin.end();
  }
}
