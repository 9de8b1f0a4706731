// e-RS in the console (issue 14): the local e-RS service releases referrals, the `ers-poll` Schedule brings them in,
// and an officer sees them on the Referrals list without reloading; an Appointment Slot Issue becomes an item in the
// e-RS slot issues queue, which the officer works from My work to a booking. Postgres, the Temporal dev server with the
// stack's e-RS option (the Schedule every 5 seconds), the built console and Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { queryRows } from '../../db/client';
import { seededRandom, syntheticNhsNumber } from '../../bin/lib/demo';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { nextUbrn } from '../support/fixtures';
import { assertConsoleBuilt, inspectScreen, launchChromium, signInToConsole, uiDist } from '../support/browser';

let stack: TestStack;
let browser: Browser;
let leader: AccessDeskClient;
let page: Page;

const rand = seededRandom(Date.now() % 100000);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
const ers = () => stack.ers!;

// Booked into Urology (rfr) and a 2WW Urology slot issue; held in e-RS until released.
const rfr = { ubrn: nextUbrn(), givenName: 'Hedy', familyName: 'Lamarr' };
const asi = { ubrn: nextUbrn(), givenName: 'Rosalind', familyName: 'Franklin' };

beforeAll(async () => {
  assertConsoleBuilt();
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', uiDist, ers: { pollSeconds: 5 } });
  browser = await launchChromium();
  // The API side as a team leader: signing in as the officer here would end the console's session (one per person).
  leader = await stack.signIn('leader@demo.nhs.uk');
  await ers().control.addReferrals(
    { ubrn: rfr.ubrn, worklist: 'REFERRALS_FOR_REVIEW', serviceId: '21002', priority: 'URGENT', pathwayStart: daysAgo(2), held: true,
      patient: { nhsNumber: syntheticNhsNumber(rand), givenName: rfr.givenName, familyName: rfr.familyName, dateOfBirth: '1954-11-09', postcode: 'L39 2AZ' },
      attachments: [{ title: 'Referral letter.txt', text: 'Raised PSA.' }] },
    { ubrn: asi.ubrn, worklist: 'APPOINTMENT_SLOT_ISSUES', serviceId: '21002', priority: 'TWO_WEEK_WAIT', pathwayStart: daysAgo(1), held: true,
      patient: { nhsNumber: syntheticNhsNumber(rand), givenName: asi.givenName, familyName: asi.familyName, dateOfBirth: '1950-07-25', postcode: 'L39 2AZ' } },
  );
  page = await signInToConsole(browser, stack.url, 'officer@demo.nhs.uk', demoPassword);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const referralRow = (ubrn: string) => page.locator('main tbody tr').filter({ hasText: ubrn });
const referralByUbrn = async (ubrn: string) => (await leader.list('referrals', { filter: { q: ubrn } }))[0];
const worklistEntry = async (ubrn: string) => (await queryRows<{ worklist: string; gone: boolean }>(stack.db.db,
  sql`select worklist, gone_at is not null as gone from ers_worklist_entries where ubrn = ${ubrn}`));
/** A poll has read the worklists since `since` (the Schedule's runs are the only readers here). */
const pollSince = async (since: string) => (await ers().control.requests()).some((r) => r.route === 'A008' && r.at > since);

describe('e-RS referrals on the console', () => {
  it('referrals the local e-RS releases appear on the officer\'s Referrals list with their UBRN, without a reload', async () => {
    await page.goto(`${stack.url}/#/referrals`);
    // No referrals yet: react-admin's empty page (it asks again like the list, and becomes the list).
    const listOrEmpty = page.locator('.RaList-main, .RaEmpty-message').first();
    await listOrEmpty.waitFor({ timeout: 15_000 });
    // Held in e-RS: a poll runs and brings neither in.
    const before = new Date().toISOString();
    await expect.poll(() => pollSince(before), { timeout: 30_000, interval: 500 }).toBe(true);
    await page.waitForTimeout(1_000);
    expect(await referralByUbrn(rfr.ubrn)).toBeUndefined();
    expect(await referralRow(rfr.ubrn).count()).toBe(0);
    expect(await referralRow(asi.ubrn).count()).toBe(0);
    await inspectScreen(page, 'officer-referrals-before-ers-release', { ready: listOrEmpty });

    // A marker on the page's window: a reload would lose it.
    await page.evaluate(() => { (window as unknown as { stillThisPage: boolean }).stillThisPage = true; });
    const released = await ers().control.release();
    expect(released.released.sort()).toEqual([rfr.ubrn, asi.ubrn].sort());

    // The next poll takes them in; the list asks again by itself (every 30 seconds) and shows them.
    for (const { ubrn, familyName } of [rfr, asi]) {
      const row = referralRow(ubrn);
      await row.waitFor({ timeout: 60_000 });
      const text = await row.innerText();
      expect(text).toContain(familyName);
      expect(text).toContain('e-RS');
      expect(text).toContain('Urology');
    }
    expect(await page.evaluate(() => (window as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
    await inspectScreen(page, 'officer-referrals-after-ers-release', { ready: referralRow(asi.ubrn) });

    const booked = await referralByUbrn(rfr.ubrn);
    expect(booked).toMatchObject({ source: 'ers', ubrn: rfr.ubrn, priority: 'urgent', specialtyCode: '101' });
    // Its row opens the referral, UBRN and all (the page once crashed on the list's record: "Something went wrong").
    await referralRow(rfr.ubrn).click();
    await page.waitForURL(new RegExp(`/referrals/${booked.id}/show`));
    const panel = page.locator('[data-testid="referral-panel"]');
    await panel.waitFor({ timeout: 15_000 });
    await inspectScreen(page, 'officer-ers-referral', { ready: panel });
    expect(await panel.innerText()).toContain(rfr.ubrn);
  }, 150_000);

  it('an Appointment Slot Issue becomes an item the officer works from My work to a booking; e-RS hears the acceptance', async () => {
    const referral = await referralByUbrn(asi.ubrn);
    expect(referral).toMatchObject({ source: 'ers', priority: 'two_week_wait' });
    const [item] = await leader.list('tasks', { filter: { referralId: referral.id, type: 'resolve_slot_issue' } });
    expect(item).toMatchObject({ status: 'open', queueId: 'queue_ers_asi', queueName: 'e-RS appointment slot issues' });

    // On My work; opened from its row.
    await page.goto(`${stack.url}/#/`);
    const row = page.locator(`[data-testid="work-item-row"][data-id="${item.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.innerText()).toContain(asi.familyName);
    await row.click();
    await page.waitForURL(new RegExp(`/tasks/${item.id}/show`));
    // Not yet triaged: the item says so and leads to the triage.
    const toTriage = page.locator('[data-testid="slot-issue-triage"]');
    await inspectScreen(page, 'officer-slot-issue-awaiting-triage', { ready: toTriage });
    expect(await page.locator('[data-testid="slot-issue-book"]').count()).toBe(0);
    await toTriage.click();
    await page.waitForURL(/\/tasks\/[^/]+\/show/);
    const form = page.locator('[data-testid="complete-task-form"][data-task-type="triage_referral"]');
    await form.waitFor({ timeout: 15_000 });
    await page.check('input[name="decision"][value="accept"]');
    await page.click('input[name="clinicId"]');
    await page.locator('[role="option"]').filter({ hasText: 'Urology' }).first().click();
    await page.click('[data-testid="complete-task"]');
    await page.getByText(`Referral for ${asi.givenName} ${asi.familyName} accepted as 2WW`).waitFor({ timeout: 15_000 });
    const booking = await leader.waitForOpenTask(referral.id, 'book_new_appointment');

    // Back on the slot issue: it now leads to the booking; the slot is picked from the keyboard.
    await page.goto(`${stack.url}/#/tasks/${item.id}/show`);
    const toBook = page.locator('[data-testid="slot-issue-book"]');
    await inspectScreen(page, 'officer-slot-issue-ready-to-book', { ready: toBook });
    await toBook.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/tasks/${booking.id}/show`));
    const slotField = page.locator('input[name="slotId"]');
    await slotField.waitFor({ timeout: 15_000 });
    await slotField.focus();
    await page.keyboard.press('ArrowDown');
    const firstSlot = page.locator('[role="option"]').first();
    await firstSlot.waitFor({ timeout: 15_000 });
    await inspectScreen(page, 'officer-book-slot-issue-referral', { ready: firstSlot });
    // ↓ before the free slots had loaded (or as they reloaded) highlights nothing: ↓ again until the first is.
    const highlighted = page.locator('[role="option"].Mui-focused');
    await expect.poll(async () => {
      if ((await highlighted.count()) === 0) await page.keyboard.press('ArrowDown');
      return highlighted.count();
    }, { timeout: 10_000, interval: 300 }).toBe(1);
    const chosen = await highlighted.innerText();
    await page.keyboard.press('Enter');
    await expect.poll(() => slotField.inputValue()).toBe(chosen);
    await page.keyboard.press('Control+Enter');
    await page.getByText(`Appointment booked for ${asi.givenName} ${asi.familyName}`).waitFor({ timeout: 15_000 });

    // The booking closed the slot issue; the appointment is there.
    const [appointment] = await leader.list('appointments', { filter: { referralId: referral.id, state: 'booked' } });
    expect(appointment).toBeDefined();
    expect(await leader.get(`/api/tasks/${item.id}`)).toMatchObject({ status: 'done', outcome: { closed: 'Closed: the referral was booked' } });
    await page.goto(`${stack.url}/#/tasks/${item.id}/show`);
    const status = page.locator('[data-testid="task-status"][data-status="done"]');
    await inspectScreen(page, 'officer-slot-issue-closed', { ready: status });
    await page.getByText('Closed: the referral was booked').waitFor({ timeout: 15_000 });

    // e-RS: the acceptance went back as a review outcome (A028, accept and book later) on a poll, and the referral
    // has left the Appointment Slot Issues worklist (our entry for it is marked gone).
    await expect.poll(async () => (await ers().control.referral(asi.ubrn))?.outcomes.map((o) => [o.action, o.detail.outcome]),
      { timeout: 30_000, interval: 500 }).toEqual([['A028', 'ACCEPT_REFER_BOOK_LATER']]);
    expect(await ers().control.referral(asi.ubrn)).toMatchObject({ state: 'AWAITING_BOOKING', worklist: 'APPOINTMENTS_FOR_BOOKING' });
    await expect.poll(() => worklistEntry(asi.ubrn), { timeout: 30_000, interval: 500 }).toEqual([{ worklist: 'APPOINTMENT_SLOT_ISSUES', gone: true }]);
  }, 180_000);
});
