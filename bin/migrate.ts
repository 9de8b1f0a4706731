#!/usr/bin/env -S npx tsx
// npm run migrate: applies this build's migrations to DATABASE_URL, as its own step before the API and the worker
// start (the compose `migrate` service runs it once). Safe to run again: applied migrations are skipped.
import { connectPostgres, migrationStatus } from '../db/client';
import { loadConfig } from './lib/config';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`Usage: npm run migrate
Applies the database migrations to DATABASE_URL and exits. Run it before starting (or upgrading) the API and
the worker, which refuse a database that lacks any of their migrations. Loads no sign-ins and no demo data.`);
  process.exit(0);
}
let config;
try {
  config = loadConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
if (!config.databaseUrl) {
  console.error('npm run migrate needs DATABASE_URL (npm start migrates its embedded database itself).');
  process.exit(2);
}
const db = connectPostgres(config.databaseUrl, { max: 1 });
try {
  const before = await migrationStatus(db.db);
  await db.migrate();
  const after = await migrationStatus(db.db);
  console.log(after.applied === before.applied
    ? `The database is up to date (${after.applied} migrations).`
    : `Applied ${after.applied - before.applied} migration(s); the database has all ${after.expected}.`);
} catch (err) {
  console.error(`Migrations failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
