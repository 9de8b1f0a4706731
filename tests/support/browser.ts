// Debian's Chromium, headless, for the console tests; never a downloaded browser.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

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

/** A new page signed in to the console as `email`, once My work shows. */
export async function signInToConsole(browser: Browser, url: string, email: string, password: string, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await browser.newPage(options);
  await page.goto(url);
  await page.fill('input[name="username"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.locator('[data-testid="my-work"]').waitFor({ timeout: 15_000 });
  return page;
}
