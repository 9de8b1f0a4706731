// The console at a trust's size (issue 13): with more than 1,000 items waiting, the API stops counting at 1,000,
// and the console says "1,000+" on the home card and on My work's pagination, and still pages on, instead of
// a page count it does not know.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { assertConsoleBuilt, launchChromium, signInToConsole, uiDist } from '../support/browser';

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  assertConsoleBuilt();
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', uiDist });
  browser = await launchChromium();
  // 1,030 open items in a queue the officer works, made by SQL as the work-queue benchmark makes them.
  await stack.db.db.execute(sql`insert into tasks (id, task_key, type, title, status, priority, priority_rank, due_at, queue_id,
      workflow_id, created_at, updated_at, breach_date)
    select 'task_size_' || n, 'size:' || n, 'book_new_appointment', 'Book new appointment', 'open', 'routine', 2,
      now() + interval '1 day', 'queue_100', 'test-size', now() - n * interval '1 minute', now(), current_date + 30 + n % 90
    from generate_series(1, 1030) n`);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the console at size', () => {
  it('says 1,000+ on the home card and on My work, and pages on past the first page', async () => {
    const page: Page = await signInToConsole(browser, stack.url, 'officer@demo.nhs.uk', demoPassword);
    await page.goto(`${stack.url}/#/`);
    const waiting = page.locator('[data-testid="home-card-waiting"] [data-testid="home-card-count"]');
    await expect.poll(() => waiting.innerText(), { timeout: 15_000 }).toBe('1,000+');

    const myWork = page.locator('[data-testid="my-work"]');
    const shown = myWork.locator('.MuiTablePagination-displayedRows').first();
    await expect.poll(() => shown.innerText(), { timeout: 15_000 }).toBe('1–25 of 1,000+');
    const next = myWork.getByRole('button', { name: /next page/i }).first();
    expect(await next.isEnabled()).toBe(true);
    await next.click();
    await expect.poll(() => shown.innerText(), { timeout: 15_000 }).toBe('26–50 of 1,000+');
    await expect.poll(() => myWork.locator('[data-testid="work-item-row"]').count()).toBe(25);
  });
});
