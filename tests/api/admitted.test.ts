// Admitted care (issue 15) on the real stack with the time-skipping server: a decision to admit lists the patient,
// pre-op is booked and recorded, a TCI is offered into a theatre session and accepted, and the admission stops the clock
// (30) on its date; an admission for diagnostics only does not; two declined reasonable TCIs raise the clinical
// conversation while a short-notice decline changes nothing; the surgical-priority ladder escalates a P1b not admitted;
// two offers into a session's last minutes: one gets them, the other is refused naming the session.
import { writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays, addMonths } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking } from '../support/fixtures';
import { refusal } from '../support/api';

let stack: TestStack;
let officer: AccessDeskClient;
let leader: AccessDeskClient;
let clinician: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'time-skipping' });
  [officer, leader, clinician] = await Promise.all(['officer', 'leader', 'clinician'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
}, 120_000);
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const openItems = (referralId: string) => rows<{ id: string; type: string; payload: any }>(sql`
  select id, type, payload from tasks where referral_id = ${referralId} and status in ('open', 'claimed') order by created_at`);
const clockOf = async (referralId: string) => (await rows<{ status: string; clock_stop: string | null; stop_code: number | null; stop_admitted: boolean }>(sql`
  select status, clock_stop::text, stop_code, stop_admitted from rtt_periods where referral_id = ${referralId} order by period_no desc limit 1`))[0];

const decision = (overrides: Record<string, unknown> = {}) => ({
  procedure: 'Transurethral resection of prostate', intendedManagement: 'inpatient', surgicalPriority: 'P3', consultantId: 'staff_clinician',
  preOpRequired: true, note: 'Discussed risks and benefits', ...overrides,
});

async function listed(overrides: Record<string, unknown> = {}) {
  const { referral } = await referralAwaitingBooking(officer, clinician);
  const admission = await clinician.post(`/api/referrals/${referral.id}/decision-to-admit`, decision(overrides));
  return { referral, admission };
}

async function session(date: string, minutesAvailable = 240) {
  return leader.post('/api/theatre-sessions', { listName: 'Urology main theatre', specialtyCode: '101', surgeonId: 'staff_clinician', date, session: 'am', minutesAvailable });
}

/** Histories for tests/workflows/replay.test.ts, with RECORD_HISTORIES=1. */
async function recordHistory(workflowId: string, name: string) {
  if (!process.env.RECORD_HISTORIES) return;
  writeFileSync(`tests/workflows/histories/${name}.json`, historyToJSON(await stack.env.client.workflow.getHandle(workflowId).fetchHistory()));
}

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the admitted pathway', () => {
  it('DTA → pre-op → TCI → admission stops the clock with 30 on the admission date', async () => {
    const { referral, admission } = await listed();
    const today = stack.today();
    expect(admission).toMatchObject({
      referralId: referral.id, status: 'waiting', surgicalPriority: 'P3', preOpRequired: true, preOpStatus: 'needed', decidedOn: today,
      targetDate: addMonths(today, 3), consultantName: 'Dr Carl Clinician', patientName: 'Ada Lovelace', tciDate: null, estimatedMinutes: 60,
    });
    expect((await clockOf(referral.id)).status).toBe('running');

    const preOp = await officer.waitForOpenTask(referral.id, 'book_pre_op');
    expect(preOp.queueId).toBe('queue_admitted');
    await officer.post(`/api/tasks/${preOp.id}/complete`, { preOpDate: addDays(today, 2) });
    const fit = await officer.post(`/api/admissions/${admission.id}/pre-op-outcome`, { assessedOn: today, outcome: 'fit' });
    expect(fit).toMatchObject({ preOpStatus: 'fit', preOpValidUntil: addDays(today, 90) });
    const tciItem = await officer.waitForOpenTask(referral.id, 'book_tci');

    const tciDate = addDays(today, 28);
    const list = await session(tciDate);
    const offer = await officer.post(`/api/referrals/${referral.id}/tci-offers`, { admissionDate: tciDate, theatreSessionId: list.id, ward: 'Ward 4B', offeredOn: today, channel: 'phone' });
    expect(offer).toMatchObject({ admissionId: admission.id, reasonable: true, noticeDays: 28, status: 'offered', theatreSessionId: list.id });
    expect(await officer.get(`/api/theatre-sessions/${list.id}`)).toMatchObject({ minutesBooked: 60, minutesFree: 180 });
    await officer.post(`/api/tci-offers/${offer.id}/accept`, {});
    expect(await officer.get(`/api/admissions/${admission.id}`)).toMatchObject({ status: 'tci_booked', tciDate, tciOfferId: offer.id, ward: 'Ward 4B', theatreSessionId: list.id });
    expect((await openItems(referral.id)).map((t) => t.id)).not.toContain(tciItem.id);

    // The admission day comes; the clock stops on it, not on the day it is recorded.
    await stack.sleepUntil(`${addDays(tciDate, 1)}T10:00:00Z`);
    const early = await refusal(officer.post(`/api/admissions/${admission.id}/admit`, { admittedOn: addDays(stack.today(), 1) }));
    expect([early.status, Object.keys(early.body.errors ?? {})]).toEqual([400, ['admittedOn']]);
    const admitted = await officer.post(`/api/admissions/${admission.id}/admit`, { admittedOn: tciDate });
    expect(admitted.status).toBe('admitted');
    expect(await clockOf(referral.id)).toEqual({ status: 'stopped', clock_stop: tciDate, stop_code: 30, stop_admitted: true });
    expect((await rows(sql`select state from referrals where id = ${referral.id}`))[0].state).toBe('treated');
    expect(await openItems(referral.id)).toEqual([]);
    await recordHistory(referral.workflowId, 'referral-pathway-admitted-treated');
  }, 180_000);

  it('a clinic outcome added_to_waiting_list with the decision\'s details lists the patient at once', async () => {
    const slot = await freeSlot(officer, 'clin_2', 'new', stack.now());
    const { referral, booking } = await referralAwaitingBooking(officer, clinician);
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
    await stack.sleepUntil(new Date(Date.parse(slot.start) + 30 * 60_000).toISOString());
    const details = { procedure: 'Cystoscopy', intendedManagement: 'day_case', surgicalPriority: 'P2', consultantId: 'staff_clinician', preOpRequired: true };
    await clinician.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'added_to_waiting_list', admission: details });
    await officer.waitForOpenTask(referral.id, 'book_pre_op');
    const [entry] = await officer.list('admissions', { filter: { referralId: referral.id } });
    expect(entry).toMatchObject({ status: 'waiting', surgicalPriority: 'P2', intendedManagement: 'day_case', preOpStatus: 'needed', decidedOn: stack.today() });
    expect(await rows(sql`select code from rtt_events where referral_id = ${referral.id} order by id`)).toEqual([{ code: 10 }, { code: 20 }]);
    expect((await clockOf(referral.id)).status).toBe('running');
    const notWithOther = await refusal(clinician.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'discharged', admission: details }));
    expect(notWithOther.status).toBeGreaterThanOrEqual(400);
  }, 120_000);

  it('an admission for diagnostics only, or where the procedure is not done, leaves the clock running and a new TCI to book', async () => {
    const { referral, admission } = await listed({ preOpRequired: false });
    expect(admission.preOpStatus).toBe('not_required');
    await officer.waitForOpenTask(referral.id, 'book_tci');
    const after = await officer.post(`/api/admissions/${admission.id}/admit`, { admittedOn: stack.today(), diagnosticOnly: true });
    expect(after).toMatchObject({ status: 'waiting', tciDate: null });
    expect((await clockOf(referral.id)).status).toBe('running');
    expect((await openItems(referral.id)).map((t) => t.type)).toContain('book_tci');
    const notDone = await officer.post(`/api/admissions/${admission.id}/admit`, { admittedOn: stack.today(), procedureDone: false });
    expect(notDone.status).toBe('waiting');
    expect((await clockOf(referral.id)).status).toBe('running');
    // A decision not to treat ends the pathway with 34.
    const ended = await clinician.post(`/api/admissions/${admission.id}/decision-not-to-treat`, { decidedOn: stack.today(), note: 'Symptoms resolved' });
    expect(ended.status).toBe('not_treated');
    expect(await clockOf(referral.id)).toMatchObject({ status: 'stopped', stop_code: 34 });
  }, 120_000);

  it('two declined reasonable TCI dates raise the clinical review; a short-notice decline has no effect', async () => {
    const { referral, admission } = await listed({ preOpRequired: false });
    await officer.waitForOpenTask(referral.id, 'book_tci');
    const today = stack.today();
    const offer = (days: number) => officer.post(`/api/referrals/${referral.id}/tci-offers`, { admissionDate: addDays(today, days), ward: 'Ward 2', offeredOn: today, channel: 'letter' });
    const decline = (id: string) => officer.post(`/api/tci-offers/${id}/decline`, { reason: 'On holiday that week' });

    const short = await offer(10);
    expect(short.reasonable).toBe(false);
    expect(await decline(short.id)).toMatchObject({ status: 'declined', declineReason: 'On holiday that week', reviewRaised: false });
    expect((await officer.get(`/api/admissions/${admission.id}`)).declinedReasonableOffers).toBe(0);
    expect((await openItems(referral.id)).map((t) => t.type)).toEqual(['book_tci']);

    const first = await offer(25);
    expect(first.reasonable).toBe(true);
    expect((await decline(first.id)).reviewRaised).toBe(false);
    const again = await refusal(decline(first.id));
    expect([again.status, again.body.code]).toEqual([409, 'OFFER_DECIDED']);
    const second = await offer(25 + 30); // within 6 weeks of the first declined date
    expect(second.reasonable).toBe(true);
    expect((await decline(second.id)).reviewRaised).toBe(true);
    expect((await officer.get(`/api/admissions/${admission.id}`)).declinedReasonableOffers).toBe(2);
    expect((await openItems(referral.id)).map((t) => t.type)).toEqual(['tci_clinical_review']);
    await recordHistory(referral.workflowId, 'referral-pathway-admitted-tci-review');
  }, 120_000);

  it('escalates a P1b patient not admitted by the surgical-priority ladder', async () => {
    const { referral, admission } = await listed({ surgicalPriority: 'P1b' });
    expect(admission.targetDate).toBe(addDays(stack.today(), 3));
    const ladder = () => rows<{ type: string }>(sql`select type from tasks where referral_id = ${referral.id}
      and payload->>'ladder' = 'surgical_priority' order by created_at`);
    // The team leader two days before the target (calendar days: a P1b does not wait for a weekend), operations on it.
    await stack.sleepUntil(`${addDays(admission.targetDate, -2)}T12:00:00Z`);
    expect((await waitFor(ladder, (r) => r.length >= 1)).map((t) => t.type)).toEqual(['escalation_review']);
    await stack.sleepUntil(`${admission.targetDate}T12:00:00Z`);
    expect((await waitFor(ladder, (r) => r.length >= 2)).map((t) => t.type)).toEqual(['escalation_review', 'capacity_escalation']);
  }, 120_000);
});

describe('theatre sessions and TCI offers', () => {
  it('never overbook a session: two offers into its last minutes, one is refused naming the session', async () => {
    const [a, b] = await Promise.all([listed({ preOpRequired: false }), listed({ preOpRequired: false })]);
    const date = addDays(stack.today(), 30);
    const list = await session(date, 90);
    const body = { admissionDate: date, theatreSessionId: list.id, ward: 'Day unit', offeredOn: stack.today(), channel: 'phone' };
    const results = await Promise.allSettled([a, b].map(({ referral }) => officer.post(`/api/referrals/${referral.id}/tci-offers`, body)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
    expect([refused.status, refused.body.code, Object.keys(refused.body.errors)]).toEqual([409, 'SESSION_FULL', ['theatreSessionId']]);
    expect(refused.body.message).toContain('Urology main theatre');
    expect(await officer.get(`/api/theatre-sessions/${list.id}`)).toMatchObject({ minutesBooked: 60, minutesFree: 30 });
  }, 120_000);

  it('lists sessions by specialty and date, and frees the minutes of a declined offer', async () => {
    const { referral } = await listed({ preOpRequired: false });
    const date = addDays(stack.today(), 40);
    const list = await session(date, 120);
    const found = await officer.list('theatre-sessions', { filter: { specialtyCode: '101', date_gte: date, date_lte: date } });
    expect(found.map((s: any) => s.id)).toContain(list.id);
    // The demo trust's own lists: each surgical specialty has some.
    const demo = await officer.list('theatre-sessions', { filter: { specialtyCode: '110' } });
    expect(demo.length).toBeGreaterThan(0);
    expect(demo[0]).toMatchObject({ listName: 'Trauma and Orthopaedics list A', surgeonName: 'Dr Carl Clinician' });
    const offer = await officer.post(`/api/referrals/${referral.id}/tci-offers`, { admissionDate: date, theatreSessionId: list.id, ward: 'Ward 1', offeredOn: stack.today(), channel: 'email' });
    const open = await refusal(officer.post(`/api/referrals/${referral.id}/tci-offers`, { admissionDate: date, ward: 'Ward 1', offeredOn: stack.today(), channel: 'email' }));
    expect([open.status, open.body.code]).toEqual([409, 'TCI_OFFER_OPEN']);
    await officer.post(`/api/tci-offers/${offer.id}/decline`, { reason: 'Cannot get transport' });
    expect((await officer.get(`/api/theatre-sessions/${list.id}`)).minutesBooked).toBe(0);
    expect((await officer.list('tci-offers', { filter: { referralId: referral.id } })).map((o: any) => o.status)).toEqual(['declined']);
  }, 120_000);
});

describe('bad input and the wrong role', () => {
  it('names the field, refuses the wrong role, and lists a referral once', async () => {
    const { referral } = await referralAwaitingBooking(officer, clinician);
    const bad = await refusal(clinician.post(`/api/referrals/${referral.id}/decision-to-admit`, decision({ surgicalPriority: 'P9' })));
    expect([bad.status, Object.keys(bad.body.errors)]).toEqual([400, ['surgicalPriority']]);
    const notClinician = await refusal(clinician.post(`/api/referrals/${referral.id}/decision-to-admit`, decision({ consultantId: 'staff_officer' })));
    expect([notClinician.status, Object.keys(notClinician.body.errors)]).toEqual([400, ['consultantId']]);
    expect((await refusal(officer.post(`/api/referrals/${referral.id}/decision-to-admit`, decision()))).status).toBe(403);
    expect((await refusal(clinician.post('/api/theatre-sessions', { listName: 'x', specialtyCode: '101', surgeonId: 'staff_clinician', date: stack.today(), session: 'am', minutesAvailable: 60 }))).status).toBe(403);
    expect((await refusal(clinician.post('/api/referrals/ref_none/decision-to-admit', decision()))).status).toBe(404);
    const admission = await clinician.post(`/api/referrals/${referral.id}/decision-to-admit`, decision());
    const twice = await refusal(clinician.post(`/api/referrals/${referral.id}/decision-to-admit`, decision()));
    expect([twice.status, twice.body.code]).toEqual([409, 'ALREADY_LISTED']);
    const badOutcome = await refusal(officer.post(`/api/admissions/${admission.id}/pre-op-outcome`, { assessedOn: '2026-02-30', outcome: 'fit' }));
    expect([badOutcome.status, Object.keys(badOutcome.body.errors)]).toEqual([400, ['assessedOn']]);
    const badSession = await refusal(leader.post('/api/theatre-sessions', { listName: 'x', specialtyCode: '101', surgeonId: 'staff_clinician', date: stack.today(), session: 'evening', minutesAvailable: 60 }));
    expect([badSession.status, Object.keys(badSession.body.errors)]).toEqual([400, ['session']]);
    const page = await officer.request('GET', `/api/admissions?filter=${encodeURIComponent(JSON.stringify({ referralId: referral.id }))}`);
    expect(page.headers.get('content-range')).toBe('admissions 0-0/1');
    const csv = await fetch(`${stack.url}/api/admissions.csv?filter=${encodeURIComponent(JSON.stringify({ referralId: referral.id }))}`, { headers: { cookie: officer.sessionCookie } });
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines[0]).toContain('Surgical priority');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(admission.id);
  }, 120_000);
});
