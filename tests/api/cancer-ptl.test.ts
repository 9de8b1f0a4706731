// The cancer view on real Postgres: two-week-wait pathways with known dates, their targets, first-seen date, next
// step and breach risk, its filters, and recording the Faster Diagnosis outcome (200/400/404/409/422, idempotent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { newId } from '../../db/ids';
import { appointments, slots } from '../../db/schema';
import { addDays, cancer62TargetDate, fdsTargetDate, londonInstant, uscFirstSeenTargetDate } from '../../domain';
import { cancerBreachRisk, type CancerPathwayFacts } from '../../domain/cancer-ptl';
import { insertRttPathways } from '../support/rtt-fixtures';
import { refusal } from '../support/api';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let officer: AccessDeskClient;
let opsUser: AccessDeskClient;
let today: string;
const ago = (days: number) => addDays(today, -days);
const ids = {} as Record<'late' | 'unbooked' | 'booked' | 'nearFds' | 'seen' | 'toldLate' | 'routine' | 'upgraded' | 'discharged' | 'confirmed', string>;
const targets = (start: string) => ({
  cancerClockStart: start, uscFirstSeenTarget: uscFirstSeenTargetDate(start), fdsTarget: fdsTargetDate(start), cancer62Target: cancer62TargetDate(start),
});
const at = (date: string, time = '10:00') => new Date(londonInstant(date, time)).toISOString();

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  officer = await stack.signIn('officer@demo.nhs.uk');
  opsUser = await stack.signIn('ops@demo.nhs.uk');
  today = stack.today();
  const twoWeek = { priority: 'two_week_wait' as const, specialtyCode: '101' };
  const [late, unbooked, booked, nearFds, seen, toldLate, routine, upgraded, discharged, confirmed] = await insertRttPathways(stack.db.db, [
    { ...twoWeek, familyName: 'Late', periods: [{ clockStart: ago(30) }], cancer: targets(ago(30)) },
    { ...twoWeek, familyName: 'Unbooked', periods: [{ clockStart: ago(3) }], cancer: targets(ago(3)) },
    { ...twoWeek, familyName: 'Booked', state: 'booked', periods: [{ clockStart: ago(3) }], cancer: targets(ago(3)),
      nextAppointment: { start: at(addDays(today, 4)), kind: 'new', clinicId: 'clin_2' } },
    { ...twoWeek, familyName: 'Nearfds', state: 'awaiting_follow_up', periods: [{ clockStart: ago(24) }], cancer: targets(ago(24)) },
    { ...twoWeek, familyName: 'Seen', state: 'awaiting_follow_up', periods: [{ clockStart: ago(12) }], cancer: targets(ago(12)) },
    { ...twoWeek, familyName: 'Toldlate', state: 'awaiting_follow_up', periods: [{ clockStart: ago(40) }], cancer: targets(ago(40)) },
    { specialtyCode: '101', familyName: 'Routine', periods: [{ clockStart: ago(10) }] },
    // Urgent at referral, upgraded to 2WW at triage 5 days ago: the cancer clocks count from the upgrade.
    { specialtyCode: '120', priority: 'urgent', clinicalPriority: 'two_week_wait', familyName: 'Upgraded', periods: [{ clockStart: ago(9) }],
      cancer: targets(ago(5)) },
    { ...twoWeek, familyName: 'Discharged', state: 'discharged', periods: [{ clockStart: ago(50), clockStop: ago(20), stopCode: 34 }], cancer: targets(ago(50)) },
    { ...twoWeek, familyName: 'Confirmed', state: 'awaiting_admission', periods: [{ clockStart: ago(58) }], cancer: targets(ago(58)) },
  ]);
  Object.assign(ids, { late, unbooked, booked, nearFds, seen, toldLate, routine, upgraded, discharged, confirmed });
  // Seen: first seen (an attended new appointment) 5 days ago.
  const slotId = newId('slot');
  await stack.db.db.insert(slots).values({ id: slotId, clinicId: 'clin_2', start: new Date(at(ago(5))), end: new Date(Date.parse(at(ago(5))) + 1_200_000), type: 'new', status: 'booked' });
  const [{ patientId }] = await queryRows<{ patientId: string }>(stack.db.db, sql`select patient_id as "patientId" from referrals where id = ${seen}`);
  await stack.db.db.insert(appointments).values({ id: newId('appt'), referralId: seen, patientId, slotId, clinicId: 'clin_2', start: new Date(at(ago(5))), kind: 'new', state: 'attended' });
  // Told late: on day 33 (FDS date day 28). Confirmed: told on day 20, not yet treated, day 62 is in 4 days.
  await stack.db.db.execute(sql`update pathways set fds_outcome = 'cancer_ruled_out', fds_communicated_on = ${ago(7)} where referral_id = ${toldLate}`);
  await stack.db.db.execute(sql`update pathways set fds_outcome = 'cancer_confirmed', fds_communicated_on = ${ago(38)} where referral_id = ${confirmed}`);
});
afterAll(async () => { await stack?.stop(); });

const cancer = (filter: object = {}, sort?: [string, string]) => {
  const q = new URLSearchParams({ filter: JSON.stringify(filter), range: '[0,999]' });
  if (sort) q.set('sort', JSON.stringify(sort));
  return officer.request<any[]>('GET', `/api/cancer-ptl?${q}`);
};
const byId = async () => new Map((await cancer()).body.map((r) => [r.id, r]));

describe('GET /api/cancer-ptl', () => {
  it('lists open two-week-wait pathways (by clinical priority or priority) in FDS date order, with their targets', async () => {
    const { body, headers } = await cancer();
    const want = [ids.confirmed, ids.toldLate, ids.late, ids.nearFds, ids.seen, ids.unbooked, ids.booked, ids.upgraded];
    expect(new Set(body.map((r) => r.id))).toEqual(new Set(want));
    expect(body.map((r) => r.id).slice(0, 4)).toEqual([ids.confirmed, ids.toldLate, ids.late, ids.nearFds]);
    expect(body.map((r) => r.fdsTarget)).toEqual([...body.map((r) => r.fdsTarget)].sort());
    expect(body.map((r) => r.id)).not.toContain(ids.discharged);
    expect(body.map((r) => r.id)).not.toContain(ids.routine);
    expect(headers.get('content-range')).toBe(`cancer-ptl 0-7/8`);
    const rows = await byId();
    expect(rows.get(ids.upgraded)).toMatchObject({
      cancerClockStart: ago(5), daysSinceReferral: 5, uscFirstSeenTarget: addDays(ago(5), 14), fdsTarget: addDays(ago(5), 28),
      cancer62Target: addDays(ago(5), 62), specialtyCode: '120', specialtyName: 'ENT', fdsOutcome: null, fdsCommunicatedOn: null,
    });
    expect(rows.get(ids.seen)).toMatchObject({ firstSeenOn: ago(5), stage: 'awaiting_follow_up', breachRisk: 'on_track' });
    expect(rows.get(ids.booked)).toMatchObject({ firstSeenOn: null, nextEventDate: addDays(today, 4), stage: 'awaiting_first_appointment' });
    expect(rows.get(ids.booked)!.nextStep).toContain(`First appointment on ${addDays(today, 4)}`);
  });

  it('says the breach risk: met, breached, at risk and on track', async () => {
    const rows = await byId();
    expect(rows.get(ids.late)!.breachRisk).toBe('breached'); // day 30, FDS untold
    expect(rows.get(ids.toldLate)!.breachRisk).toBe('breached'); // told on day 33
    expect(rows.get(ids.nearFds)!.breachRisk).toBe('at_risk'); // day 24: FDS date in 4 days
    expect(rows.get(ids.unbooked)!.breachRisk).toBe('at_risk'); // no first appointment booked
    expect(rows.get(ids.booked)!.breachRisk).toBe('on_track'); // booked for day 7, inside the 14-day aim
    expect(rows.get(ids.confirmed)!.breachRisk).toBe('at_risk'); // told in time, untreated, day 62 in 4 days
    expect(rows.get(ids.confirmed)!.nextStep).toContain('62-day');
  });

  it('filters by specialty, breach risk and FDS outcome (none for not yet told)', async () => {
    expect(new Set((await cancer({ breachRisk: 'breached' })).body.map((r) => r.id))).toEqual(new Set([ids.late, ids.toldLate]));
    expect((await cancer({ specialty: '120' })).body.map((r) => r.id)).toEqual([ids.upgraded]);
    expect((await cancer({ fdsOutcome: 'cancer_confirmed' })).body.map((r) => r.id)).toEqual([ids.confirmed]);
    const none = (await cancer({ fdsOutcome: 'none' })).body.map((r) => r.id);
    expect(none).not.toContain(ids.confirmed);
    expect(none).not.toContain(ids.toldLate);
    expect(none).toContain(ids.late);
    expect((await cancer({}, ['daysSinceReferral', 'DESC'])).body[0].id).toBe(ids.confirmed);
    const bad = await refusal(cancer({ breachRisk: 'doomed' }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty(['filter.breachRisk']);
    expect((await refusal(cancer({ fdsOutcome: 'maybe' }))).body.errors).toHaveProperty(['filter.fdsOutcome']);
    expect((await refusal(cancer({}, ['nhsNumber', 'ASC']))).body.errors).toHaveProperty(['sort']);
  });

  it('breach risk from the facts alone: each branch', () => {
    const base: CancerPathwayFacts = {
      today: '2026-11-29', uscFirstSeenTarget: '2026-12-05', fdsTarget: '2026-12-19', cancer62Target: '2027-01-22',
      fdsOutcome: null, fdsCommunicatedOn: null, firstSeenOn: null, firstBookedOn: '2026-12-01', treated: false,
    };
    expect(cancerBreachRisk(base)).toBe('on_track');
    expect(cancerBreachRisk({ ...base, firstBookedOn: '2026-12-06' })).toBe('at_risk');
    expect(cancerBreachRisk({ ...base, firstBookedOn: null, firstSeenOn: '2026-11-28' })).toBe('on_track');
    expect(cancerBreachRisk({ ...base, today: '2026-12-12' })).toBe('at_risk');
    expect(cancerBreachRisk({ ...base, today: '2026-12-11' })).toBe('on_track');
    expect(cancerBreachRisk({ ...base, today: '2026-12-20' })).toBe('breached');
    expect(cancerBreachRisk({ ...base, fdsOutcome: 'cancer_ruled_out', fdsCommunicatedOn: '2026-12-19', today: '2027-02-01' })).toBe('met');
    expect(cancerBreachRisk({ ...base, fdsOutcome: 'cancer_ruled_out', fdsCommunicatedOn: '2026-12-20' })).toBe('breached');
    expect(cancerBreachRisk({ ...base, fdsOutcome: 'cancer_confirmed', fdsCommunicatedOn: '2026-12-10', today: '2027-01-23' })).toBe('breached');
    expect(cancerBreachRisk({ ...base, fdsOutcome: 'cancer_confirmed', fdsCommunicatedOn: '2026-12-10', today: '2027-01-23', treated: true })).toBe('met');
  });
});

describe('POST /api/referrals/:id/fds-outcome', () => {
  const post = (id: string, body: unknown, client = officer) => client.request('POST', `/api/referrals/${id}/fds-outcome`, body);
  const counts = async (id: string) => (await queryRows<{ events: number; audits: number }>(stack.db.db, sql`select
    (select count(*)::int from pathway_events where referral_id = ${id} and kind = 'fds_outcome') as events,
    (select count(*)::int from audit_log where entity_id = ${id} and action = 'pathway.fds_outcome_recorded') as audits`))[0];

  it('records the outcome with a pathway event and an audit entry, answering the cancer row; the same again changes nothing', async () => {
    const { status, body } = await post(ids.nearFds, { outcome: 'cancer_ruled_out', communicatedOn: ago(1) });
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: ids.nearFds, fdsOutcome: 'cancer_ruled_out', fdsCommunicatedOn: ago(1), breachRisk: 'met' });
    expect(await counts(ids.nearFds)).toEqual({ events: 1, audits: 1 });
    const [audit] = await queryRows<any>(stack.db.db, sql`select actor_id, after from audit_log where entity_id = ${ids.nearFds} and action = 'pathway.fds_outcome_recorded'`);
    expect(audit).toEqual({ actor_id: 'staff_officer', after: { fdsOutcome: 'cancer_ruled_out', fdsCommunicatedOn: ago(1) } });
    const again = await post(ids.nearFds, { outcome: 'cancer_ruled_out', communicatedOn: ago(1) });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(body);
    // Concurrent repeats too: one outcome, one event, one audit entry.
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(ids.seen, { outcome: 'cancer_confirmed', communicatedOn: today })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await counts(ids.nearFds)).toEqual({ events: 1, audits: 1 });
    expect(await counts(ids.seen)).toEqual({ events: 1, audits: 1 });
    expect((await byId()).get(ids.nearFds)!.breachRisk).toBe('met');
    // The referral page reads it from the referral as well.
    const referral = await officer.get(`/api/referrals/${ids.nearFds}`);
    expect(referral.cancer).toMatchObject({ fdsOutcome: 'cancer_ruled_out', fdsCommunicatedOn: ago(1) });
  });

  it('409 FDS_ALREADY_RECORDED for a different outcome; nothing changes', async () => {
    const err = await refusal(post(ids.nearFds, { outcome: 'cancer_confirmed', communicatedOn: today }));
    expect(err.status).toBe(409);
    expect(err.body.code).toBe('FDS_ALREADY_RECORDED');
    expect((await byId()).get(ids.nearFds)!.fdsOutcome).toBe('cancer_ruled_out');
    expect(await counts(ids.nearFds)).toEqual({ events: 1, audits: 1 });
  });

  it('404 for an unknown referral, 422 FDS_NOT_CANCER_PATHWAY for a routine one', async () => {
    expect((await refusal(post('ref_nobody', { outcome: 'cancer_ruled_out', communicatedOn: today }))).status).toBe(404);
    const err = await refusal(post(ids.routine, { outcome: 'cancer_ruled_out', communicatedOn: today }));
    expect(err.status).toBe(422);
    expect(err.body.code).toBe('FDS_NOT_CANCER_PATHWAY');
    expect(await counts(ids.routine)).toEqual({ events: 0, audits: 0 });
  });

  it('400 naming communicatedOn in the future or before the cancer clock start, and outcome when it is not one', async () => {
    const future = await refusal(post(ids.unbooked, { outcome: 'cancer_ruled_out', communicatedOn: addDays(today, 1) }));
    expect(future.status).toBe(400);
    expect(future.body.errors).toHaveProperty(['communicatedOn']);
    // The upgraded referral's cancer clock starts at the upgrade, 5 days ago, though its RTT clock is 9 days old.
    const early = await refusal(post(ids.upgraded, { outcome: 'cancer_ruled_out', communicatedOn: ago(6) }));
    expect(early.status).toBe(400);
    expect(early.body.errors).toHaveProperty(['communicatedOn']);
    expect((await post(ids.upgraded, { outcome: 'cancer_ruled_out', communicatedOn: ago(5) })).status).toBe(200);
    const bad = await refusal(post(ids.unbooked, { outcome: 'benign', communicatedOn: today }));
    expect(bad.body.errors).toHaveProperty(['outcome']);
    expect((await refusal(post(ids.unbooked, { outcome: 'cancer_ruled_out', communicatedOn: '2026-02-30' }))).body.errors).toHaveProperty(['communicatedOn']);
    expect(await counts(ids.unbooked)).toEqual({ events: 0, audits: 0 });
  });

  it('is refused to ops (403), who may read the view', async () => {
    expect((await opsUser.request('GET', '/api/cancer-ptl')).status).toBe(200);
    expect((await refusal(post(ids.unbooked, { outcome: 'cancer_ruled_out', communicatedOn: today }, opsUser))).status).toBe(403);
  });
});
