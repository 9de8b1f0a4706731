// The built console in headless Chromium against the real stack (issue 12): an officer taking a call goes to Enquiry
// with g then n, finds the patient by NHS number written with spaces, sees the open pathway, logs the call from the
// keyboard, and the bell counts the work item a team leader then moves to her; opening it marks it read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { referralAwaitingBooking, referralBody } from '../support/fixtures';
import { assertConsoleBuilt, launchChromium, signInToConsole, uiDist } from '../support/browser';

let stack: TestStack;
let browser: Browser;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
let leader: AccessDeskClient;

beforeAll(async () => {
  assertConsoleBuilt();
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', uiDist });
  browser = await launchChromium();
  [officer, clinician, leader] = await Promise.all(['officer', 'clinician', 'leader'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('a patient on the phone', () => {
  it('finds the patient by NHS number, sees the pathway, logs the call, and the bell counts work moved to her', async () => {
    const body = referralBody({ specialty: '101' });
    const patient = { ...body.patient, givenName: 'Phoebe', familyName: 'Caller' };
    const { referral, booking } = await referralAwaitingBooking(officer, clinician, { patient });
    const n = patient.nhsNumber as string;

    const page = await signInToConsole(browser, stack.url, 'officer@demo.nhs.uk', demoPassword);
    await page.locator('[data-testid="home"]').waitFor();
    await page.keyboard.press('g');
    await page.keyboard.press('n');
    const q = page.locator('[data-testid="enquiry-q"]');
    await q.waitFor();
    await q.fill(`${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`);
    await q.press('Enter');

    const card = page.locator('[data-testid="enquiry-patient"]');
    await card.waitFor();
    expect(await card.locator('h2').textContent()).toBe('Phoebe Caller');
    const pathway = card.locator('[data-testid="enquiry-pathways"] tbody tr');
    expect(await pathway.count()).toBe(1);
    expect(await pathway.textContent()).toMatch(/Awaiting booking.*Week \d+.*None booked.*Book new appointment/);

    // Log the call without the mouse: the button, the fields, Ctrl+Enter.
    await card.locator('[data-testid="log-contact-open"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="log-contact-summary"]').fill('Asked how long the wait is; gave the expected date');
    await page.locator('[data-testid="log-contact-outcome"]').selectOption('information_given');
    await page.keyboard.press('Control+Enter');
    await page.locator('[data-testid="log-contact"]').waitFor({ state: 'detached' });
    const logged = card.locator('[data-testid="enquiry-contacts"] tbody tr');
    await logged.first().waitFor();
    expect(await logged.count()).toBe(1);
    expect(await logged.textContent()).toMatch(/Phone call.*From the patient.*gave the expected date.*About the .* referral.*Information given.*Olivia Officer/);
    // Read as the leader: the officer's API session would end the browser's (one session per person).
    const [contact] = await leader.list('contacts', { filter: { patientId: referral.patientId } });
    expect(contact).toMatchObject({ referralId: referral.id, outcome: 'information_given' });

    // A team leader moves the booking item to her: the bell counts it (on its next poll, or at once on a reload).
    expect(await page.locator('[data-testid="bell"]').getAttribute('data-count')).toBe('0');
    await leader.post(`/api/tasks/${booking.id}/assign`, { assigneeId: 'staff_officer' });
    await page.reload();
    await page.locator('[data-testid="bell"][data-count="1"]').waitFor();
    await page.locator('[data-testid="bell"]').click();
    const item = page.locator('[data-testid="bell-item"]');
    await item.first().waitFor();
    expect(await item.count()).toBe(1);
    expect(await item.textContent()).toContain('Leah Leader moved a work item to you');
    await page.keyboard.press('ArrowDown');
    await item.press('Enter');
    await page.waitForURL(new RegExp(`/tasks/${booking.id}/show`));
    await page.locator('[data-testid="bell"][data-count="0"]').waitFor();
    await page.close();
  }, 120_000);
});
