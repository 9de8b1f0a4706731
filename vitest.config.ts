import { defineConfig } from 'vitest/config';

// Projects of one run and one JSON report (what .ci/run counts from):
// - unit: pure rules and configuration, in parallel, without the Temporal setup;
// - stack: everything that starts Temporal, Postgres or the app. The global setup finds the Temporal
//   binaries and bundles the workflows once. Every stack file starts its own Temporal server (dev or
//   time-skipping), database, local Notify and API on free ports, so files run side by side:
//   STACK_WORKERS of them at once (default 2, for this 2-core machine; 1 to debug one at a time).
//   Tests inside a file stay sequential. A few files that change the process itself run last, each in its own.
// `npm run test:unit` runs the unit tests alone, in seconds.
const stackWorkers = Math.max(1, Number(process.env.STACK_WORKERS ?? 2) || 1);
// Files that change the process itself (OpenTelemetry's global tracer, environment): in a process of their own.
const ownProcess = ['tests/api/tracing.test.ts'];

export default defineConfig({
  test: {
    exclude: ['tests/bench/**', 'node_modules/**'],
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: 'tests/.tmp/vitest-report.json' },
    projects: [
      {
        extends: true,
        // Projects with different maxWorkers run one after the other: the unit tests first (seconds).
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'stack',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/unit/**', 'tests/bench/**', 'node_modules/**', ...ownProcess],
          globalSetup: ['tests/support/global-setup.ts'],
          sequence: { groupOrder: 1 },
          fileParallelism: stackWorkers > 1,
          maxWorkers: stackWorkers,
          // A fork runs its files one after another in one module graph: importing the app, drizzle and the Temporal
          // SDK afresh for each of ninety files was a third of the suite's CPU. Each file still starts its own
          // Temporal, database and app, and stops them.
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'stack-own-process',
          include: ownProcess,
          globalSetup: ['tests/support/global-setup.ts'],
          sequence: { groupOrder: 2 },
          maxWorkers: 1,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
