// e-RS sync (issue 14) against the local e-RS service (bin/lib/local-ers.ts) through the real HTTP adapter, on real
// Postgres and the Temporal dev server. The `ers-poll` workflow runs on an e-RS worker of this file's own (the stack's
// worker has no e-RS); each test runs polls itself instead of waiting for the Schedule.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { queryRows } from '../../db/client';
import { createErsClient } from '../../activities/ers-client';
import { startLocalErs, type LocalErs } from '../../bin/lib/local-ers';
import { createAccessDeskWorker } from '../../bin/lib/worker';
import { ersServiceSpecialties } from '../../db/reference-data';
import { ersPoll, type ErsPollSummary } from '../../workflows/ers-poll';
import { londonDate as londonDateOf } from '../../domain';
import { slotIssueDueAt } from '../../domain/ers-rules';
import { startTestStack, type TestStack } from '../support/stack';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { syntheticNhsNumber, seededRandom } from '../../bin/lib/demo';
import { freeSlot } from '../support/fixtures';

let stack: TestStack;
let ers: LocalErs;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
let worker: Worker | undefined;
let workerRun: Promise<void> | undefined;
let connection: NativeConnection;
const ersQueue = `ers-${randomBytes(4).toString('hex')}`;
const rand = seededRandom(Date.now() % 100000);
let ubrnSeq = 500000000000 + Math.floor(rand() * 1e9);
const nextUbrn = () => String(ubrnSeq++);

async function startErsWorker() {
  const api = createErsClient({ baseUrl: ers.baseUrl, accessToken: ers.userToken, odsCode: ers.odsCode, businessFunction: 'SERVICE_PROVIDER_CLINICIAN' });
  worker = await createAccessDeskWorker({
    connection, namespace: 'default', taskQueue: ersQueue, db: stack.db.db,
    workflowBundle: { codePath: process.env.ACCESS_DESK_WORKFLOW_BUNDLE! },
    ers: { api, services: ersServiceSpecialties(), temporal: { client: stack.env.client, taskQueue: ersQueue } },
  });
  workerRun = worker.run();
}
async function stopErsWorker() {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await workerRun;
  worker = undefined;
}

beforeAll(async () => {
  // Workers are stopped and started here (a kill mid-poll): no sticky cache for the dev server to wait out.
  stack = await startTestStack({ database: 'postgres', workflowCache: false });
  ers = await startLocalErs();
  connection = await NativeConnection.connect({ address: stack.env.address });
  await startErsWorker();
  [officer, clinician] = await Promise.all(['officer', 'clinician'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
}, 120_000);
afterAll(async () => {
  await stopErsWorker();
  await connection?.close();
  await ers?.stop();
  await stack?.stop();
});

let polls = 0;
let lastPollId = '';
const poll = (): Promise<ErsPollSummary> => {
  lastPollId = `ers-poll-test-${++polls}-${randomBytes(3).toString('hex')}`;
  return stack.env.client.workflow.execute(ersPoll, { workflowId: lastPollId, taskQueue: ersQueue });
};

const control = async (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') => {
  const res = await fetch(`${ers.origin}/__control${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<any>;
};
const londonDate = (iso: string) => londonDateOf(Date.parse(iso));
const addDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const slotIssueDueAtFor = (priority: 'two_week_wait', receivedOn: string) => slotIssueDueAt({ priority, receivedOn });
const rows = <T = any>(q: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, q);
const patient = (over: Record<string, unknown> = {}) => ({
  nhsNumber: syntheticNhsNumber(rand), givenName: 'Grace', familyName: 'Hopper', dateOfBirth: '1956-12-09', postcode: 'L39 2AZ', ...over,
});
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
const referralByUbrn = async (ubrn: string) => (await rows<any>(sql`select r.*, p.clock_start::text as clock_start from referrals r
  left join pathways p on p.referral_id = r.id where r.ubrn = ${ubrn}`));
/** With RECORD_HISTORIES=1, keeps a poll's history for tests/workflows/replay.test.ts (our ids and counts only). */
async function recordHistory(workflowId: string, name: string) {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await stack.env.client.workflow.getHandle(workflowId).fetchHistory();
  const json = historyToJSON(history);
  expect(json).not.toMatch(/\b\d{12}\b/); // no UBRN
  writeFileSync(`tests/workflows/histories/${name}.json`, json);
}
const eRsReferral = async (ubrn: string) => (await control('/referrals')).find((r: any) => r.ubrn === ubrn);
const callsTo = async (route: string, ubrn: string) => (await control('/requests')).filter((r: any) => r.route === route && r.path.includes(ubrn)).length;

describe('referrals arrive by themselves', () => {
  it('takes each UBRN in once, even when two polls run at once and a poll is repeated; attachments and summary stored; clock per rule', async () => {
    const related = nextUbrn();
    const [booked, triage, asi, reReferral] = [nextUbrn(), nextUbrn(), nextUbrn(), nextUbrn()];
    await control('/referrals', { referrals: [
      { ubrn: related, worklist: 'REFERRALS_FOR_REVIEW', serviceId: '21007', patient: patient(), pathwayStart: daysAgo(40) },
      { ubrn: booked, worklist: 'REFERRALS_FOR_REVIEW', serviceId: '21002', priority: 'URGENT', patient: patient(), pathwayStart: daysAgo(3),
        attachments: [{ title: 'letter.pdf', contentType: 'application/pdf', text: 'Referral letter' }, { title: 'bloods.txt', contentType: 'text/plain', text: 'PSA 7.1' }] },
      { ubrn: triage, worklist: 'REFERRALS_FOR_REVIEW', triage: true, serviceId: '21008', patient: patient(), pathwayStart: daysAgo(2) },
      { ubrn: asi, worklist: 'APPOINTMENT_SLOT_ISSUES', serviceId: '21004', priority: 'TWO_WEEK_WAIT', patient: patient(), pathwayStart: daysAgo(1), ubrnReceived: daysAgo(4) },
      { ubrn: reReferral, worklist: 'REFERRALS_FOR_REVIEW', serviceId: '21007', patient: patient(), pathwayStart: daysAgo(5), relatedUbrns: [related] },
    ] });

    const [a, b] = await Promise.all([poll(), poll()]);
    expect(a.registered + b.registered).toBe(5);
    const again = await poll();
    const firstPollId = lastPollId;
    expect(again.registered).toBe(0);

    for (const ubrn of [related, booked, triage, asi, reReferral]) expect(await referralByUbrn(ubrn)).toHaveLength(1);
    const [bookedRow] = await referralByUbrn(booked);
    expect(bookedRow).toMatchObject({ source: 'ers', priority: 'urgent', specialty_code: '101', pathway_started: true, clock_start: londonDate(daysAgo(3)) });
    // ASI: the date it reached our worklist, earlier than its pathway start.
    expect((await referralByUbrn(asi))[0]).toMatchObject({ priority: 'two_week_wait', specialty_code: '120', clock_start: londonDate(daysAgo(4)) });
    // Re-referral: the related UBRN's earlier start is kept.
    expect((await referralByUbrn(reReferral))[0].clock_start).toBe(londonDate(daysAgo(40)));

    const docs = await rows<any>(sql`select d.kind, d.filename, d.content_type, d.size, octet_length(d.bytes) as bytes,
      case when d.content_type = 'text/plain' then convert_from(d.bytes, 'UTF8') end as text
      from ers_documents d where d.referral_id = ${bookedRow.id} order by d.kind, d.filename`);
    expect(docs.map((d) => [d.kind, d.filename, d.content_type])).toEqual([
      ['attachment', 'bloods.txt', 'text/plain'], ['attachment', 'letter.pdf', 'application/pdf'],
      ['clinical_summary', expect.stringMatching(new RegExp(`^${booked}_Clinical_Information_Summary_.*\\.pdf$`)), 'application/pdf'],
    ]);
    expect(docs.every((d) => d.size === d.bytes && d.bytes > 0)).toBe(true);
    expect(docs[0].text).toBe('PSA 7.1');
    // Stored once and fetched once, whatever the number of polls (above): one poll at a time claims an entry.
    for (const ubrn of [booked, triage, asi]) expect(await callsTo('A007', ubrn)).toBe(1);
    // The triage item is on the specialty's queue like a console referral's.
    await officer.waitForOpenTask(bookedRow.id, 'triage_referral');
    // No UBRN or NHS number in Temporal: the poll's history carries only our ids and counts.
    const history = JSON.stringify(await stack.env.client.workflow.getHandle(firstPollId).fetchHistory());
    for (const ubrn of [booked, triage, asi, reReferral]) expect(history).not.toContain(ubrn);
  }, 120_000);

  it('three polls racing fetch each referral and document once: one poll claims each entry', async () => {
    const ubrns = Array.from({ length: 8 }, nextUbrn);
    const added = await control('/referrals', { referrals: ubrns.map((ubrn) => ({
      ubrn, worklist: 'REFERRALS_FOR_REVIEW', serviceId: '21002', patient: patient(), pathwayStart: daysAgo(1),
      attachments: [{ title: 'letter.txt', contentType: 'text/plain', text: `Referral letter ${ubrn}` }],
    })) });
    const results = await Promise.all([poll(), poll(), poll()]);
    expect(results.reduce((n, r) => n + r.registered, 0)).toBe(8);
    const requests: any[] = await control('/requests');
    const count = (route: string, part: string) => requests.filter((r) => r.route === route && r.path.includes(part)).length;
    for (const ubrn of ubrns) {
      expect([ubrn, count('A005', ubrn), count('A007', ubrn)]).toEqual([ubrn, 1, 1]);
    }
    for (const id of added.referrals.flatMap((r: any) => r.attachments as string[])) expect(count('A042', id)).toBe(1);
    const inRange = sql`r.ubrn between ${ubrns[0]} and ${ubrns[ubrns.length - 1]}`;
    const [{ docs }] = await rows<any>(sql`select count(*)::int as docs from ers_documents d join referrals r on r.id = d.referral_id where ${inRange}`);
    expect(docs).toBe(16);
    // Every claim is let go once its entry is in, so a later poll may take an entry up again (an attachment not yet scanned).
    const claimed = await rows<any>(sql`select count(*)::int as n from ers_worklist_entries where ubrn between ${ubrns[0]} and ${ubrns[ubrns.length - 1]} and claimed_by is not null`);
    expect(claimed[0].n).toBe(0);
  }, 120_000);

  it('an attachment not yet scanned is fetched by a later poll', async () => {
    const ubrn = nextUbrn();
    const added = await control('/referrals', { ubrn, worklist: 'REFERRALS_FOR_REVIEW', serviceId: '21002', patient: patient(), pathwayStart: daysAgo(1),
      attachments: [{ title: 'scan.png', contentType: 'image/png', text: 'png', available: false }] });
    await poll();
    const [ref] = await referralByUbrn(ubrn);
    const count = async () => (await rows<any>(sql`select count(*)::int as n from ers_documents where referral_id = ${ref.id} and kind = 'attachment'`))[0].n;
    expect(await count()).toBe(0);
    await control(`/referrals/${ubrn}/attachments/${added.referrals[0].attachments[0]}`, { available: true });
    await poll();
    expect(await count()).toBe(1);
    expect(await referralByUbrn(ubrn)).toHaveLength(1);
  }, 60_000);
});

describe('a worklist longer than a batch', () => {
  it('takes each of 60 in once, several at a time, with re-referrals of one patient side by side; documents stored', async () => {
    // Pairs: the second UBRN of each names the first and is the same patient's, so both are taken in at the same time.
    const input = Array.from({ length: 30 }, (_, i) => {
      const [first, second] = [nextUbrn(), nextUbrn()];
      const who = patient({ familyName: `Batch${i}` });
      return [
        { ubrn: first, worklist: 'REFERRALS_FOR_REVIEW', serviceId: '21002', patient: who, pathwayStart: daysAgo(20), attachments: [{ title: 'letter.txt', text: 'letter' }] },
        { ubrn: second, worklist: i % 3 === 0 ? 'APPOINTMENT_SLOT_ISSUES' : 'REFERRALS_FOR_REVIEW', serviceId: '21002', patient: who, pathwayStart: daysAgo(2),
          relatedUbrns: [first], attachments: [{ title: 'letter.txt', text: 'letter' }] },
      ];
    }).flat();
    const ubrns = input.map((r) => r.ubrn);
    await control('/referrals', { referrals: input });
    const [a, b] = await Promise.all([poll(), poll()]);
    expect(a.registered + b.registered).toBe(60);
    const mine = sql`r.ubrn in (select jsonb_array_elements_text(${JSON.stringify(ubrns)}::jsonb))`;
    const made = await rows<any>(sql`select r.ubrn, r.patient_id, p.clock_start::text as clock_start,
      (select count(*)::int from ers_documents d where d.referral_id = r.id) as documents,
      (select count(*)::int from tasks t where t.referral_id = r.id and t.type = 'triage_referral') as triage,
      (select count(*)::int from tasks t where t.referral_id = r.id and t.type = 'resolve_slot_issue') as slot_issues,
      e.documents_fetched_at is not null as fetched
      from referrals r join pathways p on p.referral_id = r.id join ers_referrals e on e.referral_id = r.id where ${mine} order by r.ubrn`);
    expect(made.map((r) => r.ubrn)).toEqual([...ubrns].sort());
    // One triage item each; documents stored once however the two polls raced.
    expect(made.every((r) => r.triage === 1 && r.fetched)).toBe(true);
    expect(made.filter((r) => r.slot_issues === 1)).toHaveLength(10);
    for (let i = 0; i < input.length; i += 2) {
      const [first, second] = [made.find((r) => r.ubrn === input[i].ubrn), made.find((r) => r.ubrn === input[i + 1].ubrn)];
      expect(second.patient_id).toBe(first.patient_id);
      // A letter and a summary; the re-referral also holds its related UBRN's.
      expect([first.documents, second.documents]).toEqual([2, 4]);
      expect(second.clock_start).toBe(londonDate(daysAgo(20)));
    }
    await recordHistory(lastPollId, 'ers-poll-60-referrals');
  }, 180_000);

  it('e-RS failing one of them mid-batch: the batch is tried again and nothing is made or stored twice', async () => {
    const ubrns = Array.from({ length: 40 }, nextUbrn);
    await control('/referrals', { referrals: ubrns.map((ubrn) => ({ ubrn, worklist: 'REFERRALS_FOR_REVIEW', serviceId: '21002', patient: patient(), pathwayStart: daysAgo(1),
      attachments: [{ title: 'letter.txt', text: 'letter' }] })) });
    // A slow summary keeps the other lanes busy when the third A005 fails (e-RS busy: retryable).
    await control('/errors', { route: 'A007', delayMs: 200, count: 8 });
    await control('/errors', { route: 'A005', count: 2 });
    await control('/errors', { route: 'A005', status: 503, count: 1 });
    const summary = await poll();
    // The failed attempt's lanes finished what they had begun (those the retry finds done and does not count again).
    expect(summary.registered).toBeGreaterThan(0);
    expect(summary.registered).toBeLessThan(40);
    const history = await stack.env.client.workflow.getHandle(lastPollId).fetchHistory();
    const takeInAttempts = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes && (e.activityTaskStartedEventAttributes.attempt ?? 1) > 1);
    expect(takeInAttempts.length).toBeGreaterThan(0);
    const mine = sql`r.ubrn in (select jsonb_array_elements_text(${JSON.stringify(ubrns)}::jsonb))`;
    const made = await rows<any>(sql`select r.ubrn, count(*) over (partition by r.ubrn)::int as copies,
      (select count(*)::int from ers_documents d where d.referral_id = r.id) as documents,
      (select count(*)::int from tasks t where t.referral_id = r.id and t.type = 'triage_referral') as triage
      from referrals r where ${mine}`);
    expect(made).toHaveLength(40);
    expect(made.every((r) => r.copies === 1 && r.documents === 2 && r.triage === 1)).toBe(true);
  }, 120_000);
});

describe('Appointment Slot Issues', () => {
  it('raise an item in the e-RS slot issues queue, due by policy, closed when the referral is booked', async () => {
    const ubrn = nextUbrn();
    await control('/referrals', { ubrn, worklist: 'APPOINTMENT_SLOT_ISSUES', serviceId: '21002', priority: 'TWO_WEEK_WAIT', patient: patient(), pathwayStart: daysAgo(0), ubrnReceived: daysAgo(0) });
    await poll();
    await poll();
    const [ref] = await referralByUbrn(ubrn);
    const items = await rows<any>(sql`select t.id, t.status, t.due_at, q.kind from tasks t join queues q on q.id = t.queue_id where t.referral_id = ${ref.id} and t.type = 'resolve_slot_issue'`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'open', kind: 'ers_slot_issues' });
    expect(new Date(items[0].due_at).toISOString()).toBe(slotIssueDueAtFor('two_week_wait', londonDate(daysAgo(0))));

    const triageItem = await officer.waitForOpenTask(ref.id, 'triage_referral');
    await clinician.post(`/api/tasks/${triageItem.id}/complete`, { decision: 'accept', clinicId: 'clin_2', clinicalPriority: 'two_week_wait' });
    const booking = await officer.waitForOpenTask(ref.id, 'book_new_appointment');
    const slot = await freeSlot(officer, 'clin_2', 'two_week_wait', addDays(1));
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    const [after] = await rows<any>(sql`select status, outcome from tasks where id = ${items[0].id}`);
    expect(after).toMatchObject({ status: 'done', outcome: { closed: 'Closed: the referral was booked' } });
    // The acceptance went back as a review outcome (A028 accept and book later) on the next poll.
    await poll();
    expect((await eRsReferral(ubrn)).outcomes.map((o: any) => [o.action, o.detail.outcome])).toEqual([['A028', 'ACCEPT_REFER_BOOK_LATER']]);
  }, 90_000);
});

describe('triage outcomes go back to e-RS', () => {
  async function takenIn(input: Record<string, unknown>) {
    const ubrn = nextUbrn();
    await control('/referrals', { ubrn, worklist: 'REFERRALS_FOR_REVIEW', serviceId: '21002', patient: patient(), pathwayStart: daysAgo(2), ...input });
    await poll();
    const [ref] = await referralByUbrn(ubrn);
    return { ubrn, ref, triage: await officer.waitForOpenTask(ref.id, 'triage_referral') };
  }
  const returnIt = (taskId: string) => clinician.post(`/api/tasks/${taskId}/complete`, { decision: 'return_to_referrer', reason: 'Please refer to the community continence service' });
  const outcomeRow = async (referralId: string) => (await rows<any>(sql`select * from ers_outcomes where referral_id = ${referralId}`));

  it('a returned referral is rejected in e-RS once (A014) and leaves the e-RS worklist', async () => {
    const { ubrn, ref, triage } = await takenIn({});
    await returnIt(triage.id);
    expect(await outcomeRow(ref.id)).toMatchObject([{ action: 'return_to_referrer', status: 'pending', comments: 'Please refer to the community continence service' }]);
    await poll();
    await poll();
    expect(await outcomeRow(ref.id)).toMatchObject([{ status: 'sent', call: 'A014', attempts: 1 }]);
    expect(await callsTo('A014', ubrn)).toBe(1);
    const now = await eRsReferral(ubrn);
    expect(now).toMatchObject({ state: 'REJECTED' });
    expect(now.worklist).not.toBe('REFERRALS_FOR_REVIEW');
    const list = await createErsClient({ baseUrl: ers.baseUrl, accessToken: ers.userToken, odsCode: ers.odsCode, businessFunction: 'SERVICE_PROVIDER_CLINICIAN' })
      .fetchWorklist('REFERRALS_FOR_REVIEW');
    expect(list.map((i) => i.ubrn)).not.toContain(ubrn);
    expect((await rows<any>(sql`select gone_at from ers_worklist_entries where ubrn = ${ubrn}`))[0].gone_at).not.toBeNull();
  }, 90_000);

  it('a triage (RAS) referral returned goes back as A028 with the advice', async () => {
    const { ubrn, triage } = await takenIn({ triage: true });
    await returnIt(triage.id);
    await poll();
    expect((await eRsReferral(ubrn)).outcomes.map((o: any) => [o.action, o.detail.outcome, o.detail.comments]))
      .toEqual([['A028', 'RETURN_TO_REFERRER_WITH_ADVICE', 'Please refer to the community continence service']]);
  }, 90_000);

  it.each([[429], [423]])('e-RS answering %i is retried on a later poll and sent once', async (status) => {
    const { ubrn, ref, triage } = await takenIn({});
    await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'accept', clinicId: 'clin_2', clinicalPriority: 'routine' });
    await control('/errors', { status, route: 'A013', retryAfter: 0 });
    const first = await poll();
    expect(first.retrying).toBeGreaterThanOrEqual(1);
    expect(await outcomeRow(ref.id)).toMatchObject([{ status: 'pending', attempts: 1 }]);
    await stack.db.db.execute(sql`update ers_outcomes set next_attempt_at = now() where referral_id = ${ref.id}`);
    await poll();
    expect(await outcomeRow(ref.id)).toMatchObject([{ status: 'sent', call: 'A013', attempts: 2 }]);
    expect((await eRsReferral(ubrn)).state).toBe('ACCEPTED');
    expect((await eRsReferral(ubrn)).outcomes).toHaveLength(1);
  }, 90_000);

  it('412: the referral changed in e-RS meanwhile is read again and, still allowed, sent once', async () => {
    const { ubrn, ref, triage } = await takenIn({});
    await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'accept', clinicId: 'clin_2', clinicalPriority: 'routine' });
    // e-RS says the version we send is stale (someone changed the referral as we sent).
    await control('/errors', { status: 412, route: 'A013' });
    await poll();
    expect(await outcomeRow(ref.id)).toMatchObject([{ status: 'sent', call: 'A013' }]);
    const calls = (await control('/requests')).filter((r: any) => r.path.includes(ubrn) || JSON.stringify(r.query).includes(ubrn)).map((r: any) => r.route);
    expect(calls.filter((r: string) => r === 'A013')).toHaveLength(2); // the 412, then the retry
    expect(calls).toContain('A029');
    expect((await eRsReferral(ubrn)).outcomes).toHaveLength(1);
  }, 90_000);

  it('refused by e-RS (the patient cancelled there meanwhile): not sent, and the clinician who decided is told in words', async () => {
    // A booked referral (the local service books it two weeks ahead).
    const { ubrn, ref, triage } = await takenIn({});
    await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'accept', clinicId: 'clin_2', clinicalPriority: 'routine' });
    await control(`/referrals/${ubrn}/patient-cancels`, {});
    await poll();
    expect(await outcomeRow(ref.id)).toMatchObject([{ status: 'failed', call: 'A013', last_error: expect.any(String) }]);
    expect((await eRsReferral(ubrn)).outcomes).toHaveLength(0);
    const inbox = await clinician.list('notifications', { filter: { kind: 'ers_outcome' } });
    const notice = inbox.find((n: any) => n.referralId === ref.id);
    expect(notice.title).toBe('e-RS did not take a triage decision');
    expect(notice.body).toMatch(/^e-RS did not take this referral's acceptance: .+\. Check the referral in e-RS and action it there\.$/);
    expect(notice.body).not.toContain(ubrn);
  }, 90_000);

  it('412, and after the re-read e-RS no longer allows the action (A029): not sent again, and the clinician and the record say so', async () => {
    // A booked referral returned by the clinician; before the next poll the patient cancels the appointment in e-RS,
    // which changes the referral there (a new version). Our return goes with the version we read: 412.
    const { ubrn, ref, triage } = await takenIn({});
    await returnIt(triage.id);
    await control(`/referrals/${ubrn}/patient-cancels`, {});
    const summary = await poll();
    expect(summary.failed).toBeGreaterThanOrEqual(1);
    const [row] = await outcomeRow(ref.id);
    expect(row).toMatchObject({ status: 'failed', call: 'A014', attempts: 1,
      last_error: 'the referral changed in e-RS (now appointment cancelled) and this action is no longer allowed' });
    const routes = (await control('/requests')).filter((r: any) => r.path.includes(ubrn) || JSON.stringify(r.query).includes(ubrn)).map((r: any) => r.route);
    // The 412, then the re-read (A005) and what is allowed now (A029), and no second A014.
    expect(routes.filter((r: string) => r === 'A014')).toHaveLength(1);
    expect(routes.slice(routes.lastIndexOf('A014'))).toEqual(['A014', 'A005', 'A029']);
    // A later poll sends nothing more.
    await stack.db.db.execute(sql`update ers_outcomes set next_attempt_at = now() where referral_id = ${ref.id}`);
    await poll();
    expect((await control('/requests')).filter((r: any) => r.route === 'A014' && r.path.includes(ubrn))).toHaveLength(1);
    expect((await eRsReferral(ubrn)).outcomes).toHaveLength(0);
    expect(await outcomeRow(ref.id)).toMatchObject([{ status: 'failed', attempts: 1 }]);
    // The clinician who returned it is told, in words, once; the referral's history says the same.
    const notices = (await clinician.list('notifications', { filter: { kind: 'ers_outcome' } })).filter((n: any) => n.referralId === ref.id);
    expect(notices.map((n: any) => n.body)).toEqual(["e-RS did not take this referral's return to the referrer: the referral changed in e-RS "
      + '(now appointment cancelled) and this action is no longer allowed. Check the referral in e-RS and action it there.']);
    const history = await rows<any>(sql`select after from audit_log where entity_id = ${ref.id} and action like 'ers.outcome%'`);
    expect(history.map((h) => h.after)).toEqual([{ call: 'A014', action: 'return_to_referrer', why: row.last_error }]);
  }, 90_000);
});

describe('patient changes in e-RS', () => {
  async function bookedLocally() {
    const ubrn = nextUbrn();
    await control('/referrals', { ubrn, worklist: 'REFERRALS_FOR_REVIEW', serviceId: '21002', patient: patient(), pathwayStart: daysAgo(2) });
    await poll();
    const [ref] = await referralByUbrn(ubrn);
    const triage = await officer.waitForOpenTask(ref.id, 'triage_referral');
    await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'accept', clinicId: 'clin_2', clinicalPriority: 'routine' });
    const booking = await officer.waitForOpenTask(ref.id, 'book_new_appointment');
    const slot = await freeSlot(officer, 'clin_2', 'new', addDays(7));
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    const attendance = await officer.waitForOpenTask(ref.id, 'record_attendance');
    await poll(); // the acceptance goes back
    return { ubrn, ref, appointmentId: attendance.payload.appointmentId as string };
  }

  it('a patient cancellation in e-RS cancels the local appointment through the pathway', async () => {
    const { ubrn, ref, appointmentId } = await bookedLocally();
    await control(`/referrals/${ubrn}/patient-cancels`, {});
    const summary = await poll();
    expect(summary.cancelled).toBeGreaterThanOrEqual(1);
    const [appt] = await rows<any>(sql`select state, cancelled_by from appointments where id = ${appointmentId}`);
    expect(appt).toMatchObject({ state: 'cancelled_by_patient', cancelled_by: 'patient' });
    // The pathway knows: it asks for the appointment to be booked again, and says why on the timeline.
    await officer.waitForOpenTask(ref.id, 'book_new_appointment');
    const events = await rows<any>(sql`select note from pathway_events where referral_id = ${ref.id} and kind = 'appointment_cancelled'`);
    expect(events[0].note).toMatch(/by the patient.*The patient cancelled the appointment in e-RS/);
    // A second poll changes nothing more.
    expect((await poll()).cancelled).toBe(0);
  }, 120_000);
});

describe('a worker killed mid-poll', () => {
  it('the poll carries on on another worker and each referral is made once', async () => {
    await stopErsWorker();
    const ubrns = Array.from({ length: 30 }, nextUbrn);
    await control('/referrals', { referrals: ubrns.map((ubrn) => ({ ubrn, worklist: 'REFERRALS_FOR_REVIEW', serviceId: '21002', patient: patient(), pathwayStart: daysAgo(1) })) });
    // Slow summaries, so the kill lands part-way through the batch.
    await control('/errors', { route: 'A007', delayMs: 300, count: 30 });
    const url = new URL(process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    url.pathname = `/${stack.db.name}`;
    // The real worker process (bin/worker.ts) with e-RS configured, killed with -9.
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/worker.ts'], {
      env: { ...process.env, DATABASE_URL: url.toString(), TEMPORAL_ADDRESS: stack.env.address, TEMPORAL_TASK_QUEUE: ersQueue,
        WORKFLOW_BUNDLE: process.env.ACCESS_DESK_WORKFLOW_BUNDLE, ERS_BASE_URL: ers.baseUrl, ERS_ACCESS_TOKEN: ers.userToken, ERS_ODS_CODE: ers.odsCode,
        LOG_LEVEL: 'error' },
      stdio: 'ignore',
    });
    const inRange = sql`ubrn between ${ubrns[0]} and ${ubrns[ubrns.length - 1]}`;
    const made = async () => (await rows<{ n: number }>(sql`select count(*)::int as n from referrals where ${inRange}`))[0].n;
    const handle = await stack.env.client.workflow.start(ersPoll, { workflowId: `ers-poll-killed-${randomBytes(3).toString('hex')}`, taskQueue: ersQueue });
    let atKill = 0;
    try {
      for (const deadline = Date.now() + 90_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
        atKill = await made();
        if (atKill >= 3) break;
      }
    } finally {
      child.kill('SIGKILL');
    }
    expect(atKill).toBeGreaterThanOrEqual(3);
    expect(atKill).toBeLessThan(30);
    await startErsWorker();
    const summary = await handle.result();
    expect(summary.registered + summary.alreadyHere).toBeGreaterThan(0);
    const perUbrn = await rows<{ ubrn: string; n: number }>(sql`select ubrn, count(*)::int as n from referrals where ${inRange} group by ubrn`);
    expect(perUbrn).toHaveLength(30);
    expect(perUbrn.every((r) => r.n === 1)).toBe(true);
    const [{ pathways: started, summaries }] = await rows<any>(sql`select count(distinct p.referral_id)::int as pathways,
      (select count(*)::int from ers_documents d join referrals r2 on r2.id = d.referral_id where r2.ubrn between ${ubrns[0]} and ${ubrns[ubrns.length - 1]} and d.kind = 'clinical_summary') as summaries
      from referrals r join pathways p on p.referral_id = r.id where ${inRange}`);
    expect(started).toBe(30);
    expect(summaries).toBe(30);
  }, 240_000);
});
