#!/usr/bin/env -S npx tsx
// npm run build:worker: the worker as production runs it, compiled ahead. Writes
//   dist/worker/worker.mjs       bin/worker.ts and our modules as one ES module (node_modules stay imports)
//   dist/workflow-bundle.js      the workflow bundle, which that worker loads when WORKFLOW_BUNDLE is unset
// `node dist/worker/worker.mjs` then runs without tsx: no TypeScript compiler or module-loader thread in the process,
// which is most of what separates an idle worker from 300 MB (docs/operations.md "Worker memory").
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { bundleWorkflows } from './lib/worker';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`Usage: npm run build:worker
Compiles the worker to dist/worker/worker.mjs and bundles its workflows to dist/workflow-bundle.js.
Run it with: node dist/worker/worker.mjs (the same settings as npm run worker: DATABASE_URL, TEMPORAL_ADDRESS, ...).`);
  process.exit(0);
}

const root = path.resolve(new URL('..', import.meta.url).pathname);
const outDir = path.join(root, 'dist/worker');
const outfile = path.join(outDir, 'worker.mjs');

// Modules find their files (migrations, the workflows) relative to themselves through import.meta.url; in one bundle
// they would all resolve against dist/worker/. Each of our files gets its own URL back, relative to the bundle, so the
// compiled worker works wherever the repository is (a container's /app as much as here).
const ownUrls: Plugin = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
      const rel = path.relative(outDir, args.path).split(path.sep).join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

const started = performance.now();
mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: [path.join(root, 'bin/worker.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  // bin/worker.ts's shebang runs tsx; the compiled file is run by node.
  banner: { js: '// Built by npm run build:worker from bin/worker.ts; do not edit.' },
  plugins: [ownUrls],
  // Relative to bin/worker.ts (its import.meta.url, see ownUrls): the bundle written below.
  define: { BUILT_WORKFLOW_BUNDLE: JSON.stringify('../dist/workflow-bundle.js') },
  logLevel: 'warning',
});
const bundleFile = path.join(root, 'dist/workflow-bundle.js');
const { code } = await bundleWorkflows();
writeFileSync(bundleFile, code);
console.log(`Worker compiled to ${path.relative(process.cwd(), outfile)}, workflows bundled to ${path.relative(process.cwd(), bundleFile)} ` +
  `(${Math.round(code.length / 1024)} KiB) in ${((performance.now() - started) / 1000).toFixed(1)} s; run it with node ${path.relative(process.cwd(), outfile)}`);
