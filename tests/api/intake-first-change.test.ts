// Issue 13 (intake at 0.8 of the bare-workflow ceiling): intake applies the pathway's first change itself, so the
// triage item is on the work list when the answer comes back, and the workflow starts where those rows stand: its
// first task runs no activity. Nothing else about the pathway changes: a decision works, and what was overdue
// before the referral was registered escalates at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays } from '../../domain';
import { londonToday } from '../../bin/lib/system';
import { queryRows } from '../../db/client';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { startTestStack, type TestStack } from '../support/stack';
import { referralBody } from '../support/fixtures';
import { refusal } from '../support/api';
import { Worker } from '@temporalio/worker';
import { PATCHES_OF_NOVEMBER } from '../../workflows/pathway/patches';

let stack: TestStack;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
const rows = <T = any>(q: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, q);

/** The workflow's history once its first workflow task has completed. */
async function historyAfterFirstTask(workflowId: string) {
  for (let i = 0; i < 200; i += 1) {
    const history = await stack.env.client.workflow.getHandle(workflowId).fetchHistory();
    if (history.events?.some((e) => e.workflowTaskCompletedEventAttributes)) return history;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${workflowId} ran no workflow task in 10 s`);
}

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  officer = await stack.signIn('officer@demo.nhs.uk');
  clinician = await stack.signIn('clinician@demo.nhs.uk');
});
afterAll(async () => { await stack?.stop(); });

describe('registering a referral', () => {
  it('answers with the triage item already on the work list, the clock started and the cancer targets set', async () => {
    const referral = await officer.post('/api/referrals', referralBody({ priority: 'two_week_wait' }));
    // No waiting: the item is listed by the time the answer arrives.
    const open = await officer.list('tasks', { filter: { referralId: referral.id, type: 'triage_referral' } });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ status: 'open', queueId: expect.stringMatching(/^queue_/) });
    const [pathway] = await rows<{ rtt_status: string; fds_target: string | null; started: boolean }>(sql`
      select p.rtt_status, p.fds_target::text, r.pathway_started as started from pathways p join referrals r on r.id = p.referral_id
      where p.referral_id = ${referral.id}`);
    expect(pathway).toMatchObject({ rtt_status: 'running', fds_target: expect.any(String), started: true });
    const events = await rows<{ code: number }>(sql`select code from rtt_events where referral_id = ${referral.id}`);
    expect(events.map((e) => e.code)).toEqual([10]);
  });

  it('starts the pathway where those rows stand: its first task runs no activity, and the triage decision works', async () => {
    const referral = await officer.post('/api/referrals', referralBody());
    const history = await historyAfterFirstTask(referral.workflowId ?? `referral-${referral.id}`);
    expect(history.events!.filter((e) => e.activityTaskScheduledEventAttributes)).toHaveLength(0);

    const [triage] = await officer.list('tasks', { filter: { referralId: referral.id, type: 'triage_referral' } });
    await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'accept', clinicId: 'clin_2', clinicalPriority: 'routine' });
    const booking = await officer.waitForOpenTask(referral.id, 'book_new_appointment');
    expect(booking).toMatchObject({ type: 'book_new_appointment', status: 'open' });
    // One triage item and one change per step: nothing applied twice.
    const [{ n }] = await rows<{ n: number }>(sql`select count(*)::int as n from tasks where referral_id = ${referral.id} and type = 'triage_referral'`);
    expect(n).toBe(1);
  });

  it('escalates at once what was already overdue when a late referral is registered', async () => {
    const referral = await officer.post('/api/referrals', referralBody({ receivedAt: addDays(londonToday(), -120) }));
    let escalated = 0;
    for (let i = 0; i < 200 && escalated === 0; i += 1) {
      const [{ n }] = await rows<{ n: number }>(sql`
        select count(*)::int as n from tasks where referral_id = ${referral.id} and (escalation_level >= 1 or type::text like '%escalation%')`);
      escalated = n;
      if (!escalated) await new Promise((r) => setTimeout(r, 100));
    }
    expect(escalated).toBeGreaterThanOrEqual(1);
  });

  // The referral and its first change are one transaction: a failure writing the change saves nothing half-made
  // (before, the referral was saved without its clock or triage item, and the answer said it was), and the retry makes it once.
  it('saves nothing when the first change cannot be written, and the retry registers the referral once', async () => {
    const body = referralBody();
    await stack.db.db.execute(sql.raw(`
      create function refuse_first_change() returns trigger language plpgsql as $$ begin raise exception 'refused for the test' using errcode = 'P0001'; end $$;
      create trigger refuse_first_change before insert on pathway_changes for each row execute function refuse_first_change();`));
    try {
      expect((await refusal(officer.post('/api/referrals', body))).status).toBe(500);
      const [{ n }] = await rows<{ n: number }>(sql`select count(*)::int as n from referrals where ubrn = ${body.ubrn}`);
      expect(n).toBe(0);
    } finally {
      await stack.db.db.execute(sql.raw('drop trigger refuse_first_change on pathway_changes; drop function refuse_first_change();'));
    }
    const referral = await officer.post('/api/referrals', body);
    expect(referral).toMatchObject({ ubrn: body.ubrn, pathwayStarted: true });
    const [{ referrals, triage }] = await rows<{ referrals: number; triage: number }>(sql`
      select (select count(*)::int from referrals where ubrn = ${body.ubrn}) as referrals,
             (select count(*)::int from tasks where referral_id = ${referral.id} and type = 'triage_referral') as triage`);
    expect({ referrals, triage }).toEqual({ referrals: 1, triage: 1 });
  });

  it('records one patch marker for the pathway patches made before it, not one for each, and its history replays', async () => {
    const referral = await officer.post('/api/referrals', referralBody());
    const workflowId = referral.workflowId ?? `referral-${referral.id}`;
    const [triage] = await officer.list('tasks', { filter: { referralId: referral.id, type: 'triage_referral' } });
    await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'accept', clinicId: 'clin_2', clinicalPriority: 'routine' });
    await officer.waitForOpenTask(referral.id, 'book_new_appointment');
    const history = await stack.env.client.workflow.getHandle(workflowId).fetchHistory();
    const markers = history.events!.flatMap((e) => (e.markerRecordedEventAttributes ? [e.markerRecordedEventAttributes] : []));
    const patchIds = markers.map((m) => JSON.parse(Buffer.from(m.details!['patch-data']!.payloads![0].data!).toString()).id);
    // Before: one marker for each of the six patches a new pathway asks in its first task (trust time, stage activities, …).
    expect(patchIds).toEqual([PATCHES_OF_NOVEMBER]);
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: process.env.ACCESS_DESK_WORKFLOW_BUNDLE! } }, history, workflowId))
      .resolves.toBeUndefined();
  });
});
