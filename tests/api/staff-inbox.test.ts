// The staff inbox (issue 12), the bell: a team leader moving work to someone tells them once (one item or many at
// once; not when moving work to themselves); an overdue item's "notify the holder" rung tells whoever holds it, on the
// time-skipping server so the 48 hours pass at once; each person reads and clears only their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { newId } from '../../db/ids';
import { tasks } from '../../db/schema';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking } from '../support/fixtures';
import { refusal } from '../support/api';

let stack: TestStack;
let officer: AccessDeskClient;
let officer2: AccessDeskClient;
let leader: AccessDeskClient;
let clinician: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'time-skipping' });
  [officer, officer2, leader, clinician] = await Promise.all(['officer', 'officer2', 'leader', 'clinician'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });

const HOUR = 3600_000;
const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const inboxRows = (staffId: string) => rows<{ kind: string; title: string; task_id: string | null }>(sql`
  select kind, title, task_id from staff_notifications where staff_id = ${staffId} order by created_at, id`);

/** An unassigned booking item in queue_101 (both officers work it), written straight in: moving it needs no pathway. */
async function bookingItem() {
  const id = newId('task');
  await stack.db.db.insert(tasks).values({
    id, taskKey: `inbox:${id}`, type: 'book_new_appointment', title: 'Book new appointment', priority: 'routine', priorityRank: 2,
    dueAt: new Date(Date.now() + 86_400_000), queueId: 'queue_101', workflowId: `test-inbox-${id}`, breachDate: '2027-03-01',
  });
  return id;
}

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('work moved to someone', () => {
  it('tells the person a leader moved an item to, once; not the leader moving work to themselves', async () => {
    const id = await bookingItem();
    await leader.post(`/api/tasks/${id}/assign`, { assigneeId: 'staff_officer' });
    const [told] = await officer.list('notifications', { filter: { read: false } });
    expect(told).toMatchObject({
      kind: 'assignment', title: 'Leah Leader moved a work item to you', body: 'Book new appointment', taskId: id, read: false, readAt: null,
    });
    expect(await inboxRows('staff_officer')).toEqual([{ kind: 'assignment', title: 'Leah Leader moved a work item to you', task_id: id }]);

    const own = await bookingItem();
    await leader.post(`/api/tasks/${own}/assign`, { assigneeId: 'staff_leader' });
    await leader.post(`/api/tasks/${own}/assign`, { queueId: 'queue_101' });
    expect(await inboxRows('staff_leader')).toEqual([]);
  });

  it('tells once for a bulk move of many items, counting them', async () => {
    const ids = [await bookingItem(), await bookingItem(), await bookingItem()];
    const moved = await leader.post('/api/tasks/bulk-assign', { ids, assigneeId: 'staff_officer2' });
    expect(moved.moved).toBe(3);
    const inbox = await officer2.list('notifications');
    expect(inbox.map((n: any) => [n.kind, n.title, n.taskId])).toEqual([['assignment', 'Leah Leader moved 3 work items to you', null]]);
  });
});

describe('reading the inbox', () => {
  it("marks one read, then all; refuses another person's", async () => {
    for (let i = 0; i < 2; i++) await leader.post(`/api/tasks/${await bookingItem()}/assign`, { assigneeId: 'staff_officer' });
    const unread = await officer.list('notifications', { filter: { read: false } });
    expect(unread.length).toBe(3);
    const [newest, ...rest] = unread;
    const read = await officer.post(`/api/notifications/${newest.id}/read`);
    expect(read).toMatchObject({ id: newest.id, read: true, readAt: expect.stringMatching(/Z$/) });
    // Reading again keeps when it was first read.
    expect((await officer.post(`/api/notifications/${newest.id}/read`)).readAt).toBe(read.readAt);
    expect((await officer.list('notifications', { filter: { read: false } })).map((n: any) => n.id)).toEqual(rest.map((n: any) => n.id));

    const theirs = await refusal(officer2.post(`/api/notifications/${rest[0].id}/read`));
    expect([theirs.status, theirs.body.code]).toEqual([404, 'NOT_FOUND']);
    expect((await officer2.list('notifications')).map((n: any) => n.id)).not.toContain(rest[0].id);
    // No filter reaches another person's inbox.
    const sneaky = await refusal(officer2.list('notifications', { filter: { staffId: 'staff_officer' } }));
    expect(sneaky.status).toBe(400);

    expect(await officer.post('/api/notifications/read-all')).toEqual({ read: 2 });
    expect(await officer.list('notifications', { filter: { read: false } })).toEqual([]);
    expect((await officer2.list('notifications', { filter: { read: false } })).length).toBe(1); // theirs untouched
  });
});

describe('an overdue item', () => {
  it("tells the holder once when its first rung moves it up the queue", async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician, { receivedAt: stack.today() }, 'clin_11');
    const slot = await freeSlot(officer, 'clin_11', 'new', stack.now());
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
    await officer.post(`/api/tasks/${attendance.id}/claim`);
    await officer.post('/api/notifications/read-all');
    // Record attendance: the holder is told 48 hours after the appointment's start, a leader's review at 96.
    await stack.sleepUntil(new Date(Date.parse(slot.start) + 49 * HOUR).toISOString());
    const told = await waitFor(() => officer.list('notifications', { filter: { kind: 'escalation' } }), (n) => n.length > 0);
    expect(told.map((n: any) => [n.title, n.taskId, n.referralId, n.patientName, n.read])).toEqual([
      ['Overdue: Record attendance', attendance.id, referral.id, 'Ada Lovelace', false],
    ]);
    const level = await rows<{ escalation_level: number }>(sql`select escalation_level from tasks where id = ${attendance.id}`);
    expect(level).toEqual([{ escalation_level: 1 }]);
    expect((await inboxRows('staff_officer')).filter((n) => n.kind === 'escalation')).toHaveLength(1);
  });
});
