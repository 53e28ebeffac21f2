/**
 * Browser tests of the portal: a whole Motcua with the demo data on a free port, Debian's
 * Chromium driven by playwright-core (no browser download), JavaScript on or off, a login
 * through the sandbox identity provider, axe-core scans (WCAG 2.1 A and AA) and
 * screenshots kept in test-artifacts/screenshots/ (git-ignored; CI keeps them).
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startTestApp, type TestApp } from '../support/app.ts';

export { BUDGET_PAGES, type BudgetPage } from '../../src/web/citizen/pages.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'screenshots');

/** A phone: the portal is built mobile first. */
export const PHONE = { width: 360, height: 740 };
export const SMALLEST = { width: 320, height: 640 };
export const DESKTOP = { width: 1280, height: 900 };

export async function startPortal(opts: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
  return startTestApp({ ...opts, env: { MOTCUA_RATE_LIMITS: 'off', ...opts.env } });
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface PageOptions {
  js: boolean;
  viewport?: { width: number; height: number };
  /** Accept-Language and the like: the portal decides the language by ?lang and the cookie only. */
  locale?: string;
}

/** Pages opened with JavaScript off: axe (a script) scans a copy of their DOM instead. */
const withoutJs = new WeakSet<Page>();

/** A fresh browser context (own cookies) and page; JavaScript on or off. */
export async function openPage(browser: Browser, opts: PageOptions): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    javaScriptEnabled: opts.js,
    viewport: opts.viewport ?? PHONE,
    locale: opts.locale ?? 'vi-VN',
  });
  const page = await context.newPage();
  if (!opts.js) withoutJs.add(page);
  return { context, page };
}

/**
 * Logs in as a demo account the way a person does: the portal's "Đăng nhập" link (or
 * /auth/login?returnTo=), the sandbox provider's account choice, back to the portal.
 */
export async function login(page: Page, app: TestApp, account: string, returnTo = '/'): Promise<void> {
  await page.goto(`${app.url}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  await answerProvider(page, account);
  const at = new URL(page.url());
  assert.equal(at.origin, new URL(app.url).origin, `login ended at ${page.url()}`);
  assert.equal(at.pathname + at.search, returnTo, `login came back to ${page.url()}`);
}

/**
 * On the sandbox provider's login page: choose `account`, log in, allow its consent page
 * when it asks; returns when the browser has left the provider.
 */
export async function answerProvider(page: Page, account: string): Promise<void> {
  await page.locator(`input[name="account"][value="${account}"]`).check();
  await Promise.all([page.waitForNavigation(), page.locator('form[action$="/login"] button[type="submit"]').click()]);
  for (let i = 0; i < 3 && new URL(page.url()).pathname.startsWith('/oidc/'); i++) {
    const confirm = page.locator('form[action$="/confirm"] button[type="submit"]');
    if ((await confirm.count()) === 0) break;
    await Promise.all([page.waitForNavigation(), confirm.click()]);
  }
  await page.waitForURL((u) => !u.pathname.startsWith('/oidc/'));
}

/** axe-core over the whole page (WCAG 2.0/2.1 A and AA, best practices off): no violation. */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  let result;
  if (withoutJs.has(page)) {
    // axe is a script: with JavaScript off it cannot run in the page, so it scans the same
    // DOM served again at the same address (styles loaded, the enhancement script not).
    const dom = await page.content();
    const url = page.url();
    const viewport = page.viewportSize() ?? PHONE;
    const scan = await page.context().browser()!.newContext({ viewport });
    try {
      const copy = await scan.newPage();
      await copy.route((u) => u.href === url, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: dom }));
      await copy.route(/\.js(\?|$)/, (r) => r.abort());
      await copy.goto(url);
      result = await new AxeBuilder({ page: copy }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    } finally {
      await scan.close();
    }
  } else {
    result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  }
  const problems = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n    ')}`);
  assert.equal(problems.length, 0, `axe found problems on ${label} (${page.url()}):\n  ${problems.join('\n  ')}`);
}

/** A full-page screenshot in test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The page is no wider than the viewport (nothing to scroll sideways at 320 px). */
export async function assertNoHorizontalScroll(page: Page, label: string): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${label}: page is ${scroll}px wide in a ${client}px viewport`);
}

/** Messages the browser logged as errors (CSP refusals show up here). */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** Runs `fn` once with JavaScript on and once off. */
export const JS_MODES = [
  { js: true, name: 'js-on' },
  { js: false, name: 'js-off' },
] as const;
