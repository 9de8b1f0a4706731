// Stand-by, on-the-day cancellations and ward capacity (issue 15) on the real stack: a hospital non-clinical cancellation
// on the day frees the session's minutes, starts the 28-day guarantee (a rebook item due by day 28) and offers the freed
// time to the stand-by list in priority order; the stand-by list shows pre-op cleared patients in the stand-by order; two
// officers can never both fill the freed minutes; a ward's day booked beyond its elective beds raises one bed management item.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { startTestStack, type TestStack } from '../support/stack';
import { pathwayQuery } from '../../workflows';
import { refusal } from '../support/api';
import { bookedOperation, minutesBooked, theatreSession, waitingAdmission } from '../support/stand-by';
import { referralAwaitingBooking } from '../support/fixtures';

let stack: TestStack;
let officer: AccessDeskClient;
let officer2: AccessDeskClient;
let clinician: AccessDeskClient;
let ops: AccessDeskClient;
let leader: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  [officer, officer2, clinician, ops, leader] = await Promise.all(['officer', 'officer2', 'clinician', 'ops', 'leader'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const cancelBody = { onTheDay: true, reason: 'No post-operative bed', clinical: false };
const openBookTci = (referralId: string) => rows<{ queue: string; admissionId: string; workflowId: string }>(sql`
  select q.kind as queue, t.payload->>'admissionId' as "admissionId", t.workflow_id as "workflowId" from tasks t join queues q on q.id = t.queue_id
  where t.referral_id = ${referralId} and t.type = 'book_tci' and t.status in ('open', 'claimed')`);
const pathwayView = (referralId: string) => stack.env.client.workflow.getHandle(`referral-${referralId}`).query(pathwayQuery);

describe('an operation cancelled on the day for a non-clinical reason', () => {
  it('frees the theatre minutes, starts the 28-day guarantee and offers the time to the stand-by list in priority order', async () => {
    const today = stack.today();
    const sessionId = await theatreSession(stack, { date: today, minutesAvailable: 240 });
    const { admissionId, referralId, tciOfferId } = await bookedOperation(stack, officer, { tciDate: today, sessionId, estimatedMinutes: 90 });
    // The stand-by list of urology: the freed 90 minutes go to whoever fits, most urgent first.
    const p2Late = await waitingAdmission(stack, officer, { surgicalPriority: 'P2', targetDate: addDays(today, 20), standBy: true });
    const p2Early = await waitingAdmission(stack, officer, { surgicalPriority: 'P2', targetDate: addDays(today, 10), standBy: true });
    const p1b = await waitingAdmission(stack, officer, { surgicalPriority: 'P1b', standBy: true, estimatedMinutes: 30 });
    const tooLong = await waitingAdmission(stack, officer, { surgicalPriority: 'P1b', standBy: true, estimatedMinutes: 300 });
    const notCleared = await waitingAdmission(stack, officer, { surgicalPriority: 'P1a', standBy: true, preOpStatus: 'needed', preOpValidUntil: null });
    const expired = await waitingAdmission(stack, officer, { surgicalPriority: 'P1a', standBy: true, preOpValidUntil: addDays(today, -1) });
    const notStandBy = await waitingAdmission(stack, officer, { surgicalPriority: 'P1a' });
    void [tooLong, notCleared, expired, notStandBy];

    const result = await officer.post(`/api/admissions/${admissionId}/cancel`, cancelBody);
    expect(result.admission).toMatchObject({ id: admissionId, status: 'cancelled', tciOfferId: null, tciDate: null, theatreSessionId: null });
    expect(result.cancelledOperation).toMatchObject({
      admissionId, referralId, cancelledOn: today, operationDate: today, reason: 'No post-operative bed', rebookBy: addDays(today, 28),
      rebookedOn: null, status: 'open', escalationLevel: 0,
    });
    expect(result.standByOffer).toMatchObject({ theatreSessionId: sessionId, date: today, minutesFree: 240 - 0 });
    expect(result.standByOffer.candidates.map((c: any) => c.admissionId)).toEqual([p1b.admissionId, p2Early.admissionId, p2Late.admissionId]);

    expect(await minutesBooked(stack, sessionId)).toBe(0);
    const [offer] = await rows(sql`select status, minutes_held from tci_offers where id = ${tciOfferId}`);
    expect(offer).toEqual({ status: 'cancelled', minutes_held: 0 });
    const items = await rows<{ type: string; queue: string; due_at: Date; payload: any; workflow_id: string }>(sql`
      select t.type, q.kind as queue, t.due_at, t.payload, t.workflow_id from tasks t join queues q on q.id = t.queue_id
      where t.type in ('rebook_cancelled_operation', 'offer_stand_by') and (t.payload->>'admissionId' = ${admissionId} or t.payload->>'theatreSessionId' = ${sessionId})
      order by t.type::text`);
    expect(items.map((i) => [i.type, i.queue])).toEqual([['offer_stand_by', 'admitted_booking'], ['rebook_cancelled_operation', 'admitted_booking']]);
    expect(items[1]!.payload.rebookBy).toBe(addDays(today, 28));
    expect(new Date(items[1]!.due_at).getTime()).toBeLessThanOrEqual(Date.parse(`${addDays(today, 29)}T00:00:00Z`));
    expect(items[1]!.workflow_id).toBe(`cancelled-operation-${result.cancelledOperation.id}`);
    // Under the guarantee the rebook item is the guarantee's: the pathway opens no book_tci of its own.
    expect(await openBookTci(referralId)).toEqual([]);
  });

  it('goes through the pathway: a clinical cancellation, or one not on the day, opens a book_tci item and the pathway agrees', async () => {
    const today = stack.today();
    const later = await theatreSession(stack, { date: addDays(today, 7) });
    const notOnTheDay = await bookedOperation(stack, officer, { tciDate: addDays(today, 7), sessionId: later });
    const first = await officer.post(`/api/admissions/${notOnTheDay.admissionId}/cancel`, { onTheDay: false, reason: 'Surgeon on leave', clinical: false });
    expect(first).toMatchObject({ admission: { status: 'waiting', tciDate: null }, cancelledOperation: null });
    expect(await openBookTci(notOnTheDay.referralId)).toEqual([{ queue: 'admitted_booking', admissionId: notOnTheDay.admissionId, workflowId: `referral-${notOnTheDay.referralId}` }]);
    expect(await pathwayView(notOnTheDay.referralId)).toMatchObject({ openTaskType: 'book_tci' });
    const [event] = await rows<{ note: string }>(sql`select note from pathway_events where referral_id = ${notOnTheDay.referralId} and kind = 'operation_cancelled'`);
    expect(event!.note).toMatch(/new TCI date to book/);

    const session = await theatreSession(stack, { date: today });
    const clinical = await bookedOperation(stack, officer, { tciDate: today, sessionId: session });
    const second = await officer.post(`/api/admissions/${clinical.admissionId}/cancel`, { onTheDay: true, reason: 'Patient unwell on arrival', clinical: true });
    expect(second).toMatchObject({ admission: { status: 'waiting' }, cancelledOperation: null });
    expect((await openBookTci(clinical.referralId)).map((t) => t.admissionId)).toEqual([clinical.admissionId]);
    // The pathway no longer holds the TCI: a second cancellation is refused by it.
    const again = await refusal(officer.post(`/api/admissions/${clinical.admissionId}/cancel`, { onTheDay: true, reason: 'Again', clinical: true }));
    expect([again.status, again.body.code]).toEqual([409, 'ADMISSION_NOT_BOOKED']);
  });

  it('keeps to the guarantee only for hospital non-clinical cancellations on the day', async () => {
    const today = stack.today();
    const sessionId = await theatreSession(stack, { date: addDays(today, 7) });
    const later = await bookedOperation(stack, officer, { tciDate: addDays(today, 7), sessionId });
    const clinical = await officer.post(`/api/admissions/${later.admissionId}/cancel`, { onTheDay: false, reason: 'Anaesthetist unavailable', clinical: true });
    expect(clinical).toMatchObject({ admission: { status: 'waiting' }, cancelledOperation: null, standByOffer: null });
    expect(await minutesBooked(stack, sessionId)).toBe(0);
  });

  it('cancels once when two officers cancel together: the minutes are freed once', async () => {
    const today = stack.today();
    const sessionId = await theatreSession(stack, { date: today, minutesAvailable: 240 });
    const other = await bookedOperation(stack, officer, { tciDate: today, sessionId, estimatedMinutes: 60 });
    const { admissionId } = await bookedOperation(stack, officer, { tciDate: today, sessionId, estimatedMinutes: 90 });
    expect(await minutesBooked(stack, sessionId)).toBe(150);
    const answers = await Promise.allSettled([officer, officer2, officer, officer2].map((who) => who.post(`/api/admissions/${admissionId}/cancel`, cancelBody)));
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(answers.filter((a) => a.status === 'rejected').map((a) => ((a as PromiseRejectedResult).reason as any).status)).toEqual([409, 409, 409]);
    expect(await minutesBooked(stack, sessionId)).toBe(60);
    expect(await rows(sql`select count(*)::int as n from cancelled_operations where admission_id = ${admissionId}`)).toEqual([{ n: 1 }]);
    void other;
  });

  it('lets the freed time be filled from the stand-by list once: two officers offering it together never double-book the session', async () => {
    const today = stack.today();
    const sessionId = await theatreSession(stack, { date: today, minutesAvailable: 120 });
    await bookedOperation(stack, officer, { tciDate: today, sessionId, estimatedMinutes: 60 });
    const { admissionId } = await bookedOperation(stack, officer, { tciDate: today, sessionId, estimatedMinutes: 60 });
    const first = await waitingAdmission(stack, officer, { surgicalPriority: 'P1b', standBy: true, estimatedMinutes: 60 });
    const second = await waitingAdmission(stack, officer, { surgicalPriority: 'P2', standBy: true, estimatedMinutes: 60 });
    const { standByOffer } = await officer.post(`/api/admissions/${admissionId}/cancel`, cancelBody);
    expect(standByOffer.minutesFree).toBe(60);
    const named = standByOffer.candidates.map((c: any) => c.admissionId);
    expect(named.indexOf(first.admissionId)).toBeLessThan(named.indexOf(second.admissionId));
    const offer = (who: AccessDeskClient, referralId: string) => who.post(`/api/referrals/${referralId}/tci-offers`,
      { admissionDate: today, theatreSessionId: sessionId, ward: 'W1', offeredOn: today, channel: 'phone' });
    const answers = await Promise.allSettled([offer(officer, first.referralId), offer(officer2, second.referralId)]);
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const refused = answers.find((a) => a.status === 'rejected') as PromiseRejectedResult;
    expect([refused.reason.status, refused.reason.body.code, Object.keys(refused.reason.body.errors)]).toEqual([409, 'SESSION_FULL', ['theatreSessionId']]);
    expect(await minutesBooked(stack, sessionId)).toBe(120);
  });

  it('refuses bad input naming the field, the wrong role, and what cannot be cancelled', async () => {
    const today = stack.today();
    const sessionId = await theatreSession(stack, { date: addDays(today, 3) });
    const { admissionId } = await bookedOperation(stack, officer, { tciDate: addDays(today, 3), sessionId });
    for (const [body, field] of [
      [{ onTheDay: true, clinical: false }, 'reason'], [{ ...cancelBody, onTheDay: 'yes' }, 'onTheDay'], [{ ...cancelBody, reason: '  ' }, 'reason'],
      [{ onTheDay: true, reason: 'x' }, 'clinical'],
    ] as const) {
      const bad = await refusal(officer.post(`/api/admissions/${admissionId}/cancel`, body));
      expect([bad.status, Object.keys(bad.body.errors)]).toEqual([400, [field]]);
    }
    const early = await refusal(officer.post(`/api/admissions/${admissionId}/cancel`, cancelBody));
    expect([early.status, early.body.code, Object.keys(early.body.errors)]).toEqual([422, 'NOT_ON_THE_DAY', ['onTheDay']]);
    for (const who of [clinician, ops]) expect((await refusal(who.post(`/api/admissions/${admissionId}/cancel`, cancelBody))).status).toBe(403);
    expect((await refusal(officer.post('/api/admissions/adm_nope/cancel', cancelBody))).status).toBe(404);
    const waiting = await waitingAdmission(stack, officer);
    const notBooked = await refusal(officer.post(`/api/admissions/${waiting.admissionId}/cancel`, cancelBody));
    expect([notBooked.status, notBooked.body.code]).toEqual([409, 'ADMISSION_NOT_BOOKED']);
  });
});

describe('rebooking a cancelled operation', () => {
  it('is rebooked by a new TCI accepted on the admitted pathway, its rebook item done and the ward day checked against its beds', async () => {
    // The whole admitted pathway: decision to admit, a TCI into a theatre list, accepted; cancelled on the day; a new TCI.
    const { referral } = await referralAwaitingBooking(officer, clinician);
    const admission = await clinician.post(`/api/referrals/${referral.id}/decision-to-admit`, {
      procedure: 'Cystoscopy', intendedManagement: 'day_case', surgicalPriority: 'P3', consultantId: 'staff_clinician', preOpRequired: false, note: 'Listed',
    });
    await officer.waitForOpenTask(referral.id, 'book_tci');
    const list = (date: string) => leader.post('/api/theatre-sessions', { listName: 'Urology day list', specialtyCode: '101', surgeonId: 'staff_clinician', date, session: 'am', minutesAvailable: 240 });
    const today = stack.today();
    const first = await list(today);
    const offer = await officer.post(`/api/referrals/${referral.id}/tci-offers`, { admissionDate: today, theatreSessionId: first.id, ward: 'W2', offeredOn: today, channel: 'phone' });
    await officer.post(`/api/tci-offers/${offer.id}/accept`, {});
    const { cancelledOperation } = await officer.post(`/api/admissions/${admission.id}/cancel`, { onTheDay: true, reason: 'No bed on the day unit', clinical: false });
    expect(await officer.get(`/api/theatre-sessions/${first.id}`)).toMatchObject({ minutesBooked: 0 });
    const workflowId = `cancelled-operation-${cancelledOperation.id}`;

    const newDate = addDays(today, 10);
    const second = await list(newDate);
    // Ward W2 keeps no elective beds that day: the accepted TCI raises bed management for it.
    await leader.request('PUT', '/api/wards/W2', { name: 'Day surgery unit', electiveBeds: 0 });
    const again = await officer.post(`/api/referrals/${referral.id}/tci-offers`, { admissionDate: newDate, theatreSessionId: second.id, ward: 'W2', offeredOn: today, channel: 'phone' });
    await officer.post(`/api/tci-offers/${again.id}/accept`, {});
    expect(await rows(sql`select payload->>'date' as date from tasks where type = 'bed_management' and payload->>'wardCode' = 'W2'`)).toEqual([{ date: newDate }]);
    expect(await officer.get(`/api/cancelled-operations/${cancelledOperation.id}`))
      .toMatchObject({ status: 'rebooked', rebookedOn: today, rebookedFor: newDate, rebookBy: addDays(today, 28) });
    const [rebook] = await rows<{ status: string }>(sql`select status from tasks where workflow_id = ${workflowId} and type = 'rebook_cancelled_operation'`);
    expect(rebook!.status).toBe('done');
    expect(await officer.get(`/api/admissions/${admission.id}`)).toMatchObject({ status: 'tci_booked', tciDate: newDate });
    const summary = await ops.get(`/api/cancelled-operations/summary?from=${today}&to=${today}`);
    expect(summary.rebookedWithin28Days).toBeGreaterThanOrEqual(1);
  });
});

describe('pre-op clearance', () => {
  it('refuses a TCI offer or an admission for a patient whose required pre-op is not cleared for that date', async () => {
    const today = stack.today();
    const offer = (referralId: string, admissionDate: string) => officer.post(`/api/referrals/${referralId}/tci-offers`,
      { admissionDate, ward: 'W1', offeredOn: today, channel: 'phone' });
    const notDone = await waitingAdmission(stack, officer, { preOpStatus: 'needed', preOpValidUntil: null });
    const unfit = await waitingAdmission(stack, officer, { preOpStatus: 'unfit', preOpValidUntil: null });
    const expiring = await waitingAdmission(stack, officer, { preOpStatus: 'fit', preOpValidUntil: addDays(today, 10) });
    for (const [entry, words] of [[notDone, /not been done/], [unfit, /unfit/], [expiring, new RegExp(`expires on ${addDays(today, 10)}`)]] as const) {
      const refused = await refusal(offer(entry.referralId, addDays(today, 30)));
      expect([refused.status, refused.body.code, Object.keys(refused.body.errors)]).toEqual([409, 'PRE_OP_NOT_CLEARED', ['admissionDate']]);
      expect(refused.body.message).toMatch(words);
    }
    expect(await rows(sql`select count(*)::int as n from tci_offers where admission_id in (${notDone.admissionId}, ${unfit.admissionId}, ${expiring.admissionId})`)).toEqual([{ n: 0 }]);
    // Still valid on the date offered: the offer stands.
    expect(await offer(expiring.referralId, addDays(today, 5))).toMatchObject({ admissionId: expiring.admissionId, status: 'offered' });
    // An admission is refused the same way, before it reaches the pathway.
    const admit = await refusal(officer.post(`/api/admissions/${notDone.admissionId}/admit`, { admittedOn: today }));
    expect([admit.status, admit.body.code, Object.keys(admit.body.errors)]).toEqual([409, 'PRE_OP_NOT_CLEARED', ['admittedOn']]);
  });
});

describe('the stand-by list', () => {
  it('takes patients waiting for a date, shows those pre-op cleared in the stand-by order, and refuses bad input', async () => {
    const today = stack.today();
    const a = await waitingAdmission(stack, officer, { surgicalPriority: 'P3', targetDate: addDays(today, 40), specialtyCode: '110', procedure: 'Knee arthroscopy' });
    const b = await waitingAdmission(stack, officer, { surgicalPriority: 'P2', targetDate: addDays(today, 50), specialtyCode: '110', procedure: 'Knee arthroscopy' });
    const c = await waitingAdmission(stack, officer, { surgicalPriority: 'P3', targetDate: addDays(today, 30), specialtyCode: '110', procedure: 'Hip replacement' });
    const unfit = await waitingAdmission(stack, officer, { surgicalPriority: 'P1b', specialtyCode: '110', preOpStatus: 'unfit', preOpValidUntil: null });
    for (const x of [a, b, c, unfit]) {
      const shown = await officer.post(`/api/admissions/${x.admissionId}/stand-by`, { available: true, noticeHours: 24 });
      expect(shown).toMatchObject({ id: x.admissionId, standBy: true });
    }
    const list = await officer.list('stand-by', { filter: { specialtyCode: '110' } });
    expect(list.map((r: any) => r.id)).toEqual([b.admissionId, c.admissionId, a.admissionId]);
    const knees = await officer.list('stand-by', { filter: { specialtyCode: '110', procedure: 'Knee arthroscopy' } });
    expect(knees.map((r: any) => r.id)).toEqual([b.admissionId, a.admissionId]);
    await officer.post(`/api/admissions/${c.admissionId}/stand-by`, { available: false });
    expect((await officer.list('stand-by', { filter: { specialtyCode: '110' } })).map((r: any) => r.id)).toEqual([b.admissionId, a.admissionId]);
    // Its export: the same rows in the same order (not the unfit patient, not the one taken off).
    const csv: string = await officer.get(`/api/stand-by.csv?filter=${encodeURIComponent(JSON.stringify({ specialtyCode: '110' }))}`);
    const ids = csv.trim().split(/\r?\n/).slice(1).map((line) => line.split(',').at(-2));
    expect(ids).toEqual([b.admissionId, a.admissionId]);

    const bad = await refusal(officer.post(`/api/admissions/${a.admissionId}/stand-by`, { available: 'yes' }));
    expect([bad.status, Object.keys(bad.body.errors)]).toEqual([400, ['available']]);
    const hours = await refusal(officer.post(`/api/admissions/${a.admissionId}/stand-by`, { available: true, noticeHours: -1 }));
    expect([hours.status, Object.keys(hours.body.errors)]).toEqual([400, ['noticeHours']]);
    for (const who of [clinician, ops]) expect((await refusal(who.post(`/api/admissions/${a.admissionId}/stand-by`, { available: true }))).status).toBe(403);
    const sessionId = await theatreSession(stack, { date: addDays(today, 9) });
    const booked = await bookedOperation(stack, officer, { tciDate: addDays(today, 9), sessionId });
    const refused = await refusal(officer.post(`/api/admissions/${booked.admissionId}/stand-by`, { available: true }));
    expect([refused.status, refused.body.code, Object.keys(refused.body.errors)]).toEqual([422, 'STAND_BY_NOT_CLEARED', ['available']]);
  });
});

describe('cancelled operations report', () => {
  it('lists, counts and exports the cancelled operations of a period', async () => {
    const today = stack.today();
    const sessionId = await theatreSession(stack, { date: today });
    const { admissionId } = await bookedOperation(stack, officer, { tciDate: today, sessionId });
    const { cancelledOperation } = await officer.post(`/api/admissions/${admissionId}/cancel`, cancelBody);
    const listed = await ops.list('cancelled-operations', { filter: { from: today, to: today, status: 'open' } });
    expect(listed.map((r: any) => r.id)).toContain(cancelledOperation.id);
    expect(await ops.list('cancelled-operations', { filter: { from: addDays(today, 1) } })).toEqual([]);
    const summary = await ops.get(`/api/cancelled-operations/summary?from=${today}&to=${today}`);
    expect(summary).toMatchObject({ from: today, to: today, notRebookedWithin28Days: 0 });
    expect(summary.cancelled).toBe(summary.rebookedWithin28Days + summary.open);
    expect(summary.cancelled).toBeGreaterThanOrEqual(1);
    const bad = await refusal(ops.get(`/api/cancelled-operations/summary?from=${today}&to=nope`));
    expect([bad.status, Object.keys(bad.body.errors)]).toEqual([400, ['to']]);
    const badFilter = await refusal(ops.list('cancelled-operations', { filter: { status: 'lost' } }));
    expect(badFilter.status).toBe(400);
    const csv = await ops.get(`/api/cancelled-operations.csv?filter=${encodeURIComponent(JSON.stringify({ from: today, to: today }))}`);
    expect(csv.split('\r\n')[0] ?? csv.split('\n')[0]).toMatch(/^Patient,Specialty,Operation date,Cancelled on,Reason,Rebook by/);
    expect(csv).toContain('No post-operative bed');
  });
});

describe('ward capacity', () => {
  it('raises one bed management item for a ward and day booked beyond its elective beds', async () => {
    const day = addDays(stack.today(), 5);
    const sessionId = await theatreSession(stack, { date: day, minutesAvailable: 600 });
    for (let i = 0; i < 3; i += 1) await bookedOperation(stack, officer, { tciDate: day, sessionId, ward: 'W9' });
    const saved = await leader.request('PUT', '/api/wards/W9', { name: 'Ward 9 (surgical day unit)', electiveBeds: 3 });
    expect(saved.body).toEqual({ id: 'W9', code: 'W9', name: 'Ward 9 (surgical day unit)', electiveBeds: 3 });
    const items = () => rows(sql`select payload->>'date' as date, payload->>'booked' as booked from tasks where type = 'bed_management' and payload->>'wardCode' = 'W9'`);
    expect(await items()).toEqual([]);
    await leader.request('PUT', '/api/wards/W9', { name: 'Ward 9 (surgical day unit)', electiveBeds: 2 });
    await leader.request('PUT', '/api/wards/W9', { name: 'Ward 9 (surgical day unit)', electiveBeds: 1 });
    expect(await items()).toEqual([{ date: day, booked: '3' }]);
    expect((await leader.get('/api/wards/W9')).electiveBeds).toBe(1);

    const bad = await refusal(leader.request('PUT', '/api/wards/W9', { name: 'Ward 9', electiveBeds: 1.5 }));
    expect([bad.status, Object.keys(bad.body.errors)]).toEqual([400, ['electiveBeds']]);
    for (const who of [officer, clinician, ops]) expect((await refusal(who.request('PUT', '/api/wards/W9', { name: 'x', electiveBeds: 9 }))).status).toBe(403);
    expect((await refusal(leader.get('/api/wards/NOPE'))).status).toBe(404);
  });
});

describe('the admitted waiting list', () => {
  it('orders by surgical priority, then the nearest RTT breach date, then the target date', async () => {
    const today = stack.today();
    // Three P2 patients for one operation: their target dates one way, their breach dates the other.
    const made = [];
    for (const [target, breach] of [[10, 90], [20, 60], [30, 30]] as const) {
      const entry = await waitingAdmission(stack, officer, { surgicalPriority: 'P2', procedure: 'Ureteroscopy (order)', targetDate: addDays(today, target) });
      await stack.db.db.execute(sql`update pathways set breach_date = ${addDays(today, breach)}::date where referral_id = ${entry.referralId}`);
      made.push(entry.admissionId);
    }
    const urgent = await waitingAdmission(stack, officer, { surgicalPriority: 'P1b', procedure: 'Ureteroscopy (order)', targetDate: addDays(today, 2) });
    const listed = await officer.list('admissions', { filter: { q: 'Ureteroscopy (order)' } });
    expect(listed.map((r: any) => r.id)).toEqual([urgent.admissionId, made[2], made[1], made[0]]);
  });
});
