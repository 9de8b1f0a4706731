// Finding 5: people at work during the demo load. The loader steps round items someone has claimed
// and reports them; it never stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadDemoData } from '../../bin/lib/demo';
import { londonToday } from '../../bin/lib/system';
import { queryRows } from '../../db/client';
import { demoPassword, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => { stack = await startTestStack({ database: 'postgres', temporal: 'dev' }); });
afterAll(async () => { await stack?.stop(); });

describe('loading demo data while people work', () => {
  it('completes while another officer claims the items it is working on, and counts what it skipped', async () => {
    const officer2 = await stack.signIn('officer2@demo.nhs.uk');
    let loading = true;
    let claimed = 0;
    const grabbing = (async () => {
      for (let round = 0; loading && round < 2000; round++) {
        const open = await officer2.list('tasks', { filter: { status: 'open' }, range: [0, 19] }).catch(() => []);
        for (const task of open) {
          const res = await officer2.request('POST', `/api/tasks/${task.id}/claim`, {}).catch(() => null);
          if (res?.status === 200) claimed += 1;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const result = await loadDemoData({ baseUrl: stack.url, password: demoPassword, today: londonToday(), count: 40, concurrency: 8 })
      .finally(() => { loading = false; });
    await grabbing;
    expect(claimed).toBeGreaterThan(0);
    expect(result.referrals + result.skipped).toBe(40);
    expect(result.skipped).toBeGreaterThan(0);
    const [{ n }] = await queryRows<{ n: number }>(stack.db.db, sql`select count(*)::int as n from referrals`);
    expect(n).toBe(40); // every referral registered, however far its walk got
  }, 120_000);
});
