// The built console in headless Chromium against the real stack: each role's home answers "what needs me now"
// with cards whose lists show the card's number; Export downloads the list on screen with its filters; a
// person saves the filters of a list under a name and picks them again later.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { addDays } from '../../domain';
import { referralBody } from '../support/fixtures';
import { insertRttPathways } from '../support/rtt-fixtures';
import { parseCsv } from '../support/csv';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { assertConsoleBuilt, inspectScreen, launchChromium, signInToConsole, timeScreen, uiDist } from '../support/browser';

let stack: TestStack;
let browser: Browser;
let officer: AccessDeskClient;
let today: string;
// A word only this file's patients carry, so a search finds exactly them.
const tag = `Hx${Date.now().toString(36)}`;

beforeAll(async () => {
  assertConsoleBuilt();
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', uiDist });
  browser = await launchChromium();
  officer = await stack.signIn('officer@demo.nhs.uk');
  today = stack.today();
  // Four referrals to triage in Olivia's queues: one received 122 days ago (breaches in 4 days), one urgent.
  const referrals = [];
  for (const overrides of [
    { receivedAt: addDays(today, -122) }, { priority: 'urgent' }, {}, {},
  ]) {
    const body = referralBody({ specialty: '101', ...overrides });
    referrals.push(await officer.post('/api/referrals', { ...body, patient: { ...body.patient, familyName: `${tag}${referrals.length}` } }));
  }
  const items = await Promise.all(referrals.map((r) => officer.waitForOpenTask(r.id, 'triage_referral')));
  // Olivia is working on one of them.
  await officer.post(`/api/tasks/${items[2].id}/claim`);
  // The PTL for ops: one breached, one breaching this week, one over 52 weeks.
  await insertRttPathways(stack.db.db, [
    { familyName: `${tag}Ptl1`, specialtyCode: '101', state: 'awaiting_booking', periods: [{ clockStart: addDays(today, -140) }] },
    { familyName: `${tag}Ptl2`, specialtyCode: '101', state: 'awaiting_booking', periods: [{ clockStart: addDays(today, -122) }] },
    { familyName: `${tag}Ptl3`, specialtyCode: '110', state: 'awaiting_booking', periods: [{ clockStart: addDays(today, -380) }] },
  ], 'staff_officer');
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const signInAs = (email: string): Promise<Page> => signInToConsole(browser, stack.url, email, demoPassword, { acceptDownloads: true });

const card = (page: Page, key: string): Locator => page.locator(`[data-testid="home-card-${key}"]`);
async function cardCount(page: Page, key: string): Promise<number> {
  const count = card(page, key).locator('[data-testid="home-card-count"]');
  await count.waitFor({ timeout: 15_000 });
  return Number((await count.innerText()).replace(/,/g, ''));
}
/** The total a react-admin list says it has ("1-25 of 123"), or 0 when it shows its empty state. */
async function listTotal(page: Page): Promise<number> {
  const rows = page.locator('.MuiTablePagination-displayedRows');
  await rows.first().waitFor({ timeout: 15_000 });
  const text = await rows.first().innerText();
  return Number(/of\s+([\d,]+)/.exec(text)?.[1]?.replace(/,/g, '') ?? 'NaN');
}

/** Menus and dialogs fade in: axe reads colours mid-fade as low contrast, so check once they are fully shown. */
const fadedIn = (page: Page) => page.waitForFunction(() =>
  [...document.querySelectorAll('.MuiPopover-paper, .MuiDialog-container')].every((e) => getComputedStyle(e).opacity === '1'));

/** Opens a card's list and checks the list shows the card's number. */
async function opensToItsNumber(page: Page, key: string, screen: string): Promise<number> {
  const n = await cardCount(page, key);
  await card(page, key).locator('a').click();
  // The home (with My work's own pagination) gone, the list's total is the card's.
  await page.locator('[data-testid="home"]').waitFor({ state: 'detached' });
  await expect.poll(() => listTotal(page), { message: `the list opened from the ${key} card` }).toBe(n);
  // The pointer was on the card; on the list it would hover a row (hover colours are the list's own screen's concern).
  await page.mouse.move(0, 0);
  await inspectScreen(page, screen, { ready: page.locator('.MuiTablePagination-displayedRows') });
  await page.goBack();
  await page.locator('[data-testid="home"]').waitFor();
  return n;
}

describe('the home page, per role', () => {
  it('an officer sees what she has claimed, what waits in her queues and what breaches this week, each opening its list', async () => {
    const page = await signInAs('officer@demo.nhs.uk');
    await timeScreen(page, 'officer-home', `${stack.url}/#/`, card(page, 'claimed').locator('[data-testid="home-card-count"]'));
    await inspectScreen(page, 'officer-home', { ready: page.locator('[data-testid="my-work"]') });
    expect(await cardCount(page, 'claimed')).toBe(1);
    // The three triage items she has not claimed, and whatever else the pathways raised in her queues.
    expect(await cardCount(page, 'waiting')).toBeGreaterThanOrEqual(3);
    // The referral received 122 days ago breaches in 4 days.
    expect(await cardCount(page, 'breaching')).toBeGreaterThanOrEqual(1);
    await opensToItsNumber(page, 'claimed', 'officer-home-claimed');
    await opensToItsNumber(page, 'waiting', 'officer-home-waiting');
    await opensToItsNumber(page, 'breaching', 'officer-home-breaching');
    // My work stays on the home page, under the cards.
    await expect(page.locator('[data-testid="my-work"]').isVisible()).resolves.toBe(true);
    await page.close();
  });

  it('a team leader sees escalations, overdue and unclaimed work, breaches and leave above the team dashboard', async () => {
    const page = await signInAs('leader@demo.nhs.uk');
    await timeScreen(page, 'leader-home', `${stack.url}/#/`, card(page, 'unclaimed').locator('[data-testid="home-card-count"]'));
    await page.locator('[data-testid="team-dashboard"]').waitFor();
    await inspectScreen(page, 'leader-home', { ready: page.locator('[data-testid="team-officer-row"]') });
    expect(await cardCount(page, 'unclaimed')).toBeGreaterThanOrEqual(3);
    await opensToItsNumber(page, 'unclaimed', 'leader-home-unclaimed');
    await opensToItsNumber(page, 'breaching', 'leader-home-breaching');
    await page.close();
  });

  it('ops see capacity escalations and the breach outlook of the PTL', async () => {
    const page = await signInAs('ops@demo.nhs.uk');
    await timeScreen(page, 'ops-home', `${stack.url}/#/`, card(page, 'breach-week').locator('[data-testid="home-card-count"]'));
    await inspectScreen(page, 'ops-home', { ready: card(page, 'over-52').locator('[data-testid="home-card-count"]') });
    await opensToItsNumber(page, 'capacity', 'ops-home-capacity');
    // Breached 14 days ago; 380 days waiting (breached long ago); breaching in 4 days.
    expect(await cardCount(page, 'breached')).toBeGreaterThanOrEqual(2);
    expect(await cardCount(page, 'over-52')).toBeGreaterThanOrEqual(1);
    const week = await opensToItsNumber(page, 'breach-week', 'ops-home-breach-week');
    expect(week).toBeGreaterThanOrEqual(3);
    await opensToItsNumber(page, 'over-52', 'ops-home-over-52');
    await page.close();
  });

  it('a clinician sees referrals waiting for triage and reviews', async () => {
    const page = await signInAs('clinician@demo.nhs.uk');
    await timeScreen(page, 'clinician-home', `${stack.url}/#/`, card(page, 'triage').locator('[data-testid="home-card-count"]'));
    await inspectScreen(page, 'clinician-home', { ready: card(page, 'dna').locator('[data-testid="home-card-count"]') });
    // Four referrals to triage, less the one Olivia has claimed.
    expect(await cardCount(page, 'triage')).toBe(3);
    await opensToItsNumber(page, 'triage', 'clinician-home-triage');
    expect(await cardCount(page, 'dna')).toBe(0);
    await page.close();
  });
});

describe('export and saved filters', () => {
  it('Export on the referrals list downloads the rows on screen, with the search and filter applied', async () => {
    const page = await signInAs('officer@demo.nhs.uk');
    const filter = encodeURIComponent(JSON.stringify({ q: tag, priority: 'routine' }));
    await timeScreen(page, 'officer-referrals-filtered', `${stack.url}/#/referrals?filter=${filter}`, page.locator('.MuiTablePagination-displayedRows'));
    await inspectScreen(page, 'officer-referrals-filtered', { ready: page.locator('[data-testid="export-referrals"]') });
    // Three routine referrals registered here and the three PTL patients.
    expect(await listTotal(page)).toBe(6);
    const shown = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.locator('[data-testid="export-referrals"]').click()]);
    expect(download.suggestedFilename()).toBe(`referrals-${today}.csv`);
    const [header, ...rows] = parseCsv(await readFile((await download.path())!, 'utf8'));
    expect(header[0]).toBe('Patient');
    expect(rows).toHaveLength(6);
    // The same patients in the same order as the list (received newest first).
    rows.forEach((row, i) => expect(shown[i]).toContain(row[0]));
    expect(rows.every((row) => row[header.indexOf('Priority')] === 'Routine')).toBe(true);
    await page.close();
  });

  it('an officer saves a filter on the work items under a name, leaves, comes back and picks it: the list is filtered again', async () => {
    const page = await signInAs('officer@demo.nhs.uk');
    const urgent = encodeURIComponent(JSON.stringify({ q: tag, priority: 'urgent', status: ['open', 'claimed'] }));
    await page.goto(`${stack.url}/#/tasks?filter=${urgent}`);
    expect(await listTotal(page)).toBe(1);
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByRole('menuitem', { name: /Save current query/ }).click();
    await page.getByLabel('Query name').fill('Urgent triage of mine');
    await fadedIn(page);
    await inspectScreen(page, 'officer-save-filter', { ready: page.getByRole('dialog') });
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    // Clear the filters and go elsewhere.
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByRole('menuitem', { name: 'Remove all filters' }).click();
    await expect.poll(() => listTotal(page)).toBeGreaterThan(1);
    await page.goto(`${stack.url}/#/referrals`);
    await page.locator('.MuiTablePagination-displayedRows').waitFor();
    // Back to the work items: the saved filter is there to pick, from the keyboard.
    await page.goto(`${stack.url}/#/tasks`);
    await expect.poll(() => listTotal(page)).toBeGreaterThan(1);
    await page.getByRole('button', { name: 'Add filter' }).focus();
    await page.keyboard.press('Enter');
    const saved = page.getByRole('menuitem', { name: 'Urgent triage of mine' });
    await saved.waitFor();
    await fadedIn(page);
    await inspectScreen(page, 'officer-saved-filters-menu', { ready: saved });
    await saved.click();
    await expect.poll(() => listTotal(page)).toBe(1);
    expect(decodeURIComponent(page.url())).toContain('"priority":"urgent"');
    await page.close();
  });
});
