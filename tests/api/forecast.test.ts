// The breach forecast (issue 17) on real Postgres and a Temporal dev server: cancelling a clinic session moves the
// right patients into the at-risk list and raises one capacity escalation naming them; the weekly figures and the
// at-risk list (with its CSV) read what the recompute stored; a what-if answers who moves in or out of breach and
// changes nothing stored; the refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { ensureForecastSchedule, londonToday } from '../../bin/lib/system';
import { FORECAST_SCHEDULE_ID } from '../../activities/forecast';
import { queryRows } from '../../db/client';
import { addDays, daysBetween, nextWorkingDay, weekStartOf } from '../../domain';
import {
  addSessionSpecialty, addSlots as addSlotsIn, bookedPatient as bookedPatientIn, OTHER_CLINIC, SESSION_CLINIC, SESSION_SPECIALTY as SPECIALTY,
} from '../support/clinic-sessions';
import { refusal } from '../support/api';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let officer: AccessDeskClient;
let leader: AccessDeskClient;
let clinician: AccessDeskClient;
let ops: AccessDeskClient;
const today = londonToday();
const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  await addSessionSpecialty(stack.db.db);
  [officer, leader, clinician, ops] = await Promise.all(['officer', 'leader', 'clinician', 'ops'].map((w) => stack.signIn(`${w}@demo.nhs.uk`)));
}, 300_000);
afterAll(async () => { await stack?.stop(); });

async function finished(changeId: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const change = await leader.get(`/api/clinic-sessions/changes/${changeId}`);
    if (change.status === 'completed') return change;
    if (Date.now() > deadline) throw new Error(`session change ${changeId} still ${change.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits for the recompute the change's workflow runs after it completes. */
async function recomputedFor(sourceId: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [run] = await rows(sql`select id, at_risk as "atRisk", newly_at_risk as "newlyAtRisk", escalation_task_id as "escalationTaskId"
      from forecast_runs where source_id = ${sourceId}`);
    if (run) return run;
    if (Date.now() > deadline) throw new Error(`no forecast run for ${sourceId}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Everything the forecast and the booking keep, to show a what-if changed none of it. */
const stored = () => rows(sql`select
  (select count(*) from forecast_runs)::int as runs,
  (select coalesce(json_agg(f order by f.referral_id), '[]') from forecast_at_risk f) as "atRisk",
  (select coalesce(json_agg(w order by w.specialty_code, w.week_start), '[]') from forecast_weeks w) as weeks,
  (select count(*) from tasks)::int as tasks,
  (select count(*) filter (where status = 'free') from slots)::int as "freeSlots",
  (select coalesce(json_agg(a.start order by a.id), '[]') from appointments a where a.state = 'booked') as booked`);

describe('the breach forecast', () => {
  let a: string; let b: string; let c: string;
  const sessionDate = nextWorkingDay(addDays(today, 20));
  const early = nextWorkingDay(addDays(today, 25)); // before every breach date: the session change moves A there
  const late = nextWorkingDay(addDays(today, 50)); // after every breach date: the forecast gives it to B

  it('puts the patients of a cancelled session who cannot be seen in time on the at-risk list and escalates them to ops', async () => {
    const as = { officer, clinician, leader };
    const session = await addSlotsIn(stack.db.db, SESSION_CLINIC, sessionDate, '09:00', 'new', 3);
    // Breach dates (received + 127): A +32, B +37, C +42. Received over 12 weeks ago, so they are not counted as arrivals.
    a = (await bookedPatientIn(stack.db.db, as, 'routine', addDays(today, -95), SESSION_CLINIC, session[0])).referralId;
    b = (await bookedPatientIn(stack.db.db, as, 'routine', addDays(today, -90), SESSION_CLINIC, session[1])).referralId;
    c = (await bookedPatientIn(stack.db.db, as, 'routine', addDays(today, -85), SESSION_CLINIC, session[2])).referralId;
    await addSlotsIn(stack.db.db, OTHER_CLINIC, early, '10:00', 'new', 1);
    await addSlotsIn(stack.db.db, OTHER_CLINIC, late, '10:00', 'new', 1);

    const first = await ops.post('/api/forecast/recompute');
    expect(first.newlyAtRisk).toBe(0); // the first run is the baseline
    expect(await ops.list('forecast/at-risk', { filter: { specialtyCode: SPECIALTY } })).toEqual([]);

    const change = await leader.request('POST', '/api/clinic-sessions/changes', {
      clinicId: SESSION_CLINIC, date: sessionDate, kind: 'cancel', reason: 'Consultant off sick', confirmShortNotice: true,
    });
    expect(change.status).toBe(202);
    await finished(change.body.id);
    const run = await recomputedFor(change.body.id);

    const res = await ops.request('GET', `/api/forecast/at-risk?filter=${encodeURIComponent(JSON.stringify({ specialtyCode: SPECIALTY }))}`);
    expect(res.headers.get('content-range')).toBe('forecast-at-risk 0-1/2');
    const breachB = addDays(today, -90 + 127);
    const breachC = addDays(today, -85 + 127);
    expect(res.body).toEqual([
      expect.objectContaining({ id: b, referralId: b, patientName: 'Ada Lovelace', specialtyCode: SPECIALTY, priority: 'routine', stage: 'first_appointment',
        predictedDate: late, breachDate: breachB, target: 'rtt', daysShort: daysBetween(addDays(breachB, -1), late),
        saveType: 'new', saveFromWeek: weekStartOf(today), saveByWeek: weekStartOf(addDays(breachB, -1)) }),
      expect.objectContaining({ id: c, predictedDate: null, breachDate: breachC, saveType: 'new' }),
    ]);
    // A was moved to the free slot before its breach date by the session change itself: not at risk.
    const [moved] = await rows(sql`select (start at time zone 'Europe/London')::date::text as d from appointments where referral_id = ${a} and state = 'booked'`);
    expect(moved.d).toBe(early);

    // One capacity escalation to ops naming B and C by referral, keyed by the change, however often it is recomputed.
    expect(run.escalationTaskId).toEqual(expect.any(String));
    const [task] = await rows(sql`select t.type, t.title, t.task_key as key, t.workflow_id as "workflowId", t.payload, q.kind from tasks t join queues q on q.id = t.queue_id
      where t.id = ${run.escalationTaskId}`);
    expect(task).toMatchObject({ type: 'capacity_escalation', kind: 'capacity', key: `forecast-${change.body.id}:capacity`,
      workflowId: `forecast-recompute-${change.body.id}` });
    expect(task.title).toContain('2 patients now predicted to breach');
    expect([...task.payload.referralIds].sort()).toEqual([b, c].sort());
    const again = await ops.post('/api/forecast/recompute');
    expect(again.newlyAtRisk).toBe(0);
    expect((await rows(sql`select count(*)::int as n from tasks where type = 'capacity_escalation' and payload->>'sourceId' = ${change.body.id}`))[0].n).toBe(1);

    // Ops close it from the work list, saying what was done (its recompute workflow has finished: before, "This pathway
    // has ended"); a second close is told it is done.
    const closed = await ops.post(`/api/tasks/${run.escalationTaskId}/complete`, { note: 'Extra Oral Surgery session added on the 14th' });
    expect(closed).toMatchObject({ status: 'done', outcome: { note: 'Extra Oral Surgery session added on the 14th' } });
    await expect(ops.post(`/api/tasks/${run.escalationTaskId}/complete`, { note: 'again' })).rejects.toMatchObject({ status: 409 });
  }, 240_000);

  it('sums the weeks per specialty: demand, free capacity by type, predicted bookings and breaches', async () => {
    const f = await leader.get(`/api/forecast?specialty=${SPECIALTY}&weeks=10`);
    expect(f.weeks).toBe(10);
    expect(f.rows).toHaveLength(10);
    expect(f.weekStarts[0]).toBe(weekStartOf(today));
    expect(f.rows.every((r: any) => r.specialtyCode === SPECIALTY && r.specialtyName === 'Oral Surgery')).toBe(true);
    const lateWeek = f.rows.find((r: any) => r.weekStart === weekStartOf(late));
    expect(lateWeek).toMatchObject({ capacity: { new: 1, follow_up: 0, theatre: 0 }, bookings: 1 });
    expect(f.rows.reduce((n: number, r: any) => n + r.breaches, 0)).toBe(2);
    expect(f.rows.find((r: any) => r.weekStart === weekStartOf(addDays(today, -90 + 127))).breaches).toBeGreaterThanOrEqual(1);
    const all = await ops.get('/api/forecast');
    expect(all.weeks).toBe(18);
    expect(new Set(all.rows.map((r: any) => r.specialtyCode)).size).toBeGreaterThan(1);
  });

  it('exports the at-risk list as CSV with its filter', async () => {
    const res = await leader.request('GET', `/api/forecast/at-risk.csv?filter=${encodeURIComponent(JSON.stringify({ specialtyCode: SPECIALTY }))}`);
    const lines = String(res.body).trim().split(/\r?\n/);
    expect(lines[0]).toBe('Referral,Patient,Specialty,Priority,Waiting for,Predicted date,Breach date,Target,Days short,Would be saved by');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(b);
    expect(lines[2]).toContain('Nothing free in the forecast');
  });

  it('answers a what-if with who moves into or out of breach, changing nothing stored', async () => {
    // What the earlier tests set going (the closed escalation, the session change's pathways) settles first: the
    // comparison is of what the what-ifs did, not of work still finishing from before.
    let before = await stored();
    for (let i = 0; i < 60; i += 1) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = await stored();
      if (JSON.stringify(now) === JSON.stringify(before)) break;
      before = now;
    }
    const added = await ops.post('/api/forecast/what-if', { addSessions: [{ specialtyCode: SPECIALTY, type: 'new', date: addDays(today, 30), count: 2 }] });
    expect(added.outOfBreach.map((m: any) => m.referralId)).toEqual([b, c]);
    expect(added.outOfBreach[0]).toMatchObject({ patientName: 'Ada Lovelace', predictedBefore: late, predictedAfter: addDays(today, 30), daysShort: 0 });
    expect(added.intoBreach).toEqual([]);
    expect(added.atRiskAfter).toBe(added.atRiskBefore - 2);
    // A put back four weeks from the 25th: nothing free before its breach date.
    const deferred = await leader.post('/api/forecast/what-if', { defer: { referralId: a, weeks: 4 } });
    expect(deferred.intoBreach.map((m: any) => m.referralId)).toEqual([a]);
    const removed = await ops.post('/api/forecast/what-if', { removeSessions: [{ specialtyCode: SPECIALTY, type: 'new', date: late, count: 1 }] });
    expect([removed.intoBreach, removed.outOfBreach]).toEqual([[], []]);
    const leave = await ops.post('/api/forecast/what-if', { leave: { clinicId: OTHER_CLINIC, from: today, to: addDays(today, 60) } });
    expect(leave.atRiskAfter).toBe(leave.atRiskBefore);
    expect(await stored()).toEqual(before);
  }, 120_000);

  it('is recomputed every night by the forecast-nightly Schedule', async () => {
    const client = stack.env.client;
    // The system made it at start-up, beside the slot-horizon Schedule; making it again brings it up to date.
    expect(await ensureForecastSchedule(client, stack.taskQueue)).toBe('updated');
    const handle = client.schedule.getHandle(FORECAST_SCHEDULE_ID);
    const described = await handle.describe();
    expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 3, end: 3, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });
    expect(described.policies.overlap).toBe('SKIP');
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'forecastRecompute', args: [{ reason: 'nightly' }] });
    // Run it now, as at 03:00: a nightly run is stored, escalating nobody.
    await handle.trigger();
    const deadline = Date.now() + 60_000;
    let nightly: any[] = [];
    while (nightly.length === 0 && Date.now() < deadline) {
      nightly = await rows(sql`select reason, escalation_task_id as "escalationTaskId" from forecast_runs where reason = 'nightly'`);
      if (nightly.length === 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(nightly).toEqual([{ reason: 'nightly', escalationTaskId: null }]);
    await handle.delete();
  }, 120_000);

  it('refuses other roles, and names the field of a bad what-if', async () => {
    expect((await refusal(officer.get('/api/forecast'))).status).toBe(403);
    expect((await refusal(clinician.post('/api/forecast/what-if', { defer: { referralId: a, weeks: 1 } }))).status).toBe(403);
    expect((await refusal(leader.post('/api/forecast/recompute'))).status).toBe(403);
    const empty = await refusal(ops.post('/api/forecast/what-if', {}));
    expect(empty.status).toBe(400);
    const unknown = await refusal(ops.post('/api/forecast/what-if', { defer: { referralId: 'ref_nope', weeks: 2 } }));
    expect([unknown.status, Object.keys(unknown.body.errors)]).toEqual([400, ['defer.referralId']]);
    const weeks = await refusal(ops.get('/api/forecast?weeks=40'));
    expect([weeks.status, Object.keys(weeks.body.errors)]).toEqual([400, ['weeks']]);
    const leave = await refusal(ops.post('/api/forecast/what-if', { leave: { from: today, to: today } }));
    expect([leave.status, Object.keys(leave.body.errors)]).toEqual([400, ['leave']]);
  });
});
