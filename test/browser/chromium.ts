/**
 * Headless Chromium for the HTML report's tests: Debian's `chromium` (installed by `.ci/run`),
 * driven by playwright-core, which downloads no browser of its own. A missing browser FAILS the
 * tests with a message saying what to install: a skipped browser test would pass a report nobody
 * rendered. Every test gets a fresh profile, every background service that could reach the network
 * is off, and every request and console message is recorded so tests can assert there were none.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface OpenedPage {
  readonly page: Page;
  /** Every request the page made (the file itself included), by URL. */
  readonly requests: string[];
  /** Console messages of type error or warning, and uncaught page errors. */
  readonly problems: string[];
  close(): Promise<void>;
}

export function assertChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the HTML report's browser tests need Debian's chromium (apt-get install chromium; .ci/run installs it).`);
  }
}

/** Opens `file` by its file:// URL in a fresh profile; `javaScript: false` renders it as a script-less reader would. */
export async function openReport(file: string, options: { javaScript?: boolean } = {}): Promise<OpenedPage> {
  assertChromium();
  const profile = mkdtempSync(join(tmpdir(), 'trailaudit-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      javaScriptEnabled: options.javaScript ?? true,
      offline: true,
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const requests: string[] = [];
  const problems: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.push(`${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return {
    page,
    requests,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
