#!/usr/bin/env -S npx tsx
// npm run bench:sessions: a clinic session of 40 booked patients cancelled, timed from the team leader's
// confirm until every patient is moved or on the Rebooking queue, beside the bare Update round trip on the
// same server in the same run (each patient is one pathway Update, so the ratio says what the rest costs).
// It only measures and prints.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { withBenchStack } from './support';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { queryRows } from '../../db/client';
import { AccessDeskClient } from '../../bin/lib/api-client';
import { londonToday } from '../../bin/lib/system';
import { addDays, nextWorkingDay } from '../../domain';
import { addSessionSpecialty, addSlots, bookedSession, dailySlots, OTHER_CLINIC, SESSION_CLINIC } from '../support/clinic-sessions';
import { demoPassword } from '../support/stack';
import { finishSignal, pingUpdate, type bareUpdateWorkflow } from './bare-update-workflow';

const help = `Usage: npm run bench:sessions -- [--patients N] [--rounds N] [--updates N]

Starts a Temporal dev server, a fresh Postgres database on 127.0.0.1:5432 (TEST_POSTGRES_URL to change),
the worker and the API in this process (wired as npm start wires them), books the patients through the API,
then measures:
  session   POST /api/clinic-sessions/changes (confirm) until every patient's row is moved or waiting for a slot
            (polled every 10 ms in Postgres), per round a fresh session on another day
  update    the round trip of a bare Update (a handler that answers at once) on a workflow of its own bundle

Options:
  --patients N  booked patients in each session (default 40)
  --rounds N    sessions cancelled, one after another (default 3)
  --updates N   bare Update round trips, sequential (default 200)
  -h, --help    this help`;

const bareWorkflowsPath = fileURLToPath(new URL('./bare-update-workflow.ts', import.meta.url));
const quietBundler = { trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m), log() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (x: number) => (x < 10 ? `${x.toFixed(2)} ms` : x < 100 ? `${x.toFixed(1)} ms` : `${Math.round(x)} ms`);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const p95 = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]; };

function options() {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string', default: '40' }, rounds: { type: 'string', default: '3' }, updates: { type: 'string', default: '200' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { console.log(help); process.exit(0); }
  const [patients, rounds, updates] = [values.patients, values.rounds, values.updates].map(Number);
  for (const [name, v] of Object.entries({ patients, rounds, updates })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a whole number above 0`);
  }
  return { patients, rounds, updates };
}

/** Round trips of a bare Update, after a few untimed ones. */
async function bareUpdates(env: TestWorkflowEnvironment, count: number) {
  const { code } = await bundleWorkflowCode({ workflowsPath: bareWorkflowsPath, logger: quietBundler as never });
  const connection = await NativeConnection.connect({ address: env.address });
  const taskQueue = `bench-update-${randomBytes(4).toString('hex')}`;
  const worker = await Worker.create({ connection, taskQueue, workflowBundle: { code } });
  const running = worker.run();
  try {
    const handle = await env.client.workflow.start<typeof bareUpdateWorkflow>('bareUpdateWorkflow', { taskQueue, workflowId: taskQueue });
    for (let i = 0; i < 10; i++) await handle.executeUpdate(pingUpdate, { args: [i] });
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await handle.executeUpdate(pingUpdate, { args: [i] });
      times.push(performance.now() - t0);
    }
    await handle.signal(finishSignal);
    await handle.result();
    return times;
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
  }
}

async function main() {
  const { patients, rounds, updates } = options();
  const say = (m: string) => console.log(m);
  await withBenchStack(say, async ({ env, db, system }) => {
    const signIn = async (who: string) => { const c = new AccessDeskClient(system.url); await c.signIn(`${who}@demo.nhs.uk`, demoPassword); return c; };
    const [officer, clinician, leader] = [await signIn('officer'), await signIn('clinician'), await signIn('leader')];
    const today = londonToday();
    // Plenty of room elsewhere in the specialty: every patient can be moved, as in a good week.
    const w = nextWorkingDay(today);
    await addSlots(db.db, OTHER_CLINIC, nextWorkingDay(w), '08:00', 'two_week_wait', rounds * patients, 2);
    await addSlots(db.db, OTHER_CLINIC, nextWorkingDay(nextWorkingDay(w)), '08:00', 'urgent', rounds * patients, 2);
    for (const day of [0, 1, 2]) await addSlots(db.db, OTHER_CLINIC, addDays(today, 22 + day), '08:00', 'new', Math.ceil((rounds * patients) / 3) + 1, 2);
    await dailySlots(db.db, OTHER_CLINIC, addDays(today, 100), 1, 'new');

    const loadAtStart = os.loadavg()[0];
    const sessions: Array<{ totalMs: number; moved: number; waiting: number }> = [];
    for (let round = 0; round < rounds; round++) {
      const date = nextWorkingDay(addDays(today, 49 + round * 7));
      say(`Round ${round + 1} of ${rounds}: booking ${patients} patients into ${SESSION_CLINIC} on ${date} …`);
      await bookedSession(db.db, { officer, clinician, leader }, date, today, patients);
      const t0 = performance.now();
      const confirmed = await leader.request('POST', '/api/clinic-sessions/changes', {
        clinicId: SESSION_CLINIC, date, session: 'am', kind: 'cancel', reason: 'Consultant on annual leave',
      });
      const changeId = confirmed.body.id as string;
      for (;;) {
        const [row] = await queryRows<{ left: number }>(db.db, sql`select count(*) filter (where done_at is null)::int as left
          from session_change_patients where change_id = ${changeId}`);
        if (row.left === 0) break;
        await sleep(10);
      }
      const totalMs = performance.now() - t0;
      const [counts] = await queryRows<{ moved: number; waiting: number }>(db.db, sql`select count(*) filter (where outcome = 'moved')::int as moved,
        count(*) filter (where outcome = 'waiting_for_slot')::int as waiting from session_change_patients where change_id = ${changeId}`);
      sessions.push({ totalMs, ...counts });
      say(`  ${(totalMs / 1000).toFixed(2)} s: ${counts.moved} moved, ${counts.waiting} waiting for a slot`);
    }
    say(`Bare Update: ${updates} round trips …`);
    const bare = await bareUpdates(env, updates);

    const totals = sessions.map((s) => s.totalMs);
    const perPatient = median(totals) / patients;
    const cpus = os.cpus();
    const lines = [
      `Access Desk session change benchmark — ${patients} patients a session, ${rounds} sessions, ${cpus[0]?.model.trim() ?? 'unknown CPU'} ×${cpus.length}, Node ${process.version}`,
      `session cancelled (confirm → all ${patients} moved or queued): median ${(median(totals) / 1000).toFixed(2)} s   runs ${totals.map((t) => (t / 1000).toFixed(2)).join(', ')} s`,
      `per patient: ${ms(perPatient)}   (moved ${sessions.map((s) => s.moved).join('/')}, waiting ${sessions.map((s) => s.waiting).join('/')})`,
      `bare Update round trip: p50 ${ms(median(bare))}  p95 ${ms(p95(bare))}`,
      `per patient / bare Update: ${(perPatient / median(bare)).toFixed(1)}`,
      `load average (1 min) at the start of the measurements ${loadAtStart.toFixed(2)}, at the end ${os.loadavg()[0].toFixed(2)}`,
    ];
    say(`\n${lines.join('\n')}\n`);
  }, (db) => addSessionSpecialty(db.db));
}

main().then(
  () => process.exit(0),
  (err) => { console.error(err instanceof Error ? err.stack ?? err.message : String(err)); process.exit(1); },
);
