// Each test file gets a database of its own: a fresh Postgres database on the local server (dropped
// afterwards), or an in-memory PGlite.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { connectPglite, connectPostgres, type DatabaseHandle } from '../../db/client';

const serverUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDatabase = DatabaseHandle & { name: string; drop(): Promise<void> };

export async function createTestDatabase(kind: 'postgres' | 'pglite' = 'postgres'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const handle = connectPglite();
    return { ...handle, name: 'pglite', drop: () => handle.close() };
  }
  const name = `access_desk_test_${randomBytes(5).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
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
