// The production entry points (npm run api, npm run worker) prepare a database without creating a
// single sign-in; demo staff and clinics come only from npm start or npm run seed, and twice is once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { demoStaff } from '../../db/reference-data';
import { loadDemoTrust, prepareDatabase, requireMigrated } from '../../bin/lib/system';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase('pglite'); });
afterAll(async () => { await db?.drop(); });

const count = async (table: string) => (await queryRows<{ n: number }>(db.db, sql.raw(`select count(*)::int as n from ${table}`)))[0].n;

describe('preparing a database for the API and the worker', () => {
  it('has the API and the worker refuse an unmigrated database, saying what to do', async () => {
    await expect(requireMigrated(db)).rejects.toThrow(/0 of \d+ migrations applied: run npm run migrate/);
  });

  it('migrates and creates no staff, no clinics and no demo data', async () => {
    await prepareDatabase(db);
    await expect(requireMigrated(db)).resolves.toBeUndefined();
    expect(await count('staff')).toBe(0);
    expect(await count('clinics')).toBe(0);
    expect(await count('referrals')).toBe(0);
    await prepareDatabase(db); // a second replica starting finds nothing to do
    expect(await count('staff')).toBe(0);
  });

  it('loads the demo trust only when asked, and a second seed adds nothing', async () => {
    await loadDemoTrust(db, 'demo-password-1');
    const first = { staff: await count('staff'), clinics: await count('clinics'), slots: await count('slots'), members: await count('queue_members') };
    expect(first.staff).toBe(demoStaff.length);
    expect(first.clinics).toBeGreaterThan(0);
    expect(first.slots).toBeGreaterThan(0);
    expect(await loadDemoTrust(db, 'demo-password-2')).toBe(0); // no new slots
    expect({ staff: await count('staff'), clinics: await count('clinics'), slots: await count('slots'), members: await count('queue_members') }).toEqual(first);
  });
});
