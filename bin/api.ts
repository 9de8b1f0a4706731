#!/usr/bin/env -S npx tsx
// The API on its own, for the real stack: DATABASE_URL and TEMPORAL_ADDRESS must be set.
import { connectPostgres } from '../db/client';
import { loadConfig } from './lib/config';
import { createLogger } from '../api/log';
import { ersFromConfig, prepareDatabase, startSystem } from './lib/system';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`Usage: npm run api
Serves the Access Desk API and console on HOST:PORT (127.0.0.1:3000). Needs DATABASE_URL and
TEMPORAL_ADDRESS; applies migrations first. Creates no sign-ins and no demo data: for a demo
database run npm run seed.`);
  process.exit(0);
}
const config = loadConfig();
if (!config.databaseUrl || !config.temporal.address) {
  console.error('bin/api needs DATABASE_URL and TEMPORAL_ADDRESS. For everything in one go with embedded defaults, use npm start.');
  process.exit(2);
}
const db = connectPostgres(config.databaseUrl);
await prepareDatabase(db);
const logger = createLogger('api', config.logLevel);
const system = await startSystem({
  db, temporalAddress: config.temporal.address, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue,
  port: config.port, host: config.host, uiDist: config.uiDist, logger, runWorker: false, slotHorizonSchedule: true,
  web: { sessionHours: config.sessionHours, cookieSecure: config.cookieSecure, corsOrigins: config.corsOrigins, metricsToken: process.env.METRICS_TOKEN || undefined },
  // Issue 14: the API process makes the `ers-poll` Schedule (the worker runs it).
  ers: ersFromConfig(config.ers),
});
logger.info('Access Desk API listening', { url: system.url, host: config.host, port: config.port });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void system.stop().then(() => db.close()).then(() => process.exit(0)));
