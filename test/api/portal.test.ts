/**
 * The portal over plain HTTP: CSRF-checked form posts (route config csrf: 'form'), the
 * pages' security headers (strict CSP, same-origin referrer), compression, cached
 * assets, the language cookie, 404 pages for browsers and JSON for others.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { startTestApp, type TestApp } from '../support/app.ts';
import { Browser } from '../support/browser.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(async () => {
  await app?.close();
});

async function loggedIn(): Promise<{ b: Browser; csrf: string }> {
  const b = new Browser();
  const end = await b.navigate(`${app.url}/auth/login?returnTo=%2F`, 'citizen1');
  assert.equal(end.status, 200);
  assert.equal(end.url.pathname, '/');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(end.body)?.[1];
  assert.ok(csrf, 'the logged-in page carries the CSRF field in its logout form');
  return { b, csrf };
}

/** The bytes as sent (fetch would decompress them). */
function rawGet(url: string, encoding: string): Promise<{ encoding: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('form posts with csrf: form', () => {
  test('logout without the _csrf field, with a wrong one, or from another site is refused; the session stays', async () => {
    const { b, csrf } = await loggedIn();
    const wrong = csrf.slice(0, -1) + (csrf.endsWith('A') ? 'B' : 'A');
    const cases: [string, Record<string, string>, Record<string, string>][] = [
      ['no field', {}, FORM],
      ['wrong token', { _csrf: wrong }, FORM],
      ['other origin', { _csrf: csrf }, { ...FORM, origin: 'https://evil.example' }],
      ['cross-site fetch', { _csrf: csrf }, { ...FORM, 'sec-fetch-site': 'cross-site' }],
      ['header token only', {}, { ...FORM, 'x-csrf-token': csrf }],
    ];
    for (const [name, fields, headers] of cases) {
      const r = await b.fetch(`${app.url}/dang-xuat`, { method: 'POST', headers, body: form(fields) });
      assert.equal(r.status, 403, name);
      assert.equal(JSON.parse(r.body).error.code, 'csrf_refused', name);
      const me = await b.fetch(`${app.url}/auth/me`);
      assert.equal(me.status, 200, `${name}: still logged in`);
    }
    // A browser asking for HTML gets a page saying what to do, in Vietnamese.
    const page = await b.fetch(`${app.url}/dang-xuat`, { method: 'POST', headers: { ...FORM, accept: 'text/html' }, body: form({}) });
    assert.equal(page.status, 403);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.body, /Biểu mẫu đã hết hạn hoặc không hợp lệ/);
  });

  test('logout with the session\'s token ends the session and goes on to the provider\'s logout', async () => {
    const { b, csrf } = await loggedIn();
    const r = await b.fetch(`${app.url}/dang-xuat`, { method: 'POST', headers: { ...FORM, origin: new URL(app.url).origin, 'sec-fetch-site': 'same-origin' }, body: form({ _csrf: csrf }) });
    assert.equal(r.status, 303);
    assert.match(r.headers.get('location') ?? '', /\/oidc\/session\/end/);
    assert.ok(b.setCookieLines.some((l) => /^motcua_session=;.*Max-Age=0/.test(l)));
    const me = await fetch(`${app.url}/auth/me`, { headers: { cookie: `motcua_session=${b.setCookieLines.map((l) => /^motcua_session=([^;]+)/.exec(l)?.[1]).find(Boolean)}` } });
    assert.equal(me.status, 401, 'the old cookie no longer works');
  });

  test('API routes still want the X-CSRF-Token header: a _csrf body field is not enough', async () => {
    const { b, csrf } = await loggedIn();
    const r = await b.fetch(`${app.url}/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _csrf: csrf }) });
    assert.equal(r.status, 403);
  });
});

describe('pages', () => {
  test('strict CSP (nothing inline), same-origin referrer, compressed, not cached when logged in', async () => {
    const r = await fetch(`${app.url}/`, { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    assert.equal(r.status, 200);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /style-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe/);
    assert.equal(r.headers.get('referrer-policy'), 'same-origin');
    assert.equal(r.headers.get('content-encoding'), 'gzip');
    const body = await r.text();
    assert.doesNotMatch(body, /<style|style=|<script>|on(click|load)=/, 'no inline style or script');
    assert.match(body, /<html lang="vi">/);
    const { b } = await loggedIn();
    const mine = await b.fetch(`${app.url}/`);
    assert.equal(mine.headers.get('cache-control'), 'private, no-store');
    // The API keeps its own CSP and referrer policy.
    const api = await fetch(`${app.url}/api/v1/procedures?q=khai`);
    assert.equal(api.headers.get('referrer-policy'), 'no-referrer');
    assert.match(api.headers.get('content-security-policy') ?? '', /form-action 'none'/);
  });

  test('assets: hashed URLs cached for a year, served compressed', async () => {
    const home = await (await fetch(`${app.url}/`)).text();
    const css = /href="(\/assets\/portal\.css\?v=[\w-]+)"/.exec(home)?.[1];
    const js = /src="(\/assets\/portal\.js\?v=[\w-]+)" defer/.exec(home)?.[1];
    assert.ok(css && js);
    const r = await fetch(`${app.url}${css}`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(r.headers.get('content-type'), 'text/css; charset=utf-8');
    const raw = await fetch(`${app.url}${css}`, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(raw.headers.get('content-encoding'), null);
    const plain = await raw.text();
    assert.match(plain, /@media print/);
    const zipped = await rawGet(`${app.url}${css}`, 'gzip');
    assert.equal(zipped.encoding, 'gzip');
    assert.ok(zipped.body.length < plain.length / 2, 'less than half the size compressed');
    assert.equal(gunzipSync(zipped.body).toString(), plain);
    assert.equal((await fetch(`${app.url}/assets/nothing.css`, { headers: { accept: 'text/html' } })).status, 404);
  });

  test('?lang=en answers in English and remembers it in the lang cookie; the cookie alone is enough after', async () => {
    const r = await fetch(`${app.url}/thu-tuc/1.001193?lang=en`);
    assert.match(r.headers.get('set-cookie') ?? '', /^lang=en; Path=\/; SameSite=Lax/);
    const body = await r.text();
    assert.match(body, /<html lang="en">/);
    assert.match(body, /What you need/);
    const again = await (await fetch(`${app.url}/`, { headers: { cookie: 'lang=en' } })).text();
    assert.match(again, /Online public services/);
    const bogus = await (await fetch(`${app.url}/`, { headers: { cookie: 'lang=fr' } })).text();
    assert.match(bogus, /<html lang="vi">/);
  });

  test('search: filters and counts, values escaped, bad input a 400 page naming the field', async () => {
    const r = await fetch(`${app.url}/thu-tuc?q=${encodeURIComponent('<b>khai sinh')}`);
    const body = await r.text();
    assert.doesNotMatch(body, /<b>khai/);
    assert.match(body, /&lt;b&gt;khai sinh/);
    const filtered = await (await fetch(`${app.url}/thu-tuc?applicantType=citizen&onlineLevel=partial`)).text();
    assert.match(filtered, /value="partial" checked/);
    assert.match(filtered, /Thủ tục đăng ký kết hôn/);
    assert.doesNotMatch(filtered, /Thủ tục đăng ký khai sinh</, 'khai sinh is fully online');
    const bad = await fetch(`${app.url}/thu-tuc?q=${'x'.repeat(201)}`);
    assert.equal(bad.status, 400);
    const badBody = await bad.text();
    assert.match(badBody, /<title>Lỗi: /);
    assert.match(badBody, /role="alert"[\s\S]*href="#q"/);
  });

  test('unknown addresses: a page for a browser, JSON for an API client', async () => {
    const page = await fetch(`${app.url}/khong-co`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 404);
    assert.match(await page.text(), /Không tìm thấy trang/);
    const json = await app.call('GET', '/khong-co');
    assert.equal(json.status, 404);
    assert.equal(json.body.error.code, 'not_found');
    const api = await fetch(`${app.url}/api/v1/khong-co`, { headers: { accept: 'text/html' } });
    assert.equal(api.status, 404);
    assert.match(api.headers.get('content-type') ?? '', /json/);
  });
});
