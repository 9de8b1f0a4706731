// The weekly WLMDS extract: the periods open at a week's Sunday, each as it stood that day, and what changed
// since the week before: a joiner, a leaver by treatment (30), one by validation (34), one nullified, and
// rows whose next appointment or decision to admit changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createApp } from '../../api/app';
import { silentLogger } from '../../api/log';
import { queryRows } from '../../db/client';
import { recordRttEvents } from '../../db/rtt';
import { rttPolicyVersion, rttRuleFor, type RttEventCause } from '../../domain';
import { wlmdsColumns } from '../../domain/rtt-returns';
import { createDemoTrustDatabase, type TestDatabase } from '../support/database';
import { insertRttPathways, type PathwayFixture } from '../support/rtt-fixtures';
import { demoPassword } from '../support/stack';

let db: TestDatabase;
let app: ReturnType<typeof createApp>;
let cookie: string;
const ids: Record<string, string> = {};
const nhs: Record<string, string> = {};

const get = async (path: string) => {
  const res = await app.request(path, { headers: { cookie } });
  const text = await res.text();
  return { status: res.status, text, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null, headers: res.headers };
};
/** The CSV as records keyed by its header. */
const records = (text: string) => {
  const [header, ...lines] = text.trimEnd().split('\r\n');
  const keys = header.split(',');
  return { keys, rows: lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], v]))) };
};

// Week 2026-W46 runs Monday 9 to Sunday 15 November 2026 (its census); the week before ends Sunday 8 November.
const pathways: Record<string, PathwayFixture> = {
  stay: { periods: [{ clockStart: '2026-06-01' }] }, // open both weeks, nothing changes
  joiner: { periods: [{ clockStart: '2026-11-12' }] }, // starts in the week
  treated: { periods: [{ clockStart: '2026-09-01' }] }, // 30 on 10 November (recorded below)
  validated: { periods: [{ clockStart: '2026-03-01' }] }, // 34 at validation on 13 November (recorded below)
  nullified: { periods: [{ clockStart: '2026-10-20', clockStop: '2026-11-11', stopCode: 33 }] },
  booked: { periods: [{ clockStart: '2026-07-01' }] }, // an appointment booked on 11 November for 1 December
  admitted: { state: 'awaiting_admission', periods: [{ clockStart: '2026-05-01', decisionToAdmitOn: '2026-11-12' }] }, // DTA in the week
  unknownStart: { periods: [{ clockStart: '2026-08-01', startKnown: false }] },
  goneBefore: { state: 'discharged', periods: [{ clockStart: '2026-01-05', clockStop: '2026-11-02', stopCode: 34 }] }, // left the week before
};

beforeAll(async () => {
  db = await createDemoTrustDatabase('postgres', demoPassword);
  app = createApp({ db: db.db, temporal: {} as never, logger: silentLogger, today: () => '2026-12-15' });
  const login = await app.request('/api/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'officer@demo.nhs.uk', password: demoPassword }),
  });
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const [{ id: clinicId }] = await queryRows<{ id: string }>(db.db, sql`select id from clinics where specialty_code = '101' order by id limit 1`);
  pathways.booked.nextAppointment = { start: '2026-12-01T07:13:00Z', kind: 'new', clinicId };
  const names = Object.keys(pathways);
  const referralIds = await insertRttPathways(db.db, names.map((n) => pathways[n]));
  names.forEach((n, i) => { ids[n] = referralIds[i]; });
  for (const row of await queryRows<{ id: string; nhs: string }>(db.db, sql`select r.id, p.nhs_number as nhs from referrals r join patients p on p.id = r.patient_id`)) {
    const name = names.find((n) => ids[n] === row.id);
    if (name) nhs[name] = row.nhs;
  }
  await db.db.execute(sql`update appointments set booked_at = '2026-11-11T10:00:00Z' where referral_id = ${ids.booked}`);
  const event = (code: 30 | 34, date: string, cause: RttEventCause) => ({ code, date, cause, rule: rttRuleFor(code, cause), policyVersion: rttPolicyVersion });
  await db.db.transaction(async (tx) => {
    await recordRttEvents(tx, { referralId: ids.treated, actorId: null }, [event(30, '2026-11-10', 'outcome')]);
    await recordRttEvents(tx, { referralId: ids.validated, actorId: null }, [event(34, '2026-11-13', 'validation')]);
  });
});
afterAll(async () => { await db?.drop(); });

describe('the weekly WLMDS extract', () => {
  it('lists the periods open at the week\'s Sunday, each as it stood that day', async () => {
    const res = await get('/api/returns/wlmds?week=2026-W46');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const { keys, rows } = records(res.text);
    expect(keys).toEqual([...wlmdsColumns]);
    expect(rows.map((r) => r.referral_id).sort()).toEqual([ids.stay, ids.joiner, ids.booked, ids.admitted, ids.unknownStart].sort());
    const byId = Object.fromEntries(rows.map((r) => [r.referral_id, r]));
    expect(byId[ids.stay]).toEqual({
      week_ending: '2026-11-15', referral_id: ids.stay, period_no: '1', nhs_number: nhs.stay, local_patient_id: expect.stringMatching(/^pat_/),
      ppid_or_ubrn: ids.stay, tfc: '101', specialty_code: '101', priority: 'routine', clinical_priority: 'routine', clock_start: '2026-06-01',
      start_known: 'true', days_waited: '167', week_band: '23-24', last_rtt_code: '10', decision_to_admit_on: '', next_appointment_date: '',
      stage: 'awaiting_first_appointment',
    });
    expect(byId[ids.booked]).toMatchObject({ next_appointment_date: '2026-12-01', days_waited: '137', week_band: '19-20' });
    expect(byId[ids.admitted]).toMatchObject({ decision_to_admit_on: '2026-11-12', last_rtt_code: '20', stage: 'awaiting_admission' });
    expect(byId[ids.unknownStart]).toMatchObject({ start_known: 'false', week_band: 'unknown' });
    expect(byId[ids.joiner]).toMatchObject({ days_waited: '3', week_band: '0-1' });
  });

  it('answers the week before from the events dated by its Sunday, not from what happened since', async () => {
    const { rows } = records((await get('/api/returns/wlmds?week=2026-W45')).text);
    expect(rows.map((r) => r.referral_id).sort()).toEqual(
      [ids.stay, ids.treated, ids.validated, ids.nullified, ids.booked, ids.admitted, ids.unknownStart].sort(),
    );
    const byId = Object.fromEntries(rows.map((r) => [r.referral_id, r]));
    expect(byId[ids.treated]).toMatchObject({ week_ending: '2026-11-08', last_rtt_code: '10' });
    expect(byId[ids.booked]).toMatchObject({ next_appointment_date: '' }); // booked on the 11th
    expect(byId[ids.admitted]).toMatchObject({ decision_to_admit_on: '', last_rtt_code: '10', stage: 'awaiting_first_appointment' });
  });

  it('gives the joiners, the leavers with their reasons and the changed rows since the week before', async () => {
    const res = await get('/api/returns/wlmds?week=2026-W46&diff=true');
    expect(res.status).toBe(200);
    const { keys, rows } = records(res.text);
    expect(keys).toEqual(['change', 'reason', 'changed_fields', ...wlmdsColumns]);
    expect(rows.map((r) => [r.change, r.referral_id, r.reason, r.changed_fields])).toEqual(expect.arrayContaining([
      ['joined', ids.joiner, '10: first activity in an RTT period', ''],
      ['left', ids.treated, '30: start of first definitive treatment', ''],
      ['left', ids.validated, 'validation', ''],
      ['left', ids.nullified, 'nullified (33)', ''],
      ['changed', ids.booked, '', 'next_appointment_date'],
      ['changed', ids.admitted, '', 'last_rtt_code;decision_to_admit_on;stage'],
    ]));
    expect(rows).toHaveLength(6); // the unchanged rows (and their week bands, which move every week) are not there
    expect(rows.map((r) => r.change)).toEqual(['joined', 'left', 'left', 'left', 'changed', 'changed']);
    const left = rows.find((r) => r.referral_id === ids.treated)!;
    expect(left).toMatchObject({ week_ending: '2026-11-08', days_waited: '68' }); // a leaver as it was last seen
  });

  it('agrees with the two weeks\' extracts compared line by line', async () => {
    const week = (w: string) => get(`/api/returns/wlmds?week=${w}`).then((r) => new Map(records(r.text).rows.map((row) => [`${row.referral_id}/${row.period_no}`, row])));
    const [now, then] = await Promise.all([week('2026-W46'), week('2026-W45')]);
    const compared = ['last_rtt_code', 'decision_to_admit_on', 'next_appointment_date', 'priority', 'clinical_priority', 'stage'];
    const expected: string[] = [];
    for (const [key, row] of now) {
      const before = then.get(key);
      if (!before) expected.push(`joined ${key} `);
      else {
        const fields = compared.filter((f) => row[f] !== before[f]);
        if (fields.length) expected.push(`changed ${key} ${fields.join(';')}`);
      }
    }
    for (const key of then.keys()) if (!now.has(key)) expected.push(`left ${key} `);
    const { rows } = records((await get('/api/returns/wlmds?week=2026-W46&diff=true')).text);
    expect(rows.map((r) => `${r.change} ${r.referral_id}/${r.period_no} ${r.changed_fields}`).sort()).toEqual(expected.sort());
    // Each diff line carries the same values as the extract it came from.
    for (const r of rows) {
      const source = (r.change === 'left' ? then : now).get(`${r.referral_id}/${r.period_no}`)!;
      expect(Object.fromEntries(Object.keys(source).map((k) => [k, r[k]]))).toEqual(source);
    }
  });

  it('sums the week up', async () => {
    const res = await get('/api/returns/wlmds/summary?week=2026-W46');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      week: '2026-W46', census: '2026-11-15', previousWeek: '2026-W45', previousCensus: '2026-11-08',
      total: 5, joiners: 1, leavers: 3,
      leaversByReason: [
        { reason: '30', label: '30: start of first definitive treatment', count: 1 },
        { reason: '33', label: 'nullified (33)', count: 1 },
        { reason: 'validation', label: 'validation', count: 1 },
      ],
      changed: 2,
      changedByField: [
        { field: 'last_rtt_code', count: 1 }, { field: 'decision_to_admit_on', count: 1 }, { field: 'next_appointment_date', count: 1 },
        { field: 'priority', count: 0 }, { field: 'clinical_priority', count: 0 }, { field: 'stage', count: 1 },
      ],
    });
  });

  it('answers the same extract twice', async () => {
    expect((await get('/api/returns/wlmds?week=2026-W46&diff=true')).text).toBe((await get('/api/returns/wlmds?week=2026-W46&diff=true')).text);
    expect((await get('/api/returns/wlmds?week=2026-W46')).text).toBe((await get('/api/returns/wlmds?week=2026-W46')).text);
  });

  it.each([
    ['missing', '/api/returns/wlmds'],
    ['malformed', '/api/returns/wlmds?week=2026-46'],
    ['week 54', '/api/returns/wlmds?week=2026-W54'],
    ['week 53 of a 52-week year', '/api/returns/wlmds/summary?week=2025-W53'],
    ['week 0', '/api/returns/wlmds?week=2026-W00'],
    ['in the future', '/api/returns/wlmds?week=2027-W02&diff=true'],
    ['not yet ended', '/api/returns/wlmds/summary?week=2026-W51'],
  ])('refuses a week %s with a 400 naming week', async (_, path) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: { week: expect.any(String) } });
  });

  it('refuses a diff that is neither true nor false', async () => {
    const res = await get('/api/returns/wlmds?week=2026-W46&diff=yes');
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveProperty('diff');
  });
});
