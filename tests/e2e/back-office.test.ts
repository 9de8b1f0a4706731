// Issue 14's back office in headless Chromium. An administrator makes a system client of the FHIR API: the token is
// shown once (copied by the button, gone when the dialog closes) and reads /fhir; revoked from the client's page after
// a confirm, it is refused (401). Ops see a booking the PAS rejected (the local PAS answers AR) in PAS messages, in
// words and with the PAS's reason, open it from the keyboard and send it again; the PAS accepts it. Another they set
// aside from its row with the reason asked for. Team leaders see neither screen; ops do not see System clients.
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { startLocalPas, type LocalPas } from '../../bin/lib/local-pas';
import { queryRows } from '../../db/client';
import { assertConsoleBuilt, inspectScreen, launchChromium, signInToConsole, uiDist } from '../support/browser';
import { freeSlot, referralAwaitingBooking } from '../support/fixtures';
import { startHl7FeedWorker, type FeedWorker } from '../support/hl7-feed-worker';
import { demoPassword, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let browser: Browser;
let pas: LocalPas;
let feed: FeedWorker;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;

beforeAll(async () => {
  assertConsoleBuilt();
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', uiDist });
  pas = await startLocalPas();
  feed = await startHl7FeedWorker(stack, pas);
  browser = await launchChromium();
  [officer, clinician] = await Promise.all([stack.signIn('officer@demo.nhs.uk'), stack.signIn('clinician@demo.nhs.uk')]);
});
afterAll(async () => {
  await browser?.close();
  feed?.stop();
  await pas?.stop();
  await stack?.stop();
});

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const fhirRead = (token: string) => fetch(`${stack.url}/fhir/Schedule/clin-2`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
/** Keys go to the page, not to the button that had focus. */
const blur = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

describe('System clients', () => {
  it('an administrator makes a client whose token is shown once and reads /fhir, then revokes it and the token is refused', async () => {
    const page = await signInToConsole(browser, stack.url, 'admin@demo.nhs.uk', demoPassword, { permissions: ['clipboard-read', 'clipboard-write'] });
    await page.locator('[data-testid="menu-system-clients"]').click();
    await page.locator('[data-testid="system-client-new"]').click();
    await page.locator('[data-testid="system-client-name"]').fill('Radiology booking system');
    await page.keyboard.press('Control+Enter');

    const token = page.locator('[data-testid="system-client-token"]');
    await token.waitFor();
    const value = await token.inputValue();
    expect(value).toMatch(/^adsys_/);
    expect(await page.locator('[data-testid="system-client-token-warning"]').innerText()).toContain('you will not see it again');
    await inspectScreen(page, 'admin-system-client-token', { ready: token });
    await page.locator('[data-testid="system-client-token-copy"]').click();
    await expect.poll(() => page.locator('[data-testid="system-client-token-copied"]').innerText()).toBe('Copied to the clipboard');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);
    expect(await fhirRead(value)).toBe(200);

    await page.locator('[data-testid="system-client-token-done"]').click();
    await token.waitFor({ state: 'detached' });
    const row = page.locator('[data-testid="system-client-row"]', { hasText: 'Radiology booking system' });
    await row.waitFor();
    expect(await page.content()).not.toContain(value); // shown once: nowhere on the page now
    await inspectScreen(page, 'admin-system-clients', { ready: row });

    // j/k/Enter as on other lists: Enter opens the highlighted client.
    await blur(page);
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    const detail = page.locator('[data-testid="system-client-detail"]');
    await detail.waitFor();
    await page.locator('[data-testid="system-client-revoke"]').click();
    const confirm = page.locator('[data-testid="system-client-revoke-dialog"]');
    expect(await confirm.innerText()).toContain('Revoke Radiology booking system?');
    await page.locator('[data-testid="system-client-revoke-confirm"]').click();
    await detail.locator('[data-status="revoked"]').waitFor();
    expect(await page.locator('[data-testid="system-client-revoke"]').count()).toBe(0);
    expect(await fhirRead(value)).toBe(401);
    await page.close();
  });
});

describe('PAS messages', () => {
  it('ops see a booking the PAS rejected, with its reason and no patient details, send it again from its page, and it is acknowledged', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician);
    const patient = await officer.get(`/api/patients/${referral.patientId}`);
    pas.addRule({ answer: 'AR', times: 1, nhsNumber: patient.nhsNumber, text: 'Unknown clinic code' });
    const slot = await freeSlot(officer, 'clin_2', 'new', new Date(Date.now() + 30 * 86_400_000).toISOString());
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    const [rejected] = await until('the booking rejected', () => queryRows<{ id: string }>(stack.db.db, sql`
      select id from hl7_messages where patient_id = ${patient.id} and status = 'rejected'`).then((r) => r.length > 0 && r));

    const page = await signInToConsole(browser, stack.url, 'ops@demo.nhs.uk', demoPassword);
    expect(await page.locator('[data-testid="menu-system-clients"]').count()).toBe(0);
    await page.locator('[data-testid="menu-pas-messages"]').click();
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Rejected by the PAS' }).click();
    const row = page.locator(`[data-testid="pas-message-row"][data-id="${rejected.id}"]`);
    await row.waitFor();
    await expect.poll(() => page.locator('[data-testid="pas-message-row"]').count()).toBe(1);
    const text = await row.innerText();
    expect(text).toContain('Appointment booked');
    expect(text).toContain('SIU^S12');
    expect(text).toContain('Rejected by the PAS');
    expect(text).toContain('Unknown clinic code');
    const screen = await page.locator('body').innerText();
    for (const identifier of [patient.nhsNumber, patient.familyName, patient.givenName]) expect(screen).not.toContain(identifier);
    await inspectScreen(page, 'ops-pas-messages', { ready: row });

    await blur(page);
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    const detail = page.locator('[data-testid="pas-message-detail"]');
    await detail.waitFor();
    await page.locator('[data-testid="pas-message-resend"]').click();
    const confirm = page.locator('[data-testid="pas-message-resend-dialog"]');
    expect(await confirm.innerText()).toContain('The PAS said: “Unknown clinic code”');
    await page.locator('[data-testid="pas-message-resend-confirm"]').click();
    // The page reads itself again while the message is on its way.
    await detail.locator('[data-status="acknowledged"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="pas-message-resend"]').count()).toBe(0);
    expect(pas.applied().filter((r) => r.nhsNumber === patient.nhsNumber).map((r) => [r.event, r.answer])).toEqual([['S12', 'AA']]);
    await page.close();
  });

  it('ops set a rejected message aside from its row, saying how the PAS was put right; it is not sent', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician);
    const patient = await officer.get(`/api/patients/${referral.patientId}`);
    pas.addRule({ answer: 'AR', times: 1, nhsNumber: patient.nhsNumber, text: 'Patient not registered' });
    const slot = await freeSlot(officer, 'clin_2', 'new', new Date(Date.now() + 31 * 86_400_000).toISOString());
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    const [rejected] = await until('the booking rejected', () => queryRows<{ id: string }>(stack.db.db, sql`
      select id from hl7_messages where patient_id = ${patient.id} and status = 'rejected'`).then((r) => r.length > 0 && r));

    const page = await signInToConsole(browser, stack.url, 'ops@demo.nhs.uk', demoPassword);
    await page.goto(`${stack.url}/#/pas-messages?${new URLSearchParams({ filter: JSON.stringify({ referralId: referral.id }) })}`);
    const row = page.locator(`[data-testid="pas-message-row"][data-id="${rejected.id}"]`);
    await row.locator('[data-status="rejected"]').waitFor();
    await row.locator('[data-testid="pas-message-set-aside"]').click();
    const dialog = page.locator('[data-testid="pas-message-set-aside-dialog"]');
    await page.keyboard.press('Control+Enter'); // no reason yet: said beside the field, nothing sent
    await dialog.getByText('Say how the PAS was put right').waitFor();
    await inspectScreen(page, 'ops-pas-message-set-aside', { ready: dialog });
    await page.locator('[data-testid="pas-message-set-aside-reason"]').fill('Booked in the PAS by hand');
    await page.keyboard.press('Control+Enter');
    await row.locator('[data-status="set_aside"]').waitFor();
    expect(await row.innerText()).toContain('set aside: Booked in the PAS by hand');
    expect(pas.received().filter((r) => r.nhsNumber === patient.nhsNumber).map((r) => r.answer)).toEqual(['AR']);
    await page.close();
  });

  it('team leaders have neither PAS messages nor System clients in the menu', async () => {
    const page = await signInToConsole(browser, stack.url, 'leader@demo.nhs.uk', demoPassword);
    expect(await page.locator('[data-testid="menu-pas-messages"]').count()).toBe(0);
    expect(await page.locator('[data-testid="menu-system-clients"]').count()).toBe(0);
    await page.close();
  });
});
