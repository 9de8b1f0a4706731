// Cancelling or reducing a clinic session (issue 10), on real Postgres and a Temporal dev server: the preview
// changes nothing; a 40-patient session cancelled while 20 officers book the same free slots by hand leaves
// nobody double booked, everyone moved or on the Rebooking queue in priority order, no RTT clock moved and one
// capacity escalation; a reduction, short notice, a proposed change, and the refusals.
import { writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { londonToday } from '../../bin/lib/system';
import { queryRows } from '../../db/client';
import { newId } from '../../db/ids';
import { clinicSessionChanges, queueMembers, staff } from '../../db/schema';
import { addDays, nextWorkingDay, slotSuits, type ReferralPriority, type SlotType } from '../../domain';
import { referralAwaitingBooking } from '../support/fixtures';
import {
  addSessionSpecialty, addSlots as addSlotsIn, bookedPatient as bookedPatientIn, bookedSession, dailySlots as dailySlotsIn, inLanes,
  OTHER_CLINIC, OTHER_CLINIC_NAME, SESSION_CLINIC, SESSION_CLINIC_NAME, SESSION_SPECIALTY as SPECIALTY,
} from '../support/clinic-sessions';
import { startTestStack, type TestStack } from '../support/stack';
import { refusal } from '../support/api';
import { createApp } from '../../api/app';
import { silentLogger } from '../../api/log';
import { startPendingSessionChanges } from '../../api/session-change-start';

let stack: TestStack;
let officer: AccessDeskClient;
let leader: AccessDeskClient;
let clinician: AccessDeskClient;
const today = londonToday();

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const ids = (list: readonly string[]) => sql.join(list.map((id) => sql`${id}`), sql`, `);

const OFFICERS = 20;
const as = () => ({ officer, clinician, leader });
const addSlots = (clinicId: string, date: string, time: string, type: SlotType, count: number, minutes?: number) =>
  addSlotsIn(stack.db.db, clinicId, date, time, type, count, minutes);
const dailySlots = (clinicId: string, from: string, count: number, type: SlotType) => dailySlotsIn(stack.db.db, clinicId, from, count, type);
const bookedPatient = (priority: ReferralPriority, receivedAt: string, clinicId: string, slotId: string) =>
  bookedPatientIn(stack.db.db, as(), priority, receivedAt, clinicId, slotId);

async function finished(changeId: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const change = await leader.get(`/api/clinic-sessions/changes/${changeId}`);
    if (change.status === 'completed') return change;
    if (Date.now() > deadline) throw new Error(`session change ${changeId} still ${change.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  await addSessionSpecialty(stack.db.db);
  [officer, leader, clinician] = await Promise.all(['officer', 'leader', 'clinician'].map((w) => stack.signIn(`${w}@demo.nhs.uk`)));
}, 300_000);
afterAll(async () => { await stack?.stop(); });

describe('refusals', () => {
  it('is for team leaders; names the field when the session or its slots are wrong; refuses a session with no slots', async () => {
    const date = addDays(today, 60);
    const [free] = await addSlots(SESSION_CLINIC, date, '14:00', 'new', 1);
    const base = { clinicId: SESSION_CLINIC, date, kind: 'cancel', reason: 'Consultant on study leave' };
    expect((await refusal(officer.post('/api/clinic-sessions/changes?preview=true', base))).status).toBe(403);
    const noSlots = await refusal(leader.post('/api/clinic-sessions/changes', { ...base, session: 'am' }));
    expect([noSlots.status, noSlots.body.code, Object.keys(noSlots.body.errors)]).toEqual([422, 'SESSION_HAS_NO_SLOTS', ['date']]);
    const reduceWithout = await refusal(leader.post('/api/clinic-sessions/changes', { ...base, kind: 'reduce' }));
    expect([reduceWithout.status, Object.keys(reduceWithout.body.errors)]).toEqual([400, ['slotIds']]);
    const [elsewhere] = await addSlots(OTHER_CLINIC, date, '14:00', 'new', 1);
    const notInSession = await refusal(leader.post('/api/clinic-sessions/changes', { ...base, kind: 'reduce', slotIds: [elsewhere] }));
    expect([notInSession.status, notInSession.body.errors.slotIds]).toEqual([400, `${elsewhere} is not a slot in use in this session`]);
    const past = await refusal(leader.post('/api/clinic-sessions/changes', { ...base, date: addDays(today, -1) }));
    expect([past.status, Object.keys(past.body.errors)]).toEqual([400, ['date']]);
    const clinic = await refusal(leader.post('/api/clinic-sessions/changes', { ...base, clinicId: 'clin_nope' }));
    expect([clinic.status, Object.keys(clinic.body.errors)]).toEqual([400, ['clinicId']]);
    const reason = await refusal(leader.post('/api/clinic-sessions/changes', { ...base, reason: 'x' }));
    expect(Object.keys(reason.body.errors)).toEqual(['reason']);
    // Nothing was changed by any of them.
    expect((await rows(sql`select status from slots where id in (${ids([free, elsewhere])})`)).map((s) => s.status)).toEqual(['free', 'free']);
    expect(await rows(sql`select id from clinic_session_changes`)).toEqual([]);
  });
});

describe('a short-notice change', () => {
  it('needs a team leader to confirm it inside the 6-week notice period, and is recorded as within notice', async () => {
    const date = nextWorkingDay(addDays(today, 10));
    const free = await addSlots(SESSION_CLINIC, date, '09:00', 'new', 3);
    const body = { clinicId: SESSION_CLINIC, date, session: 'am', kind: 'cancel', reason: 'Consultant off sick' };
    const preview = await leader.post('/api/clinic-sessions/changes?preview=true', body);
    expect(preview).toMatchObject({ withinNotice: true, slotCount: 3, affected: [], summary: { affected: 0, wouldMove: 0, wouldWait: 0, atRisk: 0 } });
    const refused = await refusal(leader.post('/api/clinic-sessions/changes', body));
    expect([refused.status, refused.body.code, Object.keys(refused.body.errors)]).toEqual([422, 'SHORT_NOTICE_NEEDS_LEADER', ['confirmShortNotice']]);
    expect((await rows(sql`select status from slots where id in (${ids(free)})`)).every((s) => s.status === 'free')).toBe(true);
    const confirmed = await leader.request('POST', '/api/clinic-sessions/changes', { ...body, confirmShortNotice: true });
    expect(confirmed.status).toBe(202);
    expect(confirmed.body).toMatchObject({ status: 'running', withinNotice: true, kind: 'cancel', session: 'am', requestedByName: 'Leah Leader' });
    const done = await finished(confirmed.body.id);
    expect(done.summary).toEqual({ affected: 0, cancelled: 0, moved: 0, waitingForSlot: 0, atRisk: 0, skipped: 0, escalationTaskId: null });
    expect((await rows(sql`select status from slots where id in (${ids(free)})`)).every((s) => s.status === 'blocked')).toBe(true);
    const again = await refusal(leader.post('/api/clinic-sessions/changes', { ...body, confirmShortNotice: true }));
    expect(again.body.code).toBe('SESSION_HAS_NO_SLOTS'); // cancelled already: nothing left in use
  });
});

describe('cancelling a 40-patient session while 20 officers book by hand', () => {
  it('moves everyone or queues them, in priority order, with nobody double booked, no clock moved and one capacity escalation', async () => {
    const date = nextWorkingDay(addDays(today, 49));
    // The session: 4 two-week-wait, 8 urgent and 28 new slots booked, and 4 new slots still free.
    const { sessionSlots, patients } = await bookedSession(stack.db.db, as(), date, today, 40);
    const freeInSession = await addSlots(SESSION_CLINIC, date, '12:30', 'new', 4);
    // Elsewhere in the specialty: 3 two-week-wait slots (one patient too few), 8 urgent, 20 new slots from three weeks on
    // and 10 new slots from 100 days on.
    const w1 = nextWorkingDay(today);
    await addSlots(OTHER_CLINIC, nextWorkingDay(w1), '09:00', 'two_week_wait', 3, 20);
    await addSlots(OTHER_CLINIC, nextWorkingDay(nextWorkingDay(w1)), '09:00', 'urgent', 8, 20);
    await dailySlots(OTHER_CLINIC, addDays(today, 22), 20, 'new');
    await dailySlots(OTHER_CLINIC, addDays(today, 100), 10, 'new');

    const referralIds = patients.map((p) => p.referralId);

    // 20 officers, each with a patient of their own waiting to be booked into the other clinic: a third 2WW, a third
    // urgent, a third routine.
    const hash = (await rows<{ h: string }>(sql`select password_hash as h from staff where id = 'staff_officer'`))[0].h;
    const officerIds = Array.from({ length: OFFICERS }, (_, i) => `staff_bench_officer_${i}`);
    await stack.db.db.insert(staff).values(officerIds.map((id, i) => ({ id, email: `officer${i + 10}@demo.nhs.uk`, name: `Officer ${i + 10}`, role: 'officer' as const, passwordHash: hash })));
    await stack.db.db.insert(queueMembers).values(officerIds.flatMap((staffId) => [`queue_${SPECIALTY}`, 'queue_2ww'].map((queueId) => ({ queueId, staffId }))));
    const kinds = officerIds.map((_, i) => (['two_week_wait', 'urgent', 'routine'] as const)[i % 3]);
    const officers = await inLanes(4, officerIds.map((_, i) => () => stack.signIn(`officer${i + 10}@demo.nhs.uk`)));
    const byHand = await inLanes(6, kinds.map((priority) => () => referralAwaitingBooking(officer, clinician, { priority, specialty: SPECIALTY }, OTHER_CLINIC)));

    const snapshot = async () => ({
      slots: await rows(sql`select id, status from slots where clinic_id in (${SESSION_CLINIC}, ${OTHER_CLINIC}) order by id`),
      appointments: await rows(sql`select id, slot_id, state from appointments order by id`),
      changes: await rows(sql`select id from clinic_session_changes where session_date = ${date}`),
      audit: await rows(sql`select count(*)::int as n from audit_log where action like 'clinic_session.%' or entity_type in ('slot', 'appointment')`),
    });
    const clocks = () => rows(sql`select referral_id, rtt_status, clock_start::text, clock_stop::text, last_rtt_code, breach_date::text,
      (select count(*)::int from rtt_events e where e.referral_id = pw.referral_id) as events
      from pathways pw where referral_id in (${ids(referralIds)}) order by referral_id`);

    // The preview changes nothing.
    const body = { clinicId: SESSION_CLINIC, date, session: 'am', kind: 'cancel', reason: 'Consultant on annual leave' };
    const before = await snapshot();
    const preview = await leader.post('/api/clinic-sessions/changes?preview=true', body);
    expect(await snapshot()).toEqual(before);
    expect(preview).toMatchObject({ clinicId: SESSION_CLINIC, date, session: 'am', kind: 'cancel', slotCount: 44, withinNotice: false });
    expect(preview.affected).toHaveLength(40);
    expect(preview.affected.slice(0, 12).map((a: any) => a.priority)).toEqual([...Array(4).fill('two_week_wait'), ...Array(8).fill('urgent')]);
    expect(preview.affected[0]).toMatchObject({ position: 1, patientName: 'Ada Lovelace', offeredSlot: { clinicId: OTHER_CLINIC, clinicName: OTHER_CLINIC_NAME } });
    expect(preview.summary.affected).toBe(40);
    expect(preview.summary.wouldMove + preview.summary.wouldWait).toBe(40);
    const clocksBefore = await clocks();

    // Each officer goes for the slot the preview offers a patient of their kind, as the change comes to that patient
    // (half when the patient before is done, half one patient earlier): seven 2WW officers share the three 2WW slots.
    const slotTypeOf = { two_week_wait: 'two_week_wait', urgent: 'urgent', routine: 'new' } as const;
    const nth = (i: number) => kinds.slice(0, i).filter((k) => k === kinds[i]).length;
    const targets = kinds.map((k, i) => {
      const offered = preview.affected.filter((a: any) => a.offeredSlot && a.slotType === slotTypeOf[k]);
      const { position, offeredSlot } = offered[nth(i) % offered.length];
      return { position: position as number, slotId: offeredSlot.id as string };
    });
    // One watcher of the change's progress for all of them.
    let done = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        [{ done }] = await rows<{ done: number }>(sql`select count(*)::int as done from session_change_patients p
          join clinic_session_changes c on c.id = p.change_id where c.session_date = ${date} and p.done_at is not null`);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const reached = async (position: number) => { while (done < position - 1) await new Promise((r) => setTimeout(r, 2)); };
    const started = new Date();
    const [confirmed, ...handBookings] = await Promise.all([
      leader.request('POST', '/api/clinic-sessions/changes', body, { 'Idempotency-Key': 'cancel-session-40' }),
      ...officers.map(async (o, i) => {
        await reached(targets[i].position - (i % 2));
        return o.request('POST', `/api/tasks/${byHand[i].booking.id}/complete`, { slotId: targets[i].slotId }).then((r) => r.status, (e) => e.status as number);
      }),
    ]);
    watching = false;
    await watcher;
    expect(confirmed.status).toBe(202);
    expect(confirmed.body).toMatchObject({ status: 'running', kind: 'cancel', confirmedByName: 'Leah Leader' });
    expect(confirmed.body.patients.map((p: any) => p.position)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Each officer booked their slot or was told it had just been taken (seven officers go for three 2WW slots).
    expect(handBookings.every((s) => s === 200 || s === 409)).toBe(true);
    expect(handBookings.filter((s) => s === 409).length).toBeGreaterThanOrEqual(4);
    // The same request again (its answer lost) is the same change, not a second one.
    const replay = await leader.request('POST', '/api/clinic-sessions/changes', body, { 'Idempotency-Key': 'cancel-session-40' });
    expect(replay.body.id).toBe(confirmed.body.id);
    const change = await finished(confirmed.body.id);
    expect(await rows(sql`select id from clinic_session_changes where session_date = ${date}`)).toHaveLength(1);

    // Nobody double booked: no slot with two booked appointments, no patient with two.
    expect(await rows(sql`select slot_id from appointments where state = 'booked' group by slot_id having count(*) > 1`)).toEqual([]);
    expect(await rows(sql`select referral_id from appointments where state = 'booked' group by referral_id having count(*) > 1`)).toEqual([]);
    // The session is out of use.
    expect(await rows(sql`select id from slots where id in (${ids([...Object.values(sessionSlots).flat(), ...freeInSession])}) and status <> 'blocked'`)).toEqual([]);

    // Everyone is moved (old appointment cancelled by the hospital, booked elsewhere) or has an open rebook item.
    const outcomes = await rows<{
      referralId: string; position: number; priority: ReferralPriority; breachDate: string; outcome: string | null; atRisk: boolean; oldState: string;
      oldType: SlotType; newStart: string | null; newSlotId: string | null; newType: SlotType | null; newState: string | null; rebookOpen: number;
    }>(sql`
      select p.referral_id as "referralId", p.position, p.priority, p.breach_date::text as "breachDate", p.outcome, p.at_risk as "atRisk",
        old.state as "oldState", os.type as "oldType", na.start::text as "newStart", p.new_slot_id as "newSlotId", ns.type as "newType",
        na.state as "newState",
        (select count(*)::int from tasks t where t.referral_id = p.referral_id and t.type = 'rebook_appointment' and t.status in ('open', 'claimed')) as "rebookOpen"
      from session_change_patients p join appointments old on old.id = p.appointment_id join slots os on os.id = old.slot_id
        left join appointments na on na.id = p.new_appointment_id left join slots ns on ns.id = p.new_slot_id
      where p.change_id = ${change.id} order by p.position`);
    expect(outcomes).toHaveLength(40);
    for (const o of outcomes) {
      expect(o.oldState).toBe('cancelled_by_hospital');
      if (o.outcome === 'moved') expect([o.newState, o.newType]).toEqual(['booked', o.oldType]);
      else expect([o.outcome, o.rebookOpen]).toEqual(['waiting_for_slot', 1]);
    }
    // In priority order: a more pressing patient never got a later slot of the same type than a less pressing one,
    // unless that slot did not suit them (notice, breach date).
    const moved = outcomes.filter((o) => o.outcome === 'moved');
    for (const [i, a] of moved.entries()) {
      for (const b of moved.slice(i + 1)) {
        if (a.oldType !== b.oldType || Date.parse(a.newStart!) <= Date.parse(b.newStart!)) continue;
        const bSlot = { id: b.newSlotId!, start: new Date(b.newStart!).toISOString(), clinicId: OTHER_CLINIC, type: b.newType! };
        expect(slotSuits({ priority: a.priority, breachDate: a.breachDate, slotType: a.oldType }, bSlot, today), `${a.position} before ${b.position}`).toBe(false);
      }
    }
    // Moved patients are in the slots the officers did not get first; nobody moved past their breach date.
    const officersBooked = await rows<{ slotId: string }>(sql`select slot_id as "slotId" from appointments where referral_id in (${ids(byHand.map((b) => b.referral.id))}) and state = 'booked'`);
    expect(officersBooked).toHaveLength(handBookings.filter((s) => s === 200).length);
    expect(moved.every((m) => !officersBooked.some((o) => o.slotId === m.newSlotId))).toBe(true);
    expect(moved.every((m) => new Date(m.newStart!).toISOString().slice(0, 10) <= m.breachDate)).toBe(true);

    // No RTT clock moved; each patient was told of the change.
    expect(await clocks()).toEqual(clocksBefore);
    const told = await rows<{ referralId: string; kinds: string[] }>(sql`select referral_id as "referralId", array_agg(distinct template::text) as kinds
      from communications where referral_id in (${ids(referralIds)}) and created_at >= ${started.toISOString()} and template <> 'appointment_reminder'
      group by referral_id`);
    const toldOf = new Map(told.map((t) => [t.referralId, t.kinds]));
    for (const o of outcomes) expect(toldOf.get(o.referralId), o.referralId).toEqual([o.outcome === 'moved' ? 'appointment_changed' : 'appointment_cancelled']);

    // The summary adds up, and one capacity escalation lists who is at risk.
    const s = change.summary;
    expect(s.affected).toBe(40);
    expect(s.moved + s.waitingForSlot + s.skipped).toBe(40);
    expect(s.cancelled).toBe(s.moved + s.waitingForSlot);
    expect(s.moved).toBe(moved.length);
    const atRisk = outcomes.filter((o) => o.atRisk);
    expect(s.atRisk).toBe(atRisk.length);
    expect(atRisk.length).toBeGreaterThan(0); // one 2WW patient has no 2WW slot before their breach
    const escalations = await rows(sql`select id, queue_id, title, payload from tasks where type = 'capacity_escalation' and workflow_id = ${`session-change-${change.id}`}`);
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({ id: s.escalationTaskId, queue_id: 'queue_capacity', payload: { count: atRisk.length, referralIds: atRisk.map((o) => o.referralId) } });
    expect(escalations[0].title).toContain('cannot be rebooked before their breach date');
    // Moved within the specialty (another clinic, or this one on another day), and the change's answer says where.
    expect(change.patients.filter((p: any) => p.outcome === 'moved').every((p: any) => p.newStart && [OTHER_CLINIC_NAME, SESSION_CLINIC_NAME].includes(p.newClinicName))).toBe(true);

    // One audited action: requested, then changed with its summary; between them, any slot an officer took first.
    const audit = await rows(sql`select action, after from audit_log where entity_id = ${change.id} and action <> 'clinic_session.slot_missed' order by id`);
    expect(audit.map((a) => a.action)).toEqual(['clinic_session.change_requested', 'clinic_session.changed']);
    const missed = await rows<{ slotId: string }>(sql`select after->>'slotId' as "slotId" from audit_log where entity_id = ${change.id} and action = 'clinic_session.slot_missed'`);
    expect(missed.every((m) => officersBooked.some((o) => o.slotId === m.slotId))).toBe(true);
    expect(audit[1].after.summary).toMatchObject({ affected: 40, moved: s.moved, waitingForSlot: s.waitingForSlot, atRisk: s.atRisk });
    const listed = await leader.list('clinic-sessions/changes', { filter: { clinicId: SESSION_CLINIC, status: 'completed' } });
    expect(listed.map((c: any) => c.id)).toContain(change.id);
    expect(listed[0]).not.toHaveProperty('patients');
  }, 600_000);
});

describe('reducing a session and confirming a proposed change', () => {
  it('takes out only the chosen slots; moves the patient booked there; no escalation when nobody is at risk', async () => {
    const date = nextWorkingDay(addDays(today, 63));
    const session = await addSlots(SESSION_CLINIC, date, '14:00', 'new', 4);
    const [kept, moving] = await Promise.all([
      bookedPatient('routine', addDays(today, -1), SESSION_CLINIC, session[0]),
      bookedPatient('routine', addDays(today, -1), SESSION_CLINIC, session[1]),
    ]);
    await dailySlots(OTHER_CLINIC, addDays(today, 110), 2, 'new');
    const body = { clinicId: SESSION_CLINIC, date, session: 'pm', kind: 'reduce', slotIds: [session[1], session[2]], reason: 'Clinic finishes early for training' };
    const confirmed = await leader.request('POST', '/api/clinic-sessions/changes', body);
    expect(confirmed.status).toBe(202);
    const done = await finished(confirmed.body.id);
    expect(done.summary).toMatchObject({ affected: 1, cancelled: 1, moved: 1, waitingForSlot: 0, atRisk: 0, escalationTaskId: null });
    expect(done.patients).toEqual([expect.objectContaining({ referralId: moving.referralId, outcome: 'moved', atRisk: false, newClinicName: expect.stringMatching(/^Oral Surgery – /) })]);
    const statuses = await rows<{ id: string; status: string }>(sql`select id, status from slots where id in (${ids(session)})`);
    const status = Object.fromEntries(statuses.map((r) => [r.id, r.status]));
    expect(session.map((id) => status[id])).toEqual(['booked', 'blocked', 'blocked', 'free']);
    const [moved] = await rows(sql`select s.status, a.state from session_change_patients p join appointments a on a.id = p.new_appointment_id
      join slots s on s.id = a.slot_id where p.change_id = ${done.id}`);
    expect(moved).toEqual({ status: 'booked', state: 'booked' });
    const [untouched] = await rows(sql`select state from appointments where id = ${kept.appointmentId}`);
    expect(untouched.state).toBe('booked');
    expect(await rows(sql`select id from tasks where type = 'capacity_escalation' and workflow_id = ${`session-change-${done.id}`}`)).toEqual([]);
    await recordHistory(`session-change-${done.id}`, 'clinic-session-change-reduce-moved');
  }, 300_000);

  it('tries the next slot when the one it chose is taken by hand at that moment, and records the miss', async () => {
    const date = nextWorkingDay(addDays(today, 77));
    const [booked] = await addSlots(SESSION_CLINIC, date, '09:00', 'urgent', 1);
    const patient = await bookedPatient('urgent', today, SESSION_CLINIC, booked);
    // Two urgent slots elsewhere, earlier than any other free urgent slot of the specialty: the change chooses the first.
    const tomorrow = nextWorkingDay(today);
    const [first, second] = await addSlots(OTHER_CLINIC, tomorrow, '07:00', 'urgent', 2, 10);
    let changeId = '';
    // An officer's booking of the first slot, in flight: its row is locked and marked booked but not yet committed, so
    // the change still reads it free; the change's booking waits on the lock, and finds it taken once this commits.
    await stack.db.db.transaction(async (tx) => {
      await tx.execute(sql`update slots set status = 'booked' where id = ${first}`);
      const confirmed = await leader.request('POST', '/api/clinic-sessions/changes', {
        clinicId: SESSION_CLINIC, date, kind: 'cancel', reason: 'Theatre list moved', confirmShortNotice: true,
      });
      changeId = confirmed.body.id;
      for (let waited = 0; ; waited += 20) {
        const [{ n }] = await rows<{ n: number }>(sql`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`);
        if (n > 0) break;
        if (waited > 60_000) throw new Error('the change never waited for the slot');
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    const done = await finished(changeId);
    expect(done.patients).toEqual([expect.objectContaining({ referralId: patient.referralId, outcome: 'moved' })]);
    const [moved] = await rows(sql`select new_slot_id as "slotId" from session_change_patients where change_id = ${changeId}`);
    expect(moved.slotId).toBe(second);
    const missed = await rows(sql`select after from audit_log where entity_id = ${changeId} and action = 'clinic_session.slot_missed'`);
    expect(missed.map((m) => m.after)).toEqual([{ appointmentId: patient.appointmentId, slotId: first, code: 'SLOT_TAKEN' }]);
    await recordHistory(`session-change-${changeId}`, 'clinic-session-change-slot-missed');
  }, 180_000);

/** With RECORD_HISTORIES=1, keeps the change's history for tests/workflows/replay.test.ts. */
async function recordHistory(workflowId: string, name: string) {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await stack.env.client.workflow.getHandle(workflowId).fetchHistory();
  writeFileSync(`tests/workflows/histories/${name}.json`, historyToJSON(history));
}

  it('confirms a change a template change proposed, once, and moves the patient booked in its slot', async () => {
    const date = nextWorkingDay(addDays(today, 70));
    const [slotId] = await addSlots(SESSION_CLINIC, date, '09:00', 'new', 1);
    const patient = await bookedPatient('routine', today, SESSION_CLINIC, slotId);
    const id = newId('chg');
    // As a template change's reconciliation leaves it: a reduction of the booked slots the new template no longer has.
    await stack.db.db.insert(clinicSessionChanges).values({
      id, clinicId: SESSION_CLINIC, sessionDate: date, session: 'am', kind: 'reduce', slotIds: [slotId], reason: 'New template from March', status: 'proposed',
    });
    const confirmed = await leader.request('POST', `/api/clinic-sessions/changes/${id}/confirm`, {});
    expect([confirmed.status, confirmed.body.status, confirmed.body.confirmedByName, confirmed.body.withinNotice]).toEqual([202, 'running', 'Leah Leader', false]);
    const again = await refusal(leader.post(`/api/clinic-sessions/changes/${id}/confirm`, {}));
    expect([again.status, again.body.code]).toEqual([409, 'SESSION_CHANGE_STARTED']);
    const done = await finished(id);
    expect(done.patients).toEqual([expect.objectContaining({ referralId: patient.referralId, outcome: 'moved' })]);
    expect(done.summary).toMatchObject({ affected: 1, moved: 1 });
    expect((await rows(sql`select status from slots where id = ${slotId}`))[0].status).toBe('blocked');
    expect((await refusal(leader.post('/api/clinic-sessions/changes/chg_nope/confirm', {}))).status).toBe(404);
  }, 120_000);
});

describe('confirmed while Temporal is away', () => {
  it('answers 503 with the change saved and its slots blocked; the sweeper starts rebooking once Temporal answers', async () => {
    const date = nextWorkingDay(addDays(today, 84));
    const [booked, free] = await addSlots(SESSION_CLINIC, date, '09:00', 'new', 2);
    const patient = await bookedPatient('routine', addDays(today, -2), SESSION_CLINIC, booked);
    await dailySlots(OTHER_CLINIC, addDays(today, 115), 1, 'new');
    // The same database and sign-ins, but a Temporal that cannot be reached.
    const away = createApp({ db: stack.db.db, temporal: { client: {} as never, taskQueue: stack.taskQueue }, logger: silentLogger, today: () => today });
    const res = await away.fetch(new Request('http://app.test/api/clinic-sessions/changes', {
      method: 'POST', headers: { cookie: leader.sessionCookie, origin: 'http://app.test', 'content-type': 'application/json' },
      body: JSON.stringify({ clinicId: SESSION_CLINIC, date, kind: 'cancel', reason: 'Consultant on a course' }),
    }));
    expect(res.status).toBe(503);
    const [change] = await rows<{ id: string; status: string }>(sql`select id, status from clinic_session_changes
      where clinic_id = ${SESSION_CLINIC} and session_date = ${date}`);
    expect(change.status).toBe('running');
    expect((await rows(sql`select status from slots where id = ${free}`))[0].status).toBe('blocked');

    expect(await startPendingSessionChanges(stack.db.db, { client: stack.env.client, taskQueue: stack.taskQueue }, 0)).toBeGreaterThanOrEqual(1);
    const done = await finished(change.id);
    expect(done.patients).toEqual([expect.objectContaining({ referralId: patient.referralId, outcome: 'moved' })]);
    // A second sweep starts nothing again: the change is completed.
    await startPendingSessionChanges(stack.db.db, { client: stack.env.client, taskQueue: stack.taskQueue }, 0);
    expect((await leader.get(`/api/clinic-sessions/changes/${change.id}`)).summary.moved).toBe(1);
  }, 300_000);
});
