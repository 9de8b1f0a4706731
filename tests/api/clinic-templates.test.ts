// Clinics and versioned templates on real Postgres and a real Temporal dev server: a template change moves
// free slots to the new pattern at once, never touches a booked slot (it proposes a session reduction for a
// team leader instead), needs a leader's confirmation inside the notice period, and numbers versions once
// each however many leaders post at the same moment. The calendar's counts are the slots table's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays, londonDate, londonInstant, londonOffsetMs } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { londonToday } from '../../bin/lib/system';
import { queryRows } from '../../db/client';
import { reconcileClinic } from '../../db/slots';
import { startTestStack, type TestStack } from '../support/stack';
import { referralAwaitingBooking, referralBody } from '../support/fixtures';
import { refusal } from '../support/api';

let stack: TestStack;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
let leader: AccessDeskClient;
let admin: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  [officer, clinician, leader, admin] = await Promise.all(['officer', 'clinician', 'leader', 'admin'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const today = () => londonToday();
const horizon = () => addDays(today(), 182);
const weekdayOf = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
const londonHhmm = (iso: string) => { const ms = Date.parse(iso); return new Date(ms + londonOffsetMs(ms)).toISOString().slice(11, 16); };
/** The first date on or after `date` that falls on an ISO weekday. */
const nextWeekday = (date: string, weekday: number) => addDays(date, (weekday - weekdayOf(date) + 7) % 7);

type Session = { weekday: number; startTime: string; slotMinutes: number; slotType: string; slotCount: number };

/** What a template wants on [from, to), written out here from the template itself, London wall-clock times. */
function expectedSlots(sessions: Session[], from: string, to: string, notBefore = Date.now()) {
  const out: string[] = [];
  for (let d = from; d < to; d = addDays(d, 1)) {
    for (const s of sessions.filter((x) => x.weekday === weekdayOf(d))) {
      for (let i = 0; i < s.slotCount; i++) {
        const start = londonInstant(d, s.startTime) + i * s.slotMinutes * 60_000;
        if (start > notBefore) out.push(`${new Date(start).toISOString()} ${s.slotMinutes} ${s.slotType}`);
      }
    }
  }
  return out.sort();
}

async function slotsOf(clinicId: string, where = sql`true`) {
  return rows<{ id: string; start: string; minutes: number; type: string; status: string }>(sql`
    select id, to_char(start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as start, (extract(epoch from "end" - start) / 60)::int as minutes, type, status
    from slots where clinic_id = ${clinicId} and ${where} order by start`);
}

async function newClinic(slotTypes = ['new', 'follow_up'], name = 'Urology – Test') {
  return leader.post('/api/clinics', { name, specialtyCode: '101', clinicianName: 'Ms T Tester', site: 'Whiston Hospital', slotTypes });
}

const v1Sessions: Session[] = [
  { weekday: 1, startTime: '09:00', slotMinutes: 20, slotType: 'new', slotCount: 6 },
  { weekday: 3, startTime: '14:00', slotMinutes: 15, slotType: 'follow_up', slotCount: 8 },
];
// Half-hour new-patient slots on Mondays, the same follow-ups, and a new Thursday session.
const v2Sessions: Session[] = [
  { weekday: 1, startTime: '09:00', slotMinutes: 30, slotType: 'new', slotCount: 4 },
  { weekday: 3, startTime: '14:00', slotMinutes: 15, slotType: 'follow_up', slotCount: 8 },
  { weekday: 4, startTime: '10:00', slotMinutes: 20, slotType: 'new', slotCount: 3 },
];

describe('clinics', () => {
  it('are added and changed by team leaders, with the slot types they offer; a new clinic has no template yet', async () => {
    const { status, body: clinic } = await leader.request('POST', '/api/clinics',
      { name: 'Dermatology – Quinn (C)', specialtyCode: '330', clinicianName: 'Dr Q Quinn', site: 'Southport DGH', slotTypes: ['new', 'urgent'] });
    expect(status).toBe(201);
    expect(clinic).toMatchObject({ id: expect.stringMatching(/^clin_/), specialtyName: 'Dermatology', slotTypes: ['new', 'urgent'], active: true, currentVersion: null, template: [], freeSlots: 0 });
    expect(await officer.get(`/api/clinics/${clinic.id}/templates`)).toEqual([]);

    const changed = await admin.request('PUT', `/api/clinics/${clinic.id}`, { clinicianName: 'Dr R Quinn', slotTypes: ['new', 'urgent', 'follow_up'], active: false });
    expect(changed.body).toMatchObject({ clinicianName: 'Dr R Quinn', slotTypes: ['new', 'urgent', 'follow_up'], active: false });
    const [audit] = await rows(sql`select before, after from audit_log where action = 'clinic.changed' and entity_id = ${clinic.id}`);
    expect(audit).toMatchObject({ before: { clinicianName: 'Dr Q Quinn', active: true }, after: { clinicianName: 'Dr R Quinn', active: false } });
  });

  it('refuses an unknown specialty, an empty slot type list, an officer, and dropping a slot type the template uses', async () => {
    const unknown = await refusal(leader.post('/api/clinics', { name: 'X', specialtyCode: '999', clinicianName: 'Dr X', site: 'Ormskirk DGH', slotTypes: ['new'] }));
    expect([unknown.status, unknown.body.code, Object.keys(unknown.body.errors)]).toEqual([400, 'VALIDATION_FAILED', ['specialtyCode']]);
    const none = await refusal(leader.post('/api/clinics', { name: 'X', specialtyCode: '101', clinicianName: 'Dr X', site: 'Ormskirk DGH', slotTypes: [] }));
    expect([none.status, Object.keys(none.body.errors)]).toEqual([400, ['slotTypes']]);
    const long = await refusal(leader.post('/api/clinics', { name: 'X'.repeat(201), specialtyCode: '101', clinicianName: 'Dr X', site: 'Ormskirk DGH', slotTypes: ['new'] }));
    expect(long.body.errors).toEqual({ name: 'at most 200 characters' });
    expect((await refusal(officer.post('/api/clinics', { name: 'X', specialtyCode: '101', clinicianName: 'Dr X', site: 'Ormskirk DGH', slotTypes: ['new'] }))).status).toBe(403);

    // clin_2's demo template uses all four types.
    const dropped = await refusal(leader.request('PUT', '/api/clinics/clin_2', { slotTypes: ['new', 'follow_up', 'urgent'] }));
    expect([dropped.status, dropped.body.code, Object.keys(dropped.body.errors)]).toEqual([422, 'RULE_REFUSED', ['slotTypes']]);
    expect(dropped.body.errors.slotTypes).toMatch(/two week wait/);
    expect((await refusal(leader.request('PUT', '/api/clinics/clin_nobody', { site: 'X' }))).status).toBe(404);
  });

  it('list the slot types, active flag and current template version', async () => {
    const [clin2] = await officer.list('clinics', { filter: { id: 'clin_2' } });
    expect(clin2).toMatchObject({ slotTypes: ['new', 'follow_up', 'urgent', 'two_week_wait'], active: true, currentVersion: 1 });
    expect(clin2.template).toHaveLength(4);
  });
});

describe('a template change', () => {
  it('moves free slots to the new pattern, never touches a booked slot, and proposes a session reduction for it', async () => {
    const clinic = await newClinic();
    const first = await leader.request('POST', `/api/clinics/${clinic.id}/templates`, { effectiveFrom: today(), sessions: v1Sessions, confirmShortNotice: true });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ version: 1, effectiveFrom: today(), effectiveTo: null, current: true, withinNotice: true, confirmedByName: 'Leah Leader' });
    const v1Slots = await slotsOf(clinic.id);
    expect(first.body.reconciliation).toEqual({ slotsAdded: v1Slots.length, slotsUpdated: 0, slotsRemoved: 0, bookedSlotsKept: 0, proposedChangeIds: [] });
    expect(v1Slots.map((s) => `${s.start} ${s.minutes} ${s.type}`)).toEqual(expectedSlots(v1Sessions, today(), horizon()));

    // Book the 09:20 new-patient slot of a Monday seven weeks or more away, through the API.
    const monday = nextWeekday(addDays(today(), 50), 1);
    const booked = v1Slots.find((s) => londonDate(Date.parse(s.start)) === monday && londonHhmm(s.start) === '09:20')!;
    const { referral, booking } = await referralAwaitingBooking(officer, clinician, {}, clinic.id);
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: booked.id });
    const [appointment] = await rows(sql`select id, state, slot_id from appointments where referral_id = ${referral.id}`);
    expect(appointment).toMatchObject({ state: 'booked', slot_id: booked.id });

    // Version 2 from a date outside the notice period, before that Monday.
    const effectiveFrom = addDays(today(), 45);
    expect(effectiveFrom < monday).toBe(true);
    const before = await slotsOf(clinic.id);
    const second = await leader.request('POST', `/api/clinics/${clinic.id}/templates`, { effectiveFrom, sessions: v2Sessions });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ version: 2, effectiveFrom, effectiveTo: null, current: false, withinNotice: false, confirmedByName: null, createdByName: 'Leah Leader' });
    expect(second.body.sessions).toEqual(v2Sessions);

    // The booked slot and its appointment are exactly as they were.
    const after = await slotsOf(clinic.id);
    expect(after.find((s) => s.id === booked.id)).toEqual({ ...booked, status: 'booked' });
    expect((await rows(sql`select state, slot_id from appointments where id = ${appointment.id}`))[0]).toEqual({ state: 'booked', slot_id: booked.id });

    // Before the effective date nothing moved; from it, the free slots are version 2's, except the two that
    // would overlap the kept booking (09:00–09:30 and 09:30–10:00 on that Monday).
    const from = londonInstant(effectiveFrom, '00:00');
    const key = (s: { start: string; minutes: number; type: string }) => `${s.start} ${s.minutes} ${s.type}`;
    expect(after.filter((s) => Date.parse(s.start) < from).map(key)).toEqual(before.filter((s) => Date.parse(s.start) < from).map(key));
    const withheld = ['09:00', '09:30'].map((t) => `${new Date(londonInstant(monday, t)).toISOString()} 30 new`);
    expect(after.filter((s) => Date.parse(s.start) >= from && s.status === 'free').map(key))
      .toEqual(expectedSlots(v2Sessions, effectiveFrom, horizon()).filter((k) => !withheld.includes(k)));

    // One proposed reduction, for that Monday morning, naming the version.
    const changes = await rows(sql`select id, session_date::text as date, session, kind, status, slot_ids, template_version_id, reason, within_notice
      from clinic_session_changes where clinic_id = ${clinic.id}`);
    expect(changes).toEqual([{
      id: second.body.reconciliation.proposedChangeIds[0], date: monday, session: 'am', kind: 'reduce', status: 'proposed', slot_ids: [booked.id],
      template_version_id: second.body.id, reason: `Template version 2 from ${effectiveFrom} removes booked slots`, within_notice: false,
    }]);

    // The counts say what happened to the table.
    const r = second.body.reconciliation;
    expect(r.bookedSlotsKept).toBe(1);
    expect(r.proposedChangeIds).toHaveLength(1);
    const beforeIds = new Set(before.map((s) => s.id));
    const afterIds = new Set(after.map((s) => s.id));
    expect(r.slotsAdded).toBe(after.filter((s) => !beforeIds.has(s.id)).length);
    expect(r.slotsRemoved).toBe(before.filter((s) => !afterIds.has(s.id)).length);
    expect(r.slotsUpdated).toBe(after.filter((s) => beforeIds.has(s.id) && key(s) !== key(before.find((b) => b.id === s.id)!)).length);
    expect(r.slotsUpdated).toBeGreaterThan(0); // Mondays' 09:00 and 10:00 grew from 20 to 30 minutes in place

    // Reconciling again (as the nightly Schedule does) changes nothing and proposes nothing twice.
    const again = await reconcileClinic(stack.db.db, { clinicId: clinic.id, from: today(), to: horizon(), actorId: null });
    expect(again).toEqual({ slotsAdded: 0, slotsUpdated: 0, slotsRemoved: 0, bookedSlotsKept: 1, proposedChangeIds: [] });
    expect(await slotsOf(clinic.id)).toEqual(after);
    expect((await rows(sql`select count(*)::int as n from clinic_session_changes where clinic_id = ${clinic.id}`))[0].n).toBe(1);

    // Versions newest first; the first ends the day before the second starts.
    const versions = await officer.get(`/api/clinics/${clinic.id}/templates`);
    expect(versions.map((v: any) => [v.version, v.effectiveFrom, v.effectiveTo, v.current])).toEqual([
      [2, effectiveFrom, null, false], [1, today(), addDays(effectiveFrom, -1), true],
    ]);
    expect(versions[0].reconciliation).toEqual(r);
    expect(versions[1].sessions).toEqual(v1Sessions);

    // Once the reduction has moved the patient (the appointment cancelled by the hospital, its slot blocked, the
    // change completed, as the session change workflow leaves them), the next run makes the two slots that waited.
    await rows(sql`update appointments set state = 'cancelled_by_hospital', cancelled_by = 'hospital', cancelled_at = now() where id = ${appointment.id}`);
    await rows(sql`update slots set status = 'blocked' where id = ${booked.id}`);
    await rows(sql`update clinic_session_changes set status = 'completed', completed_at = now() where id = ${changes[0].id}`);
    const later = await reconcileClinic(stack.db.db, { clinicId: clinic.id, from: today(), to: horizon(), actorId: null });
    expect(later).toEqual({ slotsAdded: 2, slotsUpdated: 0, slotsRemoved: 0, bookedSlotsKept: 0, proposedChangeIds: [] });
    const monday2 = (await slotsOf(clinic.id, sql`(start at time zone 'Europe/London')::date = ${monday}::date`)).map((s) => `${londonHhmm(s.start)} ${s.minutes} ${s.status}`);
    expect(monday2).toEqual(['09:00 30 free', '09:20 20 blocked', '09:30 30 free', '10:00 30 free', '10:30 30 free']);
  });

  it('leaves a cancelled session without slots, and the time a leader took out of a session out, whatever the template says', async () => {
    const clinic = await newClinic();
    await leader.post(`/api/clinics/${clinic.id}/templates`, { effectiveFrom: today(), sessions: v1Sessions, confirmShortNotice: true });
    const monday = nextWeekday(addDays(today(), 60), 1);
    const wednesday = addDays(monday, 2);
    // A leader cancelled that Monday morning and took the 14:15 and 14:30 follow-ups out of the Wednesday (the
    // session change blocks a session's free slots as it starts).
    const mondaySlots = await slotsOf(clinic.id, sql`(start at time zone 'Europe/London')::date = ${monday}::date`);
    const takenOut = (await slotsOf(clinic.id, sql`(start at time zone 'Europe/London')::date = ${wednesday}::date`))
      .filter((s) => ['14:15', '14:30'].includes(londonHhmm(s.start)));
    await rows(sql`update slots set status = 'blocked' where id in (select jsonb_array_elements_text(${JSON.stringify([...mondaySlots, ...takenOut].map((s) => s.id))}::jsonb))`);
    await rows(sql`insert into clinic_session_changes (id, clinic_id, session_date, session, kind, slot_ids, reason, status) values
      ('chg_test_cancel', ${clinic.id}, ${monday}, 'am', 'cancel', ${JSON.stringify(mondaySlots.map((s) => s.id))}::jsonb, 'Consultant on leave', 'completed'),
      ('chg_test_reduce', ${clinic.id}, ${wednesday}, 'pm', 'reduce', ${JSON.stringify(takenOut.map((s) => s.id))}::jsonb, 'Consultant leaves early', 'completed')`);

    // A new template from before then: Monday slots of half an hour, Wednesday follow-ups of 20 minutes.
    await leader.post(`/api/clinics/${clinic.id}/templates`, { effectiveFrom: addDays(today(), 50), sessions: [
      { weekday: 1, startTime: '09:00', slotMinutes: 30, slotType: 'new', slotCount: 4 },
      { weekday: 3, startTime: '14:00', slotMinutes: 20, slotType: 'follow_up', slotCount: 6 },
    ] });
    const shown = async (date: string) => (await slotsOf(clinic.id, sql`(start at time zone 'Europe/London')::date = ${date}::date`))
      .map((s) => `${londonHhmm(s.start)} ${s.minutes} ${s.status}`);
    expect(await shown(monday)).toEqual(mondaySlots.map((s) => `${londonHhmm(s.start)} 20 blocked`));
    // 14:15–14:45 stays out: the 20-minute slots from 14:00, 14:20 and 14:40 would overlap it; from 15:00 the new ones.
    expect(await shown(wednesday)).toEqual(['14:15 15 blocked', '14:30 15 blocked', '15:00 20 free', '15:20 20 free', '15:40 20 free']);
    // The Monday and Wednesday after are the new template's in full.
    expect(await shown(addDays(monday, 7))).toEqual(['09:00 30 free', '09:30 30 free', '10:00 30 free', '10:30 30 free']);
    expect(await shown(addDays(wednesday, 7))).toEqual(['14:00 20 free', '14:20 20 free', '14:40 20 free', '15:00 20 free', '15:20 20 free', '15:40 20 free']);
  });

  it('reconciled while officers book the slots it drops: no booking is lost, and every booked slot it drops is proposed', async () => {
    const clinic = await newClinic();
    await leader.post(`/api/clinics/${clinic.id}/templates`, { effectiveFrom: today(), sessions: v1Sessions, confirmShortNotice: true });
    const effectiveFrom = addDays(today(), 45);
    // Six slots version 2 will not have (20-minute starts off the half hour), on Mondays from day 50.
    const dropped = (await slotsOf(clinic.id, sql`type = 'new' and start >= ${new Date(londonInstant(addDays(today(), 50), '00:00')).toISOString()}::timestamptz`))
      .filter((s) => !['09:00', '10:00'].includes(londonHhmm(s.start))).slice(0, 6);
    const items = await Promise.all(dropped.map(() => referralAwaitingBooking(officer, clinician, {}, clinic.id)));

    // Staggered, so some bookings land before the reconciliation, some during and some after.
    const after = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const [template, ...bookings] = await Promise.all([
      after(150).then(() => leader.request('POST', `/api/clinics/${clinic.id}/templates`, { effectiveFrom, sessions: v2Sessions })),
      ...items.map(({ booking }, i) => after(i * 60)
        .then(() => officer.request('POST', `/api/tasks/${booking.id}/complete`, { slotId: dropped[i].id })).catch((err) => err)),
    ]);
    expect(template.status).toBe(201);
    const booked = bookings.filter((b) => b.status === 200).length;
    // A booking that lost the race was refused naming the slot (taken from under it, or gone), and its work item is still open.
    for (const [i, b] of bookings.entries()) {
      if (b.status === 200) continue;
      expect(['SLOT_TAKEN', 'SLOT_NOT_FOUND', 'VALIDATION_FAILED']).toContain(b.body.code);
      expect(Object.keys(b.body.errors)).toEqual(['slotId']);
      expect((await officer.get(`/api/tasks/${items[i].booking.id}`)).status).toBe('open');
    }
    // Every appointment made is on a slot that exists and is booked; every booked slot version 2 drops is held by a proposed change.
    const appointments = await rows<{ slot_id: string; status: string | null }>(sql`
      select a.slot_id, s.status from appointments a left join slots s on s.id = a.slot_id where a.clinic_id = ${clinic.id} and a.state = 'booked'`);
    expect(appointments).toHaveLength(booked);
    expect(appointments.every((a) => a.status === 'booked')).toBe(true);
    const proposed = await rows<{ slot_ids: string[] }>(sql`select slot_ids from clinic_session_changes where clinic_id = ${clinic.id} and status = 'proposed'`);
    expect(proposed.flatMap((p) => p.slot_ids).sort()).toEqual(appointments.map((a) => a.slot_id).sort());
    // And the free slots from the effective date are version 2's wherever no booking is in the way.
    const free = await slotsOf(clinic.id, sql`status = 'free' and start >= ${new Date(londonInstant(effectiveFrom, '00:00')).toISOString()}::timestamptz`);
    const wanted = new Set(expectedSlots(v2Sessions, effectiveFrom, horizon()));
    expect(free.every((s) => wanted.has(`${s.start} ${s.minutes} ${s.type}`))).toBe(true);
  });

  it('blocks, rather than deletes, a free slot an old appointment still names', async () => {
    const clinic = await newClinic();
    await leader.post(`/api/clinics/${clinic.id}/templates`, { effectiveFrom: today(), sessions: v1Sessions, confirmShortNotice: true });
    const wednesday = nextWeekday(addDays(today(), 60), 3);
    const [slot] = await slotsOf(clinic.id, sql`(start at time zone 'Europe/London')::date = ${wednesday}::date`);
    // An offer made to a patient names it (as would an old appointment, cancelled and the slot freed).
    const referral = await officer.post('/api/referrals', referralBody());
    await rows(sql`insert into offers (id, referral_id, slot_id, offered_date, offered_on, channel, reasonable, notice_days, status)
      values ('offer_test_block', ${referral.id}, ${slot.id}, ${wednesday}, ${today()}, 'phone', true, 60, 'declined')`);

    const res = await leader.post(`/api/clinics/${clinic.id}/templates`, { effectiveFrom: addDays(today(), 50), sessions: v1Sessions.filter((s) => s.weekday === 1) });
    expect((await slotsOf(clinic.id, sql`id = ${slot.id}`))[0].status).toBe('blocked');
    expect(await slotsOf(clinic.id, sql`(start at time zone 'Europe/London')::date = ${wednesday}::date and id <> ${slot.id}`)).toEqual([]);
    expect(res.reconciliation).toMatchObject({ slotsAdded: 0, bookedSlotsKept: 0, proposedChangeIds: [] });
    expect(res.reconciliation.slotsRemoved).toBe((await rows(sql`select 1 from generate_series(${addDays(today(), 50)}::date, ${horizon()}::date - 1, '1 day') d where extract(isodow from d) = 3`)).length * 8);
  });

  it('inside the notice period needs a team leader to confirm it, and is recorded and reported when confirmed', async () => {
    const clinic = await newClinic();
    const soon = addDays(today(), 10);
    const refused = await refusal(leader.post(`/api/clinics/${clinic.id}/templates`, { effectiveFrom: soon, sessions: v1Sessions }));
    expect([refused.status, refused.body.code, Object.keys(refused.body.errors)]).toEqual([422, 'SHORT_NOTICE_NEEDS_LEADER', ['confirmShortNotice']]);
    expect(refused.body.message).toMatch(/6-week notice period/);
    expect(await rows(sql`select id from clinic_template_versions where clinic_id = ${clinic.id}`)).toEqual([]);
    expect(await slotsOf(clinic.id)).toEqual([]);

    const confirmed = await admin.post(`/api/clinics/${clinic.id}/templates`, { effectiveFrom: soon, sessions: v1Sessions, confirmShortNotice: true });
    expect(confirmed).toMatchObject({ version: 1, withinNotice: true, confirmedByName: 'Ada Admin', createdByName: 'Ada Admin' });
    const [stored] = await rows(sql`select within_notice, confirmed_by from clinic_template_versions where id = ${confirmed.id}`);
    expect(stored).toEqual({ within_notice: true, confirmed_by: 'staff_admin' });
    const [audit] = await rows(sql`select actor_id, after from audit_log where action = 'clinic.template_short_notice' and entity_id = ${clinic.id}`);
    expect(audit).toMatchObject({ actor_id: 'staff_admin', after: { versionId: confirmed.id, effectiveFrom: soon, noticeDays: 10 } });
  });

  it('refuses a date in the past, a slot type the clinic does not offer, overlapping sessions and a session past 20:00, naming the field', async () => {
    const clinic = await newClinic(['new', 'follow_up']);
    const at = (effectiveFrom: string, sessions: Session[]) => refusal(leader.post(`/api/clinics/${clinic.id}/templates`, { effectiveFrom, sessions, confirmShortNotice: true }));
    const past = await at(addDays(today(), -1), v1Sessions);
    expect([past.status, past.body.code, Object.keys(past.body.errors)]).toEqual([422, 'TEMPLATE_EFFECTIVE_IN_PAST', ['effectiveFrom']]);
    const later = addDays(today(), 60);
    const wrongType = await at(later, [v1Sessions[0], { ...v1Sessions[1], slotType: 'two_week_wait' }]);
    expect([wrongType.status, wrongType.body.code, Object.keys(wrongType.body.errors)]).toEqual([400, 'VALIDATION_FAILED', ['sessions.1.slotType']]);
    const overlapping = await at(later, [v1Sessions[0], { ...v1Sessions[0], startTime: '10:40', slotType: 'follow_up' }]);
    expect([overlapping.status, Object.keys(overlapping.body.errors)]).toEqual([400, ['sessions.1.startTime']]);
    const late = await at(later, [{ ...v1Sessions[1], startTime: '18:30', slotCount: 7 }]);
    expect([late.status, Object.keys(late.body.errors)]).toEqual([400, ['sessions.0.slotCount']]);
    expect(late.body.errors['sessions.0.slotCount']).toMatch(/20:00/);
    const badTime = await at(later, [{ ...v1Sessions[0], startTime: '9am' }]);
    expect([badTime.status, Object.keys(badTime.body.errors)]).toEqual([400, ['sessions.0.startTime']]);
    const fraction = await at(later, [{ ...v1Sessions[0], slotCount: 2.5 }]);
    expect(fraction.body.errors).toEqual({ 'sessions.0.slotCount': 'must be a whole number' });
    const missing = await refusal(leader.post(`/api/clinics/${clinic.id}/templates`, {}));
    expect(missing.body.errors).toEqual({ effectiveFrom: 'is required', sessions: "is required: the week's sessions (an empty list for none)" });
    expect((await refusal(officer.post(`/api/clinics/${clinic.id}/templates`, { effectiveFrom: later, sessions: v1Sessions }))).status).toBe(403);
    expect((await refusal(leader.post('/api/clinics/clin_nobody/templates', { effectiveFrom: later, sessions: v1Sessions }))).status).toBe(404);
    // Back to back is not an overlap.
    const ok = await leader.post(`/api/clinics/${clinic.id}/templates`, { effectiveFrom: later, sessions: [v1Sessions[0], { ...v1Sessions[0], startTime: '11:00', slotType: 'follow_up' }] });
    expect(ok.version).toBe(1);
    expect(await rows(sql`select version from clinic_template_versions where clinic_id = ${clinic.id}`)).toEqual([{ version: 1 }]);
  });

  it('sent twice with one Idempotency-Key makes one version, and answers the retry with the first answer', async () => {
    const clinic = await newClinic();
    const body = { effectiveFrom: addDays(today(), 70), sessions: v1Sessions };
    const first = await leader.request('POST', `/api/clinics/${clinic.id}/templates`, body, { 'Idempotency-Key': `tmpl-${clinic.id}` });
    const retry = await leader.request('POST', `/api/clinics/${clinic.id}/templates`, body, { 'Idempotency-Key': `tmpl-${clinic.id}` });
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body).toEqual(first.body);
    expect(await rows(sql`select version from clinic_template_versions where clinic_id = ${clinic.id}`)).toEqual([{ version: 1 }]);
  });

  it('posted by several leaders at the same moment gets a distinct version each', async () => {
    const clinic = await newClinic();
    const posts = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? admin : leader).request('POST', `/api/clinics/${clinic.id}/templates`,
      { effectiveFrom: addDays(today(), 60 + i), sessions: [{ ...v1Sessions[0], slotCount: i + 1 }] })));
    expect(posts.map((p) => p.status)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(posts.map((p) => p.body.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const versions = await officer.get(`/api/clinics/${clinic.id}/templates`);
    expect(versions.map((v: any) => v.version)).toEqual([6, 5, 4, 3, 2, 1]);
    // Whatever order they landed in, the slots are those of the version in force on each date.
    const [v] = versions.filter((x: any) => x.effectiveFrom === addDays(today(), 65));
    const mondays = await slotsOf(clinic.id, sql`start >= ${new Date(londonInstant(addDays(today(), 65), '00:00')).toISOString()}::timestamptz`);
    expect(mondays.map((s) => `${s.start} ${s.minutes} ${s.type}`)).toEqual(expectedSlots(v.sessions, addDays(today(), 65), horizon()));
  });
});

describe('the clinic calendar', () => {
  it("shows a week's sessions with utilisation by slot type matching the slots table, and the session changes on them", async () => {
    // clin_4's demo sessions: Thursday morning (2WW, urgent, new) and Monday afternoon (follow-up).
    const week = addDays(today(), 14);
    const cal = await officer.get(`/api/clinics/clin_4/calendar?week=${week}`);
    const monday = nextWeekday(addDays(week, -6), 1);
    expect(cal).toMatchObject({ clinicId: 'clin_4', weekStart: monday });
    expect(cal.days.map((d: any) => d.date)).toEqual(Array.from({ length: 7 }, (_, i) => addDays(monday, i)));

    // Book one, block one and propose a change, then count again from the table itself.
    const weekSlots = await slotsOf('clin_4', sql`start >= ${new Date(londonInstant(monday, '00:00')).toISOString()}::timestamptz
      and start < ${new Date(londonInstant(addDays(monday, 7), '00:00')).toISOString()}::timestamptz`);
    const { booking } = await referralAwaitingBooking(officer, clinician, { specialty: '120' }, 'clin_4');
    const newSlot = weekSlots.find((s) => s.type === 'new')!;
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: newSlot.id });
    await rows(sql`update slots set status = 'blocked' where id = ${weekSlots.find((s) => s.type === 'follow_up')!.id}`);
    const changeDate = londonDate(Date.parse(newSlot.start));
    await rows(sql`insert into clinic_session_changes (id, clinic_id, session_date, session, kind, slot_ids, reason, status)
      values ('chg_test_cal', 'clin_4', ${changeDate}, 'am', 'reduce', ${JSON.stringify([newSlot.id])}::jsonb, 'Consultant on leave', 'proposed')`);

    const shown = await leader.get(`/api/clinics/clin_4/calendar?week=${monday}`);
    const table = await slotsOf('clin_4', sql`start >= ${new Date(londonInstant(monday, '00:00')).toISOString()}::timestamptz
      and start < ${new Date(londonInstant(addDays(monday, 7), '00:00')).toISOString()}::timestamptz`);
    const counted: Record<string, Record<string, number>> = {};
    for (const s of table) {
      const k = `${londonDate(Date.parse(s.start))} ${londonHhmm(s.start) < '13:00' ? 'am' : 'pm'} ${s.type}`;
      counted[k] ??= { total: 0, free: 0, booked: 0, blocked: 0 };
      counted[k].total += 1;
      counted[k][s.status] += 1;
    }
    const fromApi: Record<string, Record<string, number>> = {};
    for (const day of shown.days) for (const session of day.sessions) for (const t of session.byType) {
      fromApi[`${day.date} ${session.session} ${t.slotType}`] = { total: t.total, free: t.free, booked: t.booked, blocked: t.blocked };
    }
    expect(fromApi).toEqual(counted);
    expect(Object.values(counted).reduce((n, c) => n + c.booked, 0)).toBe(1);
    expect(Object.values(counted).reduce((n, c) => n + c.blocked, 0)).toBe(1);

    const am = shown.days.find((d: any) => d.date === changeDate).sessions.find((s: any) => s.session === 'am');
    expect(am.changes).toEqual([{ id: 'chg_test_cal', kind: 'reduce', status: 'proposed' }]);
    expect(am.total).toBe(am.byType.reduce((n: number, t: any) => n + t.total, 0));
    expect(londonHhmm(am.start)).toBe('09:00');
    expect(londonHhmm(am.end)).toBe('13:00');
    expect(shown.days.flatMap((d: any) => d.sessions).filter((s: any) => s.session === 'pm').every((s: any) => s.changes.length === 0)).toBe(true);

    const badWeek = await refusal(officer.get('/api/clinics/clin_4/calendar?week=next-week'));
    expect([badWeek.status, Object.keys(badWeek.body.errors)]).toEqual([400, ['week']]);
    expect((await refusal(officer.get('/api/clinics/clin_nobody/calendar'))).status).toBe(404);
  });
});
