// The PTL is the operational view of the population the return's Part 2 counts (rules §1.8): for a census
// date, the PTL's rows counted by treatment function and week band are Part 2, line by line and band by band.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { silentLogger } from '../../api/log';
import { addDays, rttWeekBandLabels } from '../../domain';
import { createDemoTrustDatabase, type TestDatabase } from '../support/database';
import { insertRttPathways, type PathwayFixture } from '../support/rtt-fixtures';
import { demoPassword } from '../support/stack';

const month = '2026-10';
const census = '2026-10-31';
let db: TestDatabase;
let app: ReturnType<typeof createApp>;

async function get(path: string, cookie: string) {
  const res = await app.fetch(new Request(`http://app.test${path}`, { headers: { cookie } }));
  return { status: res.status, body: await res.json(), range: res.headers.get('content-range') };
}

let cookie = '';
beforeAll(async () => {
  db = await createDemoTrustDatabase('postgres', demoPassword);
  app = createApp({ db: db.db, temporal: { client: {} as never, taskQueue: 'unused' }, logger: silentLogger, today: () => '2026-11-29' });
  const login = await app.fetch(new Request('http://app.test/api/auth/login', {
    method: 'POST', headers: { origin: 'http://app.test', 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'leader@demo.nhs.uk', password: demoPassword }),
  }));
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];

  // Waits from 0 days to over two years at the census, in three specialties (110 and 330 on their own
  // lines, 140 absent, so nothing is grouped), each band edge once, and periods that end around the census.
  const waits = [0, 7, 8, 14, 15, 126, 127, 364, 365, 455, 456, 728, 729, 800];
  const fixtures: PathwayFixture[] = [];
  for (const [i, days] of waits.entries()) {
    const specialtyCode = ['110', '330', '502'][i % 3];
    const clockStart = addDays(census, -days);
    fixtures.push({ specialtyCode, periods: [{ clockStart }] });
    // Stopped after the census: open on it, so on the census PTL and in Part 2.
    fixtures.push({ specialtyCode, state: 'treated', periods: [{ clockStart, clockStop: addDays(census, 3), stopCode: 30 }] });
    // Stopped on the census date itself or before: in neither.
    fixtures.push({ specialtyCode, state: 'discharged', periods: [{ clockStart, clockStop: census, stopCode: 34 }] });
    // Nullified after the census: it was open then.
    fixtures.push({ specialtyCode, state: 'awaiting_dna_review', periods: [{ clockStart, clockStop: addDays(census, 1), stopCode: 33 }] });
  }
  // Not yet started on the census date.
  fixtures.push({ specialtyCode: '110', periods: [{ clockStart: addDays(census, 2) }] });
  // A second period after active monitoring, open on the census; its first period stopped before.
  fixtures.push({
    specialtyCode: '330', state: 'awaiting_admission',
    periods: [
      { clockStart: '2025-01-06', clockStop: '2025-05-01', stopCode: 32 },
      { clockStart: '2026-02-02', startCode: 11, ptlOrderStart: '2025-01-06', decisionToAdmitOn: '2026-03-01' },
    ],
  });
  await insertRttPathways(db.db, fixtures);
});
afterAll(async () => { await db?.drop(); });

describe('the PTL on a census date and Part 2 of that month\'s return', () => {
  it('count the same pathways in every treatment function and week band', async () => {
    const ptl: { treatmentFunctionCode: string; weekBandLabel: string; daysWaited: number }[] = [];
    for (let from = 0; ; from += 100) {
      const page = await get(`/api/ptl?census=${census}&range=${encodeURIComponent(JSON.stringify([from, from + 99]))}`, cookie);
      expect(page.status).toBe(200);
      ptl.push(...page.body);
      if (page.body.length < 100) break;
    }
    const fromPtl = new Map<string, number>();
    for (const row of ptl) {
      const key = `${row.treatmentFunctionCode} ${row.weekBandLabel}`;
      fromPtl.set(key, (fromPtl.get(key) ?? 0) + 1);
    }

    const ret = await get(`/api/returns/rtt?month=${month}`, cookie);
    expect(ret.status).toBe(200);
    const fromReturn = new Map<string, number>();
    let part2Total = 0;
    for (const row of ret.body.rows.filter((r: { part: string }) => r.part === '2')) {
      part2Total += row.total;
      (row.bands as number[]).forEach((n, i) => { if (n) fromReturn.set(`${row.tfc} ${rttWeekBandLabels[i]}`, n); });
    }

    // 14 open + 14 stopped after + 14 nullified after + the second period: 43 pathways, on both.
    expect(ptl).toHaveLength(43);
    expect(part2Total).toBe(43);
    expect(Object.fromEntries([...fromPtl].sort())).toEqual(Object.fromEntries([...fromReturn].sort()));
  });
});
