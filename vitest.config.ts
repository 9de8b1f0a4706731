import { defineConfig } from 'vitest/config';

// Two projects, one run and one JSON report (what .ci/run counts from):
// - unit: pure rules and configuration, in parallel, without the Temporal setup;
// - stack: everything that starts Temporal, Postgres or the app. The global setup finds the Temporal
//   binaries and bundles the workflows once; files run one at a time in forks, since each shares one
//   time-skipping server and time skipping is global to a server; tests inside a file stay sequential.
// `npm run test:unit` runs the unit tests alone, in seconds.
export default defineConfig({
  test: {
    exclude: ['tests/bench/**', 'node_modules/**'],
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: 'tests/.tmp/vitest-report.json' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'stack',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/unit/**', 'tests/bench/**', 'node_modules/**'],
          globalSetup: ['tests/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
