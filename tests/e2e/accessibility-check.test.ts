// The accessibility check every browser test leans on (tests/support/browser.ts inspectScreen): axe-core is injected
// once per document and run again on each screen, so a violation that appears after the first check on the same
// document must still fail it, and one on a new document too. Only Chromium, no stack.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { inspectScreen, launchChromium, newConsolePage } from '../support/browser';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchChromium();
  page = await newConsolePage(browser);
}, 60_000);
afterAll(async () => { await browser?.close(); });

const html = (doc: string) => `data:text/html,${encodeURIComponent(doc)}`;
const clean = '<!doctype html><html lang="en"><head><title>Clean</title></head><body><main><h1>Clean</h1><p>Fine.</p></main></body></html>';

it('passes a clean page, then fails the same document once an image without a text alternative is added', async () => {
  await page.goto(html(clean));
  await inspectScreen(page, 'axe-check-clean', { ready: page.locator('h1') });
  expect(await page.evaluate(() => typeof (window as any).axe?.run)).toBe('function'); // injected, and kept for the next screen

  // A route change within the same document (as the console's router does): axe is already there.
  await page.evaluate(() => {
    const img = document.createElement('img');
    img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
    img.id = 'no-alt';
    document.querySelector('main')!.append(img);
  });
  await expect(inspectScreen(page, 'axe-check-image', { ready: page.locator('#no-alt') })).rejects.toThrow(/critical image-alt/);
  // What a caller excludes (a third-party widget) is not judged.
  await inspectScreen(page, 'axe-check-excluded', { ready: page.locator('#no-alt'), exclude: ['#no-alt'] });
}, 60_000);

it('injects again into a new document and fails it on a serious violation (text without enough contrast)', async () => {
  await page.goto(html('<!doctype html><html lang="en"><head><title>Faint</title></head><body><main><h1>Faint</h1>'
    + '<p id="faint" style="color:#bbb;background:#fff">Hard to read</p></main></body></html>'));
  await expect(inspectScreen(page, 'axe-check-contrast', { ready: page.locator('#faint') })).rejects.toThrow(/serious color-contrast/);
}, 60_000);
