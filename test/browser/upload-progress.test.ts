/**
 * With JavaScript on, a form that sends documents posts them with XMLHttpRequest and
 * shows how much is sent; the page that answers (a refusal, or where the server
 * redirects) is shown as without JavaScript. Without a file chosen the form posts as usual.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Request } from 'playwright-core';
import example from '../../src/modules/catalogue/demo/examples/1.001193.json' with { type: 'json' };
import { TINY_PDF, upload, type TestApp } from '../support/app.ts';
import { launchBrowser, openPage, startPortal } from './support.ts';
import { login } from './login.ts';

let app: TestApp;
let browser: Browser;
before(async () => {
  [app, browser] = await Promise.all([startPortal(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await app?.close();
});

test('a supplement upload goes by XMLHttpRequest with a progress bar; refusals and the next page are shown as usual', { timeout: 120_000 }, async () => {
  const fileId = await upload(app, 'citizen3', Buffer.concat([TINY_PDF, Buffer.from('% progress\n')]), 'giay-chung-sinh.pdf');
  const form = structuredClone(example) as Record<string, any>;
  form.birthEvidence.file = fileId;
  const r = await app.call('POST', '/api/v1/dossiers', { as: 'citizen3', json: { procedureCode: '1.001193', agencyCode: '000.00.04.H12', form } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const code = r.body.code as string;
  const asked = await app.call('POST', `/api/v1/dossiers/${code}/actions/request_supplement`, { as: 'reception1', json: { missingDocuments: [{ name: 'Giấy chứng sinh' }], reason: 'Bản chụp mờ' } });
  assert.equal(asked.status, 200, JSON.stringify(asked.body));

  const { context, page } = await openPage(browser, { js: true });
  page.setDefaultTimeout(15_000);
  const posts: Request[] = [];
  page.on('request', (q) => {
    if (q.method() === 'POST' && q.url().includes('/bo-sung')) posts.push(q);
  });
  try {
    await login(page, app, 'citizen3', `/ho-so/${code}`);
    const send = page.getByRole('button', { name: 'Gửi giấy tờ bổ sung', exact: true });

    // A refused file: the answer (errors beside the field) replaces the page.
    await page.setInputFiles('#f-doc-0', { name: 'ghi-chu.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await send.click();
    await page.locator('#f-doc-0-error').waitFor();
    assert.match(await page.locator('#f-doc-0-error').innerText(), /không phải PDF, JPEG hoặc PNG/);
    assert.equal(posts.at(-1)?.resourceType(), 'xhr', 'sent by XMLHttpRequest');

    // A good file on a slow upload link: the bar moves while it is sent, then the page the
    // server redirects to is shown.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 10_000_000, uploadThroughput: 60_000 });
    const big = Buffer.concat([TINY_PDF, Buffer.from(`% ${'scan '.repeat(40_000)}\n`)]); // about 200 KB: some 3 s to send
    await page.setInputFiles('#f-doc-0', { name: 'giay-chung-sinh-ro.pdf', mimeType: 'application/pdf', buffer: big });
    await send.click();
    await page.waitForFunction(() => {
      const bar = document.querySelector<HTMLProgressElement>('.upload-status progress');
      return bar !== null && bar.value > 0 && bar.value < 100;
    });
    assert.match(await page.getByRole('status').first().innerText(), /Đang gửi giấy tờ/);
    assert.equal(await send.isDisabled(), true, 'no second click while sending');
    await page.getByText('Đã gửi giấy tờ bổ sung').waitFor({ timeout: 30_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    assert.equal(posts.length, 2);
    assert.equal(posts.at(-1)?.resourceType(), 'xhr');
    const api = await app.call('GET', `/api/v1/dossiers/${code}`, { as: 'citizen3' });
    assert.equal(api.body.status, 'submitted', 'the supplement was received once');

  } finally {
    await context.close();
  }
});
