// Debian's Chromium, headless, for the console tests; never a downloaded browser.
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';

export const uiDist = path.resolve('admin-ui/dist');

export function assertConsoleBuilt() {
  if (!existsSync(path.join(uiDist, 'index.html'))) throw new Error('Build the console first: npm run build:ui');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page in a context of its own (axe-core needs one), closed with it. */
export async function newConsolePage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.once('close', () => void context.close().catch(() => undefined));
  return page;
}

/** A new page signed in to the console as `email`, once My work shows. */
export async function signInToConsole(browser: Browser, url: string, email: string, password: string, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await newConsolePage(browser, options);
  await page.goto(url);
  await page.fill('input[name="username"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.locator('[data-testid="my-work"]').waitFor({ timeout: 15_000 });
  return page;
}

// Every screen a browser test visits is checked with axe-core (WCAG 2.2 AA: no serious or critical
// violations), photographed for review when asked (or when it fails) and timed. Screens land in tests/.tmp/screens,
// timings in tests/.tmp/screen-timings.jsonl and the test output.
export const screensDir = path.resolve('tests/.tmp/screens');
const photographAll = process.env.SCREENSHOTS === '1' || process.env.SCREENS_SCALE === 'full';
const timingsFile = path.resolve('tests/.tmp/screen-timings.jsonl');
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
// The axe-core @axe-core/playwright ships (its own dependency, so the same version its AxeBuilder injected).
const axeSource: string = createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright'))('axe-core').source;

/**
 * axe-core run in the page, injected once per document: AxeBuilder evaluated its 1.5 MB source twice a screen (in the
 * page, and in a blank page it opened to finish the run), most of the browser tests' CPU. The same rules and tags; a
 * frame is injected too, so axe.run reaches into it rather than waiting for it.
 */
async function runAxe(page: Page, exclude: string[]): Promise<AxeResults> {
  for (const frame of page.frames()) {
    if (!(await frame.evaluate(() => typeof (window as any).axe?.run === 'function'))) await frame.evaluate(axeSource);
  }
  return page.evaluate(({ exclude, tags }) => (window as any).axe.run({ include: [], exclude }, { runOnly: { type: 'tag', values: tags } }),
    { exclude, tags: wcagTags });
}

export type ScreenCheck = {
  /** Shown when the screen is ready; waited for before checking. */
  ready?: Locator;
  /** CSS selectors axe should not look inside (third-party widgets only, with a reason at the call). */
  exclude?: string[];
};

/** Fails the test on any serious or critical WCAG 2.2 AA violation; saves a full-page screenshot when asked or failing. */
export async function inspectScreen(page: Page, name: string, check: ScreenCheck = {}): Promise<void> {
  if (check.ready) await check.ready.first().waitFor({ timeout: 15_000 });
  // A dialog or menu fading in is mid-way between colours: let transitions finish before judging contrast.
  // (Spinners loop for ever, so only finite ones, and never longer than a second.)
  await page.evaluate(() => Promise.race([
    Promise.all(document.getAnimations()
      .filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity))
      .map((a) => a.finished.catch(() => undefined))),
    new Promise((resolve) => setTimeout(resolve, 1_000)),
  ]));
  const { violations } = await runAxe(page, check.exclude ?? []);
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  // A full-page photograph costs a second or more a screen: taken for review when asked (SCREENSHOTS=1, or the full
  // screens walk) and always for a screen that fails.
  if (photographAll || serious.length) {
    mkdirSync(screensDir, { recursive: true });
    await page.screenshot({ path: path.join(screensDir, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`), fullPage: true });
  }
  if (serious.length) {
    const lines = serious.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}  ${n.failureSummary?.split('\n').join(' ') ?? ''}`).join('\n')}`);
    throw new Error(`Accessibility on "${name}": ${serious.length} serious or critical violation(s)\n  ${lines.join('\n  ')}`);
  }
}

/**
 * Opens `url` and times it until `ready` shows: the browser's first contentful paint and the time to the
 * screen being usable (e.g. a list's rows). Printed and appended to tests/.tmp/screen-timings.jsonl.
 */
export async function timeScreen(page: Page, name: string, url: string, ready: Locator): Promise<{ firstPaintMs: number | null; readyMs: number }> {
  const started = Date.now();
  await page.goto(url);
  await ready.first().waitFor({ timeout: 15_000 });
  const readyMs = Date.now() - started;
  const firstPaintMs = await page.evaluate(() => {
    const paint = performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint');
    return paint ? Math.round(paint.startTime) : null;
  });
  mkdirSync(path.dirname(timingsFile), { recursive: true });
  appendFileSync(timingsFile, `${JSON.stringify({ screen: name, firstPaintMs, readyMs, at: new Date().toISOString() })}\n`);
  console.log(`screen timing: ${name}: first paint ${firstPaintMs ?? '?'} ms, ready ${readyMs} ms`);
  return { firstPaintMs, readyMs };
}

/** Types a calendar date ('YYYY-MM-DD') into one of the console's date pickers as a person would: dd/mm/yyyy. */
export async function typeDate(field: Locator, isoDate: string): Promise<void> {
  await field.locator('[role="spinbutton"]').first().click();
  await field.page().keyboard.press('Control+a');
  await field.page().keyboard.type(isoDate.split('-').reverse().join(''));
}
