// Debian's Chromium, headless, for the console tests; never a downloaded browser.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

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
