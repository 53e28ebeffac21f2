/**
 * Finding a procedure as a citizen, in Chromium, with JavaScript on and off: home, search,
 * filters, the procedure page, the language switch, log in and log out, the 404 page.
 * Every page is scanned by axe-core (no violation) and the key pages are photographed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import {
  answerProvider, assertAccessible, assertNoHorizontalScroll, collectConsoleErrors, DESKTOP, JS_MODES, launchBrowser, openPage, screenshot, SMALLEST, startPortal,
} from './support.ts';

let app: TestApp;
let browser: Browser;

before(async () => {
  [app, browser] = await Promise.all([startPortal(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await app?.close();
});

for (const mode of JS_MODES) {
  describe(`discovery, JavaScript ${mode.js ? 'on' : 'off'}`, () => {
    test('home → search → filter → procedure page, in Vietnamese, then in English', { timeout: 120_000 }, async () => {
      const { context, page } = await openPage(browser, { js: mode.js });
      const errors = collectConsoleErrors(page);
      try {
        const home = await page.goto(`${app.url}/`);
        assert.equal(home?.status(), 200);
        assert.equal(await page.getAttribute('html', 'lang'), 'vi');
        assert.equal(await page.locator('h1').innerText(), 'Dịch vụ công trực tuyến');
        for (const event of ['Sinh con', 'Kết hôn', 'Chuyển nơi ở, cư trú', 'Bắt đầu kinh doanh', 'Xây nhà', 'Đất đai']) {
          assert.equal(await page.getByRole('link', { name: event, exact: true }).count(), 1, `life event ${event}`);
        }
        assert.ok(await page.getByRole('link', { name: 'Thủ tục cho công dân' }).isVisible());
        assert.ok(await page.getByRole('link', { name: 'Thủ tục cho doanh nghiệp' }).isVisible());
        await assertAccessible(page, 'home');
        await screenshot(page, `home-${mode.name}`);

        await page.getByLabel('Bạn cần làm thủ tục gì?').fill('khai sinh');
        await Promise.all([page.waitForURL(/\/thu-tuc\?q=khai\+sinh$/), page.getByRole('button', { name: 'Tìm kiếm' }).click()]);
        assert.match(await page.locator('h1').innerText(), /khai sinh/);
        const first = page.locator('ol.results > li').first();
        assert.equal(await first.locator('h2').innerText(), 'Thủ tục đăng ký khai sinh');
        assert.equal(await first.locator('mark').innerText(), 'khai sinh');
        assert.match(await page.getByRole('status').innerText(), /^Tìm thấy \d+ thủ tục$/);
        await assertAccessible(page, 'search results');
        await screenshot(page, `search-${mode.name}`);

        // A filter with its count; applying it keeps the words searched for.
        const full = page.getByLabel(/Nộp trực tuyến toàn trình \(\d+\)/);
        const count = Number(/\((\d+)\)/.exec((await page.locator('label', { hasText: 'Nộp trực tuyến toàn trình' }).innerText()))![1]);
        await full.check();
        await Promise.all([page.waitForURL(/onlineLevel=full/), page.getByRole('button', { name: 'Áp dụng bộ lọc' }).click()]);
        assert.match(page.url(), /q=khai\+sinh/);
        assert.equal(await page.locator('ol.results > li').count(), count);
        assert.ok(await page.getByLabel(/Nộp trực tuyến toàn trình/).isChecked());
        await assertAccessible(page, 'filtered search');

        await Promise.all([page.waitForURL(/\/thu-tuc\/1\.001193$/), page.getByRole('link', { name: 'Thủ tục đăng ký khai sinh' }).click()]);
        assert.equal(await page.locator('h1').innerText(), 'Thủ tục đăng ký khai sinh');
        for (const h of ['Mất bao lâu', 'Chi phí', 'Nộp ở đâu', 'Bạn nhận được']) assert.ok(await page.locator('dt', { hasText: h }).isVisible(), h);
        for (const h of ['Bạn cần chuẩn bị', 'Căn cứ pháp lý']) assert.ok(await page.getByRole('heading', { name: h }).isVisible(), h);
        assert.match(await page.locator('dd').first().innerText(), /1 ngày làm việc/);
        assert.ok(await page.getByText('Luật Hộ tịch số 60/2014/QH13').first().isVisible());
        const apply = page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).first();
        assert.equal(await apply.getAttribute('href'), '/nop-ho-so/1.001193');
        await assertAccessible(page, 'procedure page');
        await screenshot(page, `procedure-${mode.name}`);

        // English by the switch, remembered by the cookie on the next page.
        await Promise.all([page.waitForURL(/lang=en/), page.getByRole('link', { name: 'English' }).click()]);
        assert.equal(await page.getAttribute('html', 'lang'), 'en');
        assert.ok(await page.getByRole('heading', { name: 'What you need' }).isVisible());
        assert.equal(await page.getByRole('link', { name: 'Apply online' }).first().getAttribute('href'), '/nop-ho-so/1.001193');
        await assertAccessible(page, 'procedure page in English');
        await screenshot(page, `procedure-en-${mode.name}`);
        await page.goto(`${app.url}/`);
        assert.equal(await page.locator('h1').innerText(), 'Online public services');
        await Promise.all([page.waitForURL(/lang=vi/), page.getByRole('link', { name: 'Tiếng Việt' }).click()]);
        assert.equal(await page.getAttribute('html', 'lang'), 'vi');

        assert.deepEqual(errors, [], 'no console errors (a CSP refusal would be one)');
      } finally {
        await context.close();
      }
    });

    test('life events and categories are searches that find their procedures', { timeout: 120_000 }, async () => {
      const { context, page } = await openPage(browser, { js: mode.js });
      try {
        const cases: [string, string][] = [
          ['Sinh con', 'Thủ tục đăng ký khai sinh'],
          ['Kết hôn', 'Thủ tục đăng ký kết hôn'],
          ['Chuyển nơi ở, cư trú', 'Đăng ký thường trú'],
          ['Bắt đầu kinh doanh', 'Đăng ký thành lập hộ kinh doanh'],
          ['Thủ tục cho công dân', 'Đăng ký thường trú'],
        ];
        for (const [link, expected] of cases) {
          await page.goto(`${app.url}/`);
          await Promise.all([page.waitForURL(/\/thu-tuc\?/), page.getByRole('link', { name: link, exact: true }).click()]);
          const names = await page.locator('ol.results > li h2').allInnerTexts();
          assert.ok(names.includes(expected), `${link}: ${expected} not in ${JSON.stringify(names)}`);
        }
        // A search that finds nothing says so, and what to do.
        await page.goto(`${app.url}/thu-tuc?q=${encodeURIComponent('xyzzy qwerty')}`);
        assert.match(await page.getByRole('status').innerText(), /Không tìm thấy thủ tục nào/);
        await assertAccessible(page, 'empty search');
        // Bad input is an error summary linked to the field, not a crash.
        const bad = await page.goto(`${app.url}/thu-tuc?q=${'a'.repeat(300)}`);
        assert.equal(bad?.status(), 400);
        const summary = page.getByRole('alert');
        assert.ok(await summary.isVisible());
        assert.equal(await summary.locator('a').first().getAttribute('href'), '#q');
        await assertAccessible(page, 'search with an error');
        await screenshot(page, `search-error-${mode.name}`);
      } finally {
        await context.close();
      }
    });

    test('log in through the sandbox identity provider, then log out with the CSRF form', { timeout: 120_000 }, async () => {
      const { context, page } = await openPage(browser, { js: mode.js });
      try {
        await page.goto(`${app.url}/thu-tuc/1.001193`);
        await Promise.all([page.waitForURL(/\/interaction\//), page.getByRole('link', { name: 'Đăng nhập' }).click()]);
        await answerProvider(page, 'citizen1');
        assert.equal(page.url(), `${app.url}/thu-tuc/1.001193`, 'back where the person was');
        assert.ok(await page.getByRole('button', { name: 'Đăng xuất' }).isVisible());
        assert.ok(await page.getByRole('link', { name: 'Hồ sơ của tôi' }).isVisible());
        assert.equal(await page.getByRole('link', { name: 'Đăng nhập' }).count(), 0);
        await assertAccessible(page, 'procedure page, logged in');
        await screenshot(page, `procedure-logged-in-${mode.name}`);

        // Log out: the form posts the session's CSRF token, then the provider's logout page.
        await Promise.all([page.waitForURL((u) => u.pathname !== '/thu-tuc/1.001193'), page.getByRole('button', { name: 'Đăng xuất' }).click()]);
        if (page.url().includes('/session/end')) {
          await Promise.all([page.waitForURL(`${app.url}/`), page.locator('button[name="logout"]').click()]);
        }
        assert.equal(new URL(page.url()).pathname, '/');
        assert.ok(await page.getByRole('link', { name: 'Đăng nhập' }).isVisible());
        const me = await context.request.get(`${app.url}/auth/me`);
        assert.equal(me.status(), 401, 'the session is over');
      } finally {
        await context.close();
      }
    });

    test('an unknown page and an unknown procedure answer a 404 page', { timeout: 120_000 }, async () => {
      const { context, page } = await openPage(browser, { js: mode.js });
      try {
        for (const path of ['/khong-co-trang-nay', '/thu-tuc/9.999999']) {
          const r = await page.goto(`${app.url}${path}`);
          assert.equal(r?.status(), 404, path);
          assert.equal(await page.locator('h1').innerText(), 'Không tìm thấy trang');
          assert.ok(await page.getByRole('link', { name: 'tìm thủ tục' }).isVisible());
          await assertAccessible(page, `404 ${path}`);
        }
        await screenshot(page, `not-found-${mode.name}`);
      } finally {
        await context.close();
      }
    });
  });
}

test('at 320 px nothing scrolls sideways; on a desktop the filters sit beside the results', { timeout: 120_000 }, async () => {
  const small = await openPage(browser, { js: false, viewport: SMALLEST });
  try {
    for (const path of ['/', '/thu-tuc?q=khai+sinh', '/thu-tuc/1.001612', '/khong-co']) {
      await small.page.goto(`${app.url}${path}`);
      await assertNoHorizontalScroll(small.page, path);
    }
    await screenshot(small.page, 'not-found-320px');
    await small.page.goto(`${app.url}/thu-tuc/1.001612`);
    await screenshot(small.page, 'procedure-320px');
  } finally {
    await small.context.close();
  }
  const wide = await openPage(browser, { js: true, viewport: DESKTOP });
  try {
    await wide.page.goto(`${app.url}/thu-tuc?q=kết hôn`);
    const filters = await wide.page.locator('#filters').boundingBox();
    const results = await wide.page.locator('ol.results').boundingBox();
    assert.ok(filters && results && filters.x + filters.width <= results.x, 'filters to the left of the results');
    await screenshot(wide.page, 'search-desktop');
  } finally {
    await wide.context.close();
  }
});

test('JavaScript only enhances: live suggestions under the home search box', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(browser, { js: true });
  try {
    await page.goto(`${app.url}/`);
    await page.getByLabel('Bạn cần làm thủ tục gì?').pressSequentially('ket hon', { delay: 30 });
    const link = page.locator('#q-suggestions a', { hasText: 'Thủ tục đăng ký kết hôn' });
    await link.waitFor({ timeout: 5000 });
    assert.equal(await link.getAttribute('href'), '/thu-tuc/1.000894');
    await assertAccessible(page, 'home with suggestions');
    await screenshot(page, 'home-suggestions');
    await Promise.all([page.waitForURL(/\/thu-tuc\/1\.000894$/), link.click()]);
  } finally {
    await context.close();
  }
  // Without JavaScript the list stays empty and the form still searches.
  const off = await openPage(browser, { js: false });
  try {
    await off.page.goto(`${app.url}/`);
    await off.page.getByLabel('Bạn cần làm thủ tục gì?').fill('ket hon');
    await off.page.waitForTimeout(400);
    assert.equal(await off.page.locator('#q-suggestions li').count(), 0);
  } finally {
    await off.context.close();
  }
});

test('print: the header, footer and buttons are not printed', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage(browser, { js: false });
  try {
    await page.goto(`${app.url}/thu-tuc/1.001193`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.site-header').isVisible(), false);
    assert.equal(await page.locator('.site-footer').isVisible(), false);
    assert.equal(await page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).first().isVisible(), false);
    assert.ok(await page.locator('h1').isVisible());
  } finally {
    await context.close();
  }
});
