// Working queues and moving work: claim-next under contention, snoozing, team leader moves and their
// refusals, the audit log and the team dashboard, on real Postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ApiError, type AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { newId } from '../../db/ids';
import { queueMembers, queues, staff, tasks } from '../../db/schema';
import { clinicalRank, taskTitles, type TaskType } from '../../domain';
import { startTestStack, type TestStack } from '../support/stack';
import { refusal } from '../support/api';

let stack: TestStack;
let officer: AccessDeskClient;
let officer2: AccessDeskClient;
let leader: AccessDeskClient;
let admin: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  [officer, officer2, leader, admin] = await Promise.all(['officer', 'officer2', 'leader', 'admin'].map((w) => stack.signIn(`${w}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);


/** A queue of its own for a test, worked by the given people, holding work items made directly. */
type Item = { priority?: 'two_week_wait' | 'urgent' | 'routine'; breachDate?: string; createdAt?: Date; type?: TaskType; dueAt?: Date };
async function queueWithItems(name: string, members: string[], items: Item[], kind: 'rebooking' | 'validation' = 'rebooking') {
  const queueId = `queue_${name}`;
  // A rebooking queue per test, each under a specialty of its own (one queue per kind and specialty).
  const specialtyCode = { race: '100', order: '110', snooze: '120', moves: '130', bulk: '300', dash: '320', cashup: '330', mixed: '100', snoozetab: '110' }[name]!;
  await stack.db.db.insert(queues).values({ id: queueId, name, kind, specialtyCode });
  await stack.db.db.insert(queueMembers).values(members.map((m) => ({ queueId, staffId: m })));
  const ids: string[] = [];
  for (const [i, item] of items.entries()) {
    const id = newId('task');
    ids.push(id);
    const priority = item.priority ?? 'routine';
    await stack.db.db.insert(tasks).values({
      id, taskKey: `${name}:${i}`, type: item.type ?? 'book_new_appointment', title: taskTitles[item.type ?? 'book_new_appointment'], priority,
      priorityRank: clinicalRank(priority), dueAt: item.dueAt ?? new Date(Date.now() + 86_400_000), queueId, workflowId: `test-${name}`, breachDate: item.breachDate ?? '2027-03-01',
      createdAt: item.createdAt ?? new Date(Date.now() - (items.length - i) * 1000),
    });
  }
  return { queueId, ids };
}

describe('claim-next', () => {
  it('gives 10 items to 50 concurrent claims exactly once each; the other 40 get 204', async () => {
    const { queueId, ids } = await queueWithItems('race', ['staff_officer', 'staff_officer2', 'staff_leader', 'staff_admin'], Array.from({ length: 10 }, () => ({})));
    const clients = [officer, officer2, leader, admin];
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => clients[i % 4].request('POST', '/api/tasks/claim-next', { queueId })));
    const claimed = answers.filter((a) => a.status === 200).map((a) => a.body.id);
    expect(answers.filter((a) => a.status === 204)).toHaveLength(40);
    expect(claimed).toHaveLength(10);
    expect(new Set(claimed)).toEqual(new Set(ids));
    const held = await rows<{ status: string; n: number }>(sql`select status, count(*)::int as n from tasks where queue_id = ${queueId} group by status`);
    expect(held).toEqual([{ status: 'claimed', n: 10 }]);
    const [{ n }] = await rows<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'task.claimed' and entity_id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`);
    expect(n).toBe(10);
  });

  it('hands out 2WW first, then the earliest breach date, then the oldest', async () => {
    const { queueId, ids } = await queueWithItems('order', ['staff_officer'], [
      { priority: 'routine', breachDate: '2027-01-01', createdAt: new Date('2026-01-01') },
      { priority: 'urgent', breachDate: '2027-05-01' },
      { priority: 'two_week_wait', breachDate: '2027-06-01' },
      { priority: 'urgent', breachDate: '2027-02-01' },
      { priority: 'routine', breachDate: '2027-01-01', createdAt: new Date('2025-12-01') },
    ]);
    const order = [];
    for (let i = 0; i < 5; i++) order.push((await officer.post('/api/tasks/claim-next', { queueId })).id);
    expect(order).toEqual([ids[2], ids[3], ids[1], ids[4], ids[0]]);
    expect((await officer.request('POST', '/api/tasks/claim-next', { queueId })).status).toBe(204);
  });

  it('skips snoozed items, which still count as open, and gives nothing to someone on leave', async () => {
    const { queueId, ids } = await queueWithItems('snooze', ['staff_officer', 'staff_officer2'], [{}, {}]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const snoozed = await officer.post(`/api/tasks/${ids[0]}/snooze`, { until: tomorrow, reason: 'Waiting for the GP to send results' });
    expect(snoozed.snoozedUntil).toBe(tomorrow);
    expect((await officer.post('/api/tasks/claim-next', { queueId })).id).toBe(ids[1]);
    expect((await officer.request('POST', '/api/tasks/claim-next', { queueId })).status).toBe(204);
    expect((await officer.list('tasks', { filter: { queueId, status: 'open' } })).map((t: any) => t.id)).toEqual([ids[0]]);
    expect((await officer.list('tasks', { filter: { queueId, snoozed: true } })).map((t: any) => t.id)).toEqual([ids[0]]);
    const past = await refusal(officer.post(`/api/tasks/${ids[0]}/snooze`, { until: '2020-01-01', reason: 'too late' }));
    expect(past.body.errors).toHaveProperty('until');
    await officer.post(`/api/tasks/${ids[0]}/unsnooze`);

    await rows(sql`insert into absences (id, staff_id, "from", "to", handover, reason, status, workflow_id)
      values ('abs_test_leave', 'staff_officer2', current_date, current_date + 5, 'queue', 'Annual leave', 'active', 'absence-abs_test_leave')`);
    // On leave is not "nothing waiting": the refusal says so, and where the work went (issue 11).
    const away = await refusal(officer2.post('/api/tasks/claim-next', { queueId }));
    expect([away.status, away.body.code]).toEqual([409, 'ON_LEAVE']);
    expect(away.body.message).toMatch(/^You are on annual leave until \w{3} \d{1,2} \w{3} \d{4}; your items are back in their queues/);
    expect((await officer.post('/api/tasks/claim-next', { queueId })).id).toBe(ids[0]);
  });
});

describe('claim-next and appointments still to come', () => {
  it('never hands out an attendance item before its appointment starts (it could not be recorded), however urgent', async () => {
    const { queueId, ids } = await queueWithItems('cashup', ['staff_officer'], [{ priority: 'two_week_wait' }, { priority: 'routine' }]);
    // A record_attendance item is due when its appointment starts: one tomorrow, one an hour ago (to cash up).
    await rows(sql`update tasks set type = 'record_attendance', title = 'Record attendance',
      due_at = case when id = ${ids[0]} then now() + interval '1 day' else now() - interval '1 hour' end where id in (${ids[0]}, ${ids[1]})`);
    expect((await officer.post('/api/tasks/claim-next', { queueId })).id).toBe(ids[1]);
    expect((await officer.request('POST', '/api/tasks/claim-next', { queueId })).status).toBe(204);
    // Still open and listed: it is claimed once the clinic has started.
    expect((await officer.list('tasks', { filter: { queueId, status: 'open' } })).map((t: any) => t.id)).toEqual([ids[0]]);
    await rows(sql`update tasks set due_at = now() - interval '1 minute' where id = ${ids[0]}`);
    expect((await officer.post('/api/tasks/claim-next', { queueId })).id).toBe(ids[0]);
  });
});

describe('team leader moves', () => {
  it('refuses someone inactive, on leave (unless confirmed) or not in the item\'s team, with the reason', async () => {
    const { ids } = await queueWithItems('moves', ['staff_officer', 'staff_officer2', 'staff_leader'], [{}]);
    await stack.db.db.insert(staff).values({ id: 'staff_left', email: 'left@demo.nhs.uk', name: 'Lee Left', role: 'officer', passwordHash: 'x', active: false });
    await stack.db.db.insert(queueMembers).values({ queueId: 'queue_moves', staffId: 'staff_left' });
    const inactive = await refusal(leader.post(`/api/tasks/${ids[0]}/assign`, { assigneeId: 'staff_left' }));
    expect([inactive.status, inactive.body.errors.assigneeId]).toEqual([422, 'is not active']);
    const onLeave = await refusal(leader.post(`/api/tasks/${ids[0]}/assign`, { assigneeId: 'staff_officer2' }));
    expect(onLeave.status).toBe(422);
    expect(onLeave.body.message).toContain('on leave');
    const notTeam = await refusal(leader.post(`/api/tasks/${ids[0]}/assign`, { assigneeId: 'staff_clinician' }));
    expect(notTeam.status).toBe(422);
    const confirmed = await leader.post(`/api/tasks/${ids[0]}/assign`, { assigneeId: 'staff_officer2', confirmLeave: true });
    expect(confirmed.assigneeId).toBe('staff_officer2');
    const stale = await refusal(leader.post(`/api/tasks/${ids[0]}/assign`, { assigneeId: 'staff_officer', version: 1 }));
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    const fresh = await leader.post(`/api/tasks/${ids[0]}/assign`, { assigneeId: 'staff_officer', version: confirmed.version });
    expect(fresh.assigneeId).toBe('staff_officer');
    expect((await refusal(leader.post('/api/tasks/task_nope/assign', { assigneeId: 'staff_officer' }))).status).toBe(404);
  });

  it('bulk-moves by filter in one go with one audit entry per item; officers may not', async () => {
    const { queueId, ids } = await queueWithItems('bulk', ['staff_officer', 'staff_leader'], Array.from({ length: 30 }, () => ({})));
    expect((await refusal(officer.post('/api/tasks/bulk-assign', { ids, assigneeId: 'staff_officer' }))).status).toBe(403);
    const moved = await leader.post('/api/tasks/bulk-assign', { filter: { queueId }, assigneeId: 'staff_officer' });
    expect(moved.moved).toBe(30);
    const held = await rows(sql`select distinct assignee_id from tasks where queue_id = ${queueId}`);
    expect(held).toEqual([{ assignee_id: 'staff_officer' }]);
    const audit = await leader.list('audit', { filter: { entityId: ids, action: 'task.assigned' }, range: [0, 99] });
    expect(audit).toHaveLength(30);
    expect(audit[0]).toMatchObject({ actorId: 'staff_leader', actorName: 'Leah Leader', after: { assigneeId: 'staff_officer' } });
    const back = await leader.post('/api/tasks/bulk-assign', { ids: ids.slice(0, 5), queueId: 'queue_101' });
    expect(back.moved).toBe(5);
    const bad = await refusal(leader.post('/api/tasks/bulk-assign', { ids, assigneeId: 'staff_officer', queueId }));
    expect(bad.status).toBe(400);
    expect((await refusal(officer.get('/api/audit'))).status).toBe(403);
  });

  it('the team dashboard counts each officer\'s and each queue\'s work', async () => {
    const { queueId, ids } = await queueWithItems('dash', ['staff_officer2', 'staff_leader'], [{}, {}, {}]);
    await leader.post('/api/tasks/bulk-assign', { ids: ids.slice(0, 2), assigneeId: 'staff_officer2', confirmLeave: true });
    const dashboard = await leader.get('/api/dashboard');
    const omar = dashboard.officers.find((o: any) => o.staffId === 'staff_officer2');
    expect(omar).toMatchObject({ onLeave: true });
    expect(omar.open).toBeGreaterThanOrEqual(2);
    expect(dashboard.queues.find((q: any) => q.queueId === queueId)).toMatchObject({ depth: 3, unassigned: 1, overdue: 0 });
    expect(dashboard.absences.map((a: any) => a.staffId)).toContain('staff_officer2');
    expect((await refusal(officer.get('/api/dashboard'))).status).toBe(403);
  });

  it('team leaders edit who works a queue', async () => {
    const added = await leader.post('/api/queues/queue_502/members', { staffId: 'staff_officer2' });
    expect(added.members.map((m: any) => m.id)).toContain('staff_officer2');
    const removed = await leader.request('DELETE', '/api/queues/queue_502/members/staff_officer2');
    expect(removed.body.members.map((m: any) => m.id)).not.toContain('staff_officer2');
    expect((await refusal(officer.post('/api/queues/queue_502/members', { staffId: 'staff_officer' }))).status).toBe(403);
    const me = await officer.get('/api/staff/staff_officer');
    expect(me.queueIds).toContain('queue_101');
  });
});

describe('My work is what claim-next hands out (issue 11)', () => {
  // Each item an officer may not finish is put ahead in the work order (2WW, the earliest breach), so a My work or
  // a claim-next that let it through would show it first.
  const mixed: Item[] = [
    { type: 'book_new_appointment', priority: 'two_week_wait', breachDate: '2026-12-20', dueAt: new Date(Date.now() - 86_400_000) }, // overdue
    { type: 'dna_review', priority: 'two_week_wait', breachDate: '2026-12-01' },
    { type: 'record_attendance', priority: 'two_week_wait', breachDate: '2026-12-02', dueAt: new Date(Date.now() + 3 * 86_400_000) },
    { type: 'capacity_escalation', priority: 'two_week_wait', breachDate: '2026-12-03' },
  ];
  const page = (client: AccessDeskClient, filter: Record<string, unknown>) =>
    client.list('tasks', { filter: { ...filter, status: ['open', 'claimed'] }, sort: ['priority', 'ASC'], range: [0, 99] });

  it("the first unassigned row of an officer's My work is the item claim-next gives; never a type they cannot finish", async () => {
    const { queueId, ids: [booking, dna, attendance, capacity] } = await queueWithItems('mixed', ['staff_officer', 'staff_leader'], mixed, 'validation');
    const mine = await page(officer, { mine: true });
    const listed = mine.map((t: any) => t.id);
    expect(listed).toContain(booking);
    for (const id of [dna, attendance, capacity]) expect(listed).not.toContain(id);
    const firstUnassigned = mine.find((t: any) => t.assigneeId === null);
    expect(firstUnassigned.id).toBe(booking);
    // A team leader's My work has the DNA review (theirs to finish), not ops' capacity escalation nor the attendance
    // still to come; the full list keeps everything.
    expect((await page(leader, { mine: true, queueId })).map((t: any) => t.id)).toEqual([dna, booking]);
    expect((await page(leader, { queueId })).map((t: any) => t.id)).toEqual([dna, attendance, capacity, booking]);

    expect((await officer.post('/api/tasks/claim-next', {})).id).toBe(firstUnassigned.id);
    // Nothing else in the queue is the officer's to finish.
    expect((await officer.request('POST', '/api/tasks/claim-next', { queueId })).status).toBe(204);
    expect((await page(officer, { mine: true, queueId })).map((t: any) => t.id)).toEqual([booking]);
    expect((await leader.post('/api/tasks/claim-next', { queueId })).id).toBe(dna);

    // The attendance item joins My work, and claim-next, once its appointment has started.
    await rows(sql`update tasks set due_at = now() - interval '1 minute' where id = ${attendance}`);
    expect((await page(officer, { mine: true, queueId })).map((t: any) => t.id)).toEqual([attendance, booking]);
    expect((await officer.post('/api/tasks/claim-next', { queueId })).id).toBe(attendance);
  });

  it('says who can finish an item: /api/me lists the types, and completing another is refused in those words', async () => {
    const me = await officer.get('/api/auth/me');
    expect(me.completableTypes).toContain('book_new_appointment');
    expect(me.completableTypes).not.toContain('capacity_escalation');
    expect(me.leave).toBeNull();
    const [capacity] = await rows<{ id: string }>(sql`select id from tasks where queue_id = 'queue_mixed' and type = 'capacity_escalation'`);
    const refused = await refusal(officer.post(`/api/tasks/${capacity.id}/complete`, { note: 'Extra clinic put on' }));
    expect([refused.status, refused.body.code, refused.body.message]).toEqual([403, 'FORBIDDEN', 'Only operations managers can complete a capacity escalation']);
  });

  it('a snoozed unclaimed item leaves My items for the Snoozed tab, and claim-next passes it by', async () => {
    const { queueId, ids } = await queueWithItems('snoozetab', ['staff_officer'], [{ priority: 'urgent' }, { priority: 'routine' }], 'validation');
    const until = new Date(Date.now() + 2 * 86_400_000).toISOString();
    await officer.post(`/api/tasks/${ids[0]}/snooze`, { until, reason: 'Waiting for the GP to call back' });
    expect((await page(officer, { mine: true, queueId })).map((t: any) => t.id)).toEqual([ids[1]]);
    expect((await page(officer, { mine: 'snoozed', queueId })).map((t: any) => t.id)).toEqual([ids[0]]);
    expect((await officer.post('/api/tasks/claim-next', { queueId })).id).toBe(ids[1]);
    // Claimed and snoozed: still Snoozed, not My items.
    await officer.post(`/api/tasks/${ids[1]}/snooze`, { until, reason: 'Patient on holiday' });
    expect(await page(officer, { mine: true, queueId })).toEqual([]);
    expect((await page(officer, { mine: 'snoozed', queueId })).map((t: any) => t.id)).toEqual([ids[0], ids[1]]);
    const bad = await refusal(officer.get(`/api/tasks?filter=${encodeURIComponent(JSON.stringify({ mine: 'yes' }))}`));
    expect([bad.status, Object.keys(bad.body.errors)]).toEqual([400, ['filter.mine']]);
  });

  it('on leave, claim-next names the leave and who has the items; /api/me carries it for the banner', async () => {
    await rows(sql`insert into absences (id, staff_id, "from", "to", handover, cover_staff_id, reason, status, workflow_id)
      values ('abs_test_cover', 'staff_admin', current_date - 1, '2026-12-04', 'cover', 'staff_officer', 'Annual leave', 'active', 'absence-abs_test_cover')`);
    const away = await refusal(admin.post('/api/tasks/claim-next', {}));
    const said = 'You are on annual leave until Fri 4 Dec 2026; your items are with Olivia Officer. Claim next hands out no work while you are away.';
    expect([away.status, away.body.code, away.body.message]).toEqual([409, 'ON_LEAVE', said]);
    expect((await admin.get('/api/auth/me')).leave).toMatchObject({ to: '2026-12-04', coverStaffName: 'Olivia Officer', message: said });
    await rows(sql`update absences set status = 'ended' where id = 'abs_test_cover'`);
    expect((await admin.get('/api/auth/me')).leave).toBeNull();
  });
});
