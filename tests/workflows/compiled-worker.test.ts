// The worker as production runs it (npm run worker, the Docker image): compiled by npm run build:worker into
// dist/worker/worker.mjs, run by node without tsx, loading the workflow bundle built beside it. Its modules find their
// files (the migrations journal, the bundle) through import.meta.url, which the build rewrites: a wrong path shows here.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pathwayQuery } from '../../workflows';
import { useBareStack } from '../support/bare-stack';
import { carryOnWaitingPathways } from '../bench/waiting-pathways';

describe('the compiled worker (npm run build:worker)', () => {
  const bare = useBareStack();

  it('builds, starts with the production flags, runs pathways and stops cleanly on SIGTERM', async () => {
    const built = spawnSync(process.execPath, ['--import', 'tsx', 'bin/build-worker.ts'], { encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/Worker compiled to dist\/worker\/worker\.mjs/);

    const url = new URL(process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    url.pathname = `/${bare.db.name}`;
    const taskQueue = `compiled-${randomBytes(4).toString('hex')}`;
    const { WORKFLOW_BUNDLE: _unset, ...parentEnv } = process.env;
    const child = spawn(process.execPath, ['--max-old-space-size=128', 'dist/worker/worker.mjs'], {
      env: { ...parentEnv, DATABASE_URL: url.toString(), TEMPORAL_ADDRESS: bare.env.address, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'info', MALLOC_ARENA_MAX: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => { output += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { output += b.toString(); });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      for (const by = Date.now() + 90_000; !output.includes('Access Desk worker polling'); await new Promise((r) => setTimeout(r, 200))) {
        if (child.exitCode !== null || Date.now() > by) throw new Error(`the compiled worker did not start:\n${output}`);
      }
      // It found the bundle built beside it, so it did not bundle at start.
      expect(output).not.toMatch(/No workflow bundle built ahead/);
      const ids: string[] = [];
      const prefix = `cw${randomBytes(3).toString('hex')}`;
      await carryOnWaitingPathways({ db: bare.db.db, client: bare.env.client, taskQueue, prefix, count: 3, from: 800_001, made: (id) => ids.push(id) });
      for (const id of ids) {
        expect(await bare.env.client.workflow.getHandle(id).query(pathwayQuery)).toMatchObject({ stage: 'awaiting_triage' });
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, output).toBe(0);
  }, 180_000);
});
