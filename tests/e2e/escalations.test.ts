// The Escalations list in headless Chromium against the real stack, walked as a team leader would: the most pressing
// first, the reason once, NHS numbers on one line; narrowed by search, level, specialty, priority and "assigned to
// me"; a row opens the item (which says what was escalated and links to it), the patient opens the referral; and
// once the referral is booked its escalations show under Closed, saying who booked it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDays, workingDaysBefore } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { londonToday } from '../../bin/lib/system';

// About `days` days ago, placed so that its rungs up to that day fell on a working day already begun: a rung due on a
// weekend fires at the next working day's start, so "nine days ago" read early on a Monday had its day 7 still to come.
const receivedDaysAgo = (days: number) => addDays(workingDaysBefore(londonToday(), 2), 2 - days);
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { freeSlot, referralBody } from '../support/fixtures';
import { assertConsoleBuilt, inspectScreen, launchChromium, signInToConsole, timeScreen, uiDist } from '../support/browser';

let stack: TestStack;
let browser: Browser;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
let admin: AccessDeskClient;

beforeAll(async () => {
  assertConsoleBuilt();
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', uiDist });
  browser = await launchChromium();
  [officer, clinician, admin] = await Promise.all(['officer', 'clinician', 'admin'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 150));
  }
}

const escalationTypes = ['escalation_review', 'capacity_escalation'];

/** A referral received `daysAgo` days ago and triaged, with the escalations its booking ladder has raised by now. */
async function lateReferral(priority: string, daysAgo: number, specialty: string, clinicId: string, patient: Record<string, unknown>, rungs: number) {
  const body = referralBody({ priority, receivedAt: receivedDaysAgo(daysAgo), specialty });
  const referral = await officer.post('/api/referrals', { ...body, patient: { ...body.patient, ...patient } });
  const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');
  await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'accept', clinicId, clinicalPriority: priority });
  const booking = await officer.waitForOpenTask(referral.id, 'book_new_appointment');
  const escalations = await waitFor(
    () => admin.list('tasks', { filter: { referralId: referral.id, type: escalationTypes } }),
    (e) => e.length === rungs,
  );
  expect(escalations).toHaveLength(rungs);
  return { referral, booking, escalations, nhsNumber: body.patient.nhsNumber as string };
}

const rows = (page: Page) => page.locator('[data-testid="escalations-table"] tbody tr');
const rowIds = (page: Page) => page.locator('[data-testid="escalation-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));

/** Waits until the table shows exactly these escalation ids, in this order. */
async function showsExactly(page: Page, ids: string[]) {
  await page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll('[data-testid="escalation-row"]')].map((e) => e.getAttribute('data-id'))) === JSON.stringify(want),
    ids, { timeout: 15_000 },
  );
}

describe('the Escalations list', () => {
  it('a team leader narrows, opens and follows escalations, and sees them closed once the referral is booked', async () => {
    const skin = await lateReferral('two_week_wait', 9, '101', 'clin_11', { givenName: 'Esme', familyName: 'Skinner' }, 2);
    const ortho = await lateReferral('urgent', 20, '110', 'clin_3', { givenName: 'Otto', familyName: 'Bones' }, 1);
    // One of Esme's given to the team leader, before the leader signs in (one session per person).
    await admin.post(`/api/tasks/${skin.escalations[0].id}/assign`, { assigneeId: 'staff_leader' });

    const page = await signInToConsole(browser, stack.url, 'leader@demo.nhs.uk', demoPassword);
    page.setDefaultTimeout(15_000);
    await page.click('[data-testid="menu-escalations"]');
    await inspectScreen(page, 'team-leader-escalations', { ready: page.locator('[data-testid="escalation-row"]') });
    await timeScreen(page, 'team-leader-escalations', `${stack.url}/#/escalations`, page.locator('[data-testid="escalation-row"]'));

    // Most pressing first: the two-week-wait escalations above the urgent one.
    const all = [...skin.escalations.map((e: any) => e.id), ortho.escalations[0].id];
    await showsExactly(page, all);
    // The reason once per row (it was shown twice), and the NHS number on one line.
    const first = rows(page).first();
    const reasonText = 'Two week wait referral not booked by day 3';
    expect((await first.innerText()).split(reasonText).length - 1).toBe(1);
    const nhs = first.getByText(/^NHS /);
    expect(await nhs.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('nowrap');
    expect(await nhs.innerText()).toBe(`NHS ${skin.nhsNumber.slice(0, 3)}\u00a0${skin.nhsNumber.slice(3, 6)}\u00a0${skin.nhsNumber.slice(6)}`);
    const box = (await nhs.boundingBox())!;
    const lineHeight = await nhs.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
    expect(box.height).toBeLessThan(lineHeight * 1.5);

    // A link can carry the filter (a home page card): operations' open escalations only.
    await page.goto(`${stack.url}/#/escalations?${new URLSearchParams({ filter: JSON.stringify({ type: 'capacity_escalation', open: 'true' }) })}`);
    await showsExactly(page, [skin.escalations[1].id]);
    await page.click('[data-testid="menu-escalations"]');
    await page.getByRole('combobox', { name: 'Escalated to' }).click();
    await page.getByRole('listbox').getByText('Team leader or operations').click();
    await showsExactly(page, all);

    // Search by NHS number as it is written on a letter, then by name.
    const search = page.getByRole('textbox', { name: 'Search patient name or NHS number' });
    await search.fill(`${ortho.nhsNumber.slice(0, 3)} ${ortho.nhsNumber.slice(3, 6)} ${ortho.nhsNumber.slice(6)}`);
    await showsExactly(page, [ortho.escalations[0].id]);
    await search.fill('esme skinner');
    await showsExactly(page, skin.escalations.map((e: any) => e.id));
    await search.fill('');
    await showsExactly(page, all);

    // Level: operations only; then any level again.
    await page.getByRole('combobox', { name: 'Escalated to' }).click();
    await page.getByRole('option', { name: 'Operations' }).click();
    await showsExactly(page, [skin.escalations[1].id]);
    await page.getByRole('combobox', { name: 'Escalated to' }).click();
    await page.getByRole('listbox').getByText('Team leader or operations').click(); // the empty choice: named "Clear value"
    // Priority and specialty.
    await page.getByRole('combobox', { name: 'Priority' }).click();
    await page.getByRole('option', { name: /urgent/i }).first().click();
    await showsExactly(page, [ortho.escalations[0].id]);
    await page.getByRole('combobox', { name: 'Priority' }).click();
    await page.getByRole('listbox').getByText('Any priority').click();
    await page.getByRole('combobox', { name: 'Specialty' }).click();
    await page.getByRole('option', { name: 'Urology' }).click();
    await showsExactly(page, skin.escalations.map((e: any) => e.id));
    // Assigned to me, from the keyboard.
    const mine = page.getByLabel('Assigned to me');
    await mine.press('Space');
    await showsExactly(page, [skin.escalations[0].id]);
    await inspectScreen(page, 'team-leader-escalations-filtered', { ready: page.locator('[data-testid="escalation-row"]') });
    await mine.press('Space');
    await showsExactly(page, skin.escalations.map((e: any) => e.id));

    // Keyboard: j moves to the second row, Enter opens it: the item says what was escalated and links to it.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.hash.includes(`/tasks/${id}/show`), skin.escalations[1].id);
    const escalatedLink = page.locator('[data-testid="escalated-task-link"]');
    await inspectScreen(page, 'team-leader-escalation-item', { ready: escalatedLink });
    expect(await escalatedLink.getAttribute('href')).toContain(skin.booking.id);
    // What was escalated and where it stands, why (once, as a sentence), and to whom.
    expect(await page.getByTestId('escalated-item-state').innerText()).toMatch(/^Open · unassigned · due /);
    expect(await page.getByTestId('escalation-why').innerText()).toBe('Two week wait referral not booked by day 7');
    await page.goBack();

    // The patient's name opens the referral.
    await page.locator('[data-testid="escalation-row"]').first().waitFor();
    await rows(page).first().getByTestId('escalation-referral-link').click();
    await page.waitForFunction((id) => location.hash.includes(`/referrals/${id}/show`), skin.referral.id);
    await inspectScreen(page, 'team-leader-escalation-referral', { ready: page.locator('[data-testid="referral-timeline"]') });

    // Booked: Esme's escalations leave Open and show under Closed, saying who booked and when.
    const slot = await freeSlot(officer, 'clin_11', 'two_week_wait');
    await officer.post(`/api/tasks/${skin.booking.id}/complete`, { slotId: slot.id });
    await waitFor(() => admin.list('tasks', { filter: { referralId: skin.referral.id, type: escalationTypes, open: true } }), (e) => e.length === 0);
    await page.click('[data-testid="menu-escalations"]');
    await showsExactly(page, []);
    await page.getByRole('combobox', { name: 'Showing' }).click();
    await page.getByRole('option', { name: 'Closed' }).click();
    await showsExactly(page, skin.escalations.map((e: any) => e.id));
    const today = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' }).format(new Date());
    expect(await page.locator('[data-testid="escalation-outcome"]').allInnerTexts())
      .toEqual([`Closed: booked on ${today} by Olivia Officer`, `Closed: booked on ${today} by Olivia Officer`]);
    await inspectScreen(page, 'team-leader-escalations-closed', { ready: page.locator('[data-testid="escalation-outcome"]') });

    // A closed escalation's page says how it closed, and that the item it escalated is done.
    await rows(page).first().click();
    const how = page.getByTestId('escalation-closed');
    await inspectScreen(page, 'team-leader-escalation-closed-item', { ready: how });
    expect(await how.innerText()).toBe(`Closed: booked on ${today} by Olivia Officer`);
    await page.getByTestId('escalated-item-state').waitFor();
    expect(await page.getByTestId('escalated-item-state').innerText()).toMatch(/^Done · by Olivia Officer · /);
  }, 150_000); // some thirty steps in the browser and four pathways: 48 s alone, past 60 s beside another file
});
