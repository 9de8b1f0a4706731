// For tests that run a worker of their own (a compiled one, one built by hand) rather than the whole system:
// a dev Temporal server and a migrated Postgres database holding the demo trust, made before a describe block's
// tests and removed after them.
import { afterAll, beforeAll } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadDemoTrust, prepareDatabase } from '../../bin/lib/system';
import { createTestDatabase, type TestDatabase } from './database';
import { demoPassword, startTemporal } from './stack';

export type BareStack = { env: TestWorkflowEnvironment; db: TestDatabase };

/** Call inside a describe block; read `env` and `db` from the result within its tests (they are set by then). */
export function useBareStack(): BareStack {
  const bare = {} as BareStack;
  beforeAll(async () => {
    bare.env = await startTemporal('dev');
    bare.db = await createTestDatabase('postgres');
    await prepareDatabase(bare.db);
    await loadDemoTrust(bare.db, demoPassword);
  }, 120_000);
  afterAll(async () => {
    await bare.env?.teardown();
    await bare.db?.drop();
  });
  return bare;
}
