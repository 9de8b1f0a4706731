// Issue 16 in the built console: an officer goes to the partial booking list by keyboard, narrows it to the follow-ups
// with the clinician, opens one's referral, exports the view, and reads the follow-up backlog by LCAD band, whose row
// opens those follow-ups on the list. Entries are written as the pathway's activity writes them.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { addDays } from '../../domain';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { referralBody } from '../support/fixtures';
import { assertConsoleBuilt, launchChromium, uiDist, signInToConsole } from '../support/browser';

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

const signInAs = (email: string): Promise<Page> => signInToConsole(browser, stack.url, email, demoPassword, { acceptDownloads: true });

async function listed(familyName: string, due: number, lcad: number, status: string): Promise<{ id: string; referralId: string }> {
  const officer = await stack.signIn('officer@demo.nhs.uk');
  const body = referralBody({ specialty: '101' });
  const referral = await officer.post('/api/referrals', { ...body, patient: { ...body.patient, familyName } });
  const today = stack.today();
  const id = `pbe_e2e_${familyName.toLowerCase()}`;
  await stack.db.db.execute(sql`insert into partial_booking_entries (id, entry_key, referral_id, patient_id, specialty_code, clinic_id,
      listed_on, due_date, lcad, status, invited_on)
    select ${id}, ${`e2e:${id}`}, r.id, r.patient_id, r.specialty_code, 'clin_11', ${addDays(today, due - 84)}::date, ${addDays(today, due)}::date,
      ${addDays(today, lcad)}::date, ${status}::partial_booking_status, ${status === 'waiting' ? null : addDays(today, due - 42)}::date
    from referrals r where r.id = ${referral.id}`);
  return { id, referralId: referral.id };
}

describe('the partial booking list and the follow-up backlog in the console', () => {
  it('an officer narrows the list to those with the clinician, opens one, exports the view, and reads the backlog by keyboard', async () => {
    const waiting = await listed('Waitingsoon', 30, 44, 'waiting');
    const review = await listed('Withclinician', -40, -26, 'in_review');
    const invited = await listed('Invitedlate', -5, 9, 'invited');

    const page = await signInAs('officer@demo.nhs.uk');
    await page.keyboard.press('g');
    await page.keyboard.press('f');
    await page.locator('[data-testid="partial-booking-table"]').waitFor({ timeout: 15_000 });
    for (const e of [waiting, review, invited]) await page.locator(`[data-testid="partial-booking-row"][data-id="${e.id}"]`).waitFor({ timeout: 15_000 });
    // Soonest due first: the one 40 days overdue heads the list.
    expect(await page.locator('[data-testid="partial-booking-row"]').first().getAttribute('data-id')).toBe(review.id);

    // View 4, "With the clinician": only that one is left.
    await page.keyboard.press('4');
    await page.locator('[data-testid="view-in_review"][aria-pressed="true"]').waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="partial-booking-row"]').length === 1, undefined, { timeout: 15_000 });
    const row = page.locator(`[data-testid="partial-booking-row"][data-id="${review.id}"]`);
    expect(await row.innerText()).toContain('Withclinician');
    expect(await row.innerText()).toContain('With the clinician');

    // Enter opens the highlighted row's referral; back, the view is as it was and e exports exactly it.
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/referrals/${review.referralId}/show`));
    await page.goBack();
    await page.locator('[data-testid="view-in_review"][aria-pressed="true"]').waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="partial-booking-row"]').length === 1, undefined, { timeout: 15_000 });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.keyboard.press('e')]);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(csv).toContain(review.id);
    expect(csv).not.toContain(waiting.id);

    // g k: the backlog. The two overdue follow-ups in their bands; not the one still to come.
    await page.keyboard.press('g');
    await page.keyboard.press('k');
    await page.locator('[data-testid="follow-up-backlog-table"]').waitFor({ timeout: 15_000 });
    const bands = page.locator('[data-testid="follow-up-backlog-row"] [data-band]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="follow-up-backlog-row"]').length >= 2, undefined, { timeout: 15_000 });
    expect(await bands.evaluateAll((els) => els.map((e) => e.getAttribute('data-band')))).toEqual(['up_to_4_weeks', 'not_past_lcad']);
    // Where they wait: both on the partial booking list (booking items and ward forms would say so).
    expect(await page.locator('[data-testid="follow-up-backlog-sources"]').allInnerTexts()).toEqual(['1 on the list', '1 on the list']);
    // Enter opens the worst row's follow-ups on the list: the one with the clinician, past due.
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/partial-booking/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="partial-booking-row"]').length === 2, undefined, { timeout: 15_000 });
    const ids = await page.locator('[data-testid="partial-booking-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(ids).toEqual([review.id, invited.id]);
    await page.close();
  });
});
