#!/usr/bin/env -S npx tsx
// Bundles the workflows ahead of time (npm run build:workflows [file]): a worker started with WORKFLOW_BUNDLE=<file>
// loads it instead of running webpack in its own process at start (docs/operations.md "Worker memory").
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflows } from './lib/worker';

const file = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
const { code } = await bundleWorkflows();
mkdirSync(path.dirname(file), { recursive: true });
writeFileSync(file, code);
console.log(`Workflow bundle written to ${path.relative(process.cwd(), file)} (${Math.round(code.length / 1024)} KiB); start the worker with WORKFLOW_BUNDLE=${path.relative(process.cwd(), file)}`);
