/**
 * Browser sessions over real HTTP against the sandbox identity provider: the whole
 * login as a browser runs it (redirects followed by hand, cookie jar, the sandbox's
 * login and consent forms posted), the cookie's attributes, API calls with the cookie,
 * CSRF refusal and acceptance, refresh of an expired access token, logout, open redirect.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, TINY_PDF, type TestApp } from '../support/app.ts';
import { Browser } from '../support/browser.ts';
import { hashId } from '../../src/modules/sessions/sessions.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp({ env: { MOTCUA_RATE_LIMITS: 'off' } });
});
after(async () => {
  await app?.close();
});

async function login(account: string, returnTo = '/api/v1/dossiers'): Promise<Browser> {
  const b = new Browser();
  const end = await b.navigate(`${app.url}/auth/login?returnTo=${encodeURIComponent(returnTo)}`, account);
  assert.equal(end.url.pathname, new URL(returnTo, app.url).pathname, `ended at ${end.url.href} (${end.status})`);
  assert.ok(b.cookies.has('motcua_session'), 'a session cookie is set');
  return b;
}

async function me(b: Browser): Promise<{ status: number; body: any }> {
  const r = await b.fetch(`${app.url}/auth/me`);
  return { status: r.status, body: r.body === '' ? undefined : JSON.parse(r.body) };
}

describe('browser login', () => {
  test('a citizen logs in with code + PKCE + state + nonce and lands on returnTo; the cookie authenticates the API', async () => {
    const b = new Browser();
    const first = await b.fetch(`${app.url}/auth/login?returnTo=${encodeURIComponent('/api/v1/dossiers?limit=5')}`);
    assert.equal(first.status, 302);
    const auth = new URL(first.headers.get('location')!);
    assert.equal(`${auth.origin}${auth.pathname}`, `${app.url}/oidc/auth`);
    assert.equal(auth.searchParams.get('response_type'), 'code');
    assert.equal(auth.searchParams.get('client_id'), 'motcua-web');
    assert.equal(auth.searchParams.get('redirect_uri'), `${app.url}/auth/callback`);
    assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
    for (const p of ['state', 'nonce', 'code_challenge']) assert.ok((auth.searchParams.get(p) ?? '').length >= 32, p);
    const end = await b.navigate(auth, 'citizen1');
    assert.equal(end.url.pathname, '/api/v1/dossiers');
    assert.equal(end.url.search, '?limit=5');
    assert.equal(end.status, 200, end.body);
    assert.ok(Array.isArray(JSON.parse(end.body).items) || typeof JSON.parse(end.body) === 'object');

    const who = await me(b);
    assert.equal(who.status, 200);
    assert.equal(who.body.principal.sub, '7c0b6f0e-2b1e-4d5a-9a51-3f6c1e0a0001');
    assert.deepEqual(who.body.principal.roles, ['citizen']);
    assert.equal(who.body.principal.personalId, '004085012345');
    assert.ok(who.body.session.csrfToken.length >= 32);

    // The same Principal as the bearer token of the same account.
    const bearer = await app.call('GET', '/auth/me', { as: 'citizen1' });
    assert.equal(bearer.status, 200);
    assert.deepEqual(who.body.principal, bearer.body.principal);
    assert.equal(bearer.body.session, null);

    // Only the hash of the cookie's value is stored; the browser never sees the tokens.
    const id = b.cookies.get('motcua_session')!;
    const row = await app.motcua.db.query<{ sub: string; refresh_token: string | null }>('SELECT sub, refresh_token FROM auth_sessions WHERE id_hash = $1', [hashId(id)]);
    assert.equal(row.rows.length, 1);
    assert.equal(row.rows[0]!.sub, '7c0b6f0e-2b1e-4d5a-9a51-3f6c1e0a0001');
    assert.ok(row.rows[0]!.refresh_token, 'a refresh token is kept');
    assert.equal((await app.motcua.db.query('SELECT 1 FROM auth_sessions WHERE id_hash = $1', [id])).rows.length, 0);
    for (const h of b.hops) assert.ok(!/"(access|refresh|id)_token"/.test(h.body), `no token reaches the browser (${h.url.pathname})`);
  });

  test('an officer logs in the same way and works on the officers\' API with the cookie', async () => {
    const b = await login('reception1', '/auth/me');
    const who = await me(b);
    assert.equal(who.status, 200);
    assert.deepEqual(who.body.principal.roles, ['reception']);
    assert.equal(who.body.principal.agencyCode, '000.00.04.H12');
    const list = await b.fetch(`${app.url}/api/v1/dossiers`);
    assert.equal(list.status, 200, list.body);
  });

  test('the session cookie: HttpOnly, SameSite=Lax, Path=/, Max-Age, not Secure on http; the login cookie is cleared', async () => {
    const b = await login('citizen2');
    const line = b.setCookieLines.find((l) => l.startsWith('motcua_session='))!;
    assert.ok(line, b.setCookieLines.join('\n'));
    const attrs = line.split(';').map((s) => s.trim().toLowerCase());
    assert.ok(attrs.includes('httponly'));
    assert.ok(attrs.includes('samesite=lax'));
    assert.ok(attrs.includes('path=/'));
    assert.ok(attrs.includes('max-age=43200'));
    assert.ok(!attrs.includes('secure'));
    assert.ok(!attrs.some((a) => a.startsWith('domain=')));
    assert.ok(!b.cookies.has('motcua_login'), 'the login cookie is deleted after use');
    assert.match(line.split(';')[0]!, /^motcua_session=[A-Za-z0-9_-]{43}$/);
  });

  test('returnTo must be a local path (open redirect refused)', async () => {
    for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '/..//evil.example', '/./%2e%2e//evil.example', '/a/../..//evil.example/x', 'javascript:alert(1)', 'evil', '/%0d%0aSet-Cookie:x=1'.replace('%0d%0a', '\r\n')]) {
      const r = await fetch(`${app.url}/auth/login?returnTo=${encodeURIComponent(bad)}`, { redirect: 'manual' });
      assert.equal(r.status, 400, bad);
      const body = (await r.json()) as any;
      assert.equal(body.error.code, 'invalid_return_to');
      assert.equal(body.error.field, 'query.returnTo');
      assert.ok(body.error.message.vi && body.error.message.en);
    }
    const ok = await fetch(`${app.url}/auth/login?returnTo=${encodeURIComponent('/docs')}`, { redirect: 'manual' });
    assert.equal(ok.status, 302);
  });

  test('a callback without its login cookie, or with a tampered state, opens no session', async () => {
    const b = new Browser();
    const stop = await b.navigate(`${app.url}/auth/login`, 'citizen1', { stopAt: `${app.url}/auth/callback` });
    const callback = new URL(stop.headers.get('location')!, stop.url);
    // Another browser (no login cookie) presenting the code.
    const other = new Browser();
    const r1 = await other.fetch(callback);
    assert.equal(r1.status, 400);
    assert.equal(JSON.parse(r1.body).error.code, 'login_failed');
    assert.ok(!other.cookies.has('motcua_session'));
    // The right browser with a changed state.
    const tampered = new URL(callback);
    tampered.searchParams.set('state', 'x'.repeat(43));
    const r2 = await b.fetch(tampered);
    assert.equal(r2.status, 400);
    assert.ok(!b.cookies.has('motcua_session'));
  });

  test('a person who cancels at the provider comes back to a bilingual refusal, without a session', async () => {
    const b = new Browser();
    let hop = await b.fetch(`${app.url}/auth/login`);
    while (hop.status >= 300 && hop.status < 400) hop = await b.fetch(new URL(hop.headers.get('location')!, hop.url));
    assert.match(hop.url.pathname, /\/oidc\/interaction\/[\w-]+$/);
    hop = await b.fetch(new URL(`${hop.url.pathname}/abort`, hop.url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    while (hop.status >= 300 && hop.status < 400) hop = await b.fetch(new URL(hop.headers.get('location')!, hop.url));
    assert.equal(hop.url.pathname, '/auth/callback');
    assert.equal(hop.status, 400);
    const err = JSON.parse(hop.body).error;
    assert.equal(err.code, 'login_failed');
    assert.equal(err.reason, 'access_denied');
    assert.ok(err.message.vi && err.message.en);
    assert.ok(!b.cookies.has('motcua_session'));
  });

  test('an expired access token is refreshed with the refresh token; the session goes on', async () => {
    const b = await login('citizen3');
    const idHash = hashId(b.cookies.get('motcua_session')!);
    const before = await app.motcua.db.query<{ access_token: string }>('SELECT access_token FROM auth_sessions WHERE id_hash = $1', [idHash]);
    await app.motcua.db.query("UPDATE auth_sessions SET access_expires_at = now() - interval '1 minute' WHERE id_hash = $1", [idHash]);
    const who = await me(b);
    assert.equal(who.status, 200);
    const afterRow = await app.motcua.db.query<{ access_token: string; access_expires_at: Date }>('SELECT access_token, access_expires_at FROM auth_sessions WHERE id_hash = $1', [idHash]);
    assert.notEqual(afterRow.rows[0]!.access_token, before.rows[0]!.access_token);
    assert.ok(new Date(afterRow.rows[0]!.access_expires_at).getTime() > Date.now());
  });

  test('a session past its end, or idle too long, stops at once', async () => {
    const b = await login('citizen1');
    const idHash = hashId(b.cookies.get('motcua_session')!);
    assert.equal((await me(b)).status, 200);
    await app.motcua.db.query("UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE id_hash = $1", [idHash]);
    assert.equal((await me(b)).status, 401);
    assert.equal((await b.fetch(`${app.url}/api/v1/dossiers`)).status, 401);
    const c = await login('citizen1');
    await app.motcua.db.query("UPDATE auth_sessions SET last_seen_at = now() - interval '2 hours' WHERE id_hash = $1", [hashId(c.cookies.get('motcua_session')!)]);
    assert.equal((await me(c)).status, 401);
  });
});

describe('CSRF', () => {
  const form = (): FormData => {
    const f = new FormData();
    f.set('file', new Blob([new Uint8Array(TINY_PDF)], { type: 'application/pdf' }), 'giay-to.pdf');
    return f;
  };

  test('a state-changing call by cookie without the CSRF token, with a wrong one, or from another site is refused; with it, accepted', async () => {
    const b = await login('citizen1');
    const csrf = (await me(b)).body.session.csrfToken as string;
    const post = (headers: Record<string, string>) => b.fetch(`${app.url}/api/v1/files`, { method: 'POST', body: form(), headers });

    const none = await post({});
    assert.equal(none.status, 403, none.body);
    const err = JSON.parse(none.body).error;
    assert.equal(err.code, 'csrf_refused');
    assert.equal(err.field, 'headers.x-csrf-token');
    assert.ok(err.message.vi && err.message.en);

    const wrong = `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}`;
    assert.equal((await post({ 'x-csrf-token': wrong })).status, 403);
    assert.equal((await post({ 'x-csrf-token': csrf.slice(0, -1) })).status, 403);
    assert.equal((await post({ 'x-csrf-token': csrf, origin: 'https://evil.example' })).status, 403);
    assert.equal((await post({ 'x-csrf-token': csrf, 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal((await post({ 'x-csrf-token': csrf, 'sec-fetch-site': 'same-site' })).status, 403);

    const ok = await post({ 'x-csrf-token': csrf, origin: app.url, 'sec-fetch-site': 'same-origin' });
    assert.ok(ok.status === 201 || ok.status === 200, ok.body);
    assert.equal(JSON.parse(ok.body).ownerSub, '7c0b6f0e-2b1e-4d5a-9a51-3f6c1e0a0001');
    const ok2 = await post({ 'x-csrf-token': csrf });
    assert.ok(ok2.status === 201 || ok2.status === 200, ok2.body);
    // Another session's token does not do.
    const other = await login('citizen2');
    const otherCsrf = (await me(other)).body.session.csrfToken as string;
    assert.equal((await post({ 'x-csrf-token': otherCsrf })).status, 403);
  });

  test('bearer-token calls need no CSRF token', async () => {
    const r = await app.call('POST', '/api/v1/files', { as: 'citizen1', body: form(), headers: { origin: 'https://elsewhere.example' } });
    assert.ok(r.status === 201 || r.status === 200, JSON.stringify(r.body));
  });

  test('logout needs the CSRF token too', async () => {
    const b = await login('citizen2');
    const r = await b.fetch(`${app.url}/auth/logout`, { method: 'POST' });
    assert.equal(r.status, 403);
    assert.equal((await me(b)).status, 200, 'still logged in');
  });
});

describe('logout', () => {
  test('revokes the session: the same cookie then gets 401, and the provider logout URL is given', async () => {
    const b = await login('citizen1');
    const cookie = `motcua_session=${b.cookies.get('motcua_session')}`;
    const csrf = (await me(b)).body.session.csrfToken as string;
    const r = await b.fetch(`${app.url}/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': csrf } });
    assert.equal(r.status, 200, r.body);
    const body = JSON.parse(r.body);
    assert.equal(body.loggedOut, true);
    const end = new URL(body.endSessionUrl);
    assert.equal(`${end.origin}${end.pathname}`, `${app.url}/oidc/session/end`);
    assert.equal(end.searchParams.get('post_logout_redirect_uri'), `${app.url}/`);
    assert.ok(end.searchParams.get('id_token_hint'));
    // The provider's logout page answers (RP-initiated logout, the sandbox asks to confirm).
    const page = await b.fetch(end);
    assert.equal(page.status, 200);
    assert.match(page.body, /Đăng xuất/);
    assert.ok(b.setCookieLines.some((l) => l.startsWith('motcua_session=;') && /max-age=0/i.test(l)), 'the cookie is deleted');

    // The same cookie, replayed (as a stolen copy would be): refused at once.
    const replay = await fetch(`${app.url}/auth/me`, { headers: { cookie } });
    assert.equal(replay.status, 401);
    const api = await fetch(`${app.url}/api/v1/dossiers`, { headers: { cookie } });
    assert.equal(api.status, 401);
    const row = await app.motcua.db.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM auth_sessions WHERE id_hash = $1', [hashId(cookie.split('=')[1]!)]);
    assert.ok(row.rows[0]!.revoked_at);
  });

  test('without a session: 401', async () => {
    const r = await fetch(`${app.url}/auth/logout`, { method: 'POST' });
    assert.equal(r.status, 401);
  });
});
