/**
 * Following an application as a citizen, in Chromium, with JavaScript on and off: My
 * applications, the timeline, answering a supplement request by uploading what is
 * missing (an officer asks through the API), withdrawing another application, the
 * result downloaded once the officers return it, the rating (once), notifications, and
 * the public lookup by code + the last 4 digits of the personal id (no login; a wrong
 * pair says "not found" whether the code exists or not; throttled). Axe on every page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { TINY_PDF, upload, type TestApp } from '../support/app.ts';
import { DEMO_ACCOUNTS } from '../../src/modules/identity/demo-accounts.ts';
import example from '../../src/modules/catalogue/demo/examples/1.001193.json' with { type: 'json' };
import { assertAccessible, collectConsoleErrors, JS_MODES, launchBrowser, openPage, screenshot, startPortal } from './support.ts';
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

const specialistSub = DEMO_ACCOUNTS.find((a) => a.account === 'specialist1')!.sub;

async function submitBirth(account: string, tag: string): Promise<string> {
  const fileId = await upload(app, account, Buffer.concat([TINY_PDF, Buffer.from(`% ${tag}\n`)]), 'giay-chung-sinh.pdf');
  const form = structuredClone(example) as Record<string, any>;
  form.birthEvidence.file = fileId;
  const r = await app.call('POST', '/api/v1/dossiers', { as: account, json: { procedureCode: '1.001193', agencyCode: '000.00.04.H12', form } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.code as string;
}

async function act(account: string, code: string, name: string, json: unknown = {}): Promise<void> {
  const r = await app.call('POST', `/api/v1/dossiers/${code}/actions/${name}`, { as: account, json });
  assert.equal(r.status, 200, `${name}: ${JSON.stringify(r.body)}`);
}

async function press(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
}

for (const mode of JS_MODES) {
  describe(`track, JavaScript ${mode.js ? 'on' : 'off'}`, () => {
    test('my applications, supplement, withdraw, result, rating, notifications, public lookup', { timeout: 240_000 }, async () => {
      const account = mode.js ? 'citizen1' : 'citizen2';
      const last4 = DEMO_ACCOUNTS.find((a) => a.account === account)!.personalId!.slice(-4);
      const code = await submitBirth(account, `${mode.name}-1`);
      const other = await submitBirth(account, `${mode.name}-2`);
      await act('reception1', code, 'request_supplement', { missingDocuments: [{ name: 'Giấy chứng sinh', note: 'Ảnh chụp bị mờ, chụp lại rõ số giấy' }], reason: 'Bản chụp giấy chứng sinh không đọc được' });

      const { context, page } = await openPage(browser, { js: mode.js });
      page.setDefaultTimeout(15_000);
      const consoleErrors = collectConsoleErrors(page);
      try {
        await login(page, app, account, '/ho-so');
        assert.equal(await page.locator('h1').innerText(), 'Hồ sơ của tôi');
        const item = page.locator('ul.results li', { hasText: code });
        assert.match(await item.innerText(), /Cần bạn bổ sung giấy tờ/, 'status in plain words');
        await assertAccessible(page, 'my applications');
        await screenshot(page, `track-list-${mode.name}`);

        // The application: status, timeline, what is missing.
        await Promise.all([page.waitForNavigation(), item.getByRole('link').click()]);
        assert.equal(await page.locator('#dossier-code').innerText(), code);
        assert.equal(await page.locator('#dossier-status').innerText(), 'Cần bạn bổ sung giấy tờ');
        assert.match(await page.locator('ol.timeline').innerText(), /Cơ quan yêu cầu bổ sung giấy tờ[\s\S]*Bạn đã nộp hồ sơ/);
        assert.ok(await page.getByText('Ảnh chụp bị mờ, chụp lại rõ số giấy').isVisible());
        await assertAccessible(page, 'application awaiting a supplement');
        await screenshot(page, `track-supplement-${mode.name}`);

        // Sending nothing is an error beside the file input; a refused file says why.
        await press(page, 'Gửi giấy tờ bổ sung');
        assert.match(await page.locator('#f-doc-0-error').innerText(), /Chọn ít nhất một tệp/);
        assert.equal(await page.locator('.error-summary a').getAttribute('href'), '#f-doc-0');
        await page.setInputFiles('#f-doc-0', { name: 'ghi-chu.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
        await page.fill('#f-note', 'Tôi gửi lại bản chụp rõ hơn');
        await press(page, 'Gửi giấy tờ bổ sung');
        assert.match(await page.locator('#f-doc-0-error').innerText(), /không phải PDF, JPEG hoặc PNG/);
        assert.equal(await page.inputValue('#f-note'), 'Tôi gửi lại bản chụp rõ hơn', 'the note is kept');
        await assertAccessible(page, 'supplement with an error');
        await page.setInputFiles('#f-doc-0', { name: 'giay-chung-sinh-ro.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([TINY_PDF, Buffer.from(`% clear ${mode.name}\n`)]) });
        await press(page, 'Gửi giấy tờ bổ sung');
        assert.match(await page.getByRole('status').innerText(), /Đã gửi giấy tờ bổ sung/);
        assert.equal(await page.locator('#dossier-status').innerText(), 'Đã nộp, chờ cơ quan tiếp nhận');
        assert.ok(await page.getByRole('link', { name: /giay-chung-sinh-ro\.pdf/ }).isVisible(), 'the document sent is listed');
        const api = await app.call('GET', `/api/v1/dossiers/${code}`, { as: account });
        assert.equal(api.body.status, 'submitted');
        assert.equal(api.body.files.filter((f: { role: string }) => f.role === 'supplement').length, 1);

        // Withdraw the other application (a confirmation page first).
        await page.goto(`${app.url}/ho-so/${other}`);
        await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Rút hồ sơ' }).click()]);
        await assertAccessible(page, 'withdraw confirmation');
        await page.fill('#f-reason', 'Nộp nhầm hai lần');
        await press(page, 'Rút hồ sơ');
        assert.equal(await page.locator('#dossier-status').innerText(), 'Bạn đã rút hồ sơ');
        assert.equal(await page.getByRole('link', { name: 'Rút hồ sơ' }).count(), 0, 'nothing more to withdraw');

        // The officers deal with it and return the signed result.
        await act('reception1', code, 'receive');
        await act('reception1', code, 'assign', { assignee: specialistSub });
        await act('specialist1', code, 'start_processing');
        const resultPdf = Buffer.concat([TINY_PDF, Buffer.from(`% ket qua ${mode.name}\n`)]);
        const draft = await upload(app, 'specialist1', resultPdf, 'giay-khai-sinh.pdf');
        await act('specialist1', code, 'submit_for_approval', { draftResultFileId: draft });
        await act('leader1', code, 'approve');
        await act('reception1', code, 'return_result');

        await page.goto(`${app.url}/ho-so/${code}`);
        assert.equal(await page.locator('#dossier-status').innerText(), 'Đã trả kết quả');
        assert.match(await page.locator('ol.timeline').innerText(), /Đã trả kết quả/);
        // The officer's PDF reaches the applicant signed (the API tests check the signatures with pdfsig).
        const resultLink = page.getByRole('link', { name: new RegExp(`Kết quả \\(đã ký số\\): ket-qua-${code}\\.pdf`) });
        const href = await resultLink.getAttribute('href');
        const download = await page.request.get(`${app.url}${href}`);
        assert.equal(download.status(), 200);
        assert.equal(download.headers()['content-type'], 'application/pdf');
        const received = Buffer.from(await download.body());
        assert.equal(received.subarray(0, 5).toString('latin1'), '%PDF-');
        assert.equal(received.toString('latin1').match(/\/ByteRange/g)?.length, 2, 'signed by the specialist and by the leader');
        const verify = await page.getByRole('link', { name: 'Kiểm tra chữ ký số của các giấy tờ này' }).getAttribute('href');
        assert.equal(verify, `/verify/${encodeURIComponent(code)}`);
        assert.equal((await page.request.get(`${app.url}${verify}`)).status(), 200, 'the public verification page answers for the dossier');
        await assertAccessible(page, 'application with its result');
        await screenshot(page, `track-result-${mode.name}`);

        // Rate it: a score is needed; once only.
        await press(page, 'Gửi đánh giá');
        assert.match(await page.locator('#f-score-error').innerText(), /Chọn mức hài lòng/);
        await page.fill('#f-comment', 'Nhanh, cán bộ hướng dẫn rõ ràng');
        await assertAccessible(page, 'rating with an error');
        assert.equal(await page.inputValue('#f-comment'), 'Nhanh, cán bộ hướng dẫn rõ ràng');
        await page.locator('#f-score-5').check();
        await press(page, 'Gửi đánh giá');
        assert.match(await page.locator('#danh-gia').locator('..').innerText(), /Bạn đã chấm 5\/5/);
        const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
        const again = await page.request.post(`${app.url}/ho-so/${code}/danh-gia`, { form: { _csrf: csrf, score: '1' }, headers: { origin: app.url }, maxRedirects: 0 });
        assert.equal(again.status(), 303);
        const rows = await app.motcua.db.query<{ score: number; comment: string }>('SELECT score, comment FROM dossier_ratings WHERE dossier_code = $1', [code]);
        assert.deepEqual(rows.rows.map((r) => [Number(r.score), r.comment]), [[5, 'Nhanh, cán bộ hướng dẫn rõ ràng']], 'one rating per dossier');

        // Notifications: what changed, newest first, each leading to its application.
        await page.goto(`${app.url}/thong-bao`);
        const notes = page.locator('ul.results li');
        assert.match(await notes.first().innerText(), /Đã trả kết quả/);
        assert.ok((await notes.filter({ hasText: 'Cơ quan yêu cầu bổ sung giấy tờ' }).count()) >= 1);
        await assertAccessible(page, 'notifications');
        await screenshot(page, `track-notifications-${mode.name}`);
        // Pages answered 422 (a form with errors) are logged by Chromium; nothing else may be.
        assert.deepEqual(consoleErrors.filter((m) => !/status of 422/.test(m)), []);
      } finally {
        await context.close();
      }

      // The public lookup, without logging in.
      const anon = await openPage(browser, { js: mode.js });
      anon.page.setDefaultTimeout(15_000);
      try {
        const p = anon.page;
        await p.goto(`${app.url}/tra-cuu`);
        await assertAccessible(p, 'public lookup');
        await p.fill('#f-code', code);
        await p.fill('#f-digits', last4);
        await press(p, 'Tra cứu');
        assert.match(await p.locator('h1').innerText(), new RegExp(code.replace(/\./g, '\\.')));
        assert.equal(await p.locator('#dossier-status').innerText(), 'Đã trả kết quả');
        assert.doesNotMatch(await p.locator('main').innerText(), /Nông Thị Hạnh|Hoàng Minh Khôi/, 'no personal data');
        await assertAccessible(p, 'public lookup result');
        await screenshot(p, `track-lookup-${mode.name}`);

        const wrong = async (c: string, d: string): Promise<string> => {
          await p.goto(`${app.url}/tra-cuu`);
          await p.fill('#f-code', c);
          await p.fill('#f-digits', d);
          await press(p, 'Tra cứu');
          return p.locator('[role="alert"]').innerText();
        };
        const wrongDigits = await wrong(code, last4 === '0000' ? '1111' : '0000');
        const unknownCode = await wrong('000.00.04.H12-200101-9999', last4);
        assert.match(wrongDigits, /Không tìm thấy hồ sơ/);
        assert.equal(wrongDigits, unknownCode, 'a wrong pair says the same whether the code exists or not');
        await assertAccessible(p, 'public lookup not found');
      } finally {
        await anon.context.close();
      }
    });
  });
}

test('the public lookup is throttled per address', { timeout: 60_000 }, async () => {
  let status = 0;
  for (let i = 0; i < 12 && status !== 429; i++) {
    const r = await fetch(`${app.url}/tra-cuu`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: `code=000.00.04.H12-200101-${String(1000 + i)}&digits=1234`, redirect: 'manual' });
    status = r.status;
    if (status === 429) {
      assert.ok(Number(r.headers.get('retry-after')) > 0);
      assert.match(await r.text(), /quá nhiều lần/);
    } else {
      assert.equal(status, 404);
    }
  }
  assert.equal(status, 429, 'refused after 10 lookups a minute');
});
