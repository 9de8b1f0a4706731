// Nobody where they don't belong: claiming, completing and snoozing only in the queues a person works,
// leave reasons only to those allowed to see them, and leave cover held to the same rule as "Move work".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { londonToday } from '../../bin/lib/system';
import { queryRows } from '../../db/client';
import { newId } from '../../db/ids';
import { tasks } from '../../db/schema';
import { createAbsenceActivities } from '../../activities/absences';
import { startTestStack, type TestStack } from '../support/stack';
import { refusal } from '../support/api';

let stack: TestStack;
let officer: AccessDeskClient;
let officer2: AccessDeskClient;
let leader: AccessDeskClient;
let ops: AccessDeskClient;
let clinician: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  [officer, officer2, leader, ops, clinician] = await Promise.all(
    ['officer', 'officer2', 'leader', 'ops', 'clinician'].map((w) => stack.signIn(`${w}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);

// queue_ers_asi is worked by Olivia Officer (staff_officer), not by Omar Officer (staff_officer2) nor ops.
async function item(queueId: string, opts: { assigneeId?: string; type?: 'book_new_appointment' | 'capacity_escalation' } = {}) {
  const id = newId('task');
  await stack.db.db.insert(tasks).values({
    id, taskKey: `authz:${id}`, type: opts.type ?? 'book_new_appointment', title: 'Book new appointment', priority: 'routine', priorityRank: 3,
    dueAt: new Date(Date.now() + 86_400_000), queueId, workflowId: `test-authz-${id}`, breachDate: '2027-03-01',
    assigneeId: opts.assigneeId ?? null, status: opts.assigneeId ? 'claimed' : 'open',
  });
  return id;
}

describe('working items', () => {
  it('claims only items of queues the person works; ops cannot claim a booking item; leaders may claim any', async () => {
    const id = await item('queue_ers_asi');
    const notMine = await refusal(officer2.post(`/api/tasks/${id}/claim`));
    expect([notMine.status, notMine.body.code, Object.keys(notMine.body.errors)]).toEqual([403, 'NOT_IN_QUEUE', ['queueId']]);
    const byOps = await refusal(ops.post(`/api/tasks/${id}/claim`));
    expect([byOps.status, byOps.body.code]).toEqual([403, 'FORBIDDEN']);
    const [row] = await rows(sql`select status, assignee_id from tasks where id = ${id}`);
    expect(row).toEqual({ status: 'open', assignee_id: null });
    expect((await officer.post(`/api/tasks/${id}/claim`)).assigneeId).toBe('staff_officer');
    const other = await item('queue_capacity', { type: 'capacity_escalation' });
    expect((await leader.post(`/api/tasks/${other}/claim`)).assigneeId).toBe('staff_leader');
  });

  it('claim-next refuses a queue the person does not work, and hands out only types their role completes', async () => {
    const err = await refusal(officer2.post('/api/tasks/claim-next', { queueId: 'queue_ers_asi' }));
    expect([err.status, err.body.code, Object.keys(err.body.errors)]).toEqual([403, 'NOT_IN_QUEUE', ['queueId']]);
    const booking = await item('queue_101');
    // Clinicians work queue_101 but do not book: claim-next passes the booking item by.
    const { status } = await clinician.request('POST', '/api/tasks/claim-next', { queueId: 'queue_101' });
    expect(status).toBe(204);
    const [row] = await rows(sql`select assignee_id from tasks where id = ${booking}`);
    expect(row.assignee_id).toBeNull();
  });

  it('completing checks queue membership before anything reaches the pathway', async () => {
    const id = await item('queue_ers_asi');
    const err = await refusal(officer2.post(`/api/tasks/${id}/complete`, { slotId: 'slot_nope' }));
    expect([err.status, err.body.code]).toEqual([403, 'NOT_IN_QUEUE']);
  });

  it('snoozes only for someone who may work the item: never ops on an unassigned booking item', async () => {
    const id = await item('queue_ers_asi');
    const body = { until: addDays(londonToday(), 3), reason: 'Waiting for the GP' };
    const byOps = await refusal(ops.post(`/api/tasks/${id}/snooze`, body));
    expect(byOps.status).toBe(403);
    const byOutsider = await refusal(officer2.post(`/api/tasks/${id}/snooze`, body));
    expect([byOutsider.status, byOutsider.body.code]).toEqual([403, 'NOT_IN_QUEUE']);
    const [row] = await rows(sql`select snoozed_until from tasks where id = ${id}`);
    expect(row.snoozed_until).toBeNull();
    expect((await officer.post(`/api/tasks/${id}/snooze`, body)).snoozedUntil).toBeTruthy();
    expect((await leader.post(`/api/tasks/${id}/unsnooze`)).snoozedUntil).toBeNull();
  });
});

describe('leave', () => {
  it('the team dashboard hides leave reasons from ops, as the absences API does', async () => {
    await rows(sql`insert into absences (id, staff_id, "from", "to", handover, reason, status, workflow_id)
      values ('abs_authz_dash', 'staff_clinician', current_date, current_date + 2, 'queue', 'Sick leave: private', 'active', 'absence-abs_authz_dash')`);
    const asOps = (await ops.get('/api/dashboard')).absences.find((a: any) => a.id === 'abs_authz_dash');
    const asLeader = (await leader.get('/api/dashboard')).absences.find((a: any) => a.id === 'abs_authz_dash');
    expect(asOps.reason).toBeNull();
    expect(asLeader.reason).toBe('Sick leave: private');
    expect((await ops.get('/api/absences/abs_authz_dash')).reason).toBeNull();
    await rows(sql`update absences set status = 'ended' where id = 'abs_authz_dash'`);
  });

  it('refuses cover who does not work the queues of the work to move, exactly as "Move work" does', async () => {
    const held = await item('queue_ers_asi', { assigneeId: 'staff_officer' });
    const move = await refusal(leader.post('/api/tasks/bulk-assign', { ids: [held], assigneeId: 'staff_officer2' }));
    expect([move.status, move.body.code, Object.keys(move.body.errors)]).toEqual([422, 'ASSIGNEE_NOT_IN_QUEUE', ['assigneeId']]);
    const leave = { staffId: 'staff_officer', from: addDays(londonToday(), 20), to: addDays(londonToday(), 22), coverStaffId: 'staff_officer2', reason: 'Annual leave' };
    const cover = await refusal(leader.post('/api/absences', leave));
    expect([cover.status, cover.body.code, Object.keys(cover.body.errors)]).toEqual([422, 'ASSIGNEE_NOT_IN_QUEUE', ['coverStaffId']]);
    expect(cover.body.errors.coverStaffId).toBe(move.body.errors.assigneeId);
    const preview = await refusal(leader.post('/api/absences/preview', leave));
    expect(preview.body.code).toBe('ASSIGNEE_NOT_IN_QUEUE');
    await rows(sql`update tasks set status = 'cancelled' where id = ${held}`);
  });

  it('at the start of leave, items of queues the cover does not work go back to their queue', async () => {
    const inCoverQueue = await item('queue_101', { assigneeId: 'staff_officer' });
    const outside = await item('queue_ers_asi', { assigneeId: 'staff_officer' });
    await rows(sql`insert into absences (id, staff_id, "from", "to", handover, cover_staff_id, reason, status, workflow_id)
      values ('abs_authz_start', 'staff_officer', current_date, current_date + 1, 'cover', 'staff_officer2', 'Annual leave', 'planned', 'absence-abs_authz_start')`);
    const activities = createAbsenceActivities({ db: stack.db.db });
    const result = await activities.startLeave({ absenceId: 'abs_authz_start', changeKey: 'abs_authz_start:start', today: londonToday() });
    expect(result).toMatchObject({ kind: 'recorded', handover: 'cover' });
    const moved = await rows(sql`select id, status, assignee_id from tasks where id in (${inCoverQueue}, ${outside}) order by queue_id`);
    expect(moved).toEqual(expect.arrayContaining([
      { id: inCoverQueue, status: 'claimed', assignee_id: 'staff_officer2' },
      { id: outside, status: 'open', assignee_id: null },
    ]));
  });
});
