#!/usr/bin/env -S npx tsx
// npm run bench:ers (issue 14): e-RS intake end to end beside the console's intake, in one run on one stack. A local
// e-RS (bin/lib/local-ers.ts) holds a worklist of N referrals with attachments; the real `ers-poll` workflow takes them
// in through the real HTTP adapter until every one is a referral with its triage item and its documents stored. The
// console's rate comes first, measured as tests/bench/run.ts measures it. It only measures and prints.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import { queryRows } from '../../db/client';
import { AccessDeskClient } from '../../bin/lib/api-client';
import { startLocalErs, type LocalErs, type LocalErsReferralInput } from '../../bin/lib/local-ers';
import { createErsClient } from '../../activities/ers-client';
import { demoErsServices, ersServiceSpecialties } from '../../db/reference-data';
import { seededRandom, syntheticNhsNumber } from '../../bin/lib/demo';
import type { ErsApi, ErsPriority } from '../../domain/ers';
import { ersPoll, type ErsPollSummary } from '../../workflows/ers-poll';
import { withBenchStack } from './support';
import { demoPassword } from '../support/stack';
import type { TestDatabase } from '../support/database';
import {
  cpuLine, errorLine, intake, latencyLine, percentile, postgresVersion, progress, sleep, startMeter, temporalServerVersion,
} from './measure';

const help = `Usage: npm run bench:ers -- [--referrals N] [--console N] [--clients N]

Starts a Temporal dev server, a fresh Postgres database on 127.0.0.1:5432 (TEST_POSTGRES_URL to change), a local
e-RS service on 127.0.0.1, the worker (with e-RS) and the API in this process, then measures, in this order:
  console  referrals/s from POST /api/referrals until the triage work item is listed (as npm run bench:intake)
  e-RS     referrals/s from the first ers-poll's start until the last of N worklist referrals is a referral with
           its triage item, its attachments and clinical summary stored (and its slot issue item, on the ASI list)

Options:
  --referrals N  referrals on the e-RS worklists (default 2000)
  --console N    referrals POSTed at the console (default: the same as --referrals)
  --clients N    concurrent console clients (default 16)
  -h, --help     this help`;

const officerEmail = 'officer@demo.nhs.uk';
// However slow the machine, the e-RS phase gives up after this long (and says how far it got).
const ERS_PHASE_LIMIT_MS = 30 * 60_000;
const MAX_POLLS = 5;

function options() {
  const { values } = parseArgs({
    options: {
      referrals: { type: 'string', default: '2000' }, console: { type: 'string' }, clients: { type: 'string', default: '16' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { console.log(help); process.exit(0); }
  const referrals = Number(values.referrals);
  const consoleCount = Number(values.console ?? referrals);
  const clients = Number(values.clients);
  if (!Number.isInteger(referrals) || referrals < 1) throw new Error('--referrals must be a whole number above 0');
  if (!Number.isInteger(consoleCount) || consoleCount < 1) throw new Error('--console must be a whole number above 0');
  if (!Number.isInteger(clients) || clients < 1) throw new Error('--clients must be a whole number above 0');
  return { referrals, consoleCount, clients };
}

/** A worklist as the demo's (bin/lib/local-ers.ts seedDemo): a quarter on Appointment Slot Issues, some triage, some
 *  re-referrals naming an earlier UBRN, every one with a letter and a fifth with results too, all of them available.
 *  NHS numbers not in `taken`: a patient already here with another date of birth is (rightly) left for a person. */
function worklist(count: number, seed: number, ubrnFrom: number, taken: Set<string>): LocalErsReferralInput[] {
  const rand = seededRandom(seed);
  const nhsNumber = () => {
    for (;;) {
      const n = syntheticNhsNumber(rand);
      if (!taken.has(n)) { taken.add(n); return n; }
    }
  };
  const out: (LocalErsReferralInput & { ubrn: string })[] = [];
  for (let i = 0; i < count; i++) {
    const service = demoErsServices[Math.floor(rand() * demoErsServices.length)];
    const p = rand();
    const priority: ErsPriority = p < 0.15 ? 'TWO_WEEK_WAIT' : p < 0.35 ? 'URGENT' : 'ROUTINE';
    const kind = rand();
    const worklist = kind < 0.25 ? 'APPOINTMENT_SLOT_ISSUES' : 'REFERRALS_FOR_REVIEW';
    const previous = out[out.length - 1];
    const related = previous && rand() < 0.1 ? previous : undefined;
    const dob = new Date(Date.UTC(1940 + Math.floor(rand() * 80), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28))).toISOString().slice(0, 10);
    out.push({
      ubrn: String(ubrnFrom + i).padStart(12, '0'),
      worklist, triage: worklist === 'REFERRALS_FOR_REVIEW' && kind > 0.7, priority, serviceId: related?.serviceId ?? service.serviceId,
      patient: related ? { ...related.patient } : { nhsNumber: nhsNumber(), givenName: 'Bench', familyName: `Patient${i}`, dateOfBirth: dob, postcode: 'L39 2AZ' },
      relatedUbrns: related ? [related.ubrn] : [],
      pathwayStart: new Date(Date.now() - Math.floor(rand() * 10) * 86_400_000).toISOString(),
      attachments: [{ title: 'Referral letter.txt', text: `Referral letter for ${service.name}.\n` }, ...(rand() < 0.2 ? [{ title: 'Blood results.txt', text: 'FBC normal.\n' }] : [])],
    });
  }
  return out;
}

async function addToWorklist(ers: LocalErs, referrals: LocalErsReferralInput[]) {
  for (let i = 0; i < referrals.length; i += 500) {
    const res = await fetch(`${ers.origin}/__control/referrals`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ referrals: referrals.slice(i, i + 500) }),
    });
    if (!res.ok) throw new Error(`the local e-RS refused the worklist: ${res.status} ${await res.text()}`);
  }
}

/** The adapter, timed per call: where a poll's time goes on the e-RS side. */
function timedApi(api: ErsApi) {
  const calls = new Map<string, number[]>();
  const timed = Object.fromEntries(Object.entries(api).map(([name, fn]) => [name, async (...args: unknown[]) => {
    const t0 = performance.now();
    try { return await (fn as (...a: unknown[]) => Promise<unknown>)(...args); } finally {
      let list = calls.get(name);
      if (!list) calls.set(name, list = []);
      list.push(performance.now() - t0);
    }
  }])) as unknown as ErsApi;
  return { api: timed, reset: () => calls.clear(), calls };
}

/** For each referral of these UBRNs: when it was complete (item, documents, slot issue on ASI), or null if not yet. */
async function completion(db: TestDatabase, ubrns: string[]) {
  const rows = await queryRows<{ done: number; last: string | null; registered: number }>(db.db, sql`
    with mine as (
      select r.id, r.ubrn, e.documents_fetched_at, e.worklist,
        (select min(t.created_at) from tasks t where t.referral_id = r.id and t.type = 'triage_referral') as triage_at,
        (select min(t.created_at) from tasks t where t.referral_id = r.id and t.type = 'resolve_slot_issue') as slot_issue_at
      from referrals r left join ers_referrals e on e.referral_id = r.id
      where r.ubrn in (select jsonb_array_elements_text(${JSON.stringify(ubrns)}::jsonb))
    ), complete as (
      select greatest(triage_at, documents_fetched_at, slot_issue_at) as at from mine
      where triage_at is not null and documents_fetched_at is not null and (worklist <> 'APPOINTMENT_SLOT_ISSUES' or slot_issue_at is not null)
    )
    select (select count(*)::int from complete) as done, (select max(at)::text from complete) as last, (select count(*)::int from mine) as registered`);
  return { done: rows[0].done, registered: rows[0].registered, lastAt: rows[0].last ? Date.parse(rows[0].last) : undefined };
}

const eventMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => (t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : 0);

/** From the timed polls' histories: time in activities (waiting for a worker slot, then running) and between them. */
async function pollBreakdown(client: Client, workflowIds: string[]) {
  let wall = 0, queued = 0, running = 0, activities = 0;
  const byType = new Map<string, { n: number; ms: number }>();
  for (const id of workflowIds) {
    const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
    if (events.length) wall += eventMs(events[events.length - 1].eventTime) - eventMs(events[0].eventTime);
    const at = new Map<number, { type: string; scheduled: number; started?: number }>();
    for (const e of events) {
      const id = Number(e.eventId);
      if (e.activityTaskScheduledEventAttributes) at.set(id, { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', scheduled: eventMs(e.eventTime) });
      const started = e.activityTaskStartedEventAttributes;
      if (started) { const a = at.get(Number(started.scheduledEventId)); if (a) a.started = eventMs(e.eventTime); }
      const done = e.activityTaskCompletedEventAttributes;
      if (done) {
        const a = at.get(Number(done.scheduledEventId));
        if (!a) continue;
        const end = eventMs(e.eventTime);
        activities += 1;
        queued += (a.started ?? a.scheduled) - a.scheduled;
        running += end - (a.started ?? a.scheduled);
        const t = byType.get(a.type) ?? { n: 0, ms: 0 };
        byType.set(a.type, { n: t.n + 1, ms: t.ms + end - a.scheduled });
      }
    }
  }
  const s = (x: number) => `${(x / 1000).toFixed(1)} s`;
  return `${s(wall)} in all; ${activities} activities ran ${s(running)} (${[...byType].map(([t, v]) => `${t} ${v.n} × ${s(v.ms / v.n)}`).join(', ')}), ` +
    `waited ${s(queued)} for the worker to pick them up; ${s(wall - queued - running)} between activities (workflow tasks)`;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function main() {
  const { referrals: count, consoleCount, clients } = options();
  const say = (m: string) => console.log(m);

  say('Starting the local e-RS service …');
  const ers = await startLocalErs();
  const timed = timedApi(createErsClient({ baseUrl: ers.baseUrl, accessToken: ers.userToken, odsCode: ers.odsCode, businessFunction: 'SERVICE_PROVIDER_CLINICIAN' }));
  try {
    await withBenchStack(say, async ({ env, db, system, taskQueue }) => {
      // As tests/bench/run.ts: one session shared by every client, and untimed rounds first.
      const first = new AccessDeskClient(system.url);
      await first.signIn(officerEmail, demoPassword);
      const officers = [first, ...Array.from({ length: clients - 1 }, () => first.sharingSession())];
      say(`Console intake: ${consoleCount} referrals from ${clients} clients (after ${clients} untimed) …`);
      await intake(officers, clients);
      const consoleMeter = await startMeter(db);
      const consoleResult = await intake(officers, consoleCount, progress('console intake', consoleCount));
      const { cpu: consoleCpu } = await consoleMeter.stop();
      const consoleRate = consoleResult.done / (consoleResult.wallMs / 1000);

      let polls = 0;
      const pollIds: string[] = [];
      const poll = () => {
        pollIds.push(`ers-poll-bench-${randomBytes(3).toString('hex')}-${++polls}`);
        return env.client.workflow.execute(ersPoll, { workflowId: pollIds[pollIds.length - 1], taskQueue });
      };
      const ubrnBase = 900_000_000_000 + Math.floor(Math.random() * 1e8) * 1000;
      // Untimed: a small worklist taken in first, so the timed poll does not carry the first contact.
      const usedNhsNumbers = new Set((await queryRows<{ n: string }>(db.db, sql`select nhs_number as n from patients`)).map((r) => r.n));
      const warmUp = worklist(16, 7, ubrnBase, usedNhsNumbers);
      say(`e-RS intake: ${warmUp.length} referrals taken in untimed first …`);
      await addToWorklist(ers, warmUp);
      await poll();
      const list = worklist(count, 14, ubrnBase + 100, usedNhsNumbers);
      const ubrns = list.map((r) => r.ubrn!);
      await addToWorklist(ers, list);
      const attachments = sum(list.map((r) => r.attachments?.length ?? 0));
      const asi = list.filter((r) => r.worklist === 'APPOINTMENT_SLOT_ISSUES').length;
      say(`e-RS intake: ${count} referrals on the worklists (${asi} on Appointment Slot Issues, ${attachments} attachments), polled by ersPoll …`);

      timed.reset();
      const ersMeter = await startMeter(db);
      const startedAt = Date.now();
      const started = performance.now();
      const summaries: ErsPollSummary[] = [];
      let state = { done: 0, registered: 0, lastAt: undefined as number | undefined };
      let polling = true;
      // Progress from Postgres while the polls run (a line every 10%, or a bar on a terminal).
      const watcher = (async () => {
        const tick = progress('e-RS intake', count);
        let shown = 0;
        while (polling && performance.now() - started < ERS_PHASE_LIMIT_MS) {
          await sleep(500);
          state = await completion(db, ubrns);
          for (; shown < state.done; shown++) tick();
        }
      })();
      let pollError: unknown;
      try {
        // A poll takes in all it can; one whose attachments were not all fetched leaves the rest to the next.
        // Another only while one makes progress: an entry left for a person stays so however often it is polled.
        for (let before = -1; summaries.length < MAX_POLLS && performance.now() - started < ERS_PHASE_LIMIT_MS;) {
          summaries.push(await poll());
          const { done } = await completion(db, ubrns);
          if (done >= count || done === before) break;
          before = done;
        }
      } catch (err) {
        pollError = err;
      } finally {
        polling = false;
        await watcher;
      }
      const pollsMs = performance.now() - started;
      const { cpu: ersCpu, peak } = await ersMeter.stop();
      state = await completion(db, ubrns);
      const endMs = state.lastAt !== undefined ? state.lastAt - startedAt : pollsMs;
      const ersRate = state.done / (endMs / 1000);

      const callLines = [...timed.calls.entries()].sort((a, b) => sum(b[1]) - sum(a[1])).map(([name, ms]) => {
        const s = [...ms].sort((a, b) => a - b);
        return `${name} ${ms.length} × p50 ${percentile(s, 50).toFixed(1)} ms (${(sum(ms) / 1000).toFixed(1)} s in all)`;
      });
      const taken = summaries.reduce((a, s) => ({ registered: a.registered + s.registered, documents: a.documents + s.documents, slotIssues: a.slotIssues + s.slotIssues, needAttention: a.needAttention + s.needAttention }),
        { registered: 0, documents: 0, slotIssues: 0, needAttention: 0 });
      const where = await pollBreakdown(env.client, pollIds.slice(1));
      const cpus = os.cpus();
      const lines = [
        `Access Desk e-RS intake benchmark — ${count} e-RS referrals, ${consoleCount} console referrals from ${clients} clients, ${cpus[0]?.model.trim() ?? 'unknown CPU'} ×${cpus.length}, ` +
          `Node ${process.version}, Temporal dev server ${temporalServerVersion()}, Postgres ${await postgresVersion(db)}`,
        `console intake (POST → triage item listed): ${consoleRate.toFixed(1)} referrals/s   ${latencyLine(consoleResult.latencies)}   wall ${(consoleResult.wallMs / 1000).toFixed(1)} s`,
        `e-RS intake (first poll's start → last referral complete: triage item, documents, slot issue item): ${ersRate.toFixed(1)} referrals/s   ` +
          `${state.done} of ${count} in ${(endMs / 1000).toFixed(1)} s, ${summaries.length} poll${summaries.length === 1 ? '' : 's'} (${(pollsMs / 1000).toFixed(1)} s)`,
        `  polls took in ${taken.registered} referrals, ${taken.documents} documents, ${taken.slotIssues} slot issue items, ${taken.needAttention} needing attention`,
        `  where the polls' time went (from their histories): ${where}`,
        `  e-RS calls (through the adapter, local e-RS in this process): ${callLines.join('; ')}`,
        `e-RS / console: ${(ersRate / consoleRate).toFixed(2)}`,
        `peak RSS during e-RS intake (API + worker + local e-RS + bench, one process): ${Math.round(peak.rss / 1024 / 1024)} MiB`,
        cpuLine('console intake', consoleCpu),
        cpuLine('e-RS intake', ersCpu) + ' (this process includes the local e-RS service)',
        errorLine('console referrals', consoleResult.errors),
        pollError ? `  a poll failed: ${pollError instanceof Error ? pollError.message : String(pollError)}` : '',
        state.done < count ? `  NOT COMPLETE: ${state.done} of ${count} complete, ${state.registered} registered, when the bench stopped` : '',
      ].filter(Boolean);
      say(`\n${lines.join('\n')}\n`);
    }, undefined, { ers: { api: timed.api, services: ersServiceSpecialties(), schedule: false } });
  } finally {
    await ers.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => { console.error(err instanceof Error ? err.stack ?? err.message : String(err)); process.exit(1); },
);
