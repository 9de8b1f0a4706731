// Every list's CSV export (GET /api/<list>.csv) on real Postgres: exactly the rows the list shows for the same
// filter, search and sort, in the same order; a bad filter is a 400 naming it; a formula in a name is neutralised;
// only those who may read a list may export it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { addDays } from '../../domain';
import { insertRttPathways } from '../support/rtt-fixtures';
import { parseCsv } from '../support/csv';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let officer: AccessDeskClient;
let leader: AccessDeskClient;
let today: string;
// A word only this file's patients have, so `q` picks exactly them out of whatever else the database holds.
const tag = `Xpt${Date.now().toString(36)}`;
const ago = (days: number) => addDays(today, -days);

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  [officer, leader] = await Promise.all([stack.signIn('officer@demo.nhs.uk'), stack.signIn('leader@demo.nhs.uk')]);
  today = stack.today();
  await insertRttPathways(stack.db.db, [
    { familyName: `${tag}Adams`, specialtyCode: '101', priority: 'urgent', state: 'awaiting_booking', periods: [{ clockStart: ago(40) }] },
    { familyName: `${tag}Baker`, specialtyCode: '101', priority: 'routine', state: 'awaiting_booking', periods: [{ clockStart: ago(30) }] },
    { familyName: `${tag}Carter, "Jr"`, specialtyCode: '101', priority: 'urgent', state: 'awaiting_booking', periods: [{ clockStart: ago(20) }] },
    { familyName: `${tag}Dale`, specialtyCode: '120', priority: 'urgent', state: 'awaiting_booking', periods: [{ clockStart: ago(10) }] },
    // A name a spreadsheet would run as a formula if it were written as it is.
    { givenName: '=HYPERLINK("http://evil.example","x")', familyName: `${tag}Evans`, specialtyCode: '101', priority: 'routine', state: 'awaiting_booking',
      periods: [{ clockStart: ago(5) }] },
  ], 'staff_officer');
});
afterAll(async () => { await stack?.stop(); });

async function exportOf(client: AccessDeskClient, path: string, params: { filter?: object; sort?: [string, string] } = {}) {
  const q = new URLSearchParams();
  if (params.filter) q.set('filter', JSON.stringify(params.filter));
  if (params.sort) q.set('sort', JSON.stringify(params.sort));
  const res = await fetch(`${stack.url}/api/${path}?${q}`, { headers: { cookie: (client as any).cookie } });
  return { res, text: await res.text() };
}

async function listOf(client: AccessDeskClient, resource: string, filter: object, sort: [string, string]) {
  const q = new URLSearchParams({ filter: JSON.stringify(filter), sort: JSON.stringify(sort), range: '[0,999]' });
  return client.get<any[]>(`/api/${resource}?${q}`);
}

describe('GET /api/<list>.csv', () => {
  it('exports exactly the referrals the list shows for the same filter, in its order, with headers in people\'s words', async () => {
    const filter = { q: tag, priority: 'urgent', specialtyCode: '101' };
    const sort: [string, string] = ['patientName', 'DESC'];
    const { res, text } = await exportOf(officer, 'referrals.csv', { filter, sort });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="referrals-${today}.csv"`);
    const [header, ...rows] = parseCsv(text);
    expect(header.slice(0, 3)).toEqual(['Patient', 'NHS number', 'Received']);
    const at = (name: string) => header.indexOf(name);
    const json = await listOf(officer, 'referrals', filter, sort);
    // Urgent, in 101: Carter and Adams, surname descending.
    expect(json.map((r) => r.patientName)).toEqual([`Test ${tag}Carter, "Jr"`, `Test ${tag}Adams`]);
    expect(rows.map((r) => r[at('Referral id')])).toEqual(json.map((r) => r.id));
    expect(rows.map((r) => r[at('Patient')])).toEqual(json.map((r) => r.patientName));
    expect(rows.map((r) => r[at('NHS number')])).toEqual(json.map((r) => r.nhsNumber));
    expect(rows.map((r) => r[at('Priority')])).toEqual(['Urgent', 'Urgent']);
    expect(rows.map((r) => r[at('Breach date')])).toEqual(json.map((r) => r.breachDate));
    expect(rows.map((r) => r[at('Days waited')])).toEqual(json.map((r) => String(r.daysWaited)));
  });

  it('exports patients in the list\'s order and neutralises a formula in a name', async () => {
    const sort: [string, string] = ['familyName', 'ASC'];
    const { res, text } = await exportOf(officer, 'patients.csv', { filter: { q: tag }, sort });
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(['Patient', 'NHS number', 'Date of birth', 'Postcode', 'Phone', 'Email', 'Patient id']);
    const json = await listOf(officer, 'patients', { q: tag }, sort);
    expect(json).toHaveLength(5);
    expect(rows.map((r) => r[6])).toEqual(json.map((r) => r.id));
    const evans = rows.find((r) => r[0].includes(`${tag}Evans`))!;
    expect(evans[0]).toBe(`'=HYPERLINK("http://evil.example","x") ${tag}Evans`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it.each([
    ['referrals.csv', { priority: 'soon' }, 'filter.priority'],
    ['tasks.csv', { colour: 'red' }, 'filter.colour'],
    ['appointments.csv', { start_gte: 'yesterday' }, 'filter.start_gte'],
    ['patients.csv', { q: tag }, 'sort', ['shoeSize', 'ASC']],
  ] as const)('refuses a bad filter or sort on %s with a 400 naming it, before any CSV', async (path, filter, field, sort?) => {
    const { res, text } = await exportOf(officer, path, { filter, sort: sort as [string, string] | undefined });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(text).errors).toHaveProperty([field]);
  });

  it('exports the audit log only for those who may read it', async () => {
    expect((await exportOf(officer, 'audit.csv')).res.status).toBe(403);
    const { res, text } = await exportOf(leader, 'audit.csv', { filter: { entityType: 'no-such-kind' } });
    expect(res.status).toBe(200);
    expect(parseCsv(text)).toEqual([['When', 'Who', 'Action', 'Record type', 'Record id', 'Before', 'After']]);
  });

  it('refuses an export to someone not signed in', async () => {
    const res = await fetch(`${stack.url}/api/referrals.csv`);
    expect(res.status).toBe(401);
  });

  it.each(['tasks.csv', 'appointments.csv', 'clinics.csv', 'clinic-sessions/changes.csv', 'absences.csv', 'queues.csv', 'cancer-ptl.csv', 'communications.csv'])(
    '%s has as many rows as its list', async (path) => {
      const resource = path.replace(/\.csv$/, '');
      const { res, text } = await exportOf(leader, path);
      expect(res.status).toBe(200);
      const [, ...rows] = parseCsv(text);
      const list = await leader.request('GET', `/api/${resource}?range=[0,0]`);
      expect(rows.length).toBe(Number(list.headers.get('content-range')!.split('/')[1]));
    });
});
