// The walking skeleton's slice through the API on real Postgres and a real Temporal dev server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays, clinicalRank } from '../../domain';
import { ApiError, AccessDeskClient } from '../../bin/lib/api-client';
import { londonToday } from '../../bin/lib/system';
import { queryRows } from '../../db/client';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking, referralBody, slotStartingSoon, untilStarted } from '../support/fixtures';
import { refusal } from '../support/api';

let stack: TestStack;
let officer: AccessDeskClient;
let officer2: AccessDeskClient;
let clinician: AccessDeskClient;
let leader: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  [officer, officer2, clinician, leader] = await Promise.all(
    ['officer', 'officer2', 'clinician', 'leader'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)),
  );
});
afterAll(async () => { await stack?.stop(); });


const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);

describe('registering a referral', () => {
  it('starts its pathway, starts the RTT clock on the received date and raises triage in the specialty queue', async () => {
    const body = referralBody({ specialty: '120', receivedAt: addDays(londonToday(), -10) });
    const { status, body: referral } = await officer.request('POST', '/api/referrals', body);
    expect(status).toBe(201);
    expect(referral.id).toMatch(/^ref_/);
    expect(referral.workflowId).toBe(`referral-${referral.id}`);
    const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');
    expect(triage.queueId).toBe('queue_120');
    const shown = await officer.get(`/api/referrals/${referral.id}`);
    expect(shown.rtt).toMatchObject({ status: 'running', clockStart: body.receivedAt, daysWaited: 10, weekBand: 2, lastCompliantDate: addDays(body.receivedAt, 126) });
    expect(shown.cancer).toBeNull();
    expect(shown.events.map((e: any) => e.kind)).toContain('referral_received');
  });

  it('sets the cancer target dates of a two-week-wait referral', async () => {
    const body = referralBody({ priority: 'two_week_wait', receivedAt: addDays(londonToday(), -1) });
    const referral = await officer.post('/api/referrals', body);
    await officer.waitForOpenTask(referral.id, 'triage_referral');
    const shown = await officer.get(`/api/referrals/${referral.id}`);
    expect(shown.cancer).toEqual({
      uscFirstSeenTarget: addDays(body.receivedAt, 14), fdsTarget: addDays(body.receivedAt, 28), cancer62Target: addDays(body.receivedAt, 62),
      cancerClockStart: body.receivedAt, fdsOutcome: null, fdsCommunicatedOn: null,
    });
  });

  it.each([
    ['patient.nhsNumber', { patient: { ...referralBody().patient, nhsNumber: '9434765918' } }],
    ['receivedAt', { receivedAt: addDays(londonToday(), 1) }],
    ['specialty', { specialty: '999' }],
    ['receivedAt', { receivedAt: '2026-02-30' }],
    ['priority', { priority: 'soon' }],
    ['ubrn', { ubrn: '12345' }],
    ['patient.addressLines.1', { patient: { ...referralBody().patient, addressLines: ['1 Church Road', '  '] } }],
  ])('refuses bad input naming the field %s', async (field, override) => {
    const err = await refusal(officer.post('/api/referrals', referralBody(override)));
    expect(err.status).toBe(400);
    expect(err.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(err.body.errors)).toContain(field);
    expect(err.body.message).toContain(field);
  });

  it('keeps the address letters go to, and a later referral without one leaves it as it was', async () => {
    const body = referralBody({ patient: { ...referralBody().patient, addressLines: ['12 Church Road', 'St Helens'] } });
    const first = await officer.post('/api/referrals', body);
    await officer.post('/api/referrals', { ...referralBody(), patient: { ...body.patient, addressLines: undefined } });
    const [row] = await rows<{ addressLines: string[] }>(sql`select address_lines as "addressLines" from patients where id = ${first.patientId}`);
    expect(row.addressLines).toEqual(['12 Church Road', 'St Helens']);
  });

  it('gives back the existing referral for a UBRN it already has, with no second pathway', async () => {
    const body = referralBody();
    const first = await officer.request('POST', '/api/referrals', body);
    const again = await Promise.all([officer.request('POST', '/api/referrals', body), officer2.request('POST', '/api/referrals', body)]);
    expect(first.status).toBe(201);
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    expect(again.map((r) => r.body.id)).toEqual([first.body.id, first.body.id]);
    await officer.waitForOpenTask(first.body.id, 'triage_referral');
    const [{ n }] = await rows<{ n: number }>(sql`select count(*)::int as n from referrals where ubrn = ${body.ubrn}`);
    expect(n).toBe(1);
    const runs = [];
    for await (const wf of stack.env.client.workflow.list({ query: `WorkflowId = '${first.body.workflowId}'` })) runs.push(wf);
    expect(runs.length).toBeLessThanOrEqual(1); // visibility may lag; the start call below is authoritative
    const tasks = await officer.list('tasks', { filter: { referralId: first.body.id } });
    expect(tasks).toHaveLength(1);
  });
});

describe('the pathway through triage, booking and attendance', () => {
  it('books, records a follow-up, books it and discharges, stopping the RTT clock and completing the workflow', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician);
    expect(booking.payload).toMatchObject({ clinicId: 'clin_2', slotType: 'new' });
    // About to start: attendance is recorded once it has (issue 10).
    const slot = await slotStartingSoon(stack.db.db, 'clin_2', 'new');
    const done = await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    expect(done.status).toBe('done');
    const [letter] = await rows(sql`select channel, body from communications where referral_id = ${referral.id}`);
    expect(letter.channel).toBe('letter');
    expect(letter.body).toContain('Urology');

    const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
    expect(new Date(attendance.dueAt).toISOString()).toBe(new Date(slot.start).toISOString());
    await untilStarted(slot.start);
    await officer.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'follow_up', followUpWeeks: 6 });
    const followUp = await officer.waitForOpenTask(referral.id, 'book_follow_up');
    const fuSlot = await slotStartingSoon(stack.db.db, 'clin_2', 'follow_up');
    await officer.post(`/api/tasks/${followUp.id}/complete`, { slotId: fuSlot.id });
    const second = await officer.waitForOpenTask(referral.id, 'record_attendance');
    await untilStarted(fuSlot.start);
    await officer.post(`/api/tasks/${second.id}/complete`, { outcome: 'discharged' });

    const shown = await officer.get(`/api/referrals/${referral.id}`);
    expect(shown.state).toBe('discharged');
    expect(shown.rtt.status).toBe('stopped');
    expect(shown.appointments.map((a: any) => a.state)).toEqual(['attended', 'attended']);
    const result = await stack.env.client.workflow.getHandle(referral.workflowId).result();
    expect(result.stage).toBe('discharged');
  });

  it('returning a referral to the referrer ends the pathway', async () => {
    const referral = await officer.post('/api/referrals', referralBody());
    const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');
    await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'return_to_referrer', reason: 'Manage in primary care' });
    const result = await stack.env.client.workflow.getHandle(referral.workflowId).result();
    expect(result.stage).toBe('returned_to_referrer');
    const err = await refusal(clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'return_to_referrer', reason: 'again' }));
    expect(err.status).toBe(409);
  });

  it('of two officers booking the same slot at once, exactly one succeeds and the other gets 409', async () => {
    const a = await referralAwaitingBooking(officer, clinician, {}, 'clin_11');
    const b = await referralAwaitingBooking(officer, clinician, {}, 'clin_11');
    const slot = await freeSlot(officer, 'clin_11', 'new');
    const results = await Promise.allSettled([
      officer.post(`/api/tasks/${a.booking.id}/complete`, { slotId: slot.id }),
      officer2.post(`/api/tasks/${b.booking.id}/complete`, { slotId: slot.id }),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0].reason).toBeInstanceOf(ApiError);
    expect(refused[0].reason.status).toBe(409);
    expect(refused[0].reason.body.code).toBe('SLOT_TAKEN');
    const [{ n }] = await rows<{ n: number }>(sql`select count(*)::int as n from appointments where slot_id = ${slot.id}`);
    expect(n).toBe(1);
    // The loser's work item is still open and can be booked into another slot.
    const loser = ok[0] === results[0] ? b : a;
    const other = await freeSlot(officer, 'clin_11', 'new');
    await officer.post(`/api/tasks/${loser.booking.id}/complete`, { slotId: other.id });
  });

  it('refuses a slot of the wrong type or in another clinic with 422, and a booking outcome without a slot with 400', async () => {
    const { booking } = await referralAwaitingBooking(officer, clinician);
    const followUpSlot = await freeSlot(officer, 'clin_2', 'follow_up');
    const wrongType = await refusal(officer.post(`/api/tasks/${booking.id}/complete`, { slotId: followUpSlot.id }));
    expect(wrongType.status).toBe(422);
    expect([wrongType.body.code, Object.keys(wrongType.body.errors)]).toEqual(['SLOT_WRONG_TYPE', ['slotId']]);
    const otherClinic = await freeSlot(officer, 'clin_11', 'new');
    const elsewhere = await refusal(officer.post(`/api/tasks/${booking.id}/complete`, { slotId: otherClinic.id }));
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.message).toContain('not the clinic this referral was accepted to');
    expect([elsewhere.body.code, Object.keys(elsewhere.body.errors)]).toEqual(['SLOT_WRONG_CLINIC', ['slotId']]);
    const missing = await refusal(officer.post(`/api/tasks/${booking.id}/complete`, {}));
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.errors)).toEqual(['slotId']);
  });

  it('a first-appointment DNA of a routine referral told of it nullifies the clock and goes to a clinician to review', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician);
    // Told on the phone as it was booked: the evidence a nullification needs (without it, see tests/workflows/rtt-clock.test.ts).
    const slot = await slotStartingSoon(stack.db.db, 'clin_2', 'new');
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id, communicatedBy: 'phone' });
    const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
    await untilStarted(slot.start);
    await officer.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'did_not_attend' });
    const shown = await officer.get(`/api/referrals/${referral.id}`);
    expect(shown.rtt.status).toBe('nullified');
    expect(shown.state).toBe('awaiting_dna_review');
    // The referral shows the evidence the nullification stands on.
    expect(shown.appointments[0]).toMatchObject({ state: 'did_not_attend', communicatedBy: 'phone', communicatedAt: expect.any(String) });
    const review = await officer.waitForOpenTask(referral.id, 'dna_review');
    expect((await refusal(officer.post(`/api/tasks/${review.id}/complete`, { decision: 'rebook' }))).status).toBe(403);
    await clinician.post(`/api/tasks/${review.id}/complete`, { decision: 'rebook' });
    const again = await officer.get(`/api/referrals/${referral.id}`);
    expect(again.rtt).toMatchObject({ status: 'running', clockStart: londonToday() });
    await officer.waitForOpenTask(referral.id, 'book_new_appointment');
  });
});

describe('who may do what', () => {
  it('nobody unauthenticated reads anything', async () => {
    const anonymous = new AccessDeskClient(stack.url);
    for (const path of ['/api/referrals', '/api/tasks', '/api/patients', '/api/appointments', '/api/clinics', '/api/auth/me']) {
      expect((await refusal(anonymous.get(path))).status).toBe(401);
    }
    expect((await refusal(anonymous.post('/api/referrals', referralBody()))).status).toBe(401);
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const err = await refusal(new AccessDeskClient(stack.url).signIn('officer@demo.nhs.uk', 'not-the-password'));
    expect(err.status).toBe(401);
    expect(err.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('an officer cannot reassign work; a team leader can, and the audit log says who and what changed', async () => {
    const referral = await officer.post('/api/referrals', referralBody());
    const triage = await officer.waitForOpenTask(referral.id);
    const err = await refusal(officer.post(`/api/tasks/${triage.id}/assign`, { assigneeId: 'staff_officer2' }));
    expect(err.status).toBe(403);
    const moved = await leader.post(`/api/tasks/${triage.id}/assign`, { assigneeId: 'staff_officer2' });
    expect(moved).toMatchObject({ assigneeId: 'staff_officer2', status: 'claimed', version: triage.version + 1 });
    const [audit] = await rows(sql`select actor_id, before, after from audit_log where entity_id = ${triage.id} and action = 'task.assigned'`);
    expect(audit.actor_id).toBe('staff_leader');
    expect(audit.before).toMatchObject({ assigneeId: null });
    expect(audit.after).toMatchObject({ assigneeId: 'staff_officer2' });
    const bad = await refusal(leader.post(`/api/tasks/${triage.id}/assign`, { assigneeId: 'staff_nobody' }));
    expect(bad.status).toBe(400);
  });

  it('someone else cannot complete an item an officer has claimed', async () => {
    const referral = await officer.post('/api/referrals', referralBody());
    const triage = await officer.waitForOpenTask(referral.id);
    await officer.post(`/api/tasks/${triage.id}/claim`);
    expect((await refusal(officer2.post(`/api/tasks/${triage.id}/claim`))).status).toBe(409);
    const err = await refusal(officer2.post(`/api/tasks/${triage.id}/complete`, { decision: 'return_to_referrer', reason: 'not mine' }));
    expect(err.status).toBe(409);
  });
});

describe('lists and health', () => {
  it('answers lists with the react-admin contract and a Content-Range header', async () => {
    for (const resource of ['tasks', 'referrals', 'patients', 'appointments', 'clinics', 'slots']) {
      const res = await officer.request('GET', `/api/${resource}?range=${encodeURIComponent('[0,4]')}`);
      expect(Array.isArray(res.body)).toBe(true);
      const range = res.headers.get('content-range')!;
      const m = /^(\w+) (\d+)-(\d+)\/(\d+)$/.exec(range)!;
      expect(m[1]).toBe(resource);
      expect(Number(m[4])).toBeGreaterThanOrEqual(res.body.length);
      expect(res.body.every((r: any) => typeof r.id === 'string')).toBe(true);
    }
    const clinics = await officer.list('clinics', { sort: ['name', 'ASC'], range: [0, 99] });
    expect(clinics).toHaveLength(20);
    const err = await refusal(officer.get(`/api/tasks?sort=${encodeURIComponent('["password","ASC"]')}`));
    expect(err.status).toBe(400);
  });

  it('My work lists the most urgent first', async () => {
    const mine = await officer.list('tasks', { filter: { mine: true, status: ['open', 'claimed'] }, sort: ['priority', 'ASC'], range: [0, 99] });
    const ranks = mine.map((t: any) => clinicalRank(t.priority));
    // Items of one priority only would pass in any order.
    expect(new Set(ranks).size).toBeGreaterThan(1);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('publishes an OpenAPI document built from the request schemas', async () => {
    const doc = await (await fetch(`${stack.url}/api/openapi.json`)).json();
    expect(doc.openapi).toMatch(/^3\./);
    const intake = doc.paths['/api/referrals'].post.requestBody.content['application/json'].schema;
    expect(intake.required).toEqual(expect.arrayContaining(['patient', 'source', 'receivedAt', 'specialty', 'priority', 'reason']));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/tasks/claim-next', '/api/tasks/bulk-assign', '/api/absences', '/api/dashboard']));
  });

  it('reports the database, Temporal and migrations as ready', async () => {
    const res = await fetch(`${stack.url}/api/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready', db: 'up', temporal: 'up', migrations: 'current' });
  });
});
