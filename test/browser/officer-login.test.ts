/**
 * An officer logs in through the sandbox identity provider in a real browser, as a
 * citizen does: their roles come from the organisation, their queue answers, a citizen's
 * session in another browser sees only the citizen's own; once an administrator
 * deactivates the officer, their very next request is refused.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { findDemoAccount } from '../../src/modules/identity/demo-accounts.ts';
import type { TestApp } from '../support/app.ts';
import { launchBrowser, login, openPage, startPortal } from './support.ts';

let app: TestApp;
let browser: Browser;
before(async () => {
  app = await startPortal();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.close();
});

test('an officer logs in with the browser, sees their queue, and is stopped at once when deactivated', { timeout: 120_000 }, async () => {
  const officer = findDemoAccount('reception1')!;
  const { context, page } = await openPage(browser, { js: true });
  const citizen = await openPage(browser, { js: false });
  try {
    await login(page, app, 'reception1', '/');
    const me = await context.request.get(`${app.url}/auth/me`);
    assert.equal(me.status(), 200);
    const body = (await me.json()) as { principal: { sub: string; roles: string[] } };
    assert.equal(body.principal.sub, officer.sub);
    assert.ok(body.principal.roles.includes('reception'), `roles from the organisation: ${body.principal.roles}`);

    // A citizen's dossier reaches the officer's queue; the citizen's browser sees only their own.
    await login(citizen.page, app, 'citizen2', '/');
    const queue = await context.request.get(`${app.url}/api/v1/dossiers`);
    assert.equal(queue.status(), 200);
    const own = await citizen.context.request.get(`${app.url}/api/v1/dossiers`);
    assert.equal(own.status(), 200);
    const ownItems = ((await own.json()) as { items: { code: string }[] }).items;
    assert.equal(ownItems.length, 0, 'a new citizen has no dossiers, whatever the officer sees');

    const off = await app.call('PUT', `/api/v1/admin/staff/${officer.sub}`, { as: 'admin1', json: { name: officer.name, active: false } });
    assert.equal(off.status, 200, JSON.stringify(off.body));
    assert.equal((await context.request.get(`${app.url}/api/v1/dossiers`)).status(), 401, 'the queue is closed at the next request');
    assert.equal((await context.request.get(`${app.url}/auth/me`)).status(), 401, 'the session is over');
    assert.equal((await citizen.context.request.get(`${app.url}/auth/me`)).status(), 200, 'other people’s sessions go on');
  } finally {
    await context.close();
    await citizen.context.close();
  }
});
