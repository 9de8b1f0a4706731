#!/usr/bin/env -S npx tsx
// The API on its own, for the real stack: DATABASE_URL and TEMPORAL_ADDRESS must be set, and the database migrated.
import { connectPostgres } from '../db/client';
import { generateSlots } from '../db/slots';
import { loadConfig, type Config } from './lib/config';
import { createLogger } from '../api/log';
import { ersFromConfig, londonToday, requireMigrated, SLOT_HORIZON_DAYS, startSystem } from './lib/system';
import { assertTemporalSettings, temporalConnectionOptions } from './lib/temporal-connection';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`Usage: npm run api
Serves the Access Desk API and console on HOST:PORT (127.0.0.1:3000). Needs DATABASE_URL and TEMPORAL_ADDRESS
(and TEMPORAL_TLS_* or TEMPORAL_API_KEY for a secured cluster), and a database npm run migrate has brought up to
date. Creates no sign-ins and no demo data: for a demo database run npm run seed. On SIGTERM it stops taking
requests and lets those in flight finish for up to SHUTDOWN_GRACE_SECONDS (20).`);
  process.exit(0);
}
let config: Config;
try {
  config = loadConfig();
  assertTemporalSettings(config.temporal);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
if (!config.databaseUrl || !config.temporal.address) {
  console.error('bin/api needs DATABASE_URL and TEMPORAL_ADDRESS. For everything in one go with embedded defaults, use npm start.');
  process.exit(2);
}
const logger = createLogger('api', config.logLevel);
const db = connectPostgres(config.databaseUrl);
try {
  await requireMigrated(db);
} catch (err) {
  logger.error((err as Error).message);
  await db.close();
  process.exit(2);
}
// Dated slots to the horizon from the templates there are (what the nightly Schedule does); no sign-ins, no demo data.
await generateSlots(db.db, { from: londonToday(), days: SLOT_HORIZON_DAYS });
const { address, ...temporalSecurity } = temporalConnectionOptions(config.temporal);
const system = await startSystem({
  db, temporalAddress: address, temporalSecurity, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue,
  port: config.port, host: config.host, uiDist: config.uiDist, logger, runWorker: false, slotHorizonSchedule: true,
  web: { sessionHours: config.sessionHours, cookieSecure: config.cookieSecure, corsOrigins: config.corsOrigins, metricsToken: process.env.METRICS_TOKEN || undefined },
  // Issue 14: the API process makes the `ers-poll` Schedule (the worker runs it).
  ers: ersFromConfig(config.ers),
});
logger.info('Access Desk API listening', { url: system.url, host: config.host, port: config.port });
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info('Access Desk API stopping: no new requests; finishing those in flight', { signal, graceSeconds: config.shutdownGraceSeconds });
    void system.stop({ graceMs: config.shutdownGraceSeconds * 1000 })
      .then(() => db.close())
      .then(() => { logger.info('Access Desk API stopped'); process.exit(0); }, (err: unknown) => { logger.error('stop failed', { error: String(err) }); process.exit(1); });
  });
}
