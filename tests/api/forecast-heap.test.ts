// The nightly forecast runs in the worker, whose V8 heap is capped at 128 MiB (docs/operations.md "Worker memory"). At
// go-live size (75,000 open pathways, nearly all at risk in this synthetic list) the recompute must fit that heap: before,
// it built one JSON of every at-risk row and sent it twice, and the worker died of it each night.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the forecast recompute at 75,000 open pathways', () => {
  it("fits the worker's 128 MiB heap", () => {
    const run = spawnSync(process.execPath, ['--max-old-space-size=128', '--import', 'tsx', 'tests/bench/forecast.ts',
      '--pathways', '75000', '--runs', '1', '--no-record', '--recompute-only'], { encoding: 'utf8', timeout: 300_000 });
    expect(run.stderr).not.toMatch(/heap out of memory/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/recompute {2}median \d+ ms .*; [\d,]+ stored at risk/);
  }, 320_000);
});
