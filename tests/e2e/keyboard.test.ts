// The console from the keyboard alone: an officer tabs through My work and a dialog, and at every stop
// the focus is visible (the NHS yellow-and-black ring) and the primary action is reached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { referralBody } from '../support/fixtures';
import { assertConsoleBuilt, inspectScreen, launchChromium, signInToConsole, uiDist } from '../support/browser';

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

type Stop = { what: string; testId: string | null; ring: boolean; visible: boolean };

/** Presses Tab and describes where the focus landed and whether it shows. */
async function tab(page: Page, shift = false): Promise<Stop> {
  await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
  return page.evaluate(async () => {
    const el = document.activeElement as HTMLElement | null;
    // Let a transition that brings the focused thing into view (the skip link slides in) finish.
    const settled = Promise.all((el?.getAnimations() ?? []).map((a) => a.finished.catch(() => undefined)));
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 1000))]);
    if (!el || el === document.body) return { what: 'body', testId: null, ring: false, visible: false };
    // A radio or checkbox hides its input (opacity 0) in a button drawn around it: the ring is on that.
    // A date field's focus is inside the browser's widget: the ring is on the field's box around it.
    const field = el.matches('input[type="date"], input[type="time"], input[type="datetime-local"]') ? el.closest<HTMLElement>('.Mui-focused') : null;
    const drawn = field ?? (getComputedStyle(el).opacity === '0' && el.parentElement ? el.parentElement : el);
    const style = getComputedStyle(drawn);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    const box = drawn.getBoundingClientRect();
    const label = (el.getAttribute('aria-label') ?? el.innerText ?? el.getAttribute('name') ?? el.tagName).trim().slice(0, 40);
    return {
      what: `${el.tagName.toLowerCase()}${el.getAttribute('type') ? `[${el.getAttribute('type')}]` : ''} "${label}" (outline ${style.outlineStyle} ${style.outlineWidth}, shadow ${style.boxShadow.slice(0, 40)}, ${Math.round(box.width)}x${Math.round(box.height)} at ${Math.round(box.top)})`,
      testId: el.getAttribute('data-testid') ?? el.querySelector('input')?.getAttribute('data-testid') ?? null,
      ring: outline && shadow,
      visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight,
    };
  });
}

/** Tabs until `testId` has the focus (at most `limit` stops), checking the focus shows at every stop. */
async function tabTo(page: Page, testId: string, limit = 60): Promise<Stop[]> {
  const stops: Stop[] = [];
  for (let i = 0; i < limit; i++) {
    const stop = await tab(page);
    stops.push(stop);
    if (stop.testId === testId) return stops;
  }
  throw new Error(`Tab never reached ${testId}; stops: ${stops.map((s) => s.what).join(', ')}`);
}

// Focus on the page itself (between the last control and the browser's own) has nothing to ring.
const unseen = (stops: Stop[]) => stops.filter((s) => !s.what.startsWith('body') && (!s.ring || !s.visible)).map((s) => s.what);

describe('the console from the keyboard', () => {
  it('an officer tabs from the skip link through My work to Claim next, then through the snooze dialog to Snooze, the focus ringed at every stop', async () => {
    const officer = await stack.signIn('officer@demo.nhs.uk');
    const referral = await officer.post('/api/referrals', referralBody({ priority: 'two_week_wait', specialty: '101' }));
    const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');

    const page = await signInToConsole(browser, stack.url, 'officer@demo.nhs.uk', demoPassword);
    await page.locator(`[data-testid="work-item-row"][data-id="${triage.id}"]`).waitFor({ timeout: 15_000 });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    // The first stop is "Skip to content", in view and ringed; it moves on to the page itself.
    const skip = await tab(page);
    expect(skip).toMatchObject({ what: expect.stringContaining('Skip to content'), ring: true, visible: true });
    await inspectScreen(page, 'keyboard-skip-link', { ready: page.locator('.skip-nav-button') });
    await page.keyboard.press('Enter');

    const toClaim = await tabTo(page, 'claim-next');
    expect(unseen(toClaim)).toEqual([]);
    await inspectScreen(page, 'keyboard-my-work-claim-next', { ready: page.locator('[data-testid="claim-next"]:focus-visible') });

    // A work item's page, and its snooze dialog, by keyboard.
    await page.goto(`${stack.url}/#/tasks/${triage.id}/show`);
    await page.locator('[data-testid="snooze-task"]').waitFor({ timeout: 15_000 });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const toSnooze = await tabTo(page, 'snooze-task');
    expect(unseen(toSnooze)).toEqual([]);
    await page.keyboard.press('Enter');
    const dialog = page.locator('[role="dialog"]');
    await dialog.waitFor({ timeout: 10_000 });
    const inDialog = await tabTo(page, 'snooze-submit', 10);
    expect(unseen(inDialog)).toEqual([]);
    // Focus stays inside the dialog while it is open.
    expect(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
    await inspectScreen(page, 'keyboard-snooze-dialog', { ready: page.locator('[data-testid="snooze-submit"]:focus-visible') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    await page.close();
  }, 180_000);

  it('a shortcut pressed the moment the page has changed acts on the page as it now is (the calendar\'s ← right after →)', async () => {
    const page = await signInToConsole(browser, stack.url, 'leader@demo.nhs.uk', demoPassword);
    const week = '2026-12-14';
    const next = '2026-12-21';
    await page.goto(`${stack.url}/#/clinics/clin_2/calendar?week=${week}`);
    const label = page.locator('[data-testid="calendar-week-label"]');
    await label.and(page.locator(`[data-week="${week}"]`)).waitFor({ timeout: 15_000 });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    // Press ← in the same moment the label shows next week, before the browser paints again: an officer's
    // fast second key press. It must go back to this week, not to the week before it.
    await page.evaluate((next) => {
      const target = document.querySelector('[data-testid="calendar-week-label"]')!.parentElement!.parentElement!;
      new MutationObserver((_, observer) => {
        if (document.querySelector(`[data-testid="calendar-week-label"][data-week="${next}"]`)) {
          observer.disconnect();
          (window as any).pressedBack = true;
          window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
        }
      }).observe(target, { subtree: true, attributes: true, childList: true });
    }, next);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => (window as any).pressedBack === true, undefined, { timeout: 10_000 });
    // Back on this week, or (the fault) on the week before it.
    await page.waitForFunction(
      (weeks) => weeks.includes(document.querySelector('[data-testid="calendar-week-label"]')?.getAttribute('data-week') ?? ''),
      [week, '2026-12-07'], { timeout: 10_000 });
    expect(await label.getAttribute('data-week')).toBe(week);
    await page.close();
  }, 60_000);
});
