// What the compiled worker evaluates at start is what npm run build:worker bundles (our modules) and imports statically
// (packages). Two things there cost it memory without use (docs/operations.md "Worker memory"): the API's routes,
// OpenAPI and metrics (bin/worker.ts once imported them through bin/lib/system.ts), and node-hl7-client's tables
// (10-15 MiB of RSS), needed only once the PAS feed sends.
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

async function moduleGraph(entry: string) {
  // The options of bin/build-worker.ts that decide what is in the bundle and what stays an import.
  const { metafile } = await build({
    entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external',
    write: false, metafile: true, outfile: path.resolve('tests/.tmp/worker-footprint.mjs'), logLevel: 'silent',
  });
  const ours = Object.keys(metafile.inputs);
  const packagesAtStart = new Set(Object.values(metafile.inputs).flatMap((m) => m.imports)
    .filter((i) => i.external && i.kind === 'import-statement').map((i) => i.path));
  return { ours, packagesAtStart };
}

describe('the worker process at start', () => {
  it('loads none of the API and not the HL7 library; the API process does not load the HL7 library either', async () => {
    const worker = await moduleGraph('bin/worker.ts');
    expect(worker.ours).toContain('activities/hl7-sender.ts'); // the PAS feed's activities are there, their library is not
    expect(worker.ours.filter((f) => /^api\/(app|openapi|metrics)\.ts$|^api\/routes\/|^api\/fhir\//.test(f))).toEqual([]);
    for (const heavy of ['node-hl7-client', '@hono/zod-openapi', '@hono/node-server', 'prom-client', '@scalar/hono-api-reference']) {
      expect(worker.packagesAtStart, heavy).not.toContain(heavy);
    }
    const api = await moduleGraph('bin/api.ts');
    expect(api.packagesAtStart).toContain('@hono/zod-openapi');
    expect(api.packagesAtStart).not.toContain('node-hl7-client');
  }, 60_000);
});
