// Go-live (issue 13): open pathways brought over from the previous PAS are real referralPathway workflows in their
// stage, with their clocks, work items in the intake's queues and appointments holding their slots; a rung due before
// the import never fires, one due tomorrow fires tomorrow; the same rows again change nothing; rows written but not
// started are finished by the next run, each pathway once. On the time-skipping server, so tomorrow comes at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { sql } from 'drizzle-orm';
import { WorkflowNotFoundError } from '@temporalio/client';
import { addDays, londonInstant, rttBreachDate, startOfWorkingDay } from '../../domain';
import type { ImportRow } from '../../domain/import';
import { queryRows } from '../../db/client';
import { isoWeekday } from '../../db/slots';
import { seededRandom, syntheticNhsNumber } from '../../bin/lib/demo';
import { importPathways, writeImportRows, type ImportContext } from '../../api/import-pathways';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
const HOUR = 3600_000;
const rand = seededRandom(Date.now() % 100000);
let serial = 0;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'time-skipping' });
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const ctx = (): ImportContext => ({
  db: stack.db.db, temporal: { client: stack.env.client, taskQueue: stack.taskQueue }, today: stack.today(), now: new Date(stack.now()),
});
const inList = (ids: string[]) => sql.join(ids.map((id) => sql`${id}`), sql`, `);

function row(overrides: Partial<ImportRow>): ImportRow {
  serial += 1;
  return {
    line: serial + 1, nhsNumber: syntheticNhsNumber(rand), givenName: 'Grace', familyName: 'Hopper', dateOfBirth: '1956-12-09', postcode: 'l39 2az',
    pathwayId: `PPID-${Date.now().toString(36)}-${serial}`, ubrn: null, specialtyCode: '100', priority: 'routine',
    clockStart: addDays(stack.today(), -20), lastRttCode: null, lastRttDate: null, stage: 'awaiting_triage', clinicId: null, appointmentStart: null,
    ...overrides,
  };
}

async function freeSlot(clinicId: string, type: string) {
  const [slot] = await rows<{ id: string; start: Date }>(sql`
    select id, start from slots where clinic_id = ${clinicId} and type = ${type} and status = 'free' and start > ${stack.now()}::timestamptz
    order by start limit 1`);
  return { id: slot.id, start: new Date(slot.start).toISOString() };
}

/** A clock start whose 2WW rung 1 (day 3) was due before now and rung 2 (day 7) is due the next working day or so. */
function twoWeekWaitStart(): string {
  const now = Date.parse(stack.now());
  for (let back = 7; back >= 4; back--) {
    const start = addDays(stack.today(), -back);
    if (startOfWorkingDay(addDays(start, 3)) <= now && startOfWorkingDay(addDays(start, 7)) > now) return start;
  }
  throw new Error('no clock start fits');
}

type Counts = Record<string, number>;
async function counts(): Promise<Counts> {
  const [c] = await rows<Counts>(sql`select
    (select count(*)::int from referrals) as referrals, (select count(*)::int from patients) as patients,
    (select count(*)::int from pathways) as pathways, (select count(*)::int from rtt_periods) as periods,
    (select count(*)::int from rtt_events) as rtt_events, (select count(*)::int from pathway_events) as timeline,
    (select count(*)::int from tasks) as tasks, (select count(*)::int from appointments) as appointments,
    (select count(*)::int from slots) as slots, (select count(*)::int from slots where status = 'booked') as booked_slots,
    (select count(*)::int from audit_log) as audit`);
  return c;
}

async function runIdOf(workflowId: string): Promise<string | null> {
  try {
    return (await stack.env.client.workflow.getHandle(workflowId).describe()).runId;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('importing open pathways from the previous PAS', () => {
  const byName: Record<string, ImportRow> = {};
  const referralOf: Record<string, any> = {};
  let twoWeekWaitRung2 = 0;

  it('brings each stage over as a pathway in the right stage, with its clock, work item, queue and held slot', async () => {
    const today = stack.today();
    const urgentSlot = await freeSlot('clin_1', 'urgent');
    const followUpSlot = await freeSlot('clin_1', 'follow_up');
    // A Sunday at noon: no clinic template makes a slot then, so the import holds one of its own.
    let sunday = addDays(today, 8);
    while (isoWeekday(sunday) !== 7) sunday = addDays(sunday, 1);
    const offTemplate = new Date(londonInstant(sunday, '12:00')).toISOString();
    const twoWeekStart = twoWeekWaitStart();
    twoWeekWaitRung2 = startOfWorkingDay(addDays(twoWeekStart, 7));
    Object.assign(byName, {
      triage: row({ stage: 'awaiting_triage', clockStart: addDays(today, -10), ubrn: `9${Date.now().toString().slice(-11)}` }),
      twoWeekWait: row({ stage: 'awaiting_first_appointment', priority: 'two_week_wait', clockStart: twoWeekStart, specialtyCode: '101' }),
      bookedUrgent: row({ stage: 'awaiting_first_appointment', priority: 'urgent', clockStart: addDays(today, -15), clinicId: 'clin_1', appointmentStart: urgentSlot.start }),
      bookedOffTemplate: row({ stage: 'awaiting_first_appointment', clockStart: addDays(today, -30), clinicId: 'clin_1', appointmentStart: offTemplate }),
      followUp: row({ stage: 'awaiting_follow_up', clockStart: addDays(today, -60), lastRttCode: 20, lastRttDate: addDays(today, -7) }),
      followUpBooked: row({ stage: 'awaiting_follow_up', clockStart: addDays(today, -50), lastRttCode: 20, lastRttDate: addDays(today, -14), clinicId: 'clin_1', appointmentStart: followUpSlot.start }),
      admission: row({ stage: 'awaiting_admission', priority: 'urgent', clockStart: addDays(today, -70), lastRttCode: 20, lastRttDate: addDays(today, -20) }),
      longWait: row({ stage: 'awaiting_first_appointment', clockStart: addDays(today, -100) }),
      // The PAS double-booked a slot: the first row holds it, this one waits to be booked again.
      slotTaken: row({ stage: 'awaiting_first_appointment', priority: 'urgent', clockStart: addDays(today, -12), clinicId: 'clin_1', appointmentStart: urgentSlot.start }),
    });
    const result = await importPathways(ctx(), 'imp_test_1', Object.values(byName));
    expect(result).toEqual({ imported: 9, unchanged: 0 });

    const referrals = await rows<any>(sql`
      select r.id, r.workflow_id, r.pathway_id, r.ubrn, r.source, r.import_id, r.state, r.pathway_started, r.patient_id,
        p.clock_start::text, p.breach_date::text, p.last_rtt_code, p.rtt_status, p.fds_target::text
      from referrals r join pathways p on p.referral_id = r.id where r.import_id = 'imp_test_1'`);
    expect(referrals).toHaveLength(9);
    for (const [name, r] of Object.entries(byName)) {
      const found = referrals.find((x) => x.pathway_id === r.pathwayId);
      referralOf[name] = found;
      expect(found, name).toMatchObject({
        source: 'pas_import', pathway_started: true, clock_start: r.clockStart, breach_date: rttBreachDate(r.clockStart), rtt_status: 'running',
        last_rtt_code: r.lastRttCode ?? 10, ubrn: r.ubrn,
      });
      expect(found.workflow_id).toBe(`referral-${found.id}`); // no patient identifier in it
    }
    expect(referralOf.twoWeekWait).toMatchObject({ fds_target: addDays(byName.twoWeekWait.clockStart, 28) });
    expect(Object.fromEntries(Object.entries(referralOf).map(([n, r]: [string, any]) => [n, r.state]))).toEqual({
      triage: 'awaiting_triage', twoWeekWait: 'awaiting_booking', bookedUrgent: 'booked', bookedOffTemplate: 'booked',
      followUp: 'awaiting_follow_up', followUpBooked: 'follow_up_booked', admission: 'awaiting_admission', longWait: 'awaiting_booking', slotTaken: 'awaiting_booking',
    });

    // The RTT events as the code base records them: the clock start, then the PAS's 20 on its date.
    const events = await rows<{ referral_id: string; code: number; event_date: string }>(sql`
      select referral_id, code, event_date::text from rtt_events where referral_id in (${inList(referrals.map((r) => r.id))}) order by id`);
    expect(events.filter((e) => e.referral_id === referralOf.admission.id).map((e) => [e.code, e.event_date]))
      .toEqual([[10, byName.admission.clockStart], [20, byName.admission.lastRttDate]]);
    expect(events.filter((e) => e.referral_id === referralOf.triage.id).map((e) => [e.code, e.event_date])).toEqual([[10, byName.triage.clockStart]]);
    const [admissionPeriod] = await rows(sql`select status, last_code, decision_to_admit_on::text from rtt_periods where referral_id = ${referralOf.admission.id}`);
    expect(admissionPeriod).toEqual({ status: 'running', last_code: 20, decision_to_admit_on: byName.admission.lastRttDate });

    // Work items in the intake's queues.
    const items = await rows<{ referral_id: string; type: string; queue_id: string; status: string; id: string }>(sql`
      select referral_id, type, queue_id, status, id from tasks where referral_id in (${inList(referrals.map((r) => r.id))})`);
    const itemOf = (name: string) => items.filter((t) => t.referral_id === referralOf[name].id).map((t) => [t.type, t.queue_id, t.status]);
    expect(itemOf('triage')).toEqual([['triage_referral', 'queue_100', 'open']]);
    expect(itemOf('twoWeekWait')).toEqual([['book_new_appointment', 'queue_2ww', 'open']]);
    expect(itemOf('bookedUrgent')).toEqual([['record_attendance', 'queue_100', 'open']]);
    expect(itemOf('followUp')).toEqual([['book_follow_up', 'queue_100', 'open']]);
    expect(itemOf('followUpBooked')).toEqual([['record_attendance', 'queue_100', 'open']]);
    expect(itemOf('admission')).toEqual([]);
    expect(itemOf('longWait')).toEqual([['book_new_appointment', 'queue_100', 'open']]); // no validation item for the 12-week point passed
    expect(itemOf('slotTaken')).toEqual([['book_new_appointment', 'queue_100', 'open']]);

    // Appointments hold their slots: the free slot found at that clinic and start, or one made for an off-template time.
    const appts = await rows<any>(sql`
      select a.id, a.referral_id, a.slot_id, a.kind, a.state, a.start, s.status as slot_status, s.start as slot_start, s."end" as slot_end
      from appointments a join slots s on s.id = a.slot_id where a.referral_id in (${inList(referrals.map((r) => r.id))})`);
    const apptOf = (name: string) => appts.find((a) => a.referral_id === referralOf[name].id);
    expect(apptOf('bookedUrgent')).toMatchObject({ slot_id: urgentSlot.id, kind: 'new', state: 'booked', slot_status: 'booked' });
    expect(apptOf('followUpBooked')).toMatchObject({ slot_id: followUpSlot.id, kind: 'follow_up', state: 'booked', slot_status: 'booked' });
    const offTemplateAppt = apptOf('bookedOffTemplate');
    expect(offTemplateAppt).toMatchObject({ kind: 'new', state: 'booked', slot_status: 'booked' });
    expect(new Date(offTemplateAppt.slot_start).toISOString()).toBe(offTemplate);
    expect(new Date(offTemplateAppt.slot_end).getTime() - Date.parse(offTemplate)).toBe(15 * 60_000);
    expect(apptOf('slotTaken')).toBeUndefined();

    // The workflows stand where the rows do, and their first task ran no activity.
    for (const name of Object.keys(byName)) {
      const handle = stack.env.client.workflow.getHandle(referralOf[name].workflow_id);
      const view = await handle.query<any>('pathway');
      const item = items.find((t) => t.referral_id === referralOf[name].id);
      expect(view, name).toMatchObject({ stage: referralOf[name].state, openTaskId: item?.id ?? null, appointmentId: apptOf(name)?.id ?? null });
      const history = await handle.fetchHistory();
      expect(history.events!.some((e) => e.activityTaskScheduledEventAttributes), name).toBe(false);
    }
  });

  it('fires no rung that was due before the import, and escalates tomorrow the rung due tomorrow', async () => {
    const escalations = () => rows<{ referral_id: string; type: string; level: string }>(sql`
      select referral_id, type, payload->>'level' as level from tasks where type in ('escalation_review', 'capacity_escalation')
        and referral_id in (${inList(Object.values(referralOf).map((r) => r.id))})`);
    await new Promise((r) => setTimeout(r, 500));
    expect(await escalations()).toEqual([]);

    await stack.sleepUntil(new Date(twoWeekWaitRung2 + HOUR).toISOString());
    const raised = await waitFor(escalations, (e) => e.length > 0);
    expect(raised).toEqual([{ referral_id: referralOf.twoWeekWait.id, type: 'capacity_escalation', level: '2' }]);
    if (process.env.RECORD_HISTORIES) {
      // An imported pathway that escalated after the import: replayed by tests/workflows/replay.test.ts.
      const handle = stack.env.client.workflow.getHandle(referralOf.twoWeekWait.workflow_id);
      writeFileSync('tests/workflows/histories/referral-pathway-imported-escalated.json', historyToJSON(await handle.fetchHistory()));
    }
  });

  it('changes nothing when the same rows are imported again', async () => {
    const before = await counts();
    const runs = await Promise.all(Object.values(referralOf).map((r) => runIdOf(r.workflow_id)));
    const again = await importPathways(ctx(), 'imp_test_2', Object.values(byName));
    expect(again).toEqual({ imported: 0, unchanged: 9 });
    expect(await counts()).toEqual(before);
    expect(await Promise.all(Object.values(referralOf).map((r) => runIdOf(r.workflow_id)))).toEqual(runs);
  });

  it('finishes a chunk whose rows were written but whose pathways were not started, each pathway once', async () => {
    const batch = [
      row({ stage: 'awaiting_triage' }),
      row({ stage: 'awaiting_first_appointment', priority: 'urgent' }),
      row({ stage: 'awaiting_admission', lastRttCode: 20, lastRttDate: addDays(stack.today(), -3) }),
    ];
    // Stopped between the write and the starts.
    const written = await writeImportRows(ctx(), 'imp_test_3', batch);
    expect(written.toStart).toHaveLength(3);
    const saved = await rows<{ id: string; workflow_id: string; pathway_started: boolean }>(sql`
      select id, workflow_id, pathway_started from referrals where import_id = 'imp_test_3'`);
    expect(saved.map((r) => r.pathway_started)).toEqual([false, false, false]);
    expect(await Promise.all(saved.map((r) => runIdOf(r.workflow_id)))).toEqual([null, null, null]);
    const before = await counts();

    // The next run (two at once, as a resumed import beside a retried one) finishes it: each pathway once.
    const [a, b] = await Promise.all([importPathways(ctx(), 'imp_test_4', batch), importPathways(ctx(), 'imp_test_5', batch)]);
    expect(a.imported + b.imported).toBe(3);
    expect(a.imported + a.unchanged).toBe(3);
    expect(b.imported + b.unchanged).toBe(3);
    expect(await counts()).toEqual(before);
    const after = await rows<{ pathway_started: boolean }>(sql`select pathway_started from referrals where import_id = 'imp_test_3'`);
    expect(after.map((r) => r.pathway_started)).toEqual([true, true, true]);
    for (const r of saved) {
      const history = await stack.env.client.workflow.getHandle(r.workflow_id).fetchHistory();
      expect(history.events!.filter((e) => e.workflowExecutionStartedEventAttributes)).toHaveLength(1);
      expect(history.events!.some((e) => e.activityTaskScheduledEventAttributes)).toBe(false);
    }
    const items = await rows<{ n: number }>(sql`select count(*)::int as n from tasks where referral_id in (${inList(saved.map((r) => r.id))})`);
    expect(items[0].n).toBe(2); // triage and booking items; none for the admission

    expect(await importPathways(ctx(), 'imp_test_6', batch)).toEqual({ imported: 0, unchanged: 3 });
  });
});
