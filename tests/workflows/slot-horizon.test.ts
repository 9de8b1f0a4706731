// The slot horizon on a real Temporal dev server (the time-skipping server has no Schedules): the system makes
// the `slot-horizon` Schedule at start, and a run of it (triggered here rather than waiting for 02:00) brings
// every active clinic's slots to today + 26 weeks, applies a template version nobody reconciled, and a
// second run finds nothing to do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays, londonDate, londonInstant } from '../../domain';
import { ensureSlotHorizonSchedule, londonToday, SLOT_HORIZON_SCHEDULE_ID } from '../../bin/lib/system';
import { queryRows } from '../../db/client';
import { clinicTemplates, clinicTemplateVersions } from '../../db/schema';
import type { SlotHorizonSummary } from '../../workflows/slot-horizon';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createSlotActivities } from '../../activities/slots';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => { stack = await startTestStack({ database: 'postgres', temporal: 'dev' }); });
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const instant = (date: string) => new Date(londonInstant(date, '00:00')).toISOString();

/** Triggers the Schedule and answers the summary of the run it started. */
async function runSchedule(): Promise<SlotHorizonSummary> {
  const handle = stack.env.client.schedule.getHandle(SLOT_HORIZON_SCHEDULE_ID);
  const seen = (await handle.describe()).info.recentActions.length;
  await handle.trigger();
  for (let i = 0; i < 300; i++) {
    const actions = (await handle.describe()).info.recentActions;
    if (actions.length > seen) {
      const { workflowId, firstExecutionRunId } = actions.at(-1)!.action.workflow;
      return stack.env.client.workflow.getHandle(workflowId, firstExecutionRunId).result();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the Schedule did not start a run');
}

describe('the slot-horizon Schedule', () => {
  it('exists after start: daily at 02:00 London time, overlapping runs skipped, a missed day caught up', async () => {
    const described = await stack.env.client.schedule.getHandle(SLOT_HORIZON_SCHEDULE_ID).describe();
    expect(described.spec.timezone).toBe('Europe/London');
    expect(described.spec.calendars).toEqual([expect.objectContaining({
      hour: [{ start: 2, end: 2, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }],
    })]);
    expect(described.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 86_400_000 });
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'slotHorizon', workflowId: SLOT_HORIZON_SCHEDULE_ID, taskQueue: stack.taskQueue });
    // A second start (another API replica, a restart) leaves the one Schedule in place.
    expect(await ensureSlotHorizonSchedule(stack.env.client, stack.taskQueue)).toBe('updated');
    expect((await stack.env.client.schedule.getHandle(SLOT_HORIZON_SCHEDULE_ID).describe()).action).toMatchObject({ taskQueue: stack.taskQueue });
  });

  it('a run extends every clinic to the horizon and applies a template version nobody reconciled; the next run adds nothing', async () => {
    const today = londonToday();
    const horizon = addDays(today, 182);
    const cut = addDays(today, 100);
    // As if the horizon had not rolled for a while: every clinic's slots after day 100 gone.
    const lost = await rows<{ clinic_id: string; n: number; before_from: number }>(sql`
      with d as (delete from slots where start >= ${instant(cut)}::timestamptz returning clinic_id, start)
      select clinic_id, count(*)::int as n, (count(*) filter (where start < ${instant(addDays(today, 120))}::timestamptz))::int as before_from
      from d group by clinic_id order by clinic_id`);
    const removed = lost.reduce((n, r) => n + r.n, 0);
    expect(removed).toBeGreaterThan(1000);
    // And a new version of clin_5 from day 120, written without reconciling (its request failed part way, say):
    // Fridays from 13:00, eight 15-minute follow-ups.
    const from = addDays(today, 120);
    await stack.db.db.insert(clinicTemplateVersions).values({ id: 'tmplv_test_clin_5', clinicId: 'clin_5', version: 2, effectiveFrom: from });
    await stack.db.db.insert(clinicTemplates).values({
      id: 'tmpl_test_clin_5', clinicId: 'clin_5', weekday: 5, startTime: '13:00', slotMinutes: 15, slotType: 'follow_up', slotCount: 8, effectiveFrom: from, versionId: 'tmplv_test_clin_5',
    });

    const summary = await runSchedule();
    const [{ n: clinics }] = await rows<{ n: number }>(sql`select count(*)::int as n from clinics where active`);
    expect(summary).toMatchObject({ from: today, to: horizon, clinics, slotsUpdated: 0, slotsRemoved: 0, bookedSlotsKept: 0, proposedChanges: 0 });

    // Every clinic has back what it lost, clin_5 its old pattern only up to day 120 and version 2's Fridays after.
    const now = await rows<{ clinic_id: string; n: number; before_from: number }>(sql`
      select clinic_id, count(*)::int as n, (count(*) filter (where start < ${instant(from)}::timestamptz))::int as before_from
      from slots where start >= ${instant(cut)}::timestamptz group by clinic_id order by clinic_id`);
    let fridays = 0;
    for (let d = from; d < horizon; d = addDays(d, 1)) if (new Date(`${d}T00:00:00Z`).getUTCDay() === 5) fridays += 1;
    expect(now).toEqual(lost.map((r) => (r.clinic_id === 'clin_5' ? { ...r, n: r.before_from + fridays * 8 } : r)));
    expect(summary.slotsAdded).toBe(now.reduce((n, r) => n + r.n, 0));
    const clin5 = await rows<{ at: string; type: string }>(sql`
      select to_char(start at time zone 'Europe/London', 'ID HH24:MI') as at, type::text from slots where clinic_id = 'clin_5' and start >= ${instant(from)}::timestamptz order by start`);
    expect(clin5.slice(0, 8)).toEqual(['13:00', '13:15', '13:30', '13:45', '14:00', '14:15', '14:30', '14:45'].map((t) => ({ at: `5 ${t}`, type: 'follow_up' })));
    // The horizon: the last slot falls in the week before today + 182 days.
    const [{ last }] = await rows<{ last: number }>(sql`select (extract(epoch from max(start)) * 1000)::float8 as last from slots`);
    expect(londonDate(Number(last)) < horizon).toBe(true);
    expect(londonDate(Number(last)) >= addDays(horizon, -7)).toBe(true);

    const again = await runSchedule();
    expect(again).toMatchObject({ clinics, slotsAdded: 0, slotsUpdated: 0, slotsRemoved: 0, proposedChanges: 0 });
  });
  it('heartbeats after each clinic, and a retried run goes on after the last clinic it reported', async () => {
    const today = londonToday();
    const activities = createSlotActivities({ db: stack.db.db });
    const [{ n: active }] = await rows<{ n: number }>(sql`select count(*)::int as n from clinics where active`);
    const fresh = new MockActivityEnvironment();
    const beats: unknown[] = [];
    fresh.on('heartbeat', (d: unknown) => beats.push(d));
    expect((await fresh.run(activities.keepSlotHorizon, { today }) as SlotHorizonSummary).clinics).toBe(active);
    const ids = (await rows<{ id: string }>(sql`select id from clinics where active order by id`)).map((r) => r.id);
    expect(beats).toEqual(ids);
    // The attempt before stopped after clin_5: this one reconciles the clinics after it, and those only.
    const retried = new MockActivityEnvironment({ heartbeatDetails: 'clin_5', attempt: 2 });
    const resumed: unknown[] = [];
    retried.on('heartbeat', (d: unknown) => resumed.push(d));
    expect((await retried.run(activities.keepSlotHorizon, { today }) as SlotHorizonSummary).clinics).toBe(ids.filter((id) => id > 'clin_5').length);
    expect(resumed).toEqual(ids.filter((id) => id > 'clin_5'));
  });
});
