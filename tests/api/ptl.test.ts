// The PTL on real Postgres: pathways with known periods (tests/support/rtt-fixtures.ts) read back through the API,
// their order, each filter, census membership and days waited, week bands, the CSV against the JSON, the histogram
// against the rows, and a referral's clock explained over two periods.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { newId } from '../../db/ids';
import { ptlStageSql } from '../../db/ptl';
import { notes, pathways, rttEvents } from '../../db/schema';
import {
  addDays, appointmentKinds, londonInstant, ptlStageOf, referralStates, rttBreachDate, rttDaysWaited, rttWeekBand, rttWeekBandLabel,
  type AppointmentKind,
} from '../../domain';
import { ptlCsvColumns } from '../../api/routes/ptl';
import { insertRttPathways } from '../support/rtt-fixtures';
import { refusal } from '../support/api';
import { startTestStack, type TestStack } from '../support/stack';
import { parseCsv } from '../support/csv';

let stack: TestStack;
let officer: AccessDeskClient;
let today: string;
const ago = (days: number) => addDays(today, -days);
const ids = {} as Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'N', string>;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  officer = await stack.signIn('officer@demo.nhs.uk');
  today = stack.today();
  const inFiveDays = new Date(londonInstant(addDays(today, 5), '10:00')).toISOString();
  const [A, B, C, D, E, F, G, H, N] = await insertRttPathways(stack.db.db, [
    // A: routine, 400 days, nothing booked, never validated.
    { familyName: 'Ashworth', specialtyCode: '101', state: 'awaiting_booking', periods: [{ clockStart: ago(400) }] },
    // B: urgent, 10 days, a new appointment booked in five days.
    { familyName: 'Barker', specialtyCode: '101', priority: 'urgent', state: 'booked', periods: [{ clockStart: ago(10) }],
      nextAppointment: { start: inFiveDays, kind: 'new', clinicId: 'clin_2' } },
    // C: two-week wait, 3 days, awaiting triage, in ENT; a name that needs quoting in CSV.
    { familyName: 'O\'Connor, "Jr"', specialtyCode: '120', priority: 'two_week_wait', state: 'awaiting_triage', periods: [{ clockStart: ago(3) }] },
    // D: routine, on active monitoring from day 100 of its first clock, then a new period (11) 50 days ago that keeps
    //    the first period's PTL place (300 days ago).
    { familyName: 'Dunmore', specialtyCode: '101', state: 'awaiting_follow_up', periods: [
      { clockStart: ago(300), clockStop: ago(200), stopCode: 32 },
      { clockStart: ago(50), startCode: 11, ptlOrderStart: ago(300) },
    ] },
    // E: routine, 250 days.
    { familyName: 'Ellery', specialtyCode: '101', state: 'awaiting_booking', periods: [{ clockStart: ago(250) }] },
    // F: on active monitoring now: clock stopped by 32 thirty days ago after 70 days.
    { familyName: 'Fenwick', specialtyCode: '101', state: 'active_monitoring', periods: [{ clockStart: ago(100), clockStop: ago(30), stopCode: 32 }] },
    // G: treated long ago: on no PTL.
    { familyName: 'Garside', specialtyCode: '101', state: 'treated', periods: [{ clockStart: ago(500), clockStop: ago(400), stopCode: 30 }] },
    // H: treated 20 days ago after 180 days: on the PTL of a census 30 days ago, with 170 days waited.
    { familyName: 'Holroyd', specialtyCode: '110', state: 'treated', periods: [{ clockStart: ago(200), clockStop: ago(20), stopCode: 30 }] },
    // N: two-week wait at referral, clinical priority not yet set (awaiting triage): still 2WW on the PTL.
    { familyName: 'Northam', specialtyCode: '330', priority: 'two_week_wait', clinicalPriority: null, state: 'awaiting_triage', periods: [{ clockStart: ago(8) }] },
  ], 'staff_officer');
  Object.assign(ids, { A, B, C, D, E, F, G, H, N });
  // E was validated yesterday by Leah Leader.
  await stack.db.db.update(pathways).set({ lastValidatedAt: new Date(Date.now() - 86_400_000), lastValidatedBy: 'staff_leader' }).where(eq(pathways.referralId, E));
});
afterAll(async () => { await stack?.stop(); });

const ptl = (filter: object = {}, opts: { sort?: [string, string]; range?: [number, number]; census?: string } = {}) => {
  const q = new URLSearchParams({ filter: JSON.stringify(filter) });
  if (opts.sort) q.set('sort', JSON.stringify(opts.sort));
  q.set('range', JSON.stringify(opts.range ?? [0, 999]));
  if (opts.census) q.set('census', opts.census);
  return officer.request<any[]>('GET', `/api/ptl?${q}`);
};
const idsOf = (rows: Array<{ id: string }>) => rows.map((r) => r.id);

describe('GET /api/ptl', () => {
  it('lists open periods in clinical priority, then PTL order start (a period started by 11 keeps its place), then id', async () => {
    const { body, headers } = await ptl();
    // Two-week waits first (N started before C), then urgent, then routine in PTL order start: D's place is its first clock's.
    expect(idsOf(body)).toEqual([ids.N, ids.C, ids.B, ids.A, ids.D, ids.E]);
    expect(headers.get('content-range')).toBe('ptl 0-5/6');
    const d = body.find((r) => r.id === ids.D);
    expect(d).toMatchObject({ clockStart: ago(50), daysWaited: 50, lastRttCode: 11, stage: 'awaiting_follow_up' });
  });

  it('answers every field of the contract, with waits from the rules engine', async () => {
    const { body } = await ptl();
    const a = body.find((r) => r.id === ids.A);
    expect(Object.keys(a)).toEqual([...ptlCsvColumns]);
    expect(a).toMatchObject({
      referralId: ids.A, patientName: 'Test Ashworth', specialtyCode: '101', specialtyName: 'Urology', treatmentFunctionCode: '101',
      priority: 'routine', clinicalPriority: 'routine', stage: 'awaiting_first_appointment', clockStart: ago(400), daysWaited: 400,
      weekBand: 58, weekBandLabel: '57-58', breachDate: rttBreachDate(ago(400)), nextEventDate: null, nextEventType: null, lastRttCode: 10,
      lastValidatedAt: null, lastValidatedBy: null, alerts: ['breached', 'over_52_weeks', 'unbooked', 'not_validated'],
    });
    expect(a.nhsNumber).toMatch(/^999\d{7}$/);
    const b = body.find((r) => r.id === ids.B);
    expect(b).toMatchObject({ priority: 'urgent', stage: 'awaiting_first_appointment', nextEventDate: addDays(today, 5), nextEventType: 'new_appointment', alerts: [] });
    const e = body.find((r) => r.id === ids.E);
    expect(e.lastValidatedBy).toEqual({ id: 'staff_leader', name: 'Leah Leader' });
    expect(e.lastValidatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(e.alerts).toEqual(['breached', 'unbooked']); // validated after its 26-week date: no not_validated
    const n = body.find((r) => r.id === ids.N);
    expect(n).toMatchObject({ priority: 'two_week_wait', clinicalPriority: null, stage: 'awaiting_triage', treatmentFunctionCode: '330' });
  });

  it('labels week bands as the return does: 0-7 days band 1 (0-1), 8 days band 2 (1-2)', async () => {
    const { body } = await ptl();
    for (const row of body) {
      expect(row.daysWaited).toBe(rttDaysWaited(row.clockStart, today));
      expect(row.weekBand).toBe(rttWeekBand(row.daysWaited));
      expect(row.weekBandLabel).toBe(rttWeekBandLabel(row.weekBand));
    }
    expect(body.find((r) => r.id === ids.C)).toMatchObject({ daysWaited: 3, weekBand: 1, weekBandLabel: '0-1' });
    expect(body.find((r) => r.id === ids.N)).toMatchObject({ daysWaited: 8, weekBand: 2, weekBandLabel: '1-2' });
  });

  it('filters by specialty, stage, clinical priority, week band, breach date, unbooked and q', async () => {
    expect(idsOf((await ptl({ specialty: '120' })).body)).toEqual([ids.C]);
    expect(idsOf((await ptl({ specialty: ['120', '330'] })).body)).toEqual([ids.N, ids.C]);
    expect(idsOf((await ptl({ stage: 'awaiting_triage' })).body)).toEqual([ids.N, ids.C]);
    expect(idsOf((await ptl({ stage: ['awaiting_follow_up', 'awaiting_triage'] })).body)).toEqual([ids.N, ids.C, ids.D]);
    expect(idsOf((await ptl({ priority: 'urgent' })).body)).toEqual([ids.B]);
    expect(idsOf((await ptl({ priority: 'two_week_wait' })).body)).toEqual([ids.N, ids.C]);
    expect(idsOf((await ptl({ weekBand_gte: 53 })).body)).toEqual([ids.A]); // 365 days or more
    expect(idsOf((await ptl({ weekBand_gte: 36 })).body)).toEqual([ids.A, ids.E]); // 246 days or more
    expect(idsOf((await ptl({ weekBand_gte: 2 })).body)).toEqual([ids.N, ids.B, ids.A, ids.D, ids.E]); // 8 days or more
    expect(idsOf((await ptl({ breachDate_lte: today })).body)).toEqual([ids.A, ids.E]);
    expect(idsOf((await ptl({ breachDate_lte: rttBreachDate(ago(50)) })).body)).toEqual([ids.A, ids.D, ids.E]);
    expect(idsOf((await ptl({ unbooked: true })).body)).toEqual([ids.N, ids.C, ids.A, ids.D, ids.E]);
    expect(idsOf((await ptl({ unbooked: false })).body)).toEqual([ids.B]);
    expect((await ptl({ unbooked: true })).headers.get('content-range')).toBe('ptl 0-4/5');
    expect(idsOf((await ptl({ q: 'dunmore' })).body)).toEqual([ids.D]);
    const b = (await ptl()).body.find((r) => r.id === ids.B);
    expect(idsOf((await ptl({ q: b.nhsNumber })).body)).toEqual([ids.B]);
  });

  it('sorts by the listed fields, with the default order breaking ties', async () => {
    expect(idsOf((await ptl({}, { sort: ['daysWaited', 'DESC'] })).body)).toEqual([ids.A, ids.E, ids.D, ids.B, ids.N, ids.C]);
    expect(idsOf((await ptl({}, { sort: ['clockStart', 'ASC'] })).body)).toEqual([ids.A, ids.E, ids.D, ids.B, ids.N, ids.C]);
    expect(idsOf((await ptl({}, { sort: ['nextEventDate', 'ASC'] })).body)[0]).toBe(ids.B);
    const page = await ptl({}, { range: [1, 2] });
    expect(idsOf(page.body)).toEqual([ids.C, ids.B]);
    expect(page.headers.get('content-range')).toBe('ptl 1-2/6');
  });

  it('lists patients on active monitoring only when the stage filter asks, waits frozen at the stop, next event the review', async () => {
    expect(idsOf((await ptl()).body)).not.toContain(ids.F);
    const { body } = await ptl({ stage: 'active_monitoring' });
    expect(idsOf(body)).toEqual([ids.F]);
    expect(body[0]).toMatchObject({
      stage: 'active_monitoring', daysWaited: 70, clockStart: ago(100), nextEventType: 'active_monitoring_review',
      nextEventDate: addDays(ago(30), 84), lastRttCode: 32, alerts: [],
    });
    expect(idsOf((await ptl({ stage: ['active_monitoring', 'awaiting_follow_up'] })).body)).toEqual([ids.D, ids.F]);
  });

  it('at a census date lists the periods open on it and counts days to it', async () => {
    const census = ago(30);
    const { body } = await ptl({}, { census });
    // H (stopped 20 days ago) was open; D's second period had started; B, C and N had not.
    expect(idsOf(body)).toEqual([ids.A, ids.D, ids.E, ids.H]);
    expect(body.find((r) => r.id === ids.H)).toMatchObject({ daysWaited: 170, clockStart: ago(200) });
    expect(body.find((r) => r.id === ids.A)).toMatchObject({ daysWaited: 370 });
    // In the filter too, and a census before D's second period shows its first.
    const earlier = await ptl({ census: ago(250) });
    expect(idsOf(earlier.body)).toEqual([ids.A, ids.D, ids.E]);
    expect(earlier.body.find((r) => r.id === ids.D)).toMatchObject({ clockStart: ago(300), daysWaited: 50 });
  });

  it('refuses bad filter, sort, range and census with a 400 naming the field', async () => {
    const bad = async (q: string) => (await refusal(officer.request('GET', `/api/ptl?${q}`))).body;
    expect((await bad(`filter=${encodeURIComponent('{"weekBand_gte":0}')}`)).errors).toHaveProperty(['filter.weekBand_gte']);
    expect((await bad(`filter=${encodeURIComponent('{"stage":"waiting"}')}`)).errors).toHaveProperty(['filter.stage']);
    expect((await bad(`filter=${encodeURIComponent('{"priority":["routine","soon"]}')}`)).errors).toHaveProperty(['filter.priority']);
    expect((await bad(`filter=${encodeURIComponent('{"breachDate_lte":"2026-02-30"}')}`)).errors).toHaveProperty(['filter.breachDate_lte']);
    expect((await bad(`filter=${encodeURIComponent('{"unbooked":"maybe"}')}`)).errors).toHaveProperty(['filter.unbooked']);
    expect((await bad(`filter=${encodeURIComponent('{"colour":"red"}')}`)).errors).toHaveProperty(['filter.colour']);
    expect((await bad(`filter=${encodeURIComponent('{"census":"yesterday"}')}`)).errors).toHaveProperty(['filter.census']);
    expect((await bad('census=2026-13-01')).errors).toHaveProperty(['census']);
    expect((await bad('census=0001-01-01')).errors).toHaveProperty(['census']);
    expect((await bad(`census=${addDays(today, 400)}`)).errors).toHaveProperty(['census']);
    expect((await ptl({ breachDate_lte: '0001-01-01' })).body).toEqual([]);
    expect((await bad(`sort=${encodeURIComponent('["patientName","ASC"]')}`)).errors).toHaveProperty(['sort']);
    expect((await bad('range=[5,1]')).errors).toHaveProperty(['range']);
    expect((await bad('filter=nope')).errors).toHaveProperty(['filter']);
  });

  it("the SQL stage agrees with the domain's ptlStageOf for every state and last appointment kind", async () => {
    const kinds: Array<AppointmentKind | null> = [null, ...appointmentKinds];
    for (const state of referralStates) {
      for (const kind of kinds) {
        const [{ stage }] = await queryRows<{ stage: string | null }>(stack.db.db,
          sql`select ${ptlStageSql(sql`${state}::referral_state`, kind === null ? sql`null::appointment_kind` : sql`${kind}::appointment_kind`)} as stage`);
        expect(stage, `${state} / ${kind}`).toBe(ptlStageOf(state, kind));
      }
    }
  });
});

const csvOfRow = (r: any) => ptlCsvColumns.map((c) => {
  const v = c === 'lastValidatedBy' ? r.lastValidatedBy?.name ?? null : c === 'alerts' ? r.alerts.join(';') : r[c];
  return v === null ? '' : String(v);
});

describe('GET /api/ptl.csv', () => {
  const csv = async (filter: object, census?: string) => {
    const q = new URLSearchParams({ filter: JSON.stringify(filter) });
    if (census) q.set('census', census);
    const res = await fetch(`${stack.url}/api/ptl.csv?${q}`, { headers: { cookie: (officer as any).cookie } });
    return { res, text: await res.text() };
  };

  it.each([
    ['everything', {}, undefined],
    ['unbooked', { unbooked: true }, undefined],
    ['a census with monitoring', { stage: ['active_monitoring', 'awaiting_first_appointment', 'awaiting_follow_up'] }, 30],
  ])('has the same rows as the JSON for the same filter (%s)', async (_, filter, censusDaysAgo) => {
    const census = censusDaysAgo === undefined ? undefined : ago(censusDaysAgo);
    const { res, text } = await csv(filter, census);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="ptl-${census ?? today}.csv"`);
    const [header, ...lines] = parseCsv(text);
    expect(header).toEqual([...ptlCsvColumns]);
    const json = (await ptl(filter, { census })).body;
    expect(json.length).toBeGreaterThan(0);
    expect(lines).toEqual(json.map(csvOfRow));
  });

  it('quotes a name with a comma and quotes, and refuses bad input with a 400 before streaming', async () => {
    const { text } = await csv({ specialty: '120' });
    expect(text).toContain(',"Test O\'Connor, ""Jr""",');
    const { res, text: refused } = await csv({ weekBand_gte: 'x' });
    expect(res.status).toBe(400);
    expect(JSON.parse(refused).errors).toHaveProperty(['filter.weekBand_gte']);
  });
});

describe('GET /api/ptl/histogram', () => {
  it.each([
    ['everything', {}, undefined],
    ['routine', { priority: 'routine' }, undefined],
    ['with monitoring at a census', { stage: ['active_monitoring', 'awaiting_first_appointment'] }, 30],
  ])('totals equal the rows per specialty and band (%s)', async (_, filter, censusDaysAgo) => {
    const census = censusDaysAgo === undefined ? undefined : ago(censusDaysAgo);
    const q = new URLSearchParams({ filter: JSON.stringify(filter) });
    if (census) q.set('census', census);
    const { body } = await officer.request('GET', `/api/ptl/histogram?${q}`);
    const rows = (await ptl(filter, { census })).body;
    expect(body.census).toBe(census ?? today);
    expect(body.bandLabels).toHaveLength(105);
    expect(body.bandLabels[0]).toBe('0-1');
    expect(body.bandLabels[104]).toBe('104+');
    const want = new Map<string, { total: number; bands: number[]; within18Weeks: number; over52Weeks: number }>();
    for (const r of rows) {
      const s = want.get(r.specialtyCode) ?? { total: 0, bands: Array(105).fill(0), within18Weeks: 0, over52Weeks: 0 };
      s.total++;
      s.bands[r.weekBand - 1]++;
      if (r.daysWaited <= 126) s.within18Weeks++;
      if (r.daysWaited >= 365) s.over52Weeks++;
      want.set(r.specialtyCode, s);
    }
    expect(body.specialties.map((s: any) => s.specialtyCode)).toEqual([...want.keys()].sort());
    for (const s of body.specialties) {
      expect(s).toMatchObject(want.get(s.specialtyCode)!);
      expect(s.bands.reduce((a: number, b: number) => a + b, 0)).toBe(s.total);
    }
  });
});

describe('GET /api/referrals/:id/clock', () => {
  it('explains a two-period pathway: each period with its events, actor, rule and note', async () => {
    const noteId = newId('note');
    await stack.db.db.insert(notes).values({ id: noteId, referralId: ids.D, authorId: 'staff_clinician', body: 'Watch and wait agreed' });
    await stack.db.db.update(rttEvents).set({ noteId }).where(sql`${rttEvents.referralId} = ${ids.D} and ${rttEvents.code} = 32`);
    const { body } = await officer.request('GET', `/api/referrals/${ids.D}/clock`);
    expect(body.referralId).toBe(ids.D);
    expect(body.current).toEqual({
      periodNo: 2, status: 'running', clockStart: ago(50), clockStop: null, daysWaited: 50, weekBand: 8, breachDate: rttBreachDate(ago(50)),
    });
    expect(body.periods.map((p: any) => [p.periodNo, p.status, p.startCode, p.stopCode, p.ptlOrderStart, p.daysWaited])).toEqual([
      [1, 'stopped', 10, 32, ago(300), 100],
      [2, 'running', 11, null, ago(300), 50],
    ]);
    const [first, second] = body.periods;
    expect(first.events.map((e: any) => [e.code, e.date, e.cause])).toEqual([[10, ago(300), 'referral'], [32, ago(200), 'outcome']]);
    expect(first.events[1]).toMatchObject({
      meaning: 'start of active monitoring initiated by the care professional', causeLabel: 'Clinic outcome',
      actor: { id: 'staff_officer', name: 'Olivia Officer' }, note: 'Watch and wait agreed', policyVersion: expect.stringContaining('RTT-Rec25'),
      rule: expect.stringContaining('active monitoring'),
    });
    expect(first.events[0].note).toBeNull();
    expect(second.events.map((e: any) => e.code)).toEqual([11]);
    expect(second.events[0].recordedAt).toMatch(/Z$/);
  });

  it('answers null current before any period, and 404 for an unknown referral', async () => {
    const err = await refusal(officer.request('GET', '/api/referrals/ref_nobody/clock'));
    expect(err.status).toBe(404);
    const [{ id }] = await queryRows<{ id: string }>(stack.db.db, sql`select id from referrals where id = ${ids.G}`);
    await stack.db.db.execute(sql`delete from rtt_events where referral_id = ${id}`);
    await stack.db.db.execute(sql`delete from rtt_periods where referral_id = ${id}`);
    const { body } = await officer.request('GET', `/api/referrals/${id}/clock`);
    expect(body).toEqual({ referralId: id, current: null, periods: [] });
  });
});

