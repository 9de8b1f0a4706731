// The console's Imports screen (issue 13) in headless Chromium: a team leader reaches it with g i, sends a PAS extract
// as a dry run (ticked to begin with), and reads the rejected rows by line and column; an officer has no menu entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { addDays } from '../../domain';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { importFile, nhsNumberFor } from '../support/import-file';
import { assertConsoleBuilt, inspectScreen, launchChromium, signInToConsole, uiDist } from '../support/browser';

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  assertConsoleBuilt();
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', uiDist });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('Imports', () => {
  it('a team leader checks a file with a dry run and reads each rejected row\'s line and column; nothing is imported', async () => {
    const today = stack.today();
    const row = (n: number, over: Record<string, string> = {}) => ({
      nhs_number: nhsNumberFor(900 + n), given_name: 'Ann', family_name: 'Example', date_of_birth: '1960-01-01', pathway_id: `E2E-${n}`,
      treatment_function_code: '100', priority: 'routine', clock_start: addDays(today, -20), stage: 'awaiting_triage', ...over,
    });
    const file = importFile([row(1), row(2, { nhs_number: '1234567890' }), row(3, { stage: 'waiting' })]);
    const page = await signInToConsole(browser, stack.url, 'leader@demo.nhs.uk', demoPassword);
    await page.keyboard.press('g');
    await page.keyboard.press('i');
    await page.locator('[data-testid="import-start"]').waitFor();
    expect(await page.locator('[data-testid="import-dry-run"] input').isChecked()).toBe(true);
    await page.locator('[data-testid="import-file"]').setInputFiles({ name: 'extract.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    const errors = page.locator('[data-testid="import-errors"] tbody tr');
    await errors.first().waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="import-rejected"]').getAttribute('data-count')).toBe('2');
    expect(await errors.allInnerTexts()).toEqual([
      expect.stringMatching(/^3\s+nhs_number\s+The NHS number is not valid/),
      expect.stringMatching(/^4\s+stage\s+The stage must be one of/),
    ]);
    await inspectScreen(page, 'leader-import', { ready: errors });
    const [{ n }] = await queryRows<{ n: number }>(stack.db.db, sql`select count(*)::int as n from referrals`);
    expect(n).toBe(0);
    await page.close();
  });

  it('officers have no Imports in the menu', async () => {
    const page = await signInToConsole(browser, stack.url, 'officer@demo.nhs.uk', demoPassword);
    expect(await page.locator('[data-testid="menu-audit"]').count()).toBe(0);
    expect(await page.locator('[data-testid="menu-imports"]').count()).toBe(0);
    await page.close();
  });
});
