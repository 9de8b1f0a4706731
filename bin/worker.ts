#!/usr/bin/env -S npx tsx
// The worker on its own, for the real stack: DATABASE_URL and TEMPORAL_ADDRESS must be set.
import { NativeConnection } from '@temporalio/worker';
import { connectPostgres } from '../db/client';
import { loadConfig } from './lib/config';
import { createAccessDeskWorker } from './lib/worker';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log('Usage: npm run worker\nRuns the Access Desk worker (all workflows and activities on task queue TEMPORAL_TASK_QUEUE).\nNeeds DATABASE_URL and TEMPORAL_ADDRESS.');
  process.exit(0);
}
const config = loadConfig();
if (!config.databaseUrl || !config.temporal.address) {
  console.error('bin/worker needs DATABASE_URL and TEMPORAL_ADDRESS. For everything in one go with embedded defaults, use npm start.');
  process.exit(2);
}
const db = connectPostgres(config.databaseUrl);
const connection = await NativeConnection.connect({ address: config.temporal.address });
const worker = await createAccessDeskWorker({ connection, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, db: db.db });
await worker.run();
await db.close();
