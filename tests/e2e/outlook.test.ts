// The Outlook in the console (issue 17): operations go to it with g y, see demand against capacity, predicted breaches
// by week and the patient predicted to breach (with the CSV), and try adding a clinic to see them saved, changing nothing.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { londonToday } from '../../bin/lib/system';
import { queryRows } from '../../db/client';
import { addDays, nextWorkingDay } from '../../domain';
import { addSessionSpecialty, SESSION_CLINIC, SESSION_SPECIALTY } from '../support/clinic-sessions';
import { referralAwaitingBooking } from '../support/fixtures';
import { inspectScreen } from '../support/browser';
import { withConsoleStack } from '../support/console-stack';

const running = withConsoleStack();
const today = londonToday();

describe('the Outlook', () => {
  it('shows who is predicted to breach, exports them, and tries a change without making it', async () => {
    const { stack } = running;
    await addSessionSpecialty(stack.db.db);
    const [officer, clinician, ops] = await Promise.all(['officer', 'clinician', 'ops'].map((w) => stack.signIn(`${w}@demo.nhs.uk`)));
    // Received 100 days ago (breach in 27 days) with no clinic capacity in the specialty: predicted to breach.
    const { referral } = await referralAwaitingBooking(officer, clinician, { priority: 'routine', receivedAt: addDays(today, -100), specialty: SESSION_SPECIALTY }, SESSION_CLINIC);
    await ops.post('/api/forecast/recompute');
    const runs = async () => (await queryRows<{ n: number }>(stack.db.db, sql`select count(*)::int as n from forecast_runs`))[0].n;
    const runsBefore = await runs();

    const page = await running.signInAs('ops@demo.nhs.uk');
    await page.locator('body').focus();
    await page.keyboard.press('g');
    await page.keyboard.press('y');
    await page.locator('[data-testid="outlook-what-if"]').waitFor({ timeout: 20_000 });
    expect(page.url()).toContain('#/outlook');
    const row = page.locator(`[data-testid="outlook-at-risk-row"][data-referral="${referral.id}"]`);
    await row.waitFor({ timeout: 20_000 });
    await expect(row.innerText()).resolves.toContain('Nothing free');
    await page.locator('[data-testid="outlook-breach-week"]').first().waitFor();
    expect(await page.locator('[data-testid="outlook-breach-week"]').count()).toBe(18);
    const counted = await page.locator('[data-testid="outlook-breach-week"]').evaluateAll((els) => els.reduce((n, el) => n + Number(el.getAttribute('data-count')), 0));
    expect(counted).toBeGreaterThanOrEqual(1);
    expect(await page.locator(`[data-testid="outlook-specialty-row"][data-specialty="${SESSION_SPECIALTY}"]`).count()).toBe(1);
    await inspectScreen(page, 'outlook', { ready: row });

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.locator('[data-testid="outlook-at-risk-export"]').click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.split(/\r?\n/)[0]).toContain('Referral,Patient,Specialty');
    expect(csv).toContain(referral.id);

    // One more new-patient slot in ten days would see them in time.
    await page.locator('[data-testid="what-if-specialty"]').fill(SESSION_SPECIALTY);
    await page.locator('[data-testid="what-if-date"]').fill(nextWorkingDay(addDays(today, 10)));
    await page.locator('[data-testid="what-if-count"]').fill('1');
    await page.locator('[data-testid="what-if-try"]').click();
    const saved = page.locator(`[data-testid="what-if-out-row"][data-referral="${referral.id}"]`);
    await saved.waitFor({ timeout: 20_000 });
    await expect(page.locator('[data-testid="what-if-result"]').innerText()).resolves.toContain('Nothing has been changed');
    expect(await runs()).toBe(runsBefore);
    expect((await queryRows(stack.db.db, sql`select 1 from forecast_at_risk where referral_id = ${referral.id}`)).length).toBe(1);
  }, 240_000);
});
