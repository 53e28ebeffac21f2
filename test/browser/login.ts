/**
 * Logging in through the sandbox identity provider as a demo account, answering its
 * consent page when it shows one (the shared helper in support.ts waits for a URL the
 * consent page does not have). Used by apply.test.ts and track.test.ts.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { TestApp } from '../support/app.ts';

export async function login(page: Page, app: TestApp, account: string, returnTo = '/'): Promise<void> {
  await page.goto(`${app.url}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  await page.locator(`input[name="account"][value="${account}"]`).check();
  await Promise.all([page.waitForNavigation(), page.locator('form[action$="/login"] button[type="submit"]').click()]);
  if ((await page.locator('form[action$="/confirm"]').count()) > 0) {
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/oidc/')), page.locator('form[action$="/confirm"] button[type="submit"]').click()]);
  }
  const at = new URL(page.url());
  assert.equal(at.origin, new URL(app.url).origin, `login ended at ${page.url()}`);
  assert.equal(at.pathname + at.search, returnTo, `login came back to ${page.url()}`);
}
