// The 28-day guarantee on the time-skipping server (issue 15) [rules §6]: an operation cancelled on the day for a
// non-clinical reason escalates to the team leader (day 14) and operations (day 21) well before day 28, and is recorded
// and reported breached once day 28 passes without a new date; a new date accepted first ends it, closing what it raised.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays, cancelledOperationGuarantee, cancelledOperationRungAt, londonInstant } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { startTestStack, type TestStack } from '../support/stack';
import { bookedOperation, theatreSession } from '../support/stand-by';

let stack: TestStack;
let officer: AccessDeskClient;
let leader: AccessDeskClient;
let ops: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'time-skipping' });
  [officer, leader, ops] = await Promise.all(['officer', 'leader', 'ops'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const HOUR = 3_600_000;

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const escalations = (workflowId: string) => rows<{ type: string; status: string; level: number; queue: string }>(sql`
  select t.type, t.status, (t.payload->>'level')::int as level, q.kind as queue from tasks t join queues q on q.id = t.queue_id
  where t.workflow_id = ${workflowId} and t.type in ('escalation_review', 'capacity_escalation') order by t.created_at`);
const cancelled = async (id: string) => (await rows<{ status: string; escalation_level: number; breached_on: string | null; rebooked_on: string | null; rebooked_for: string | null }>(sql`
  select status, escalation_level, breached_on::text, rebooked_on::text, rebooked_for::text from cancelled_operations where id = ${id}`))[0]!;

async function cancelToday() {
  const today = stack.today();
  const sessionId = await theatreSession(stack, { date: today });
  const { admissionId } = await bookedOperation(stack, officer, { tciDate: today, sessionId });
  const { cancelledOperation } = await officer.post(`/api/admissions/${admissionId}/cancel`, { onTheDay: true, reason: 'List overran', clinical: false });
  return { admissionId, id: cancelledOperation.id as string, workflowId: `cancelled-operation-${cancelledOperation.id}`, cancelledOn: today };
}

describe('the 28-day guarantee', () => {
  it('escalates an unrebooked cancelled operation to the team leader and operations before day 28, then records and reports the breach', async () => {
    const { id, workflowId, cancelledOn } = await cancelToday();
    const g = cancelledOperationGuarantee(cancelledOn);
    expect(await escalations(workflowId)).toEqual([]);

    await stack.sleepUntil(new Date(cancelledOperationRungAt(g.rungs[0]!) + HOUR).toISOString());
    const leaderReview = await waitFor(() => escalations(workflowId), (e) => e.length === 1);
    expect(leaderReview).toEqual([{ type: 'escalation_review', status: 'open', level: 1, queue: 'escalation' }]);
    expect((await cancelled(id)).escalation_level).toBe(1);
    const [rebook] = await rows<{ escalation_level: number }>(sql`select escalation_level from tasks where workflow_id = ${workflowId} and type = 'rebook_cancelled_operation'`);
    expect(rebook!.escalation_level).toBe(1);
    // The team leader answers it as any escalation: through the workflow that raised it.
    const [review] = await rows<{ id: string }>(sql`select id from tasks where workflow_id = ${workflowId} and type = 'escalation_review'`);
    const done = await leader.post(`/api/tasks/${review!.id}/complete`, { note: 'Asked theatres for a list next week' });
    expect(done).toMatchObject({ id: review!.id, status: 'done' });

    await stack.sleepUntil(new Date(cancelledOperationRungAt(g.rungs[1]!) + HOUR).toISOString());
    const both = await waitFor(() => escalations(workflowId), (e) => e.length === 2);
    expect(both.map((e) => [e.type, e.level, e.queue])).toEqual([['escalation_review', 1, 'escalation'], ['capacity_escalation', 2, 'capacity']]);
    // Both rungs came well before day 28.
    expect(cancelledOperationRungAt(g.rungs[1]!)).toBeLessThan(londonInstant(g.rebookBy, '00:00') - 5 * 24 * HOUR);
    expect((await cancelled(id)).status).toBe('open');

    // Day 28 is still inside the guarantee; the breach is recorded as it ends.
    await stack.sleepUntil(new Date(londonInstant(g.rebookBy, '12:00')).toISOString());
    expect((await cancelled(id)).status).toBe('open');
    await stack.sleepUntil(new Date(londonInstant(g.breachedOn, '00:00') + HOUR).toISOString());
    const breached = await waitFor(() => cancelled(id), (r) => r.status === 'breached');
    expect(breached).toMatchObject({ status: 'breached', breached_on: g.breachedOn, rebooked_on: null });
    expect((await escalations(workflowId)).map((e) => e.status)).toEqual(['done', 'cancelled']);
    await expect(stack.env.client.workflow.getHandle(workflowId).result()).resolves.toMatchObject({ status: 'breached', escalationLevel: 2 });

    const summary = await ops.get(`/api/cancelled-operations/summary?from=${cancelledOn}&to=${cancelledOn}`);
    expect(summary).toMatchObject({ cancelled: 1, rebookedWithin28Days: 0, notRebookedWithin28Days: 1, open: 0 });
    const listed = await ops.list('cancelled-operations', { filter: { status: 'breached' } });
    expect(listed.map((r: any) => r.id)).toEqual([id]);
    const audit = await rows(sql`select action from audit_log where entity_id = ${id} order by id`);
    expect(audit).toEqual([{ action: 'cancelled_operation.breached' }]);
  });

  it('is started by the pathway, and a rebook records the trust\'s today (server time), not the wall clock', async () => {
    // The server's clock may have run on while an earlier test awaited a result: read where it is first.
    await stack.sleepUntil(new Date(0).toISOString());
    const { admissionId, id, workflowId, cancelledOn } = await cancelToday();
    const [entry] = await rows<{ referral_id: string }>(sql`select referral_id from admissions where id = ${admissionId}`);
    const referralId = entry!.referral_id;
    // The guarantee's workflow was started by the pathway's own activity (retried by Temporal until it lands), not by the API.
    const history = await stack.env.client.workflow.getHandle(`referral-${referralId}`).fetchHistory();
    const scheduled = (history.events ?? []).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    expect(scheduled).toContain('startCancelledOperationGuarantee');
    await expect(stack.env.client.workflow.getHandle(workflowId).describe()).resolves.toMatchObject({ status: { name: 'RUNNING' } });

    // Three days on in server time, a new date is accepted: rebooked on that day.
    await stack.sleepUntil(new Date(londonInstant(addDays(cancelledOn, 3), '10:00')).toISOString());
    const today = stack.today();
    expect(today).toBe(addDays(cancelledOn, 3));
    const sessionId = await theatreSession(stack, { date: addDays(today, 7) });
    const offer = await officer.post(`/api/referrals/${referralId}/tci-offers`, { admissionDate: addDays(today, 7), theatreSessionId: sessionId, ward: 'W1', offeredOn: today, channel: 'phone' });
    await officer.post(`/api/tci-offers/${offer.id}/accept`, {});
    expect(await cancelled(id)).toMatchObject({ status: 'rebooked', rebooked_on: today, rebooked_for: addDays(today, 7) });
  });
});
