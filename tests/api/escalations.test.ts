// Escalations on the real stack (Postgres, the Temporal dev server, the worker, the API): a late two-week-wait referral
// escalates at once (its day 3 and day 7 are past), and booking it closes both escalations; a pathway that ends closes
// its escalations with it. The Escalations list's filters (open/closed, level, priority, specialty, assignee, search).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays, workingDaysBefore } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { londonToday } from '../../bin/lib/system';

// About `days` days ago, placed so that its rungs up to that day fell on a working day already begun: a rung due on a
// weekend fires at the next working day's start, so "nine days ago" read early on a Monday had its day 7 still to come.
const receivedDaysAgo = (days: number) => addDays(workingDaysBefore(londonToday(), 2), 2 - days);
import { queryRows } from '../../db/client';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralBody } from '../support/fixtures';
import { refusal } from '../support/api';

let stack: TestStack;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
let leader: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  [officer, clinician, leader] = await Promise.all(['officer', 'clinician', 'leader'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const escalationTypes = ['escalation_review', 'capacity_escalation'];

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The escalation items of a referral through the list API, as the Escalations list asks for them. */
const escalationsOf = (referralId: string, filter: Record<string, unknown> = {}) =>
  leader.list('tasks', { filter: { type: escalationTypes, referralId, ...filter } });

/** A 2WW referral received nine days ago, triaged, with its day 3 review and day 7 capacity escalation raised. */
async function lateTwoWeekWait(patient: Record<string, unknown> = {}) {
  const body = referralBody({ priority: 'two_week_wait', receivedAt: receivedDaysAgo(9), specialty: '101' });
  const referral = await officer.post('/api/referrals', { ...body, patient: { ...body.patient, ...patient } });
  const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');
  const raised = await waitFor(() => escalationsOf(referral.id), (e) => e.length === 2);
  expect(raised.map((e: any) => [e.type, e.status])).toEqual([['escalation_review', 'open'], ['capacity_escalation', 'open']]);
  return { referral, triage, raised, nhsNumber: body.patient.nhsNumber as string };
}

describe('escalations close when the problem is fixed', () => {
  it('closes the day 3 review and the day 7 capacity escalation once the late referral is booked, saying by whom', async () => {
    const { referral, triage, raised, nhsNumber } = await lateTwoWeekWait({ givenName: 'Esme', familyName: 'Escalated' });
    await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'accept', clinicId: 'clin_11', clinicalPriority: 'two_week_wait' });
    // Triaged but still not booked: the escalations stand.
    const booking = await officer.waitForOpenTask(referral.id, 'book_new_appointment');
    expect((await escalationsOf(referral.id, { open: true })).map((e: any) => e.id)).toEqual(raised.map((e: any) => e.id));

    // The Escalations list finds them by name, by NHS number as written, by level, priority and specialty.
    const spaced = `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`;
    for (const filter of [{ q: 'esme escalated' }, { q: spaced }, { priority: 'two_week_wait', specialtyCode: '101' }]) {
      expect((await escalationsOf(referral.id, { open: true, ...filter })).length, JSON.stringify(filter)).toBe(2);
    }
    expect((await escalationsOf(referral.id, { type: 'capacity_escalation' })).map((e: any) => e.id)).toEqual([raised[1].id]);
    expect(await escalationsOf(referral.id, { specialtyCode: '120' })).toEqual([]);

    const slot = await freeSlot(officer, 'clin_11', 'two_week_wait');
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    const closed = await waitFor(() => escalationsOf(referral.id, { open: false }), (e) => e.length === 2);
    const today = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' }).format(new Date());
    expect(closed.map((e: any) => [e.id, e.status, e.outcome])).toEqual(raised.map((e: any) => [
      e.id, 'cancelled', { closed: `Closed: booked on ${today} by Olivia Officer` },
    ]));
    expect(await escalationsOf(referral.id, { open: true })).toEqual([]);

    const audit = await rows<{ action: string; reason: string }>(sql`select action, after->>'reason' as reason from audit_log
      where entity_id in (${raised[0].id}, ${raised[1].id}) and action = 'task.escalation_closed'`);
    expect(audit).toEqual([{ action: 'task.escalation_closed', reason: 'booked' }, { action: 'task.escalation_closed', reason: 'booked' }]);
    const shown = await officer.get(`/api/referrals/${referral.id}`);
    expect(shown.events.filter((e: any) => e.kind === 'escalations_closed').map((e: any) => e.note)).toEqual(['Booked: 2 escalations closed']);
    // A team leader can no longer complete what has closed.
    const late = await refusal(leader.post(`/api/tasks/${raised[0].id}/complete`, {}));
    expect(late.status).toBe(409);
  });

  it('closes them with the pathway when the referral is returned to the referrer', async () => {
    const { referral, triage, raised } = await lateTwoWeekWait();
    await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'return_to_referrer', reason: 'Seen privately' });
    const closed = await waitFor(() => escalationsOf(referral.id, { open: false }), (e) => e.length === 2);
    expect(closed.map((e: any) => [e.id, e.status, e.outcome])).toEqual(raised.map((e: any) => [e.id, 'cancelled', { closed: 'Closed: the pathway ended' }]));
  });

  it('lists escalations assigned to me, and refuses an open filter that is not true or false', async () => {
    const { referral, raised } = await lateTwoWeekWait();
    const me = (await leader.get('/api/auth/me')).id as string;
    await leader.post(`/api/tasks/${raised[0].id}/claim`, {});
    expect((await escalationsOf(referral.id, { assigneeId: me })).map((e: any) => e.id)).toEqual([raised[0].id]);
    const bad = await refusal(escalationsOf(referral.id, { open: 'maybe' }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty(['filter.open']);
  });
});
