#!/usr/bin/env -S npx tsx
// npm run seed: the demo trust (clinics, queues, staff who sign in with DEMO_PASSWORD) in a database,
// and optionally demo referrals through a running API. The only way besides `npm start` that demo
// sign-ins come to exist; `npm run api` and `npm run worker` never create them.
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { connectPglite, connectPostgres, queryRows } from '../db/client';
import { demoStaff } from '../db/reference-data';
import { loadConfig } from './lib/config';
import { loadDemoData, progressBar } from './lib/demo';
import { loadDemoTrust, londonToday, prepareDatabase } from './lib/system';

const help = `Usage: npm run seed [-- --referrals N [--api URL]]

Loads the demo trust into the database at DATABASE_URL (or the embedded one under DATA_DIR): migrations,
specialties, queues, clinics with their templates and slots, and one demo sign-in per role, all with the
password DEMO_PASSWORD (access-desk-demo). Running it again adds nothing that is already there.

Options:
  --referrals N   also load N demo referrals and their pathways, through the API at --api (which must be
                  running on this database, with its worker: the patients seen in today's clinic get slots
                  made here; beyond the first 80, walked step by step, they come in as a go-live import);
                  skipped when the database already holds referrals
  --api URL       the API to load referrals through (default http://localhost:PORT)
  -h, --help      this help

Never point this at a trust's live database: the demo sign-ins share one known password.`;

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('-h') || args.includes('--help')) { console.log(help); return; }
  const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const referrals = Number(option('--referrals') ?? 0);
  if (!Number.isInteger(referrals) || referrals < 0) throw new UsageError('--referrals must be a whole number');
  const unknown = args.filter((a, i) => a.startsWith('-') && !['--referrals', '--api'].includes(a) && !['--referrals', '--api'].includes(args[i - 1]));
  if (unknown.length) throw new UsageError(`unknown option ${unknown[0]} (see --help)`);

  const config = loadConfig();
  const db = config.databaseUrl ? connectPostgres(config.databaseUrl) : connectPglite(path.join(config.dataDir, 'pglite'));
  try {
    console.log(config.databaseUrl ? 'Seeding the Postgres database at DATABASE_URL.' : `Seeding the embedded database in ${path.relative(process.cwd(), config.dataDir) || '.'}/pglite.`);
    console.log('Applying migrations …');
    await prepareDatabase(db);
    console.log('Loading the demo trust (specialties, queues, clinics, staff) …');
    const slots = await loadDemoTrust(db, config.demoPassword);
    console.log(`  ${slots} new slots; sign-ins (password ${config.demoPassword === 'access-desk-demo' ? 'access-desk-demo' : 'DEMO_PASSWORD'}):`);
    for (const s of demoStaff) console.log(`    ${s.email.padEnd(24)} ${s.role.replace('_', ' ')}`);

    if (referrals > 0) {
      const [{ n }] = await queryRows<{ n: number }>(db.db, sql`select count(*)::int as n from referrals`);
      if (n > 0) {
        console.log(`The database already holds ${n} referrals; no demo referrals added.`);
      } else {
        const baseUrl = option('--api') ?? `http://localhost:${config.port}`;
        console.log(`Loading ${referrals} demo referrals through ${baseUrl} …`);
        const loaded = await loadDemoData({ baseUrl, password: config.demoPassword, today: londonToday(), db: db.db, count: referrals, onProgress: progressBar('Demo referrals') });
        if (loaded.skipped > 0) console.log(`${loaded.skipped} stopped part way because someone was already working on them.`);
      }
    }
    console.log('Done.');
  } finally {
    await db.close();
  }
}

class UsageError extends Error {}

main().catch((err) => {
  console.error(`npm run seed: ${(err as Error).message}`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
