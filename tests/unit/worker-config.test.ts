// The worker's workflow cache is a setting (WORKER_CACHED_WORKFLOWS): its memory is this many pathways, whatever the
// number open (docs/operations.md "Worker memory").
import { describe, expect, it } from 'vitest';
import { DEFAULT_CACHED_WORKFLOWS, loadConfig } from '../../bin/lib/config';
import { workerTuning } from '../../bin/lib/worker';

describe('worker memory settings', () => {
  it('keeps the documented number of pathways cached unless told otherwise', () => {
    expect(loadConfig({}).worker).toEqual({ maxCachedWorkflows: DEFAULT_CACHED_WORKFLOWS });
    expect(workerTuning(loadConfig({}).worker)).toEqual({ maxCachedWorkflows: DEFAULT_CACHED_WORKFLOWS, maxConcurrentWorkflowTaskExecutions: 40 });
  });

  it('reads WORKER_CACHED_WORKFLOWS, and never runs more workflow tasks at once than it caches', () => {
    expect(workerTuning(loadConfig({ WORKER_CACHED_WORKFLOWS: '5000' }).worker)).toEqual({ maxCachedWorkflows: 5000, maxConcurrentWorkflowTaskExecutions: 40 });
    expect(workerTuning(loadConfig({ WORKER_CACHED_WORKFLOWS: '10' }).worker)).toEqual({ maxCachedWorkflows: 10, maxConcurrentWorkflowTaskExecutions: 10 });
    expect(workerTuning(loadConfig({ WORKER_CACHED_WORKFLOWS: '0' }).worker)).toEqual({ maxCachedWorkflows: 0 });
  });

  it('loads a workflow bundle built ahead when WORKFLOW_BUNDLE names one, else bundles at start', () => {
    expect(loadConfig({}).worker.workflowBundle).toBeUndefined();
    expect(loadConfig({ WORKFLOW_BUNDLE: '/srv/access-desk/workflow-bundle.js' }).worker.workflowBundle).toBe('/srv/access-desk/workflow-bundle.js');
  });

  it('refuses a cache size the SDK cannot use, naming the variable', () => {
    expect(() => loadConfig({ WORKER_CACHED_WORKFLOWS: 'lots' })).toThrow(/WORKER_CACHED_WORKFLOWS/);
    expect(() => loadConfig({ WORKER_CACHED_WORKFLOWS: '-1' })).toThrow(/WORKER_CACHED_WORKFLOWS/);
    expect(() => loadConfig({ WORKER_CACHED_WORKFLOWS: '1' })).toThrow(/WORKER_CACHED_WORKFLOWS: must be 0 \(no cache\) or at least 2/);
  });
});
