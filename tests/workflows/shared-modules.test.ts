// The workflow bundle preloads the modules pathways share (bin/lib/worker.ts sharedWorkflowModules): one copy per worker
// instead of one per cached pathway. That is only sound while those modules keep no state at module scope; the SDK
// deep-freezes them, so a module that wrote to its own scope would fail its workflow task. Here: pathways cached side by
// side in one worker keep their own state, and a module-scope write is refused rather than shared.
import { randomBytes } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { bundleWorkflows, createAccessDeskWorker, sharedWorkflowModules, workflowsPath } from '../../bin/lib/worker';
import { pathwayQuery } from '../../workflows';
import { useBareStack } from '../support/bare-stack';
import { carryOnWaitingPathways } from '../bench/waiting-pathways';

describe('modules shared by cached pathways', () => {
  const bare = useBareStack();

  it('preloads the domain, the workflow modules and their libraries', async () => {
    expect(sharedWorkflowModules).toContain(workflowsPath);
    expect(sharedWorkflowModules.some((m) => m.endsWith('/domain/index.ts'))).toBe(true);
    const { code } = await bundleWorkflows();
    expect(code).toMatch(/exports\.preloadModules = function preloadModules\(\) \{\s*__webpack_require__/);
  });

  it('keeps each cached pathway its own state, however many share the worker', async () => {
    const { code } = await bundleWorkflows();
    const connection = await NativeConnection.connect({ address: bare.env.address });
    const taskQueue = `shared-${randomBytes(4).toString('hex')}`;
    const worker = await createAccessDeskWorker({ connection, namespace: 'default', taskQueue, db: bare.db.db, workflowBundle: { code },
      tuning: { maxCachedWorkflows: 20, maxConcurrentWorkflowTaskExecutions: 10 } });
    const prefix = `sh${randomBytes(3).toString('hex')}`;
    await worker.runUntil(async () => {
      const ids: string[] = [];
      await carryOnWaitingPathways({ db: bare.db.db, client: bare.env.client, taskQueue, prefix, count: 12, from: 900_001, lanes: 12, made: (id) => ids.push(id) });
      const states = await Promise.all(ids.map((id) => bare.env.client.workflow.getHandle(id).query(pathwayQuery)));
      for (const [i, id] of ids.entries()) {
        const n = id.slice(`referral-ref_${prefix}_`.length);
        expect(states[i]).toMatchObject({ referralId: `ref_${prefix}_${n}`, stage: 'awaiting_triage', openTaskId: `task_${prefix}_${n}` });
      }
      expect(worker.getStatus().numCachedWorkflows).toBe(12);
    });
    await connection.close();
  }, 180_000);

  it('refuses a write to module scope instead of sharing it between pathways', async () => {
    // A workflow module that counts its runs at module scope: preloaded, the counter object is frozen.
    const leaky = `
      export const runs = { count: 0 };
      export async function leaky(): Promise<number> { runs.count += 1; return runs.count; }
    `;
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const dir = mkdtempSync('tests/.tmp/leaky-');
    writeFileSync(`${dir}/index.ts`, leaky);
    const { bundleWorkflowCode } = await import('@temporalio/worker');
    const path = (await import('node:path')).resolve(dir, 'index.ts');
    const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
    const run = async (preloadModules: string[]) => {
      const { code } = await bundleWorkflowCode({ workflowsPath: path, logger: quiet as never, preloadModules });
      const connection = await NativeConnection.connect({ address: bare.env.address });
      const taskQueue = `leaky-${randomBytes(4).toString('hex')}`;
      const worker = await Worker.create({ connection, namespace: 'default', taskQueue, workflowBundle: { code } });
      try {
        return await worker.runUntil(async () => {
          const results: Array<number | string> = [];
          for (let i = 0; i < 2; i++) {
            results.push(await bare.env.client.workflow.execute('leaky', { taskQueue, workflowId: `leaky-${randomBytes(4).toString('hex')}`, workflowTaskTimeout: '2s', workflowExecutionTimeout: '6s' })
              .catch((err: Error) => err.name));
          }
          return results;
        });
      } finally {
        await connection.close();
      }
    };
    try {
      expect(await run([])).toEqual([1, 1]); // each pathway its own module: the SDK's default
      const preloaded = await run([path]);
      expect(preloaded).not.toContain(2); // never one pathway's count seen by the next
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
