// Escalations close themselves (issue 11): once what was escalated is resolved (the referral booked, the overdue
// item completed), the pathway closes its open escalation items with an outcome saying why, an audit row and a
// timeline entry. On the time-skipping server, so day 3 and day 7 come in milliseconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { sql } from 'drizzle-orm';
import { addDays, startOfWorkingDay } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking } from '../support/fixtures';

let stack: TestStack;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'time-skipping' });
  [officer, clinician] = await Promise.all([stack.signIn('officer@demo.nhs.uk'), stack.signIn('clinician@demo.nhs.uk')]);
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const HOUR = 3600_000;

type EscalationRow = { id: string; type: string; status: string; closed: string | null; completed: boolean };

async function escalations(referralId: string) {
  return rows<EscalationRow>(sql`
    select id, type, status, outcome->>'closed' as closed, completed_at is not null as completed from tasks
    where referral_id = ${referralId} and type in ('escalation_review', 'capacity_escalation') order by created_at`);
}

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** "4 Dec 2026" as the access centre writes a date, for an ISO date. */
const shortDate = (iso: string) => new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' });

describe('escalations close when the problem is fixed', () => {
  it('closes the day 3 review and the day 7 capacity escalation of a late 2WW referral once it is booked', async () => {
    const receivedAt = stack.today();
    const { referral, booking } = await referralAwaitingBooking(officer, clinician, { priority: 'two_week_wait', receivedAt }, 'clin_11');
    await stack.sleepUntil(new Date(startOfWorkingDay(addDays(receivedAt, 7)) + HOUR).toISOString());
    const raised = await waitFor(() => escalations(referral.id), (e) => e.length === 2);
    expect(raised.map((e) => [e.type, e.status])).toEqual([['escalation_review', 'open'], ['capacity_escalation', 'open']]);

    const slot = await freeSlot(officer, 'clin_11', 'two_week_wait', stack.now());
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    await officer.waitForOpenTask(referral.id, 'record_attendance');
    const handle = stack.env.client.workflow.getHandle(referral.workflowId);
    if (process.env.RECORD_HISTORIES) {
      // Recorded before escalations closed themselves: a pathway booked with two escalations open.
      writeFileSync('tests/workflows/histories/referral-pathway-escalated-then-booked.json', historyToJSON(await handle.fetchHistory()));
    }

    const closed = await waitFor(() => escalations(referral.id), (e) => e.every((x) => x.status !== 'open'));
    const bookedOn = shortDate(stack.today());
    expect(closed).toEqual(raised.map((e) => ({
      ...e, status: 'cancelled', closed: `Closed: booked on ${bookedOn} by Olivia Officer`, completed: true,
    })));
    const view = await handle.query('pathway') as { openEscalationTaskIds: string[] };
    expect(view.openEscalationTaskIds).toEqual([]);

    const audit = await rows<{ entity_id: string; reason: string }>(sql`
      select entity_id, after->>'reason' as reason from audit_log where action = 'task.escalation_closed'
        and entity_id in (${sql.join(raised.map((e) => sql`${e.id}`), sql`, `)}) order by entity_id`);
    expect(audit).toEqual(raised.map((e) => ({ entity_id: e.id, reason: 'booked' })).sort((a, b) => a.entity_id.localeCompare(b.entity_id)));
    const shown = await officer.get(`/api/referrals/${referral.id}`);
    expect(shown.events.filter((e: any) => e.kind === 'escalations_closed').map((e: any) => e.note))
      .toEqual(['Booked: 2 escalations closed']);
  });

  it('closes the review of an overdue attendance outcome once the outcome is recorded', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician, { receivedAt: stack.today() }, 'clin_11');
    const slot = await freeSlot(officer, 'clin_11', 'new', stack.now());
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
    await stack.sleepUntil(new Date(Date.parse(slot.start) + 97 * HOUR).toISOString());
    const raised = await waitFor(() => escalations(referral.id), (e) => e.length === 1);
    expect(raised[0]).toMatchObject({ type: 'escalation_review', status: 'open' });

    await officer.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'follow_up', followUpWeeks: 6 });
    await officer.waitForOpenTask(referral.id, 'book_follow_up');
    const closed = await waitFor(() => escalations(referral.id), (e) => e[0].status !== 'open');
    expect(closed).toEqual([{ ...raised[0], status: 'cancelled', closed: 'Closed: the overdue item was completed', completed: true }]);
    const shown = await officer.get(`/api/referrals/${referral.id}`);
    expect(shown.events.filter((e: any) => e.kind === 'escalations_closed').map((e: any) => e.note))
      .toEqual(['Overdue item completed: 1 escalation closed']);
  });
});
