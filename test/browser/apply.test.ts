/**
 * Applying online as a citizen, in Chromium, with JavaScript on and off: the birth
 * registration from the procedure's eForm, step by step, with field errors beside their
 * fields and in the summary, a refused upload that keeps the rest of the form, save and
 * come back (in a new session), check your answers, declaration, submit (a double
 * submit makes one dossier) and the confirmation. Every page is scanned by axe-core.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { TINY_PDF } from '../support/app.ts';
import { assertAccessible, assertNoHorizontalScroll, collectConsoleErrors, JS_MODES, launchBrowser, openPage, screenshot, startPortal } from './support.ts';
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

const START = '/nop-ho-so/1.001193';
const id = (pointer: string): string => `#f${pointer.replace(/\//g, '-')}`;

/** Presses a button and waits for the page it leads to. */
async function press(page: Page, name: string | RegExp): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.getByRole('button', { name, exact: typeof name === 'string' }).click()]);
}

async function fillAddress(page: Page, pointer: string): Promise<void> {
  await page.selectOption(id(`${pointer}/provinceCode`), '04');
  await press(page, 'Hiện danh sách xã, phường');
  await page.selectOption(id(`${pointer}/communeCode`), '01273');
  await page.fill(id(`${pointer}/detail`), 'Số 12, phố Vườn Cam, tổ 5');
}

async function dossiersOf(account: string): Promise<{ code: string }[]> {
  const r = await app.call('GET', '/api/v1/dossiers?limit=200', { as: account });
  assert.equal(r.status, 200);
  return r.body.items as { code: string }[];
}

for (const mode of JS_MODES) {
  describe(`apply, JavaScript ${mode.js ? 'on' : 'off'}`, () => {
    test('birth registration end to end: errors beside fields, refused upload, save and come back, check, declare, double submit, confirmation', { timeout: 240_000 }, async () => {
      const account = mode.js ? 'citizen1' : 'citizen2';
      const before = (await dossiersOf(account)).length;
      const { context, page } = await openPage(browser, { js: mode.js });
      page.setDefaultTimeout(15_000);
      const consoleErrors = collectConsoleErrors(page);
      try {
        // Not logged in: the apply page sends to the login and back.
        const anonymous = await page.request.get(`${app.url}${START}`, { maxRedirects: 0 });
        assert.equal(anonymous.status(), 303);
        assert.equal(anonymous.headers().location, `/auth/login?returnTo=${encodeURIComponent(START)}`, 'log in first');
        await login(page, app, account, START);
        assert.match(await page.locator('h1').innerText(), /Nộp hồ sơ trực tuyến/);
        await assertAccessible(page, 'apply start');
        await screenshot(page, `apply-start-${mode.name}`);

        // Three offices receive it: choosing none is an error in the summary and beside the choice.
        await press(page, 'Bắt đầu');
        assert.equal(await page.locator('.error-summary a').first().innerText(), 'Chọn nơi nộp hồ sơ');
        assert.equal(await page.locator('.error-summary a').first().getAttribute('href'), '#f-agencyCode-0');
        assert.match(await page.locator('#f-agencyCode-error').innerText(), /Chọn nơi nộp hồ sơ/);
        await assertAccessible(page, 'apply start with an error');
        await page.locator('input[name="agencyCode"][value="000.00.04.H12"]').check();
        await press(page, 'Bắt đầu');

        // Step 1: the declarant. The personal id comes from the identity; sending the rest empty shows every error.
        assert.match(new URL(page.url()).pathname, /\/buoc\/1$/);
        assert.equal(await page.locator('h1').innerText(), 'Người yêu cầu đăng ký khai sinh');
        assert.match(await page.inputValue(id('/declarant/personalId')), /^\d{12}$/, 'prefilled from the electronic identity');
        await assertAccessible(page, 'step 1');
        await page.fill(id('/declarant/phone'), '12345');
        await press(page, 'Lưu và tiếp tục');
        assert.match(new URL(page.url()).pathname, /\/buoc\/1$/);
        const summary = page.locator('.error-summary');
        assert.ok(await summary.isVisible());
        assert.equal(await page.title().then((t) => t.startsWith('Lỗi:')), true, 'the title says there is an error');
        const links = await summary.locator('a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent })));
        for (const field of ['/declarant/fullName', '/declarant/phone', '/declarant/relationship']) {
          const want = id(field);
          assert.ok(links.some((l) => l.href === want), `summary links to ${field}: ${JSON.stringify(links)}`);
          assert.ok(await page.locator(`${id(field)}-error`).isVisible(), `error beside ${field}`);
        }
        assert.equal(await page.inputValue(id('/declarant/phone')), '12345', 'the typed value is kept');
        assert.equal(await page.getAttribute(id('/declarant/phone'), 'aria-invalid'), 'true');
        await assertAccessible(page, 'step 1 with errors');
        // The summary link moves to the field.
        await summary.locator(`a[href="${id('/declarant/fullName')}"]`).click();
        assert.equal(new URL(page.url()).hash, id('/declarant/fullName'));
        await screenshot(page, `apply-errors-${mode.name}`);

        // In English the same errors read in English.
        await page.goto(`${page.url().split('#')[0]}?lang=en`);
        await press(page, 'Save and continue');
        assert.equal(await page.locator('.error-summary h2').innerText(), 'There is a problem');
        assert.match(await page.locator(`${id('/declarant/fullName')}-error`).innerText(), /required/i);
        await page.goto(`${app.url}${START}/buoc/1?lang=vi`);

        await page.fill(id('/declarant/fullName'), 'Nông Thị Hạnh');
        await page.fill(id('/declarant/phone'), '0912 345 678');
        await fillAddress(page, '/declarant/residence');
        await page.selectOption(id('/declarant/relationship'), 'Mẹ');
        await press(page, 'Lưu và tiếp tục');
        assert.match(new URL(page.url()).pathname, /\/buoc\/2$/, `step 1 accepted: ${await page.locator('.error-summary').innerText().catch(() => '')}`);

        // Step 2, the child, half done: save and come back later, from another session.
        await page.fill(id('/child/fullName'), 'Hoàng Minh Khôi');
        await page.fill(id('/child/dateOfBirth'), '31/02/2026');
        await press(page, 'Lưu để làm tiếp sau');
        assert.match(await page.getByRole('status').innerText(), /Đã lưu/);
        await context.clearCookies();
        await login(page, app, account, START);
        assert.ok(await page.getByText('Bạn có hồ sơ đang soạn dở').isVisible());
        await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Tiếp tục soạn hồ sơ' }).click()]);
        assert.match(new URL(page.url()).pathname, /\/buoc\/2$/);
        assert.equal(await page.inputValue(id('/child/fullName')), 'Hoàng Minh Khôi', 'the draft kept the answers');
        assert.equal(await page.inputValue(id('/child/dateOfBirth')), '31/02/2026');

        // The impossible date is named beside the field.
        await page.locator(`${id('/child/sex')}-0`).check();
        await page.locator(`${id('/child/placeOfBirth/kind')}-0`).check();
        await page.fill(id('/child/placeOfBirth/facilityName'), 'Bệnh viện Đa khoa tỉnh Cao Bằng');
        await fillAddress(page, '/child/placeOfBirth/address');
        await page.selectOption(id('/child/ethnicity'), 'Tày');
        assert.equal(await page.inputValue(id('/child/nationality')), 'Việt Nam', 'the default answer is filled in');
        await page.fill(id('/child/hometown'), 'Phường Thục Phán, tỉnh Cao Bằng');
        await press(page, 'Lưu và tiếp tục');
        assert.ok(await page.locator(`${id('/child/dateOfBirth')}-error`).isVisible(), 'date error beside the date');
        assert.equal(await page.locator('.error-summary a').count(), 1, await page.locator('.error-summary').innerText());
        await page.fill(id('/child/dateOfBirth'), '08/11/2026');
        await press(page, 'Lưu và tiếp tục');
        assert.match(new URL(page.url()).pathname, /\/buoc\/3$/, await page.locator('.error-summary').innerText().catch(() => ''));

        // Step 3: the mother.
        await page.fill(id('/mother/fullName'), 'Nông Thị Hạnh');
        await page.fill(id('/mother/dateOfBirth'), '14/02/1996');
        await page.selectOption(id('/mother/ethnicity'), 'Nùng');
        await page.fill(id('/mother/personalId'), '004196002731');
        await fillAddress(page, '/mother/residence');
        await press(page, 'Lưu và tiếp tục');
        assert.match(new URL(page.url()).pathname, /\/buoc\/4$/, await page.locator('.error-summary').innerText().catch(() => ''));

        // Step 4: the father is not known here; step 5 (parents' marriage) is optional.
        await press(page, 'Lưu và tiếp tục');
        assert.match(new URL(page.url()).pathname, /\/buoc\/5$/, await page.locator('.error-summary').innerText().catch(() => ''));
        await press(page, 'Lưu và tiếp tục');
        assert.match(new URL(page.url()).pathname, /\/buoc\/6$/, await page.locator('.error-summary').innerText().catch(() => ''));

        // Step 6: proof of birth with the scan. A file that is not a PDF/JPEG/PNG is refused, saying why; the rest stays.
        assert.equal(await page.locator('h1').innerText(), 'Giấy tờ chứng minh việc sinh');
        await page.locator(`${id('/birthEvidence/kind')}-0`).check();
        await page.fill(id('/birthEvidence/number'), '004/2026/GCS-0123');
        await page.fill(id('/birthEvidence/issuedBy'), 'Bệnh viện Đa khoa tỉnh Cao Bằng');
        await page.setInputFiles(id('/birthEvidence/file'), { name: 'giay-chung-sinh.txt', mimeType: 'text/plain', buffer: Buffer.from('not a scan') });
        await press(page, 'Lưu và tiếp tục');
        assert.match(await page.locator(`${id('/birthEvidence/file')}-error`).innerText(), /không phải PDF, JPEG hoặc PNG/);
        assert.equal(await page.inputValue(id('/birthEvidence/number')), '004/2026/GCS-0123', 'the rest of the form is kept');
        await assertAccessible(page, 'refused upload');
        await page.setInputFiles(id('/birthEvidence/file'), { name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([TINY_PDF, Buffer.from(`% ${mode.name}\n`)]) });
        await press(page, 'Lưu và tiếp tục');
        assert.match(new URL(page.url()).pathname, /\/buoc\/7$/, await page.locator('.error-summary').innerText().catch(() => ''));
        await page.goto(`${app.url}${START}/buoc/6`);
        assert.match(await page.locator(`${id('/birthEvidence/file')}-current`).innerText(), /giay-chung-sinh\.pdf/, 'the uploaded file is named');
        await press(page, 'Lưu và tiếp tục');

        // Step 7: other documents (none needed); step 8: copies and how to receive the result.
        await press(page, 'Lưu và tiếp tục');
        assert.match(new URL(page.url()).pathname, /\/buoc\/8$/);
        await page.fill(id('/copies'), '2');
        await page.locator(`${id('/resultDelivery')}-2`).check();
        await assertAccessible(page, 'last step');
        await press(page, 'Lưu và tiếp tục');
        assert.match(new URL(page.url()).pathname, /\/kiem-tra$/, await page.locator('.error-summary').innerText().catch(() => ''));

        // Check your answers; the declaration must be ticked.
        assert.equal(await page.locator('h1').innerText(), 'Kiểm tra lại thông tin trước khi nộp');
        assert.ok(await page.getByText('Hoàng Minh Khôi').isVisible());
        assert.ok(await page.getByText('Phường Thục Phán').first().isVisible());
        await assertAccessible(page, 'check your answers');
        await screenshot(page, `apply-check-${mode.name}`);
        await press(page, 'Nộp hồ sơ');
        assert.match(await page.locator('#f-declaration-error').innerText(), /cam đoan/);
        assert.equal(await page.locator('.error-summary a').getAttribute('href'), '#f-declaration');
        assert.equal((await dossiersOf(account)).length, before, 'nothing submitted without the declaration');

        // A double click on submit makes one dossier.
        await page.locator('#f-declaration').check();
        await Promise.all([page.waitForURL(/\/da-nop\//), page.getByRole('button', { name: 'Nộp hồ sơ' }).dblclick()]);
        await page.waitForLoadState('load');
        const code = await page.locator('#dossier-code').innerText();
        assert.match(code, /^000\.00\.04\.H12-\d{6}-\d{4}$/);
        assert.equal(await page.locator('h1').innerText(), 'Đã nộp hồ sơ');
        await assertAccessible(page, 'confirmation');
        await screenshot(page, `apply-confirmation-${mode.name}`);
        const after = await dossiersOf(account);
        assert.equal(after.length, before + 1, 'one dossier for a double submit');
        assert.equal(after.filter((d) => d.code === code).length, 1);

        // The same submit sent again (a reload, the back button) leads to the same dossier.
        const token = await page.evaluate(() => document.cookie).catch(() => '');
        void token;
        const dossier = await app.call('GET', `/api/v1/dossiers/${code}`, { as: account });
        assert.equal(dossier.body.form.child.dateOfBirth, '2026-11-08', 'dates typed dd/mm/yyyy are stored as dates');
        assert.equal(dossier.body.form.copies, 2);
        assert.equal(dossier.body.form.commitment, true);
        assert.equal(dossier.body.files.filter((f: { role: string }) => f.role === 'form').length, 1, 'the scan is attached');

        // The draft is done: the apply page starts afresh.
        await page.goto(`${app.url}${START}`);
        assert.equal(await page.getByText('Bạn có hồ sơ đang soạn dở').count(), 0);
        await assertNoHorizontalScroll(page, 'apply start');
        // Pages answered 422 (a form with errors) are logged by Chromium; nothing else may be (CSP refusals, script errors).
        assert.deepEqual(consoleErrors.filter((m) => !/status of 422/.test(m)), []);
      } finally {
        await context.close();
      }
    });
  });
}

test('two submits of the same draft at once make one dossier', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(browser, { js: false });
  page.setDefaultTimeout(15_000);
  try {
    await login(page, app, 'citizen3', START);
    await page.locator('input[name="agencyCode"][value="000.00.04.H12"]').check();
    await press(page, 'Bắt đầu');
    // Answers put straight into the draft (the steps are covered above).
    const draftId = (await app.motcua.db.query<{ id: string }>("SELECT id::text AS id FROM portal_drafts WHERE owner_sub = (SELECT owner_sub FROM portal_drafts ORDER BY created_at DESC LIMIT 1) AND submitted_at IS NULL")).rows[0]!.id;
    const example = structuredClone((await import('../../src/modules/catalogue/demo/examples/1.001193.json', { with: { type: 'json' } })).default) as Record<string, any>;
    const fileId = await (async () => {
      const form = new FormData();
      form.set('file', new Blob([new Uint8Array(Buffer.concat([TINY_PDF, Buffer.from('% race\n')]))], { type: 'application/pdf' }), 'gcs.pdf');
      const r = await app.call('POST', '/api/v1/files', { as: 'citizen3', body: form });
      return r.body.id as string;
    })();
    example.birthEvidence.file = fileId;
    example.declarant.personalId = '004201007320';
    delete example.commitment;
    await app.motcua.db.query('UPDATE portal_drafts SET form = $2 WHERE id = $1', [draftId, JSON.stringify(example)]);
    await page.goto(`${app.url}${START}/kiem-tra`);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const before = (await dossiersOf('citizen3')).length;
    const post = () => page.request.post(`${app.url}${START}/nop`, { form: { _csrf: csrf, draftId, declaration: 'true' }, headers: { origin: app.url }, maxRedirects: 0 });
    const answers = await Promise.all([post(), post(), post()]);
    const locations = answers.map((a) => a.headers().location);
    assert.deepEqual(answers.map((a) => a.status()), [303, 303, 303]);
    assert.equal(new Set(locations).size, 1, `all lead to the same dossier: ${locations.join(', ')}`);
    assert.match(locations[0]!, /\/da-nop\/000\.00\.04\.H12-/);
    assert.equal((await dossiersOf('citizen3')).length, before + 1);
  } finally {
    await context.close();
  }
});

test('a document from My documents is reused for a file field instead of uploading it again', { timeout: 120_000 }, async () => {
  // A dossier sent before (through the API) leaves its birth certificate scan in the warehouse.
  const scan = Buffer.concat([TINY_PDF, Buffer.from('% warehouse\n')]);
  const { context, page } = await openPage(browser, { js: false });
  page.setDefaultTimeout(15_000);
  try {
    const account = 'citizen3';
    const fileForm = new FormData();
    fileForm.set('file', new Blob([new Uint8Array(scan)], { type: 'application/pdf' }), 'gcs-cu.pdf');
    const f = await app.call('POST', '/api/v1/files', { as: account, body: fileForm });
    const ex = structuredClone((await import('../../src/modules/catalogue/demo/examples/1.001193.json', { with: { type: 'json' } })).default) as Record<string, any>;
    ex.birthEvidence.file = f.body.id;
    const sent = await app.call('POST', '/api/v1/dossiers', { as: account, json: { procedureCode: '1.001193', agencyCode: '000.00.04.H12', form: ex } });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));

    await login(page, app, account, START);
    await page.locator('input[name="agencyCode"][value="000.00.04.H12"]').check();
    await press(page, 'Bắt đầu');
    await page.goto(`${app.url}${START}/buoc/6`);
    const choice = page.locator(`${id('/birthEvidence/file')}-reuse`);
    assert.ok(await choice.isVisible(), 'My documents offers the scan sent before');
    const options = await choice.locator('option').allInnerTexts();
    assert.ok(options.some((o) => o.includes('gcs-cu.pdf')), options.join(' | '));
    await assertAccessible(page, 'step with a document to reuse');
    await choice.selectOption({ index: 1 });
    await page.locator(`${id('/birthEvidence/kind')}-0`).check();
    await page.fill(id('/birthEvidence/number'), '004/2026/GCS-0999');
    await page.fill(id('/birthEvidence/issuedBy'), 'Bệnh viện Đa khoa tỉnh Cao Bằng');
    await press(page, 'Lưu và tiếp tục');
    assert.match(new URL(page.url()).pathname, /\/buoc\/7$/, await page.locator('.error-summary').innerText().catch(() => ''));
    const draft = await app.motcua.db.query<{ file: string }>("SELECT form->'birthEvidence'->>'file' AS file FROM portal_drafts WHERE dossier_code IS NULL ORDER BY updated_at DESC LIMIT 1");
    const reused = await app.motcua.db.query<{ source: string; owner_sub: string }>('SELECT source, owner_sub FROM files WHERE id = $1', [draft.rows[0]!.file]);
    assert.equal(reused.rows[0]?.source, 'reused', 'a new file record pointing at the same content');
    await page.goto(`${app.url}${START}/buoc/6`);
    assert.match(await page.locator(`${id('/birthEvidence/file')}-current`).innerText(), /gcs-cu\.pdf/);
  } finally {
    await context.close();
  }
});

test('the apply pages fit a 320 px wide phone, in both languages', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(browser, { js: false, viewport: { width: 320, height: 640 } });
  page.setDefaultTimeout(15_000);
  try {
    await login(page, app, 'business1', START);
    // A business may not apply for a birth registration: said plainly, on a page.
    assert.match(await page.locator('main').innerText(), /Thủ tục này không dành cho loại tài khoản của bạn/);
    assert.equal(await page.locator('form[action$="/bat-dau"]').count(), 0);
    await assertAccessible(page, 'procedure not for this applicant');
    await context.clearCookies();
    await login(page, app, 'citizen3', '/nop-ho-so/1.001612');
    await page.locator('input[name="agencyCode"]').first().check();
    await press(page, 'Bắt đầu');
    for (const lang of ['vi', 'en']) {
      for (let n = 1; ; n++) {
        const res = await page.goto(`${app.url}/nop-ho-so/1.001612/buoc/${n}?lang=${lang}`);
        if (res?.status() === 404) break;
        assert.equal(res?.status(), 200);
        await assertNoHorizontalScroll(page, `business registration step ${n} (${lang})`);
        if (lang === 'en') await assertAccessible(page, `business registration step ${n} in English`);
      }
      await page.goto(`${app.url}/nop-ho-so/1.001612/kiem-tra?lang=${lang}`);
      await assertNoHorizontalScroll(page, `check your answers (${lang})`);
    }
    await screenshot(page, 'apply-320-check-en');
  } finally {
    await context.close();
  }
});
