// Once per test run: find (or obtain) the Temporal binaries and bundle the workflows, so each test
// file starts fast and a Node-only import in workflow code fails here.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findTemporalBinary, missingBinaryHelp } from '../../bin/lib/temporal-binaries';
import { bundleWorkflows } from '../../bin/lib/worker';
import { dropTemplates } from './database';

export const bundlePath = path.resolve('tests/.tmp/workflow-bundle.js');

export default async function setup() {
  // Both stack projects name this setup; the second finds it done (the same process, the same run).
  if (process.env.ACCESS_DESK_TEST_RUN && process.env.ACCESS_DESK_WORKFLOW_BUNDLE) return undefined;
  for (const [name, env] of [['temporal', 'TEMPORAL_CLI_PATH'], ['temporal-test-server', 'TEMPORAL_TEST_SERVER_PATH']] as const) {
    const found = findTemporalBinary(name, { explicit: process.env[env] });
    if (!found) throw new Error(missingBinaryHelp(name));
    process.env[env] = found;
  }
  const { code } = await bundleWorkflows();
  mkdirSync(path.dirname(bundlePath), { recursive: true });
  writeFileSync(bundlePath, code);
  process.env.ACCESS_DESK_WORKFLOW_BUNDLE = bundlePath;
  // Names this run's template databases (tests/support/database.ts), dropped when it ends.
  const run = String(Date.now());
  process.env.ACCESS_DESK_TEST_RUN = run;
  return () => dropTemplates(run);
}
