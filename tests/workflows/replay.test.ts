// Recorded pathway histories must replay with today's workflow code, so a change to the rules or the
// workflow can never break pathways already running. Record more with RECORD_HISTORIES=1.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';

const folder = path.resolve('tests/workflows/histories');
const files = readdirSync(folder).filter((f) => f.endsWith('.json'));

describe('replaying recorded pathways', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays with the current workflow code', async (file) => {
    const history = JSON.parse(readFileSync(path.join(folder, file), 'utf8'));
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: process.env.ACCESS_DESK_WORKFLOW_BUNDLE! } }, history, file)).resolves.toBeUndefined();
  });
});
