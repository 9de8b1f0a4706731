// The built console in headless Chromium against the real stack: an officer works the PTL by keyboard,
// finds a pathway waiting over 52 weeks, opens it and reads why its clock is where it is, then exports
// the view; and the Returns screen shows a month's Part 2 total. Pathways are written straight to the
// RTT tables (tests/support/rtt-fixtures.ts), with their dated events, so the clock explains them.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDays, rttRuleFor } from '../../domain';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { clearRttPathways, insertRttPathways } from '../support/rtt-fixtures';
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

// How the console writes a calendar date: "Fri 14 Nov 2025".
const ddmmyyyy = (iso: string) => new Date(`${iso}T12:00:00Z`)
  .toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).replace(/,/g, '');

/** The last day of the month before today's: the census of the last complete month. */
function lastMonthCensus(today: string): { month: string; census: string } {
  const census = addDays(`${today.slice(0, 7)}-01`, -1);
  return { month: census.slice(0, 7), census };
}

describe('the PTL and the returns in the console', () => {
  it('an officer finds a 52-week pathway on the PTL, reads why its clock is where it is, and exports the view', async () => {
    const today = stack.today();
    const longStart = addDays(today, -380); // week band 55: over 52 weeks
    const [longWait, recent, middling] = await insertRttPathways(stack.db.db, [
      { specialtyCode: '101', familyName: 'Longwait', state: 'awaiting_booking', periods: [{ clockStart: longStart }] },
      { specialtyCode: '101', familyName: 'Recent', state: 'awaiting_booking', periods: [{ clockStart: addDays(today, -30) }] },
      { specialtyCode: '101', familyName: 'Middling', state: 'awaiting_follow_up', periods: [{ clockStart: addDays(today, -200) }] },
    ]);

    const page = await signInAs('officer@demo.nhs.uk');
    // g then p: the PTL from anywhere, by keyboard.
    await page.keyboard.press('g');
    await page.keyboard.press('p');
    await page.locator('[data-testid="ptl-table"]').waitFor({ timeout: 15_000 });
    for (const id of [longWait, recent, middling]) {
      await page.locator(`[data-testid="ptl-row"][data-id="${id}"]`).waitFor({ timeout: 15_000 });
    }

    // Saved view 2, "52+ weeks": only the long wait is left, in the table and in the histogram.
    await page.keyboard.press('2');
    await page.locator('[data-testid="view-52-weeks"][aria-pressed="true"]').waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="ptl-row"]').length === 1, undefined, { timeout: 15_000 });
    const row = page.locator(`[data-testid="ptl-row"][data-id="${longWait}"]`);
    expect(await row.innerText()).toContain('Longwait');
    expect(await row.innerText()).toContain('380 days');
    await page.locator('[data-testid="ptl-histogram-row"][data-specialty="101"] [data-bin="52-65"][data-count="1"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="ptl-histogram-row"][data-specialty="101"] [data-bin="0-18"]').getAttribute('data-count')).toBe('0');

    // Enter opens the highlighted (first) row: the referral, with its clock explained.
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/referrals/${longWait}/show`));
    const timeline = page.locator('[data-testid="clock-timeline"]');
    const start = timeline.locator('[data-testid="clock-event"][data-code="10"]');
    await start.waitFor({ timeout: 15_000 });
    const startText = await start.innerText();
    expect(startText).toContain(ddmmyyyy(longStart));
    expect(startText).toContain('first activity in an RTT period');
    expect(await start.locator('[data-testid="clock-event-rule"]').innerText()).toContain(rttRuleFor(10, 'referral'));
    const period = timeline.locator('[data-testid="clock-period"][data-period="1"]');
    expect(await period.getAttribute('data-status')).toBe('running');

    // Back on the PTL the view is as it was; e exports exactly it.
    await page.goBack();
    await page.locator('[data-testid="view-52-weeks"][aria-pressed="true"]').waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="ptl-row"]').length === 1, undefined, { timeout: 15_000 });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.keyboard.press('e')]);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toContain('referralId');
    expect(lines).toHaveLength(2);
    expect(csv).toContain(longWait);
    expect(csv).not.toContain(recent);
    expect(csv).not.toContain(middling);
    await page.close();
  });

  it('an officer records a two-week-wait patient’s FDS outcome from the cancer view', async () => {
    const today = stack.today();
    const received = addDays(today, -20);
    const [referralId] = await insertRttPathways(stack.db.db, [{
      specialtyCode: '101', familyName: 'Fdsready', priority: 'two_week_wait', state: 'awaiting_booking', periods: [{ clockStart: received }],
      cancer: { cancerClockStart: received, uscFirstSeenTarget: addDays(received, 14), fdsTarget: addDays(received, 28), cancer62Target: addDays(received, 62) },
    }]);
    const page = await signInAs('officer@demo.nhs.uk');
    await page.keyboard.press('g');
    await page.keyboard.press('c');
    const row = page.locator(`[data-testid="cancer-row"][data-id="${referralId}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('[data-testid="fds-outcome-text"]').innerText()).toBe('Not yet told');
    // f: the highlighted (only) row's FDS outcome, by keyboard.
    expect(await row.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('f');
    await page.check('input[name="fdsOutcome"][value="cancer_ruled_out"]');
    await page.keyboard.press('Control+Enter');
    await page.getByText('FDS outcome recorded').waitFor({ timeout: 15_000 });
    await page.waitForURL(/cancer-ptl/);
    await row.locator('[data-testid="fds-outcome-text"]', { hasText: `Cancer ruled out, told ${ddmmyyyy(today)}` }).waitFor({ timeout: 15_000 });
    // The referral page says the same (Enter once the dialog has gone: keys inside a dialog stay there).
    await page.locator('[role="dialog"]').waitFor({ state: 'detached', timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/referrals/${referralId}/show`));
    await page.locator('[data-testid="referral-fds-outcome"]', { hasText: 'Cancer ruled out' }).waitFor({ timeout: 15_000 });
    // Read back as someone else: one session per person, and the officer is signed in in the browser.
    const leader = await stack.signIn('leader@demo.nhs.uk');
    const [recorded] = await leader.list('cancer-ptl', { filter: { id: referralId } });
    expect(recorded).toMatchObject({ fdsOutcome: 'cancer_ruled_out', fdsCommunicatedOn: today });
    await page.close();
  });

  it('an officer records on the referral page that a patient died, and sees a refused event explained', async () => {
    const today = stack.today();
    const [treated] = await insertRttPathways(stack.db.db, [{
      specialtyCode: '101', familyName: 'Treated', state: 'treated',
      periods: [{ clockStart: addDays(today, -90), clockStop: addDays(today, -10), stopCode: 30 }],
    }]);
    const officer = await stack.signIn('officer@demo.nhs.uk');
    const referral = await officer.post('/api/referrals', referralBody({ specialty: '101' }));
    await officer.waitForOpenTask(referral.id, 'triage_referral');

    const page = await signInAs('officer@demo.nhs.uk');
    // A stopped clock cannot be stopped again: the API's reason, in its own words, stays in the dialog.
    await page.goto(`${stack.url}/#/referrals/${treated}/show`);
    await page.locator('[data-testid="clock-event"][data-code="30"]').waitFor({ timeout: 15_000 });
    await page.keyboard.press('r');
    await page.selectOption('[data-testid="rtt-event-code"]', '36');
    await page.keyboard.press('Control+Enter');
    const refusal = page.locator('[data-testid="rtt-event-refusal"]');
    await refusal.waitFor({ timeout: 15_000 });
    expect(await refusal.innerText()).toMatch(/open RTT period/);
    await page.keyboard.press('Escape');

    // A running clock stops with 36 on the day, with the note, by Olivia Officer.
    await page.goto(`${stack.url}/#/referrals/${referral.id}/show`);
    await page.locator('[data-testid="clock-event"][data-code="10"]').waitFor({ timeout: 15_000 });
    await page.keyboard.press('r');
    await page.selectOption('[data-testid="rtt-event-code"]', '36');
    await page.fill('[data-testid="rtt-event-note"]', 'The GP practice rang to say the patient has died');
    await page.keyboard.press('Control+Enter');
    await page.getByText('RTT event recorded').waitFor({ timeout: 15_000 });
    const died = page.locator('[data-testid="clock-event"][data-code="36"]');
    await died.waitFor({ timeout: 15_000 });
    const diedText = await died.innerText();
    expect(diedText).toContain(ddmmyyyy(today));
    expect(diedText).toContain('patient died before treatment');
    expect(diedText).toContain('Olivia Officer');
    expect(diedText).toContain('The GP practice rang to say the patient has died');
    expect(await page.locator('[data-testid="clock-period"][data-period="1"]').getAttribute('data-status')).toBe('stopped');
    await page.close();
  });

  it('the Returns screen shows a month’s Part 2 total', async () => {
    await clearRttPathways(stack.db.db);
    const { month, census } = lastMonthCensus(stack.today());
    await insertRttPathways(stack.db.db, [
      // Waiting at the census: Part 2.
      { specialtyCode: '101', periods: [{ clockStart: addDays(census, -100) }] },
      { specialtyCode: '101', periods: [{ clockStart: addDays(census, -10) }] },
      { specialtyCode: '100', periods: [{ clockStart: addDays(census, -400) }] },
      // Stopped before the census, or started after it: not Part 2.
      { specialtyCode: '101', state: 'treated', periods: [{ clockStart: addDays(census, -200), clockStop: addDays(census, -50), stopCode: 30 }] },
      { specialtyCode: '101', periods: [{ clockStart: addDays(census, 1) }] },
    ]);

    const page = await signInAs('officer@demo.nhs.uk');
    await page.click('[data-testid="menu-returns"]');
    await page.locator('[data-testid="returns-page"]').waitFor({ timeout: 15_000 });
    // The last complete month is the one shown first.
    await page.locator(`[data-testid="rtt-return"][data-month="${month}"]`).waitFor({ timeout: 15_000 });
    const part2 = page.locator('[data-testid="rtt-total-2"]');
    expect(await part2.getAttribute('data-total')).toBe('3');
    expect(await part2.innerText()).toBe('3');
    // Part 2 by treatment function: 101 has two, the total line three.
    const table = page.locator('[data-testid="rtt-part-table-2"]');
    await table.waitFor({ timeout: 10_000 });
    expect(await table.innerText()).toMatch(/Total[\s\S]*3/);
    expect(await page.locator('[data-testid="rtt-return-csv"]').getAttribute('href')).toBe(`/api/returns/rtt.csv?month=${month}`);
    await page.close();
  });
});
