// Work-item lists count to 1,000 (issue 13, "at that size"): past that an exact count costs more than the page,
// so the API says "at least" (X-Total-Capped) and the console pages partially and shows "1,000+". Real Postgres,
// rows made directly by SQL as the work-queue benchmark makes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { countInWords, getListFromApi, type CappedListMeta } from '../../admin-ui/src/dataProvider';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let officer: AccessDeskClient;
const items = 1030; // past the cap of 1,000 by a page and a bit
const urgentItems = 10;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  officer = await stack.signIn('officer@demo.nhs.uk');
  // Open, unassigned items in a queue the officer works: all of them are in My work.
  await stack.db.db.execute(sql`insert into tasks (id, task_key, type, title, status, priority, priority_rank, due_at, queue_id,
      workflow_id, created_at, updated_at, breach_date)
    select 'task_cap_' || n, 'cap:' || n, 'book_new_appointment', 'Book new appointment', 'open',
      case when n <= ${urgentItems}::int then 'urgent' else 'routine' end::referral_priority, case when n <= ${urgentItems}::int then 1 else 2 end,
      now() + interval '1 day', 'queue_100', 'test-cap', now() - n * interval '1 minute', now(), current_date + 30 + n % 90
    from generate_series(1, ${items}::int) n`);
});
afterAll(async () => { await stack?.stop(); });

const listPath = (filter: Record<string, unknown>, range: [number, number]) =>
  `/api/tasks?${new URLSearchParams({ filter: JSON.stringify(filter), sort: JSON.stringify(['priority', 'ASC']), range: JSON.stringify(range) })}`;
const myWork = { mine: true, status: ['open', 'claimed'], queueId: 'queue_100' };

describe('work-item totals at size', () => {
  it('My work with more than 1,000 items answers a total of 1,001 marked as capped, and the page itself', async () => {
    const res = await officer.request('GET', listPath(myWork, [0, 24]));
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(25);
    expect(res.headers.get('content-range')).toBe('tasks 0-24/1001');
    expect(res.headers.get('x-total-capped')).toBe('true');
    // The page is still the work order's first 25: the urgent ones first.
    expect(res.body.slice(0, urgentItems).every((t: { priority: string }) => t.priority === 'urgent')).toBe(true);
  });

  it('counts exactly below the cap, and past the cap counts to the end of the page asked for', async () => {
    const few = await officer.request('GET', listPath({ ...myWork, priority: 'urgent' }, [0, 24]));
    expect(few.headers.get('content-range')).toBe(`tasks 0-${urgentItems - 1}/${urgentItems}`);
    expect(few.headers.get('x-total-capped')).toBeNull();

    const deep = await officer.request('GET', listPath(myWork, [1000, 1024]));
    expect(deep.body).toHaveLength(25);
    expect(deep.headers.get('content-range')).toBe('tasks 1000-1024/1026'); // at least one more after this page
    expect(deep.headers.get('x-total-capped')).toBe('true');

    const last = await officer.request('GET', listPath(myWork, [1025, 1049]));
    expect(last.body).toHaveLength(items - 1025);
    expect(last.headers.get('content-range')).toBe(`tasks 1025-${items - 1}/${items}`);
    expect(last.headers.get('x-total-capped')).toBeNull();
  });

  it('the console pages partially past the cap and says "1,000+", and keeps exact totals below it', async () => {
    // The console's own data provider, its requests sent to this stack as the signed-in officer.
    const realFetch = globalThis.fetch;
    globalThis.fetch = ((url: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', officer.sessionCookie);
      return realFetch(`${stack.url}${url}`, { ...init, headers });
    }) as typeof fetch;
    try {
      const pagination = { page: 1, perPage: 25 };
      const sort = { field: 'priority', order: 'ASC' as const };
      const capped = await getListFromApi('tasks', { pagination, sort, filter: myWork });
      expect(capped.data).toHaveLength(25);
      expect(capped.total).toBeUndefined(); // react-admin's partial pagination: no page count it does not know
      expect(capped.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false });
      expect(countInWords(capped.total, capped.meta as CappedListMeta)).toBe('1,000+');

      const page42 = await getListFromApi('tasks', { pagination: { page: 42, perPage: 25 }, sort, filter: myWork });
      expect(page42.data).toHaveLength(items - 41 * 25);
      expect(page42.total).toBe(items); // the last page: counted to its end, so exact again
      expect(page42.pageInfo).toBeUndefined();

      const exact = await getListFromApi('tasks', { pagination, sort, filter: { ...myWork, priority: 'urgent' } });
      expect(exact.total).toBe(urgentItems);
      expect(exact.pageInfo).toBeUndefined();
      expect(countInWords(exact.total, exact.meta as CappedListMeta)).toBe('10');
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
