// The pathway on the time-skipping test server: days pass in milliseconds, so escalations are checked
// at the hour they are due, and a worker restart mid-pathway is shown to lose and repeat nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { sql } from 'drizzle-orm';
import {
  addDays, addWorkingDays, bankHolidaysOf, endOfWorkingDay, isWorkingDay, londonDate, startOfWorkingDay,
} from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking, referralBody } from '../support/fixtures';

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

const at = (date: string, offsetMs = 0) => new Date(Date.parse(`${date}T00:00:00Z`) + offsetMs).toISOString();

async function escalations(referralId: string, of?: string[]) {
  return rows<{ type: string; queue_id: string; level: number }>(sql`
    select type, queue_id, (payload->>'level')::int as level from tasks
    where referral_id = ${referralId} and type in ('escalation_review', 'capacity_escalation')
      ${of ? sql`and payload->>'escalatedTaskType' in (${sql.join(of.map((t) => sql`${t}`), sql`, `)})` : sql``}
    order by created_at`);
}

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('booking escalation ladder', () => {
  it('escalates an unbooked 2WW referral to the team leader on day 3 and to ops on day 7, and not before', async () => {
    const receivedAt = stack.today();
    const referral = await officer.post('/api/referrals', referralBody({ priority: 'two_week_wait', receivedAt }));
    await officer.waitForOpenTask(referral.id, 'triage_referral');
    // Each rung at the trust's start of its day's working day.
    const rungAt = (days: number, offsetMs: number) => new Date(startOfWorkingDay(addDays(receivedAt, days)) + offsetMs).toISOString();

    await stack.sleepUntil(rungAt(3, -HOUR));
    expect(await escalations(referral.id)).toEqual([]);

    await stack.sleepUntil(rungAt(3, HOUR));
    const first = await waitFor(() => escalations(referral.id), (e) => e.length === 1);
    expect(first).toEqual([{ type: 'escalation_review', queue_id: 'queue_escalation', level: 1 }]);
    const [triage] = await rows(sql`select escalation_level from tasks where referral_id = ${referral.id} and type = 'triage_referral'`);
    expect(triage.escalation_level).toBe(1);

    await stack.sleepUntil(rungAt(7, -HOUR));
    expect(await escalations(referral.id)).toHaveLength(1);
    await stack.sleepUntil(rungAt(7, HOUR));
    const both = await waitFor(() => escalations(referral.id), (e) => e.length === 2);
    expect(both[1]).toEqual({ type: 'capacity_escalation', queue_id: 'queue_capacity', level: 2 });
    const shown = await officer.get(`/api/referrals/${referral.id}`);
    expect(shown.events.filter((e: any) => e.kind === 'escalated')).toHaveLength(2);
  });

  it('never escalates a referral booked before the first rung', async () => {
    const receivedAt = stack.today();
    const { referral, booking } = await referralAwaitingBooking(officer, clinician, { priority: 'two_week_wait', receivedAt }, 'clin_11');
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: (await freeSlot(officer, 'clin_11', 'two_week_wait', stack.now())).id });
    await stack.sleepUntil(at(addDays(receivedAt, 10), 12 * HOUR));
    expect(await escalations(referral.id, ['triage_referral', 'book_new_appointment'])).toEqual([]);
  });
});

describe('work item ladders', () => {
  it('escalates an attendance outcome not recorded within 48 hours, then to the team leaders at 96, and never a completed item', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician, { receivedAt: stack.today() }, 'clin_11');
    const slot = await freeSlot(officer, 'clin_11', 'new', stack.now());
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
    const start = Date.parse(slot.start);
    const level = async () => (await rows(sql`select escalation_level, priority_rank from tasks where id = ${attendance.id}`))[0];

    await stack.sleepUntil(new Date(start + 47 * HOUR).toISOString());
    expect(await level()).toEqual({ escalation_level: 0, priority_rank: 2 });
    await stack.sleepUntil(new Date(start + 49 * HOUR).toISOString());
    expect(await waitFor(level, (l) => l.escalation_level === 1)).toEqual({ escalation_level: 1, priority_rank: 1 });
    expect(await escalations(referral.id)).toEqual([]);
    await stack.sleepUntil(new Date(start + 97 * HOUR).toISOString());
    const raised = await waitFor(() => escalations(referral.id), (e) => e.length === 1);
    expect(raised).toEqual([{ type: 'escalation_review', queue_id: 'queue_escalation', level: 2 }]);

    // Recorded now, the outcome's ladder stops; the follow-up booking item starts its own only when it is due.
    await officer.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'follow_up', followUpWeeks: 6 });
    const followUp = await officer.waitForOpenTask(referral.id, 'book_follow_up');
    await stack.sleepUntil(new Date(Date.parse(followUp.dueAt) - HOUR).toISOString());
    expect((await rows(sql`select escalation_level from tasks where id = ${followUp.id}`))[0].escalation_level).toBe(0);
    expect(await escalations(referral.id)).toHaveLength(1);
  });
});

describe('durability', () => {
  it('a worker restart mid-pathway loses and duplicates nothing', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician, { receivedAt: stack.today() }, 'clin_2');
    await stack.restartWorker();
    officer = await stack.signIn('officer@demo.nhs.uk');
    clinician = await stack.signIn('clinician@demo.nhs.uk');
    const slot = await freeSlot(officer, 'clin_2', 'new', stack.now());
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
    await stack.restartWorker();
    officer = await stack.signIn('officer@demo.nhs.uk');
    // Attendance is recorded once the appointment has started (issue 10).
    await stack.sleepUntil(new Date(Date.parse(slot.start) + 60_000).toISOString());
    await officer.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'discharged' });

    const taskTypes = await rows<{ type: string; status: string }>(sql`select type, status from tasks where referral_id = ${referral.id} order by created_at`);
    expect(taskTypes).toEqual([
      { type: 'triage_referral', status: 'done' },
      { type: 'book_new_appointment', status: 'done' },
      { type: 'record_attendance', status: 'done' },
    ]);
    const [{ n: appts }] = await rows<{ n: number }>(sql`select count(*)::int as n from appointments where referral_id = ${referral.id}`);
    expect(appts).toBe(1);
    const events = await rows<{ kind: string }>(sql`select kind from pathway_events where referral_id = ${referral.id} order by id`);
    expect(events.map((e) => e.kind)).toEqual(['referral_received', 'triaged', 'appointment_booked', 'discharged']);
    const handle = stack.env.client.workflow.getHandle(referral.workflowId);
    const result = await handle.result();
    expect(result).toMatchObject({ stage: 'discharged', clock: { status: 'stopped' } });

    if (process.env.RECORD_HISTORIES) {
      const history = await handle.fetchHistory();
      writeFileSync('tests/workflows/histories/referral-pathway-by-stage-discharged.json', historyToJSON(history));
    }
  });
});

// Last in the file: it moves the shared server's clock to the next bank holiday.
describe('trust time', () => {
  it('escalates an unbooked 2WW referral whose day 3 is a bank holiday at 09:00 London on the next working day', async () => {
    const year = Number(stack.today().slice(0, 4));
    const holiday = [...bankHolidaysOf(year), ...bankHolidaysOf(year + 1)].sort().find((d) => addDays(d, -3) >= stack.today())!;
    const receivedAt = addDays(holiday, -3);
    await stack.sleepUntil(at(receivedAt, 10 * HOUR));
    const referral = await officer.post('/api/referrals', referralBody({ priority: 'two_week_wait', receivedAt }));
    await officer.waitForOpenTask(referral.id, 'triage_referral');

    const due = startOfWorkingDay(holiday);
    expect(due).toBeGreaterThan(Date.parse(at(addDays(holiday, 1))));
    await stack.sleepUntil(new Date(due - HOUR).toISOString());
    expect(await escalations(referral.id)).toEqual([]);
    await stack.sleepUntil(new Date(due + HOUR).toISOString());
    // Day 7 may land on the same working day (Christmas), so the ops rung can come with it.
    const raised = await waitFor(() => escalations(referral.id), (e) => e.length >= 1);
    expect(raised[0]).toEqual({ type: 'escalation_review', queue_id: 'queue_escalation', level: 1 });
    const [triage] = await rows<{ due_at: Date }>(sql`select due_at from tasks where referral_id = ${referral.id} and type = 'triage_referral'`);
    // Triage counts three working days, skipping the bank holiday, and is due at 17:00 London on the last.
    expect(new Date(triage.due_at).toISOString()).toBe(endOfWorkingDay(addWorkingDays(receivedAt, 3)));
    expect(isWorkingDay(londonDate(new Date(triage.due_at).getTime()))).toBe(true);
  });
});
