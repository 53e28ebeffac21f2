/**
 * Protection over real HTTP: rate limits (per address, per account, login throttle;
 * 429 with Retry-After and the bilingual error; MOTCUA_RATE_LIMITS=off), security
 * headers on every response, and /docs loading under its Content-Security-Policy.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { cookieNames, serializeCookie } from '../../src/modules/sessions/cookies.ts';

const apps: TestApp[] = [];
after(async () => {
  await Promise.all(apps.map((a) => a.close()));
});
async function start(env: Record<string, string>): Promise<TestApp> {
  const a = await startTestApp({ env });
  apps.push(a);
  return a;
}

function assertRateLimited(r: { status: number; body: any; headers: Headers }, limit: string): void {
  assert.equal(r.status, 429, JSON.stringify(r.body));
  const retryAfter = Number(r.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${r.headers.get('retry-after')}`);
  assert.equal(r.body.error.code, 'rate_limited');
  assert.equal(r.body.error.limit, limit);
  assert.match(r.body.error.message.vi, /Quá nhiều/);
  assert.match(r.body.error.message.en, /Too many/);
  assert.equal(r.headers.get('content-type')?.startsWith('application/json'), true);
}

describe('rate limits', () => {
  test('per address: the request after the limit gets 429 with Retry-After and the bilingual error', async () => {
    const app = await start({ MOTCUA_RATE_LIMIT_ADDRESS: '10' });
    for (let i = 0; i < 10; i++) assert.equal((await app.call('GET', '/healthz')).status, 200, `request ${i + 1}`);
    const r = await app.call('GET', '/healthz');
    assertRateLimited(r, 'address');
    assertRateLimited(await app.call('GET', '/api/v1/procedures/1.001193'), 'address');
  });

  test('per account: one account over its limit is refused, another account and anonymous calls go on', async () => {
    const app = await start({ MOTCUA_RATE_LIMIT_ACCOUNT: '3' });
    await app.token('citizen1');
    await app.token('citizen2');
    for (let i = 0; i < 3; i++) assert.equal((await app.call('GET', '/api/v1/dossiers', { as: 'citizen1' })).status, 200);
    assertRateLimited(await app.call('GET', '/api/v1/dossiers', { as: 'citizen1' }), 'account');
    assert.equal((await app.call('GET', '/api/v1/dossiers', { as: 'citizen2' })).status, 200);
    assert.equal((await app.call('GET', '/healthz')).status, 200);
  });

  test('login throttle: stricter, on the login routes only', async () => {
    const app = await start({ MOTCUA_RATE_LIMIT_LOGIN: '2' });
    const get = (p: string) => fetch(`${app.url}${p}`, { redirect: 'manual' });
    assert.equal((await get('/auth/login')).status, 302);
    assert.equal((await get('/auth/login')).status, 302);
    const r = await get('/auth/login');
    const body = (await r.json()) as any;
    assertRateLimited({ status: r.status, body, headers: r.headers }, 'login');
    assert.match(body.error.message.en, /logins/);
    assert.equal((await get('/auth/callback?code=x&state=y')).status, 429);
    assert.equal((await get('/healthz')).status, 200);
  });

  test('MOTCUA_RATE_LIMITS=off: no limit at all, whatever the numbers say', async () => {
    const app = await start({ MOTCUA_RATE_LIMITS: 'off', MOTCUA_RATE_LIMIT_ADDRESS: '1', MOTCUA_RATE_LIMIT_ACCOUNT: '1', MOTCUA_RATE_LIMIT_LOGIN: '1' });
    const all = await Promise.all(Array.from({ length: 50 }, () => app.call('GET', '/healthz')));
    assert.ok(all.every((r) => r.status === 200 && r.headers.get('retry-after') === null));
    for (let i = 0; i < 5; i++) assert.equal((await app.call('GET', '/api/v1/dossiers', { as: 'citizen1' })).status, 200);
    for (let i = 0; i < 5; i++) assert.equal((await fetch(`${app.url}/auth/login`, { redirect: 'manual' })).status, 302);
  });
});

describe('security headers', () => {
  const common = (h: Headers, where: string): void => {
    assert.equal(h.get('x-content-type-options'), 'nosniff', where);
    assert.equal(h.get('referrer-policy'), 'no-referrer', where);
    assert.equal(h.get('x-frame-options'), 'DENY', where);
    const csp = h.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'none'/, where);
    assert.match(csp, /default-src 'none'/, where);
    assert.doesNotMatch(csp, /script-src[^;]*'unsafe-(inline|eval)'/, where);
  };

  test('on JSON answers, errors, 404s and redirects; no HSTS on http', async () => {
    const app = await start({});
    for (const [path, status] of [['/healthz', 200], ['/api/v1/dossiers', 401], ['/nowhere', 404], ['/api/v1/procedures/1.001193', 200], ['/auth/login?returnTo=//x', 400], ['/auth/login', 302]] as const) {
      const r = await fetch(`${app.url}${path}`, { redirect: 'manual' });
      assert.equal(r.status, status, path);
      common(r.headers, path);
      assert.equal(r.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'", path);
      assert.equal(r.headers.get('strict-transport-security'), null, path);
      await r.body?.cancel();
    }
    for (const path of ['/oidc/.well-known/openid-configuration', '/oidc/jwks']) {
      const r = await fetch(`${app.url}${path}`);
      assert.equal(r.status, 200, path);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(r.headers.get('referrer-policy'), 'no-referrer', path);
      await r.body?.cancel();
    }
  });

  test('HSTS when the public URL is https; cookies then __Host- and Secure', async () => {
    const app = await start({ MOTCUA_PUBLIC_URL: 'https://dichvucong.example.vn' });
    const r = await fetch(`${app.url}/healthz`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('strict-transport-security') ?? '', /^max-age=31536000; includeSubDomains$/);
    common(r.headers, '/healthz');
    const names = cookieNames('https://dichvucong.example.vn');
    assert.equal(names.session, '__Host-motcua_session');
    const line = serializeCookie(names, names.session, 'abc', 60);
    assert.match(line, /^__Host-motcua_session=abc; Path=\/; HttpOnly; SameSite=Lax; Max-Age=60; Secure$/);
    assert.doesNotMatch(line, /Domain=/i);
    // The identity provider's answers (hijacked by the sandbox) get them too.
    const disco = await fetch(`${app.url}/oidc/.well-known/openid-configuration`);
    assert.equal(disco.headers.get('x-content-type-options'), 'nosniff');
    assert.match(disco.headers.get('strict-transport-security') ?? '', /max-age=31536000/);
    await disco.body?.cancel();
  });

  test('/docs: every asset it names loads from this origin under its CSP (no inline script, no other origin)', async () => {
    const app = await start({});
    const page = await fetch(`${app.url}/docs`);
    assert.equal(page.status, 200);
    common(page.headers, '/docs');
    const csp = page.headers.get('content-security-policy')!;
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /connect-src 'self'/);
    const html = await page.text();
    // Inline scripts would be blocked by script-src 'self': there must be none.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length >= 3);
    for (const s of scripts) {
      assert.match(s[1]!, /\bsrc="/);
      assert.equal(s[2]!.trim(), '');
    }
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    const refs = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => new URL(m[1]!, page.url));
    assert.ok(refs.length >= 5);
    for (const u of refs) {
      assert.equal(u.origin, new URL(app.url).origin, `${u.href} is on this origin`);
      const a = await fetch(u);
      assert.equal(a.status, 200, u.pathname);
      common(a.headers, u.pathname);
      const type = a.headers.get('content-type') ?? '';
      if (u.pathname.endsWith('.js')) assert.match(type, /javascript/, u.pathname);
      if (u.pathname.endsWith('.css')) assert.match(type, /text\/css/, u.pathname);
      const text = await a.text();
      if (u.pathname.endsWith('swagger-initializer.js')) {
        // The specification it loads is fetched from this origin (connect-src 'self'), and no validator badge.
        assert.match(text, /validatorUrl/);
        assert.doesNotMatch(text, /["'`]https?:\/\//);
      }
    }
    const spec = await fetch(`${app.url}/docs/json`);
    assert.equal(spec.status, 200);
    assert.equal(((await spec.json()) as any).openapi, '3.1.0');
  });
});

describe('settings', () => {
  test('rate limit and session settings are checked at start, naming the variable', async () => {
    const { loadConfig, ConfigError } = await import('../../src/config.ts');
    const c = loadConfig({ MOTCUA_DEMO: '1' });
    assert.deepEqual(c.rateLimits, { enabled: true, perAddressPerMinute: 3000, perAccountPerMinute: 600, loginPerMinute: 30 });
    assert.equal(c.sessionMaxAgeSec, 43200);
    assert.equal(c.oidcClientId, 'motcua-web');
    assert.equal(c.oidcResource, 'http://localhost:3000/api');
    assert.equal(loadConfig({ MOTCUA_DEMO: '1', MOTCUA_RATE_LIMITS: 'off' }).rateLimits.enabled, false);
    const keycloak = loadConfig({ MOTCUA_OIDC_ISSUER: 'https://sso.example.vn/realms/motcua', MOTCUA_OIDC_CLIENT_SECRET: 's3cret' });
    assert.equal(keycloak.oidcScope, 'openid profile');
    assert.equal(keycloak.oidcResource, undefined);
    assert.deepEqual(loadConfig({ MOTCUA_DEMO: '1', MOTCUA_OIDC_CLAIM_ROLES: 'realm_access.roles', MOTCUA_OIDC_CLAIM_PERSONAL_ID: 'so_dinh_danh' }).oidcClaimMap, { roles: 'realm_access.roles', personalId: 'so_dinh_danh' });
    try {
      loadConfig({ MOTCUA_DEMO: '1', MOTCUA_RATE_LIMITS: 'sometimes', MOTCUA_RATE_LIMIT_ADDRESS: '0', MOTCUA_RATE_LIMIT_LOGIN: 'x', MOTCUA_SESSION_MAX_AGE: '10', MOTCUA_OIDC_SCOPE: 'profile', MOTCUA_OIDC_CLAIM_ROLES: 'roles..x y' });
      assert.fail('expected ConfigError');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      const text = e.problems.join('\n');
      for (const name of ['MOTCUA_RATE_LIMITS=', 'MOTCUA_RATE_LIMIT_ADDRESS', 'MOTCUA_RATE_LIMIT_LOGIN', 'MOTCUA_SESSION_MAX_AGE', 'MOTCUA_OIDC_SCOPE', 'MOTCUA_OIDC_CLAIM_ROLES']) assert.match(text, new RegExp(name));
    }
  });
});
