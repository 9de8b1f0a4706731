// An officer records a patient's interpreter need on the patient page, books the appointment from the work item,
// sees the interpreter item flagged with the need, and completes it: the appointment then says the interpreter is
// booked (issue 12). The lead adds the Outbox's letter once the Outbox lands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { assertConsoleBuilt, inspectScreen, launchChromium, signInToConsole, uiDist } from '../support/browser';
import { referralAwaitingBooking } from '../support/fixtures';

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

describe('an interpreter for a patient who needs one', () => {
  it('is recorded on the patient page, raised by the booking, flagged, and booked', async () => {
    // The API side as a team leader: signing in as the officer here would end the console's session (one per person).
    const [leader, clinician] = await Promise.all(['leader', 'clinician'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
    const { referral, booking } = await referralAwaitingBooking(leader, clinician);
    const page = await signInToConsole(browser, stack.url, 'officer@demo.nhs.uk', demoPassword);

    // The need, recorded from the keyboard: n opens the dialog, Enter in a field saves.
    await page.goto(`${stack.url}/#/patients/${referral.patientId}/show`);
    const card = page.locator('[data-testid="patient-communication-needs"]');
    await card.getByText('No accessible information, interpreter or carer needs recorded.').waitFor({ timeout: 15_000 });
    await page.keyboard.press('n');
    const dialog = page.locator('[data-testid="communication-needs"]');
    await dialog.waitFor();
    await dialog.getByLabel('Letters in large print').check();
    const language = dialog.getByTestId('communication-needs-language');
    await language.fill('Polish');
    await inspectScreen(page, 'officer-communication-needs-dialog', { ready: dialog });
    await language.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await card.getByTestId('communication-needs-flag').filter({ hasText: 'Interpreter: Polish · Large print' }).waitFor();
    await inspectScreen(page, 'officer-patient-with-needs', { ready: card });

    // The booking item carries the flag; booking it raises the interpreter item.
    await page.goto(`${stack.url}/#/tasks/${booking.id}/show`);
    await page.locator('[data-testid="task-summary"] [data-testid="communication-needs-flag"]').waitFor({ timeout: 15_000 });
    await page.click('input[name="slotId"]');
    await page.keyboard.press('ArrowDown');
    await page.locator('[role="option"]').first().click();
    await page.click('[data-testid="complete-task"]');
    // The console says so and goes back to My work once the booking is done; going on before that raced its redirect.
    await page.getByText('Appointment booked for Ada Lovelace').waitFor({ timeout: 15_000 });
    const item = await leader.waitForOpenTask(referral.id, 'book_interpreter');
    expect(item.payload).toMatchObject({ language: 'Polish' });

    // On My work, flagged; on its page, the need and the form.
    await page.goto(`${stack.url}/#/`);
    const row = page.locator(`[data-testid="work-item-row"][data-id="${item.id}"]`);
    await row.getByTestId('communication-needs-flag').waitFor({ timeout: 15_000 });
    await row.click();
    await page.waitForURL(new RegExp(`/tasks/${item.id}/show`));
    const form = page.locator('[data-testid="complete-task-form"][data-task-type="book_interpreter"]');
    const need = form.getByText('Interpreter needed: Polish');
    await need.waitFor({ timeout: 15_000 });
    await inspectScreen(page, 'officer-task-book-interpreter', { ready: need });
    await page.check('input[name="outcome"][value="booked"]');
    await page.fill('input[name="reference"]', 'LanguageLine 55821');
    await page.click('[data-testid="complete-task"]');
    await page.getByText('Interpreter booked for Ada Lovelace').waitFor({ timeout: 15_000 });

    // The referral's appointment says so.
    await page.goto(`${stack.url}/#/referrals/${referral.id}/show`);
    const interpreter = page.locator('[data-testid="referral-appointments"] [data-testid="appointment-interpreter"]');
    await interpreter.waitFor({ timeout: 15_000 });
    expect(await interpreter.innerText()).toBe('Interpreter booked (LanguageLine 55821)');

    // The confirmation letter, in large print, is in the Outbox (g then o).
    await page.keyboard.press('g');
    await page.keyboard.press('o');
    const search = page.getByPlaceholder('Patient name or NHS number');
    await search.waitFor({ timeout: 15_000 });
    await search.fill(referral.nhsNumber);
    const letter = page.locator('main tbody tr').filter({ hasText: 'Appointment confirmation' }).filter({ hasText: 'Letter' });
    await letter.first().waitFor({ timeout: 15_000 });
    expect(await letter.first().innerText()).toMatch(/large print/i);
    await page.close();
  }, 180_000);
});
