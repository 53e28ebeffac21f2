import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { AppError } from '../../shared/errors.ts';
import { freePort } from '../../../test/support/app.ts';
import { DEMO_ACCOUNTS, type DemoAccount } from './demo-accounts.ts';
import { issueSandboxToken } from './issue-sandbox-token.ts';
import type { Principal } from './principal.ts';
import {
  createSandboxProvider,
  readSandboxCliSecret,
  registerSandboxProvider,
  SANDBOX_ACR,
  SANDBOX_CLI_CLIENT_ID,
  SANDBOX_WEB_CLIENT_ID,
  sandboxStateDir,
  type SandboxProvider,
  type SandboxProviderOptions,
} from './sandbox-provider.ts';
import { createAccessTokenVerifier } from './token-verifier.ts';
import { statusOf } from '../../http/errors.ts';

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const tmpDirs: string[] = [];
async function tmpDataDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'motcua-idp-test-'));
  tmpDirs.push(d);
  return d;
}

interface Started {
  url: string;
  sandbox: SandboxProvider;
  dataDir: string;
  /** Unexpected errors the provider reported (must stay empty). */
  errors: unknown[];
  close(): Promise<void>;
}

const started: Started[] = [];

/** A minimal Fastify app with the sandbox mounted, listening on a free local port. */
async function startSandbox(opts: Partial<SandboxProviderOptions> = {}, dataDir?: string): Promise<Started> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dir = dataDir ?? (await tmpDataDir());
  const sandbox = await createSandboxProvider({ publicBaseUrl: url, dataDir: dir, ...opts });
  const errors: unknown[] = [];
  sandbox.onError = (err) => errors.push(err);
  const app: FastifyInstance = Fastify({ logger: false });
  await registerSandboxProvider(app, sandbox);
  await app.listen({ port, host: '127.0.0.1' });
  const s: Started = { url, sandbox, dataDir: dir, errors, close: () => app.close() };
  started.push(s);
  return s;
}

after(async () => {
  for (const s of started) await s.close();
  for (const d of tmpDirs) await rm(d, { recursive: true, force: true });
});

/** The provider's interaction and session cookies, sent back as a browser would. */
class Jar {
  readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function get(url: string | URL, jar?: Jar): Promise<Response> {
  const res = await fetch(url, { redirect: 'manual', headers: jar ? { cookie: jar.header() } : {} });
  jar?.take(res);
  return res;
}

async function postForm(url: string | URL, form: Record<string, string>, jar?: Jar, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(jar ? { cookie: jar.header() } : {}), ...headers },
    body: new URLSearchParams(form).toString(),
  });
  jar?.take(res);
  return res;
}

const b64url = (b: Buffer): string => b.toString('base64url');
const pkcePair = (): { verifier: string; challenge: string } => {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) };
};

/** Authorization request parameters of the web client; `extra` overrides or (undefined) removes. */
function authUrl(s: Started, extra: Record<string, string | undefined> = {}): URL {
  const u = new URL(`${s.sandbox.issuer}/auth`);
  const params: Record<string, string | undefined> = {
    client_id: SANDBOX_WEB_CLIENT_ID,
    response_type: 'code',
    redirect_uri: `${s.url}/auth/callback`,
    scope: 'openid api',
    resource: s.sandbox.apiResource,
    state: 'st-1',
    nonce: 'n-1',
    ...extra,
  };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u;
}

/** The login page's URL (the interaction the authorization request redirects to), with the jar holding its cookie. */
async function startLogin(s: Started, jar: Jar, extra: Record<string, string | undefined> = {}): Promise<URL> {
  const res = await get(authUrl(s, { code_challenge: pkcePair().challenge, code_challenge_method: 'S256', ...extra }), jar);
  await res.body?.cancel();
  assert.ok(res.status >= 300 && res.status < 400, `authorization request answered ${res.status}`);
  const loc = new URL(res.headers.get('location') ?? '', authUrl(s));
  assert.match(loc.pathname, /^\/oidc\/interaction\/[\w-]+$/);
  return loc;
}

/** Logs `account` in by hand (no openid-client) and returns the authorization code for `challenge`. */
async function codeFor(s: Started, account: string, challenge: string): Promise<string> {
  const jar = new Jar();
  const login = await startLogin(s, jar, { code_challenge: challenge });
  let res = await postForm(`${login.href}/login`, { account }, jar);
  for (let hops = 0; hops < 5; hops++) {
    await res.body?.cancel();
    const loc = res.headers.get('location');
    assert.ok(loc !== null, `no redirect (status ${res.status})`);
    const next = new URL(loc, s.url);
    if (next.href.startsWith(`${s.url}/auth/callback`)) {
      assert.equal(next.searchParams.get('error'), null, next.searchParams.get('error_description') ?? '');
      const code = next.searchParams.get('code');
      assert.ok(code);
      return code;
    }
    res = await get(next, jar);
  }
  assert.fail('no authorization code after 5 redirects');
}

async function redeem(s: Started, code: string, verifier: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await postForm(`${s.sandbox.issuer}/token`, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: `${s.url}/auth/callback`,
    client_id: SANDBOX_WEB_CLIENT_ID,
    code_verifier: verifier,
    resource: s.sandbox.apiResource,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The Principal an account's access token must give. */
function expectedPrincipal(a: DemoAccount): Principal {
  const p: Principal = { sub: a.sub, roles: [...a.roles], name: a.name, acr: SANDBOX_ACR };
  if (a.personalId !== undefined) p.personalId = a.personalId;
  if (a.taxCode !== undefined) p.taxCode = a.taxCode;
  if (a.agencyCode !== undefined) p.agencyCode = a.agencyCode;
  if (a.birthdate !== undefined) p.birthdate = a.birthdate;
  if (a.legalRepresentative !== undefined) p.representative = { ...a.legalRepresentative };
  return p;
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a refusal');
}

// ---------------------------------------------------------------------------
// The default sandbox, with the demo accounts
// ---------------------------------------------------------------------------

describe('sandbox provider with the demo accounts', () => {
  let s: Started;
  before(async () => {
    s = await startSandbox();
  });
  after(() => {
    assert.deepEqual(s.errors, [], 'the provider reported no unexpected error');
  });

  test('issuer, mount path, API resource and audience follow the public URL', () => {
    assert.equal(s.sandbox.issuer, `${s.url}/oidc`);
    assert.equal(s.sandbox.mountPath, '/oidc');
    assert.equal(s.sandbox.apiResource, `${s.url}/api`);
    assert.equal(s.sandbox.audience, 'motcua-api');
  });

  test('discovery document: our issuer, code flow with PKCE S256 only, endpoints under the issuer', async () => {
    const res = await get(`${s.sandbox.issuer}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as Record<string, unknown>;
    assert.equal(doc.issuer, s.sandbox.issuer);
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(doc.response_types_supported, ['code']);
    for (const k of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'end_session_endpoint']) {
      assert.equal(typeof doc[k], 'string', k);
      assert.ok((doc[k] as string).startsWith(`${s.sandbox.issuer}/`), `${k}: ${String(doc[k])}`);
    }
    assert.ok((doc.acr_values_supported as string[]).includes(SANDBOX_ACR));
    assert.ok((doc.scopes_supported as string[]).includes('openid'));
  });

  test('the jwks endpoint serves the public keys only, the same as sandbox.publicJwks', async () => {
    const doc = (await (await get(`${s.sandbox.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
    const res = await get(doc.jwks_uri);
    assert.equal(res.status, 200);
    const served = (await res.json()) as { keys: Record<string, unknown>[] };
    assert.ok(served.keys.length >= 2);
    for (const k of served.keys) for (const m of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) assert.ok(!(m in k), `no private member ${m}`);
    for (const k of s.sandbox.publicJwks.keys) assert.ok(!('d' in k));
    const servedByKid = new Map(served.keys.map((k) => [k.kid, k]));
    for (const k of s.sandbox.publicJwks.keys as Record<string, unknown>[]) {
      const servedKey = servedByKid.get(k.kid);
      assert.ok(servedKey, `kid ${String(k.kid)} served`);
      for (const m of ['kty', 'crv', 'x', 'y', 'n', 'e']) assert.equal(servedKey[m], k[m], m);
    }
  });

  test('URLs are built from the configured issuer, never from the Host header', async () => {
    const u = new URL(`${s.sandbox.issuer}/.well-known/openid-configuration`);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers: { host: 'evil.example.test', 'x-forwarded-host': 'evil.example.test', 'x-forwarded-proto': 'https' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    assert.ok(!body.includes('evil.example.test'));
    assert.equal((JSON.parse(body) as { issuer: string }).issuer, s.sandbox.issuer);
  });

  test('every demo account gets an at+jwt access token that verifies locally and through discovery, with its claims', async () => {
    const localVerifier = createAccessTokenVerifier({ issuer: s.sandbox.issuer, audience: 'motcua-api', jwks: s.sandbox.jwks, requiredTyp: 'at+jwt' });
    const remoteVerifier = createAccessTokenVerifier({ issuer: s.sandbox.issuer, audience: 'motcua-api' });
    const subs = new Set<string>();
    for (const a of DEMO_ACCOUNTS) {
      const t = await issueSandboxToken(s.url, a.account);
      const header = decodeProtectedHeader(t.accessToken);
      assert.equal(header.typ, 'at+jwt', a.account);
      assert.equal(header.alg, 'ES256', a.account);
      assert.ok(s.sandbox.publicJwks.keys.some((k) => k.kid === header.kid), `${a.account}: signed with a published key`);
      const claims = decodeJwt(t.accessToken);
      assert.equal(claims.iss, s.sandbox.issuer);
      assert.equal(claims.aud, 'motcua-api');
      assert.ok(typeof claims.exp === 'number' && typeof claims.iat === 'number' && claims.exp - claims.iat === 3600, `${a.account}: one hour`);
      assert.ok(t.expiresIn !== undefined && t.expiresIn > 3500 && t.expiresIn <= 3600);

      const expected = expectedPrincipal(a);
      assert.deepEqual(await localVerifier.verify(t.accessToken), expected, `${a.account} (local keys)`);
      assert.deepEqual(await remoteVerifier.verify(t.accessToken), expected, `${a.account} (discovery)`);

      // The ID token is for the web client, signed RS256, about the same person.
      assert.ok(t.idToken);
      assert.equal(decodeProtectedHeader(t.idToken).alg, 'RS256');
      const id = decodeJwt(t.idToken);
      assert.equal(id.aud, SANDBOX_WEB_CLIENT_ID);
      assert.equal(id.sub, a.sub);
      assert.equal(id.iss, s.sandbox.issuer);
      // The ID token is not an access token for the API.
      assert.equal(statusOf(await refusal(localVerifier.verify(t.idToken))), 401);
      subs.add(String(claims.sub));
    }
    assert.equal(subs.size, DEMO_ACCOUNTS.length);
  });

  test('issueSandboxToken: a trailing slash in the base URL is fine; a server that is not there is an error', async () => {
    const t = await issueSandboxToken(`${s.url}/`, 'citizen3');
    assert.equal(decodeJwt(t.accessToken).sub, DEMO_ACCOUNTS.find((a) => a.account === 'citizen3')?.sub);
    const closed = await freePort();
    await assert.rejects(issueSandboxToken(`http://127.0.0.1:${closed}`, 'citizen1', { timeoutMs: 2000 }));
  });

  test('an unknown account is refused', async () => {
    await assert.rejects(issueSandboxToken(s.url, 'nobody'), /nobody/);
    await assert.rejects(issueSandboxToken(s.url, ''), Error);
  });

  test('an authorization request without PKCE (or with plain) gets an error, never the login page', async () => {
    const cases: Record<string, Record<string, string | undefined>> = {
      'no code_challenge': {},
      'method without challenge': { code_challenge_method: 'S256' },
      'plain method': { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' },
    };
    for (const [what, extra] of Object.entries(cases)) {
      const res = await get(authUrl(s, extra));
      await res.body?.cancel();
      const loc = res.headers.get('location');
      assert.ok(loc !== null && res.status >= 300 && res.status < 400, `${what}: the error goes back to the client (${res.status})`);
      const back = new URL(loc, s.url);
      assert.ok(!back.pathname.includes('/interaction/'), `${what}: not the login page`);
      assert.equal(`${back.origin}${back.pathname}`, `${s.url}/auth/callback`, what);
      assert.equal(back.searchParams.get('error'), 'invalid_request', what);
      assert.equal(back.searchParams.get('code'), null, what);
      assert.equal(back.searchParams.get('state'), 'st-1', what);
    }
    // The same request with a S256 challenge does reach the login page.
    await startLogin(s, new Jar());
  });

  test('an unregistered redirect URI is refused with an error page, not a redirect', async () => {
    const res = await get(authUrl(s, { redirect_uri: 'https://evil.example.test/cb', code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }));
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
    const html = await res.text();
    assert.match(html, /redirect_uri/);
    assert.ok(!html.includes('<script'));
  });

  test('a code is redeemed only with its PKCE verifier, and only once', async () => {
    const good = pkcePair();
    const wrong = await redeem(s, await codeFor(s, 'citizen2', good.challenge), pkcePair().verifier);
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, 'invalid_grant');
    assert.equal(wrong.body.access_token, undefined);

    const code = await codeFor(s, 'citizen2', good.challenge);
    const ok = await redeem(s, code, good.verifier);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const verifier = createAccessTokenVerifier({ issuer: s.sandbox.issuer, audience: 'motcua-api', jwks: s.sandbox.jwks });
    const citizen2 = DEMO_ACCOUNTS.find((a) => a.account === 'citizen2');
    assert.ok(citizen2);
    assert.deepEqual(await verifier.verify(String(ok.body.access_token)), expectedPrincipal(citizen2));
    const again = await redeem(s, code, good.verifier);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
  });

  test('login page: security headers, CSP hash matching its only style, every demo account listed, the hinted one checked', async () => {
    const jar = new Jar();
    const login = await startLogin(s, jar, { login_hint: 'leader1' });
    const res = await get(login, jar);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const html = await res.text();
    assert.ok(!/<script/i.test(html), 'no script on the page');
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
    assert.equal(styles.length, 1);
    const hash = createHash('sha256').update(styles[0] ?? '').digest('base64');
    assert.ok(csp.includes(`'sha256-${hash}'`), 'the CSP allows exactly the inline style');
    for (const a of DEMO_ACCOUNTS) {
      assert.ok(html.includes(a.name), `${a.account}'s name (UTF-8, as is)`);
      assert.ok(html.includes(`value="${a.account}"`), a.account);
    }
    const checked = [...html.matchAll(/<input type="radio" name="account" id="[^"]*" value="([^"]*)" checked/g)].map((m) => m[1]);
    assert.deepEqual(checked, ['leader1']);
    // The form posts back to this interaction.
    assert.ok(html.includes(`action="${login.pathname}/login"`));
  });

  test('login page: an unknown account posted back is named in the error, escaped', async () => {
    const jar = new Jar();
    const login = await startLogin(s, jar);
    const evil = '<img src=x onerror="alert(1)">&\'';
    const res = await postForm(`${login.href}/login`, { account: evil }, jar);
    assert.equal(res.status, 400);
    assert.ok(res.headers.get('content-security-policy'));
    const html = await res.text();
    assert.ok(!html.includes('<img'), 'the markup is not echoed');
    assert.ok(html.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;'), 'it is shown escaped');
    assert.match(html, /role="alert"/);
    // Nothing chosen at all is refused too.
    const none = await postForm(`${login.href}/login`, {}, jar);
    assert.equal(none.status, 400);
    await none.body?.cancel();
  });

  test('the login page of an unknown or foreign interaction is an "expired" page, not a server error', async () => {
    const res = await get(`${s.sandbox.issuer}/interaction/unknown-uid`);
    assert.equal(res.status, 400);
    assert.ok(res.headers.get('content-security-policy'));
    assert.match(await res.text(), /expired|hết hạn/);
    // Another browser's interaction, without its cookie.
    const login = await startLogin(s, new Jar());
    const stolen = await get(login);
    assert.equal(stolen.status, 400);
    await stolen.body?.cancel();
    // Another browser's interaction, from a browser that has an interaction of its own.
    const mine = new Jar();
    const own = await startLogin(s, mine);
    const crossed = await get(login, mine);
    assert.equal(crossed.status, 400);
    await crossed.body?.cancel();
    const ownPage = await get(own, mine);
    assert.equal(ownPage.status, 200, 'its own login page still works');
    await ownPage.body?.cancel();
  });

  test('only /oidc and below is the provider\'s', async () => {
    const other = await get(`${s.url}/oidcx/.well-known/openid-configuration`);
    assert.equal(other.status, 404);
    assert.equal(other.headers.get('content-security-policy'), null, 'Fastify\'s 404, not the provider\'s page');
    await other.body?.cancel();
    const cli = await get(`${s.sandbox.issuer}/cli/callback?code=x`);
    assert.equal(cli.status, 200);
    assert.match(await cli.text(), /terminal/);
  });

  test('readSandboxCliSecret: undefined in a fresh folder, the motcua-cli client\'s real secret after start', async () => {
    assert.equal(await readSandboxCliSecret(await tmpDataDir()), undefined);
    const secret = await readSandboxCliSecret(s.dataDir);
    assert.equal(typeof secret, 'string');
    assert.ok(secret !== undefined && secret.length >= 32);
    // The token endpoint authenticates motcua-cli with it: a bogus refresh token is then the only problem.
    const basic = (sec: string) => `Basic ${Buffer.from(`${SANDBOX_CLI_CLIENT_ID}:${sec}`).toString('base64')}`;
    const withSecret = await postForm(`${s.sandbox.issuer}/token`, { grant_type: 'refresh_token', refresh_token: 'bogus' }, undefined, { authorization: basic(secret) });
    assert.equal(((await withSecret.json()) as { error: string }).error, 'invalid_grant');
    const withWrong = await postForm(`${s.sandbox.issuer}/token`, { grant_type: 'refresh_token', refresh_token: 'bogus' }, undefined, { authorization: basic(`${secret}x`) });
    assert.equal(withWrong.status, 401);
    assert.equal(((await withWrong.json()) as { error: string }).error, 'invalid_client');
  });

  test('keys and secrets live in <dataDir>/sandbox-idp/, mode 0600 (folder 0700), no temporary files left', async () => {
    const dir = sandboxStateDir(s.dataDir);
    assert.equal(dir, join(s.dataDir, 'sandbox-idp'));
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    const files = (await readdir(dir)).sort();
    assert.deepEqual(files, ['jwks.json', 'secrets.json']);
    for (const f of files) assert.equal((await stat(join(dir, f))).mode & 0o777, 0o600, f);
    // The private keys are there (and are what signs): the public set is derived from them.
    const stored = JSON.parse(await readFile(join(dir, 'jwks.json'), 'utf8')) as { keys: { kid: string; d?: string }[] };
    assert.ok(stored.keys.every((k) => typeof k.d === 'string'));
    assert.deepEqual(stored.keys.map((k) => k.kid).sort(), s.sandbox.publicJwks.keys.map((k) => k.kid).sort());
  });

  test('keys persist: a provider restarted on the same data folder verifies earlier tokens; another folder\'s does not', async () => {
    const t = await issueSandboxToken(s.url, 'business1');
    const restarted = await createSandboxProvider({ publicBaseUrl: s.url, dataDir: s.dataDir });
    assert.deepEqual(restarted.publicJwks, s.sandbox.publicJwks);
    const business1 = DEMO_ACCOUNTS.find((a) => a.account === 'business1');
    assert.ok(business1);
    const v = createAccessTokenVerifier({ issuer: restarted.issuer, audience: 'motcua-api', jwks: restarted.jwks });
    assert.deepEqual(await v.verify(t.accessToken), expectedPrincipal(business1));
    assert.equal(await readSandboxCliSecret(s.dataDir), await readSandboxCliSecret(s.dataDir));

    const elsewhere = await createSandboxProvider({ publicBaseUrl: s.url, dataDir: await tmpDataDir() });
    assert.notDeepEqual(elsewhere.publicJwks.keys.map((k) => k.kid), s.sandbox.publicJwks.keys.map((k) => k.kid));
    const other = createAccessTokenVerifier({ issuer: elsewhere.issuer, audience: 'motcua-api', jwks: elsewhere.jwks });
    const err = await refusal(other.verify(t.accessToken));
    assert.equal(statusOf(err), 401);
    assert.equal(err.code, 'unauthenticated');
  });
});

// ---------------------------------------------------------------------------
// Options, state files, construction
// ---------------------------------------------------------------------------

describe('sandbox provider options and state', () => {
  test('custom accounts, claim names and token lifetime; names are escaped on the login page', async () => {
    const tricky: DemoAccount = {
      account: 'tricky1',
      sub: 'sub-tricky-0001',
      roles: ['citizen'],
      name: '<script>alert("x")</script> & Co\'',
      personalId: '004199000001',
    };
    const officer: DemoAccount = { account: 'officer1', sub: 'sub-officer-0001', roles: ['specialist', 'leader'], name: 'Officer', agencyCode: 'AG-1' };
    const s = await startSandbox({ accounts: [tricky, officer], claimMap: { roles: 'groups', personalId: 'citizen_id' }, accessTokenTtlSec: 120 });
    try {
      const jar = new Jar();
      const html = await (await get(await startLogin(s, jar), jar)).text();
      assert.ok(!html.includes('<script'), 'no markup from a name');
      assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co&#39;'));
      assert.ok(!html.includes('citizen1'), 'only the configured accounts are offered');

      const t = await issueSandboxToken(s.url, 'tricky1');
      const claims = decodeJwt(t.accessToken);
      assert.deepEqual(claims.groups, ['citizen']);
      assert.equal(claims.citizen_id, '004199000001');
      assert.equal(claims.roles, undefined);
      assert.equal(claims.pid, undefined);
      assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), 120);

      const mapped = createAccessTokenVerifier({ issuer: s.sandbox.issuer, audience: 'motcua-api', jwks: s.sandbox.jwks, claimMap: { roles: 'groups', personalId: 'citizen_id' } });
      assert.deepEqual(await mapped.verify(t.accessToken), { sub: tricky.sub, roles: ['citizen'], name: tricky.name, personalId: '004199000001', acr: SANDBOX_ACR });
      const unmapped = createAccessTokenVerifier({ issuer: s.sandbox.issuer, audience: 'motcua-api', jwks: s.sandbox.jwks });
      const p = await unmapped.verify(t.accessToken);
      assert.deepEqual(p.roles, []);
      assert.equal(p.personalId, undefined);

      const o = await mapped.verify((await issueSandboxToken(s.url, 'officer1')).accessToken);
      assert.deepEqual(o, { sub: officer.sub, roles: ['specialist', 'leader'], name: 'Officer', agencyCode: 'AG-1', acr: SANDBOX_ACR });
      await assert.rejects(issueSandboxToken(s.url, 'citizen1'), /citizen1/);
      assert.deepEqual(s.errors, []);
    } finally {
      await s.close();
    }
  });

  test('a custom audience is what the tokens carry', async () => {
    const s = await startSandbox({ audience: 'province-api' });
    try {
      assert.equal(s.sandbox.audience, 'province-api');
      const t = await issueSandboxToken(s.url, 'citizen1');
      assert.equal(decodeJwt(t.accessToken).aud, 'province-api');
      assert.equal((await createAccessTokenVerifier({ issuer: s.sandbox.issuer, audience: 'province-api', jwks: s.sandbox.jwks }).verify(t.accessToken)).sub, DEMO_ACCOUNTS[0]?.sub);
      const err = await refusal(createAccessTokenVerifier({ issuer: s.sandbox.issuer, audience: 'motcua-api', jwks: s.sandbox.jwks }).verify(t.accessToken));
      assert.equal(statusOf(err), 401);
    } finally {
      await s.close();
    }
  });

  test('providers starting together on a fresh folder end up with the same keys', async () => {
    const dir = await tmpDataDir();
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => createSandboxProvider({ publicBaseUrl: 'http://127.0.0.1:1', dataDir: dir })));
    assert.ok(a && b && c);
    assert.deepEqual(a.publicJwks, b.publicJwks);
    assert.deepEqual(a.publicJwks, c.publicJwks);
    const stored = JSON.parse(await readFile(join(sandboxStateDir(dir), 'jwks.json'), 'utf8')) as { keys: { kid: string }[] };
    assert.deepEqual(stored.keys.map((k) => k.kid), a.publicJwks.keys.map((k) => k.kid));
    assert.deepEqual((await readdir(sandboxStateDir(dir))).sort(), ['jwks.json', 'secrets.json']);
  });

  test('an invalid key or secrets file is refused with a message, never overwritten', async () => {
    const cases: [string, string][] = [
      ['jwks.json', JSON.stringify({ keys: [] })],
      ['jwks.json', JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }] })], // public only
      ['secrets.json', JSON.stringify({ cookieKeys: ['short'], cliClientSecret: 'x'.repeat(40) })],
      ['secrets.json', JSON.stringify({ cookieKeys: ['k'.repeat(40)] })],
    ];
    for (const [file, content] of cases) {
      const dir = await tmpDataDir();
      await mkdir(sandboxStateDir(dir), { recursive: true });
      await writeFile(join(sandboxStateDir(dir), file), content);
      await assert.rejects(createSandboxProvider({ publicBaseUrl: 'http://127.0.0.1:1', dataDir: dir }), new RegExp(`${file.replace('.', '\\.')} is not a valid`), `${file}: ${content}`);
      assert.equal(await readFile(join(sandboxStateDir(dir), file), 'utf8'), content, 'left as it was');
    }
    const dir = await tmpDataDir();
    await mkdir(sandboxStateDir(dir), { recursive: true });
    await writeFile(join(sandboxStateDir(dir), 'secrets.json'), '{not json');
    await assert.rejects(readSandboxCliSecret(dir), SyntaxError);
  });

  test('construction refuses a non-http URL and duplicate accounts', async () => {
    const dataDir = await tmpDataDir();
    await assert.rejects(createSandboxProvider({ publicBaseUrl: 'ftp://example.test', dataDir }), TypeError);
    const a = DEMO_ACCOUNTS[0];
    assert.ok(a);
    await assert.rejects(createSandboxProvider({ publicBaseUrl: 'http://127.0.0.1:1', dataDir, accounts: [a, { ...a, sub: 'other-sub' }] }), TypeError);
    await assert.rejects(createSandboxProvider({ publicBaseUrl: 'http://127.0.0.1:1', dataDir, accounts: [a, { ...a, account: 'other' }] }), TypeError);
    // Nothing was written by a refused construction.
    await assert.rejects(stat(sandboxStateDir(dataDir)), { code: 'ENOENT' });
  });

  test('a public URL with a path prefix and a trailing slash gives a clean issuer', async () => {
    const p = await createSandboxProvider({ publicBaseUrl: 'https://dvc.example.test/motcua/', dataDir: await tmpDataDir() });
    assert.equal(p.issuer, 'https://dvc.example.test/motcua/oidc');
    assert.equal(p.mountPath, '/motcua/oidc');
    assert.equal(p.apiResource, 'https://dvc.example.test/motcua/api');
  });
});
