// The monthly RTT return, worked by hand: pathways with known dates around every band edge, each part's
// counts written out below, the same answer twice, and the same answer after later events are recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createApp } from '../../api/app';
import { silentLogger } from '../../api/log';
import { queryRows } from '../../db/client';
import { recordRttEvents } from '../../db/rtt';
import { rttReturnCountsSql } from '../../db/returns';
import { addDays, rttPolicyVersion, rttRuleFor, rttWeekBandLabels } from '../../domain';
import { createDemoTrustDatabase, type TestDatabase } from '../support/database';
import { insertRttPathways, type PathwayFixture } from '../support/rtt-fixtures';
import { demoPassword } from '../support/stack';

let db: TestDatabase;
let app: ReturnType<typeof createApp>;
let cookie: string;
const today = '2026-12-15';

const get = async (path: string) => {
  const res = await app.request(path, { headers: { cookie } });
  const text = await res.text();
  return { status: res.status, text, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null, headers: res.headers };
};

const C = '2026-10-31'; // census of October 2026
const ago = (days: number) => addDays(C, -days);
const ids: Record<string, string> = {};

// name → pathway. Comments give the days counted and the band (1 = '0-1', n = 'n-1-n', 105 = '104+').
const pathways: Record<string, PathwayFixture> = {
  // Treatment function 101 (its own line). Open at the census: Part 2, days = census − start.
  a: { periods: [{ clockStart: ago(0) }] }, // 0 → 1; started in October: Part 3
  b: { periods: [{ clockStart: ago(7) }] }, // 7 → 1; Part 3
  c: { periods: [{ clockStart: ago(8) }] }, // 8 → 2; Part 3
  d: { periods: [{ clockStart: ago(126) }] }, // 126 → 18
  e: { periods: [{ clockStart: ago(127) }] }, // 127 → 19
  f: { periods: [{ clockStart: ago(364) }] }, // 364 → 52
  g: { periods: [{ clockStart: ago(365) }] }, // 365 → 53
  h: { periods: [{ clockStart: ago(728) }] }, // 728 → 104
  i: { periods: [{ clockStart: ago(729) }] }, // 729 → 105
  j: { state: 'awaiting_admission', periods: [{ clockStart: ago(100), decisionToAdmitOn: '2026-10-15' }] }, // 100 → 15; DTA before the census: 2A
  k: { state: 'awaiting_admission', periods: [{ clockStart: ago(50), decisionToAdmitOn: '2026-11-05' }] }, // 50 → 8; DTA after: not 2A
  l: { periods: [{ clockStart: ago(40), startKnown: false }] }, // unknown start: Part 2 unknown
  m: { state: 'treated', periods: [{ clockStart: ago(20), clockStop: '2026-11-01', stopCode: 30 }] }, // stopped the day after: Part 2, 20 → 3; Part 3
  n: { periods: [{ clockStart: '2026-10-10', clockStop: '2026-11-03', stopCode: 33 }] }, // nullified after the census: Part 2, 21 → 3; Part 3
  o: { state: 'transferred', periods: [{ clockStart: ago(60), clockStop: '2026-11-10', stopCode: 21 }] }, // transferred after: Part 2, 60 → 9
  // Completed in October.
  p: { state: 'treated', periods: [{ clockStart: '2026-09-01', decisionToAdmitOn: '2026-09-20', clockStop: C, stopCode: 30, stopAdmitted: true }] }, // 1A, 60 → 9
  q: { state: 'discharged', periods: [{ clockStart: '2026-10-01', clockStop: '2026-10-01', stopCode: 34 }] }, // 1B, 0 → 1; Part 3
  // Active monitoring (32) after 200 days → 1B band 29; then a new period (11) on 20 October, open: Part 2 11 → 2, and Part 3.
  r: {
    state: 'awaiting_booking',
    periods: [
      { clockStart: addDays('2026-10-15', -200), clockStop: '2026-10-15', stopCode: 32 },
      { clockStart: '2026-10-20', startCode: 11, ptlOrderStart: addDays('2026-10-15', -200) },
    ],
  },
  t: { periods: [{ clockStart: '2026-10-02', clockStop: '2026-10-20', stopCode: 33 }] }, // nullified in October: nowhere
  u: { state: 'transferred', periods: [{ clockStart: '2026-09-10', clockStop: '2026-10-12', stopCode: 21 }] }, // transferred in October: nowhere
  v: { state: 'discharged', periods: [{ clockStart: '2026-08-01', clockStop: '2026-09-30', stopCode: 34 }] }, // stopped in September: nowhere
  w: { periods: [{ clockStart: '2026-11-02' }] }, // starts in November: nowhere
  x: { state: 'treated', periods: [{ clockStart: '2026-05-01', startKnown: false, clockStop: '2026-10-10', stopCode: 30, stopAdmitted: true }] }, // 1A unknown
  // Treatment function 191 (pain management): reported on the X05 "other surgical" line.
  y: { specialtyCode: '191', periods: [{ clockStart: ago(3) }] }, // Part 2, 3 → 1; Part 3
  z: { specialtyCode: '191', state: 'declined_treatment', periods: [{ clockStart: addDays('2026-10-20', -126), clockStop: '2026-10-20', stopCode: 35 }] }, // 1B 126 → 18
  aa: { specialtyCode: '191', state: 'treated', periods: [{ clockStart: addDays('2026-10-05', -127), clockStop: '2026-10-05', stopCode: 30, stopAdmitted: true }] }, // 1A 127 → 19
};

/** 105 zeros with the given bands (1-based) set. */
const bands = (counts: Record<number, number>) => Array.from({ length: 105 }, (_, i) => counts[i + 1] ?? 0);

// The hand-worked return for October 2026.
const expectedRows = [
  { part: '1A', tfc: '101', bands: bands({ 9: 1 }), unknown: 1, total: 2, within18Weeks: 1 },
  { part: '1A', tfc: 'X05', bands: bands({ 19: 1 }), unknown: 0, total: 1, within18Weeks: 0 },
  { part: '1B', tfc: '101', bands: bands({ 1: 1, 29: 1 }), unknown: 0, total: 2, within18Weeks: 1 },
  { part: '1B', tfc: 'X05', bands: bands({ 18: 1 }), unknown: 0, total: 1, within18Weeks: 1 },
  {
    part: '2', tfc: '101', bands: bands({ 1: 2, 2: 2, 3: 2, 8: 1, 9: 1, 15: 1, 18: 1, 19: 1, 52: 1, 53: 1, 104: 1, 105: 1 }),
    unknown: 1, total: 16, within18Weeks: 10,
  },
  { part: '2', tfc: 'X05', bands: bands({ 1: 1 }), unknown: 0, total: 1, within18Weeks: 1 },
  { part: '2A', tfc: '101', bands: bands({ 15: 1 }), unknown: 0, total: 1, within18Weeks: 1 },
  { part: '2A', tfc: 'X05', bands: bands({}), unknown: 0, total: 0, within18Weeks: 0 },
  { part: '3', tfc: '101', bands: bands({ 1: 7 }), unknown: 0, total: 7, within18Weeks: 7 }, // a, b, c, m, n, q, r's period 2
  { part: '3', tfc: 'X05', bands: bands({ 1: 1 }), unknown: 0, total: 1, within18Weeks: 1 },
];
const expectedTotals = {
  '1A': { total: 3, within18Weeks: 1, percentWithin18Weeks: 50 },
  '1B': { total: 3, within18Weeks: 2, percentWithin18Weeks: 66.7 },
  '2': { total: 17, within18Weeks: 11, percentWithin18Weeks: 68.8 },
  '2A': { total: 1, within18Weeks: 1, percentWithin18Weeks: 100 },
  '3': { total: 8, within18Weeks: 8, percentWithin18Weeks: 100 },
};

beforeAll(async () => {
  db = await createDemoTrustDatabase('postgres', demoPassword);
  await db.db.execute(sql`insert into specialties (code, name) values ('191', 'Pain Management')`);
  app = createApp({ db: db.db, temporal: {} as never, logger: silentLogger, today: () => today });
  const login = await app.request('/api/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'officer@demo.nhs.uk', password: demoPassword }),
  });
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const names = Object.keys(pathways);
  const referralIds = await insertRttPathways(db.db, names.map((n) => pathways[n]));
  names.forEach((n, i) => { ids[n] = referralIds[i]; });
});
afterAll(async () => { await db?.drop(); });

describe('the monthly RTT return', () => {
  it('gives the hand-worked figures for every part, line and band', async () => {
    const res = await get('/api/returns/rtt?month=2026-10');
    expect(res.status).toBe(200);
    expect(res.body.month).toBe('2026-10');
    expect(res.body.census).toBe('2026-10-31');
    expect(res.body.bandLabels).toEqual(rttWeekBandLabels);
    expect(res.body.bandLabels.slice(0, 3)).toEqual(['0-1', '1-2', '2-3']);
    expect(res.body.bandLabels.at(-1)).toBe('104+');
    expect(res.body.rows).toEqual(expectedRows);
    expect(res.body.totals).toEqual(expectedTotals);
  });

  it('writes the same figures as CSV, one line per part and treatment function, every part for every line', async () => {
    const res = await get('/api/returns/rtt.csv?month=2026-10');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(`part,tfc,${rttWeekBandLabels.join(',')},unknown,total`);
    expect(lines[0].startsWith('part,tfc,0-1,1-2,2-3,')).toBe(true);
    expect(lines[0].endsWith(',103-104,104+,unknown,total')).toBe(true);
    expect(lines.slice(1)).toEqual(expectedRows.map((r) => [r.part, r.tfc, ...r.bands, r.unknown, r.total].join(',')));
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(' '))).toEqual([
      '1A 101', '1A X05', '1B 101', '1B X05', '2 101', '2 X05', '2A 101', '2A X05', '3 101', '3 X05',
    ]);
  });

  it('answers the same return twice', async () => {
    const first = await get('/api/returns/rtt?month=2026-10');
    const second = await get('/api/returns/rtt?month=2026-10');
    expect(second.body).toEqual(first.body);
    expect((await get('/api/returns/rtt.csv?month=2026-10')).text).toBe((await get('/api/returns/rtt.csv?month=2026-10')).text);
  });

  it('counts the same bare SQL rows the API reports', async () => {
    const counts = await queryRows<{ part: string; specialty_code: string; band: number; n: number }>(db.db, rttReturnCountsSql('2026-10-01', C));
    const sum = (part: string) => counts.filter((c) => c.part === part).reduce((s, c) => s + c.n, 0);
    expect(['1A', '1B', '2', '2A', '3'].map(sum)).toEqual([3, 3, 17, 1, 8]);
  });

  it('keeps a past month\'s figures when events dated after it are recorded', async () => {
    const before = (await get('/api/returns/rtt?month=2026-10')).body;
    const novemberBefore = (await get('/api/returns/rtt?month=2026-11')).body;
    const event = (code: 30 | 34 | 12, date: string, extra: object = {}) => ({
      code, date, cause: 'administrative' as const, rule: rttRuleFor(code, 'administrative'), policyVersion: rttPolicyVersion, ...extra,
    });
    await db.db.transaction(async (tx) => {
      await recordRttEvents(tx, { referralId: ids.a, actorId: null }, [event(30, '2026-11-15')]); // treated in November
      await recordRttEvents(tx, { referralId: ids.k, actorId: null }, [event(30, '2026-11-20', { admitted: true })]); // admitted in November
      await recordRttEvents(tx, { referralId: ids.d, actorId: null }, [event(34, '2026-11-02')]);
      await recordRttEvents(tx, { referralId: ids.q, actorId: null }, [event(12, '2026-11-25', { newPeriod: true })]); // a new period
    });
    const after = (await get('/api/returns/rtt?month=2026-10')).body;
    expect(after).toEqual(before);
    expect(after.rows).toEqual(expectedRows);
    // November does see them: the test would notice if the events had not been recorded.
    const november = (await get('/api/returns/rtt?month=2026-11')).body;
    expect(november.totals['1A'].total).toBe(novemberBefore.totals['1A'].total + 1);
    expect(november.totals['1B'].total).toBe(novemberBefore.totals['1B'].total + 2);
    expect(november.totals['3'].total).toBe(novemberBefore.totals['3'].total + 1);
  });

  it.each([
    ['missing', '/api/returns/rtt'],
    ['malformed', '/api/returns/rtt?month=2026-13'],
    ['without a leading zero', '/api/returns/rtt?month=2026-1'],
    ['a date', '/api/returns/rtt.csv?month=2026-10-01'],
    ['in the future', '/api/returns/rtt?month=2027-01'],
    ['not yet ended', '/api/returns/rtt.csv?month=2026-12'],
  ])('refuses a month %s with a 400 naming month', async (_, path) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: { month: expect.any(String) } });
  });
});
