// A browser test's set-up in one call: the real stack serving the built console, and headless Chromium, started
// before the file's tests and stopped after them. Call it at the top of a test file; read `stack` and `browser`
// inside hooks and tests (they are set once beforeAll has run).
import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { demoPassword, startTestStack, type TestStack } from './stack';
import { assertConsoleBuilt, launchChromium, signInToConsole, uiDist } from './browser';

export type ConsoleStack = {
  stack: TestStack;
  browser: Browser;
  /** A new page signed in to the console as `email` (the demo password), once My work shows. */
  signInAs(email: string, options?: BrowserContextOptions): Promise<Page>;
};

export function withConsoleStack(opts: Omit<Parameters<typeof startTestStack>[0] & object, 'uiDist'> = {}): ConsoleStack {
  const running = {
    signInAs: (email: string, options: BrowserContextOptions = {}) => signInToConsole(running.browser, running.stack.url, email, demoPassword, options),
  } as ConsoleStack;
  beforeAll(async () => {
    assertConsoleBuilt();
    running.stack = await startTestStack({ database: 'postgres', temporal: 'dev', ...opts, uiDist });
    running.browser = await launchChromium();
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.stack?.stop();
  });
  return running;
}
