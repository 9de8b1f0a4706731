// workflows/index.ts must bundle for the workflow sandbox: no Node-only import may be reachable from it.
import { describe, expect, it } from 'vitest';
import { bundleWorkflows } from '../../bin/lib/worker';

describe('the workflow bundle', () => {
  it('bundles workflows/index.ts without Node-only modules', async () => {
    const { code } = await bundleWorkflows();
    expect(code).toContain('referralPathway');
    expect(code).not.toMatch(/require\(["']node:(fs|net|crypto|child_process)["']\)/);
  });
});
