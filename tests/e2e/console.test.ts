// The built console in headless Chromium against the real stack: an officer signs in, opens a work
// item from My work and completes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { referralBody } from '../support/fixtures';
import { assertConsoleBuilt, newConsolePage, launchChromium, uiDist } from '../support/browser';

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

describe('the console', () => {
  it('an officer signs in, opens a triage work item from My work and completes it', async () => {
    const officer = await stack.signIn('officer@demo.nhs.uk');
    const referral = await officer.post('/api/referrals', referralBody({ priority: 'two_week_wait', specialty: '101' }));
    const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');

    const page = await newConsolePage(browser);
    await page.goto(stack.url);
    await page.fill('input[name="username"]', 'officer@demo.nhs.uk');
    await page.fill('input[name="password"]', demoPassword);
    await page.click('button[type="submit"]');

    const row = page.locator(`[data-testid="work-item-row"][data-id="${triage.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await page.waitForURL(new RegExp(`/tasks/${triage.id}/show`));

    await page.check('input[name="decision"][value="accept"]');
    await page.click('input[name="clinicId"]');
    await page.locator('[role="option"]').filter({ hasText: 'Urology' }).first().click();
    await page.click('[data-testid="complete-task"]');
    // The notice says what was decided, for whom.
    await page.getByText('Referral for Ada Lovelace accepted as 2WW').waitFor({ timeout: 15_000 });

    const done = await officer.get(`/api/tasks/${triage.id}`);
    expect(done.status).toBe('done');
    expect(done.outcome).toMatchObject({ decision: 'accept', clinicalPriority: 'two_week_wait' });
    const booking = await officer.waitForOpenTask(referral.id, 'book_new_appointment');
    expect(booking.queueId).toBe('queue_2ww');
    await page.close();
  });

  it('refuses a wrong password on the sign-in page', async () => {
    const page = await newConsolePage(browser);
    await page.goto(stack.url);
    await page.fill('input[name="username"]', 'officer@demo.nhs.uk');
    await page.fill('input[name="password"]', 'wrong-password');
    await page.click('button[type="submit"]');
    await page.getByText(/not right/i).waitFor({ timeout: 10_000 });
    expect(page.url()).toContain('login');
    await page.close();
  });
});
