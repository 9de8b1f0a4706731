// The Outbox in headless Chromium against the real stack (issue 12): an officer finds the letter a booking wrote
// for a patient, opens it, and its PDF link answers a PDF; the patient's and referral's pages list it too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { communicationStatusLabels } from '../../domain/labels';
import { displayNhsNumber } from '../../admin-ui/src/components/nhs-number';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking } from '../support/fixtures';
import { assertConsoleBuilt, inspectScreen, launchChromium, signInToConsole, uiDist } from '../support/browser';

let stack: TestStack;
let browser: Browser;
// The API work is Omar's and the clinician's: signing Olivia in here would end her console session.
let officer2: AccessDeskClient;
let clinician: AccessDeskClient;

beforeAll(async () => {
  assertConsoleBuilt();
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', uiDist });
  browser = await launchChromium();
  [officer2, clinician] = await Promise.all(['officer2', 'clinician'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the Outbox', () => {
  it('an officer finds a patient’s letter by NHS number, opens it, and the PDF link answers a PDF', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer2, clinician, { specialty: '101' });
    const slot = await freeSlot(officer2, 'clin_2', 'new');
    await officer2.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    const [letter] = await officer2.list('communications', { filter: { referralId: referral.id, channel: 'letter' } });
    expect(letter).toMatchObject({ template: 'appointment_confirmation', patientId: referral.patientId });

    const page = await signInToConsole(browser, stack.url, 'officer@demo.nhs.uk', demoPassword);
    await page.locator('[data-testid="menu-my-work"]').waitFor({ timeout: 15_000 });
    // g then o, from anywhere.
    await page.keyboard.press('g');
    await page.keyboard.press('o');
    const search = page.getByPlaceholder('Patient name or NHS number');
    await search.waitFor({ timeout: 15_000 });
    expect(page.url()).toContain('#/communications');
    await search.fill(displayNhsNumber(referral.nhsNumber)); // as written on a letter, with its spaces
    const rows = page.locator('main tbody tr');
    await page.waitForFunction((nhs) => {
      const found = [...document.querySelectorAll('main tbody tr')];
      return found.length === 1 && found[0].textContent!.includes(nhs);
    }, displayNhsNumber(referral.nhsNumber), { timeout: 15_000 });
    const row = rows.first();
    expect(await row.innerText()).toContain('Appointment confirmation');
    expect(Object.values(communicationStatusLabels)).toContain(await row.locator('[data-testid="communication-status"] .MuiChip-label').innerText());
    await inspectScreen(page, 'officer-outbox-search', { ready: row });

    await row.locator('td').first().click();
    const pdfLink = page.locator('[data-testid="letter-pdf-link"]');
    await pdfLink.waitFor({ timeout: 15_000 });
    expect(page.url()).toContain(`/communications/${letter.id}/show`);
    expect(await page.locator('[data-testid="communication-body"]').innerText()).toContain('If you cannot come');
    await inspectScreen(page, 'officer-communication-show', { ready: pdfLink });

    // A link the keyboard reaches, opening a PDF: fetched as the browser would, with the officer's session.
    await pdfLink.focus();
    expect(await pdfLink.evaluate((a) => a === document.activeElement && a.tagName)).toBe('A');
    const href = await pdfLink.getAttribute('href');
    expect(href).toBe(`/api/communications/${letter.id}/letter.pdf`);
    const pdf = await page.request.get(`${stack.url}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // The referral's Communications panel lists the same letter.
    await page.goto(`${stack.url}/#/referrals/${referral.id}/show`);
    const listed = page.locator(`[data-testid="referral-communications"] [data-testid="communication-row"][data-id="${letter.id}"]`);
    await listed.waitFor({ timeout: 15_000 });
    expect(await listed.locator('[data-testid="letter-pdf-link"]').getAttribute('href')).toBe(href);
    await page.close();
  });
});
