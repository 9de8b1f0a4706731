// What the worker process needs of the system's start-up without the API: the migration check and the long-running
// loops it starts. Kept apart from system.ts, which imports the whole API (routes, OpenAPI, metrics): bin/worker.ts
// importing that cost the worker's heap tens of MiB it never uses (docs/operations.md "Worker memory").
import type { Client } from '@temporalio/client';
import { migrationStatus, type DatabaseHandle } from '../../db/client';
import { HL7_FEED_ID, hl7Feed, type Hl7FeedInput } from '../../workflows/hl7-feed';
import { COMMUNICATIONS_OUTBOX_ID, communicationsOutbox, type CommunicationsOutboxInput } from '../../workflows/communications-outbox';

/**
 * For processes that must not migrate (the API and the worker in production, which may run many times over): refuses a
 * database that lacks any of this build's migrations, saying what to do.
 */
export async function requireMigrated(db: DatabaseHandle) {
  const { applied, expected } = await migrationStatus(db.db);
  if (applied < expected) {
    throw new Error(`The database has ${applied} of ${expected} migrations applied: run npm run migrate (in compose, the migrate service), then start this again.`);
  }
}

/** Starts the outbox loop, or finds it running (one per namespace). */
export async function ensureCommunicationsOutbox(client: Client, taskQueue: string, input: CommunicationsOutboxInput = {}) {
  await client.workflow.start(communicationsOutbox, {
    workflowId: COMMUNICATIONS_OUTBOX_ID, taskQueue, args: [input], workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

/** Starts the PAS feed's loop, or finds it running (one per namespace). */
export async function ensureHl7Feed(client: Client, taskQueue: string, input: Hl7FeedInput = {}) {
  await client.workflow.start(hl7Feed, { workflowId: HL7_FEED_ID, taskQueue, args: [input], workflowIdConflictPolicy: 'USE_EXISTING' });
}
