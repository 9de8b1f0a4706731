// Ward forms (issue 16) on the time-skipping server: a ward's follow-up request becomes a follow-up booking item in the
// Ward forms queue due within 48 hours of receipt (counted on working days); booked in time it raises nothing, left
// undone it escalates when the 48 hours are up; an interval no slot can meet goes to the clinician, never a later date.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { addDays, wardFormDueAt } from '../../domain';
import { queryRows } from '../../db/client';
import { referralBody } from '../support/fixtures';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let wardClerk: AccessDeskClient; // officer2 works the Ward forms queue
let clinician: AccessDeskClient;
const MINUTE = 60_000;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'time-skipping' });
  wardClerk = await stack.signIn('officer2@demo.nhs.uk');
  clinician = await stack.signIn('clinician@demo.nhs.uk');
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function wardForm(overrides: Record<string, unknown> = {}) {
  return {
    patient: referralBody().patient, ward: 'Ward 4B (surgical)', dischargedOn: addDays(stack.today(), -1), specialty: '101',
    clinicianId: 'staff_clinician', followUpWithinWeeks: 6, testsBefore: ['PSA'], note: 'Review catheter and PSA result', ...overrides,
  };
}

const eventsOf = (referralId: string) => rows<{ kind: string; note: string }>(sql`
  select kind, note from pathway_events where referral_id = ${referralId} order by id`);

describe('ward forms', () => {
  it('is a follow-up booking item in the Ward forms queue, due within 48 working hours; booked in time, nothing escalates', async () => {
    const before = Date.parse(stack.now());
    const received = await wardClerk.post('/api/ward-forms', wardForm());
    const after = Date.parse(stack.now());
    expect(received.pathwayStarted).toBe(true);
    expect(received.item).toMatchObject({ type: 'book_follow_up', queueId: 'queue_ward_forms' });
    // Due 48 hours on, counted on working days (the instant of receipt lies between before and after).
    expect(Date.parse(received.item.dueAt)).toBeGreaterThanOrEqual(Date.parse(wardFormDueAt(before)) - MINUTE);
    expect(Date.parse(received.item.dueAt)).toBeLessThanOrEqual(Date.parse(wardFormDueAt(after)) + MINUTE);
    expect(received.wardForm).toMatchObject({
      status: 'to_book', intervalMet: true, ward: 'Ward 4B (surgical)', bookBy: addDays(addDays(stack.today(), -1), 42), testsBefore: ['PSA'],
      note: 'Review catheter and PSA result', clinicianName: 'Dr Carl Clinician', escalationLevel: 0,
    });
    const referralId = received.wardForm.referralId;
    const [referral] = await rows(sql`select r.source, r.state, p.rtt_status, p.last_rtt_code, r.workflow_id from referrals r
      join pathways p on p.referral_id = r.id where r.id = ${referralId}`);
    expect(referral).toMatchObject({ source: 'ward', state: 'awaiting_follow_up', rtt_status: 'stopped', last_rtt_code: 90, workflow_id: `referral-${referralId}` });
    const view = await stack.env.client.workflow.getHandle(referral.workflow_id).query<any>('pathway');
    expect(view).toMatchObject({ stage: 'awaiting_follow_up', openTaskId: received.item.id, openTaskType: 'book_follow_up' });

    // Booked the next morning, within the 48 hours, into a follow-up slot before the date asked for.
    const [slot] = await rows<{ id: string }>(sql`select s.id from slots s join clinics c on c.id = s.clinic_id where c.specialty_code = '101'
      and s.type = 'follow_up' and s.status = 'free' and s.start > ${stack.now()}::timestamptz order by s.start limit 1`);
    await wardClerk.post(`/api/tasks/${received.item.id}/complete`, { slotId: slot.id });
    const booked = await until(() => wardClerk.get(`/api/ward-forms/${received.wardForm.id}`), (w) => w.status === 'booked', 'the booking');
    expect(booked.appointmentStart).not.toBeNull();

    await stack.sleepUntil(new Date(Date.parse(received.item.dueAt) + 2 * 60 * MINUTE).toISOString());
    await new Promise((r) => setTimeout(r, 1000));
    // (The follow-up's own attendance item has a ladder of its own from the appointment: not this item's.)
    const [item] = await rows(sql`select status, escalation_level from tasks where id = ${received.item.id}`);
    expect(item).toEqual({ status: 'done', escalation_level: 0 });
    expect(await rows(sql`select id from tasks where referral_id = ${referralId} and payload->>'escalatedTaskId' = ${received.item.id}`)).toEqual([]);
    expect((await eventsOf(referralId)).filter((e) => e.kind === 'escalated' && /follow-up/i.test(e.note))).toEqual([]);
  });

  it('left undone for 48 hours, the item escalates: moved up its queue and the holder told', async () => {
    const received = await wardClerk.post('/api/ward-forms', wardForm({ specialty: '100', followUpWithinWeeks: 8 }));
    const referralId = received.wardForm.referralId;
    // Just before the 48 hours are up nothing has happened.
    await stack.sleepUntil(new Date(Date.parse(received.item.dueAt) - 30 * MINUTE).toISOString());
    await new Promise((r) => setTimeout(r, 1000));
    expect((await wardClerk.get(`/api/ward-forms/${received.wardForm.id}`)).escalationLevel).toBe(0);

    await stack.sleepUntil(new Date(Date.parse(received.item.dueAt) + 5 * MINUTE).toISOString());
    const escalated = await until(() => wardClerk.get(`/api/ward-forms/${received.wardForm.id}`), (w) => w.escalationLevel >= 1, 'the escalation');
    expect(escalated).toMatchObject({ status: 'to_book', taskId: received.item.id });
    expect((await eventsOf(referralId)).find((e) => e.kind === 'escalated')?.note).toMatch(/overdue/);
    const [item] = await rows(sql`select status, queue_id, escalation_level from tasks where id = ${received.item.id}`);
    expect(item).toMatchObject({ status: 'open', queue_id: 'queue_ward_forms', escalation_level: 1 });
  });

  it('an interval no follow-up slot can meet goes to the clinician as a review, never a silently later date', async () => {
    // No follow-up slot of the specialty is free before the date asked for.
    const dischargedOn = addDays(stack.today(), -1);
    const bookBy = addDays(dischargedOn, 14);
    await rows(sql`update slots set status = 'blocked' where status = 'free' and type = 'follow_up'
      and clinic_id in (select id from clinics where specialty_code = '110') and start < (${addDays(bookBy, 2)}::date)::timestamptz`);
    const received = await wardClerk.post('/api/ward-forms', wardForm({ specialty: '110', dischargedOn, followUpWithinWeeks: 2 }));
    expect(received.item).toMatchObject({ type: 'clinical_review', queueId: 'queue_110' });
    expect(received.wardForm).toMatchObject({ status: 'with_clinician', intervalMet: false, bookBy });
    const referralId = received.wardForm.referralId;
    expect((await eventsOf(referralId)).map((e) => e.note).join(' ')).toMatch(/clinician decides/);
    const [task] = await rows(sql`select payload->>'reason' as reason from tasks where id = ${received.item.id}`);
    expect(task.reason).toBe('ward_form_interval');
    // Nothing was booked, and no booking item dated later was made.
    expect(await rows(sql`select id from appointments where referral_id = ${referralId}`)).toEqual([]);
    expect(await rows(sql`select id from tasks where referral_id = ${referralId} and type = 'book_follow_up'`)).toEqual([]);

    // The clinician decides: book again (later, on their word): a booking item follows.
    await clinician.post(`/api/tasks/${received.item.id}/complete`, { decision: 'rebook' });
    const booking = await clinician.waitForOpenTask(referralId, 'book_follow_up');
    expect(booking).toMatchObject({ type: 'book_follow_up' });
    expect((await wardClerk.get(`/api/ward-forms/${received.wardForm.id}`)).status).toBe('to_book');
  });
});
