#!/usr/bin/env -S npx tsx
// The API on its own, for the real stack: DATABASE_URL and TEMPORAL_ADDRESS must be set.
import { connectPostgres } from '../db/client';
import { loadConfig } from './lib/config';
import { createLogger } from './lib/log';
import { prepareDatabase, startSystem } from './lib/system';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log('Usage: npm run api\nServes the Access Desk API and console on PORT. Needs DATABASE_URL and TEMPORAL_ADDRESS; applies migrations first.');
  process.exit(0);
}
const config = loadConfig();
if (!config.databaseUrl || !config.temporal.address) {
  console.error('bin/api needs DATABASE_URL and TEMPORAL_ADDRESS. For everything in one go with embedded defaults, use npm start.');
  process.exit(2);
}
const db = connectPostgres(config.databaseUrl);
await prepareDatabase(db, config.demoPassword);
const system = await startSystem({
  db, temporalAddress: config.temporal.address, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue,
  port: config.port, uiDist: config.uiDist, demoPassword: config.demoPassword, logger: createLogger('api', config.logLevel), runWorker: false,
  web: { sessionHours: config.sessionHours, cookieSecure: config.cookieSecure, corsOrigins: config.corsOrigins },
});
console.log(`Access Desk API listening on ${system.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void system.stop().then(() => db.close()).then(() => process.exit(0)));
