import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  base64url,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { AppError } from '../../shared/errors.ts';
import { freePort } from '../../../test/support/app.ts';
import { createAccessTokenVerifier, DEFAULT_ALGORITHMS, type AccessTokenVerifierOptions } from './token-verifier.ts';
import { statusOf } from '../../http/errors.ts';

const ISSUER = 'https://id.example.test/realms/cao-bang';
const AUDIENCE = 'motcua-api';

interface SigningKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function signingKey(alg: string, kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

const nowSec = (): number => Math.floor(Date.now() / 1000);

/** A JWT signed with `key`; defaults make a valid access token for ISSUER/AUDIENCE, any field can be overridden or removed (undefined). */
async function sign(key: SigningKey, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Promise<string> {
  const payload: Record<string, unknown> = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-1',
    iat: nowSec(),
    exp: nowSec() + 600,
    ...claims,
  };
  for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
  return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header }).sign(key.privateKey);
}

/** Runs `fn` and returns the AppError it rejects with (failing when it resolves or throws anything else). */
async function refusal(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a refusal, but the token was accepted');
}

function assertInvalid(err: AppError): void {
  assert.equal(statusOf(err), 401);
  assert.equal(err.code, 'unauthenticated');
  assert.equal(err.field, 'authorization');
  assert.deepEqual(err.extra, { reason: 'invalid' });
}

function assertUnavailable(err: AppError): void {
  assert.equal(statusOf(err), 503);
  assert.equal(err.code, 'identity_provider_unavailable');
  assert.ok(err.messages.vi.length > 0 && err.messages.en.length > 0);
}

let es256: SigningKey;
let otherKey: SigningKey;
let jwks: JWTVerifyGetKey;
const local = (o: Partial<AccessTokenVerifierOptions> = {}) => createAccessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks, ...o });

before(async () => {
  es256 = await signingKey('ES256', 'k-es256');
  otherKey = await signingKey('ES256', 'k-other');
  jwks = createLocalJWKSet({ keys: [es256.publicJwk] });
});

describe('a valid token', () => {
  test('gives the Principal from our claim names', async () => {
    const token = await sign(es256, {
      sub: 'sub-42',
      roles: ['citizen', 'business'],
      name: 'Nguyễn Văn An',
      pid: '004085012345',
      tax_code: '4800206198',
      agency_code: '000.00.04.H12',
      acr: 'level2',
    });
    const p = await local().verify(token);
    assert.deepEqual(p, {
      sub: 'sub-42',
      roles: ['citizen', 'business'],
      name: 'Nguyễn Văn An',
      personalId: '004085012345',
      taxCode: '4800206198',
      agencyCode: '000.00.04.H12',
      acr: 'level2',
    });
  });

  test('leaves out absent, empty and non-string optional claims (no undefined members)', async () => {
    const p = await local().verify(await sign(es256, { name: '', pid: { x: 1 }, tax_code: null, agency_code: ['a'], acr: true }));
    assert.deepEqual(p, { sub: 'user-1', roles: [] });
    for (const k of ['name', 'personalId', 'taxCode', 'agencyCode', 'acr']) assert.ok(!(k in p), `${k} must be absent`);
  });

  test('an identifier sent as a number is not trusted (its leading zeros are gone)', async () => {
    const p = await local().verify(await sign(es256, { pid: 4085012345, tax_code: 4800206198, agency_code: 12 }));
    assert.equal(p.personalId, undefined);
    assert.equal(p.taxCode, undefined);
    assert.equal(p.agencyCode, undefined);
  });

  test('roles: an array (non-strings, empties and duplicates dropped) or a space-separated string', async () => {
    const v = local();
    assert.deepEqual((await v.verify(await sign(es256, { roles: ['reception', '', 7, null, 'leader', 'reception'] }))).roles, ['reception', 'leader']);
    assert.deepEqual((await v.verify(await sign(es256, { roles: '  specialist\tleader  specialist ' }))).roles, ['specialist', 'leader']);
    assert.deepEqual((await v.verify(await sign(es256, { roles: 'admin' }))).roles, ['admin']);
    assert.deepEqual((await v.verify(await sign(es256, { roles: { admin: true } }))).roles, []);
    assert.deepEqual((await v.verify(await sign(es256, { roles: 5 }))).roles, []);
  });

  test('property: roles are the distinct non-empty names, in first-seen order, from an array or a joined string', async () => {
    const v = local();
    const name = fc.stringMatching(/^[a-z_]{0,8}$/);
    await fc.assert(
      fc.asyncProperty(fc.array(name, { maxLength: 8 }), fc.boolean(), async (names, asString) => {
        const expected = [...new Set(names.filter((n) => n !== ''))];
        const p = await v.verify(await sign(es256, { roles: asString ? names.join(' ') : names }));
        assert.deepEqual(p.roles, expected);
      }),
      { numRuns: 60 },
    );
  });

  test('every default algorithm verifies (RS256, PS256, ES256, ES384, EdDSA, Ed25519)', async () => {
    const keys = await Promise.all(DEFAULT_ALGORITHMS.map((alg) => signingKey(alg, `k-${alg}`)));
    const v = createAccessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: createLocalJWKSet({ keys: keys.map((k) => k.publicJwk) }) });
    for (const k of keys) assert.equal((await v.verify(await sign(k, { sub: `by-${k.alg}` }))).sub, `by-${k.alg}`);
  });

  test('an audience array that includes ours is accepted; one that does not is refused', async () => {
    assert.equal((await local().verify(await sign(es256, { aud: ['account', AUDIENCE] }))).sub, 'user-1');
    assertInvalid(await refusal(async () => local().verify(await sign(es256, { aud: ['account', 'other-api'] }))));
  });

  test('clock tolerance: 30 s by default, configurable; `now` sets the current time', async () => {
    const t0 = nowSec();
    const token = await sign(es256, { iat: t0 - 600, exp: t0 - 20 });
    assert.equal((await local().verify(token)).sub, 'user-1'); // 20 s late, within 30 s
    assert.equal((await local({ clockToleranceSec: 0, now: () => new Date((t0 - 60) * 1000) }).verify(token)).sub, 'user-1');
    const e1 = await refusal(() => local({ clockToleranceSec: 0 }).verify(token));
    assert.equal(e1.extra?.reason, 'expired');
    const e2 = await refusal(() => local({ now: () => new Date((t0 + 11) * 1000) }).verify(token)); // 31 s late
    assert.equal(e2.extra?.reason, 'expired');
  });

  test('a verified token is remembered, but never past its expiry nor as a shared object', async () => {
    let now = nowSec() * 1000;
    const v = local({ clockToleranceSec: 0, now: () => new Date(now) });
    const token = await sign(es256, { exp: Math.floor(now / 1000) + 60, roles: ['citizen'] });
    const a = await v.verify(token);
    a.roles.push('admin'); // a caller changing its copy changes nothing for the next
    assert.deepEqual((await v.verify(token)).roles, ['citizen']);
    now += 61_000;
    const e = await refusal(() => v.verify(token));
    assert.equal(e.extra?.reason, 'expired');
  });

  test('requiredTyp: at+jwt is required when asked (media type form accepted), not otherwise', async () => {
    const strict = local({ requiredTyp: 'at+jwt' });
    assert.equal((await strict.verify(await sign(es256))).sub, 'user-1');
    assert.equal((await strict.verify(await sign(es256, {}, { typ: 'application/at+jwt' }))).sub, 'user-1');
    const idTokenLike = await sign(es256, {}, { typ: 'JWT' });
    assertInvalid(await refusal(() => strict.verify(idTokenLike)));
    assert.equal((await local().verify(idTokenLike)).sub, 'user-1');
  });
});

describe('claimMap', () => {
  test('dotted paths reach into objects (Keycloak realm_access.roles) and other names map onto the Principal', async () => {
    const v = local({
      claimMap: { roles: 'realm_access.roles', name: 'preferred_username', personalId: 'citizen_id', agencyCode: 'org.unit.code', acr: 'loa' },
    });
    const p = await v.verify(
      await sign(es256, {
        realm_access: { roles: ['specialist', 'offline_access'] },
        roles: ['admin'], // our default name: ignored once mapped elsewhere
        preferred_username: 'dam.quang.huy',
        citizen_id: '004201007320',
        org: { unit: { code: '000.00.04.H12' } },
        loa: 'substantial',
        tax_code: '4800206198', // not remapped: the default name still applies
      }),
    );
    assert.deepEqual(p, {
      sub: 'user-1',
      roles: ['specialist', 'offline_access'],
      name: 'dam.quang.huy',
      personalId: '004201007320',
      taxCode: '4800206198',
      agencyCode: '000.00.04.H12',
      acr: 'substantial',
    });
  });

  test('a claim whose exact name contains a dot wins over the nested path', async () => {
    const v = local({ claimMap: { roles: 'realm_access.roles' } });
    const p = await v.verify(await sign(es256, { 'realm_access.roles': ['leader'], realm_access: { roles: ['citizen'] } }));
    assert.deepEqual(p.roles, ['leader']);
  });

  test('a path through a missing member, an array, a string or null gives nothing', async () => {
    const v = local({ claimMap: { roles: 'realm_access.roles', agencyCode: 'org.code' } });
    for (const claims of [{}, { realm_access: [['citizen']], org: 'x' }, { realm_access: 'citizen', org: null }, { realm_access: { other: 1 }, org: { code: { deeper: 1 } } }]) {
      const p = await v.verify(await sign(es256, claims));
      assert.deepEqual(p, { sub: 'user-1', roles: [] }, JSON.stringify(claims));
    }
  });
});

describe('refusals: 401 unauthenticated', () => {
  test('wrong issuer, wrong audience, missing/empty sub, missing exp, nbf in the future, tampered payload', async () => {
    const v = local();
    const valid = await sign(es256, { roles: ['citizen'] });
    const [h, , s] = valid.split('.') as [string, string, string];
    const forgedPayload = base64url.encode(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, sub: 'user-1', exp: nowSec() + 600, roles: ['admin'] }));
    const cases: Record<string, string> = {
      'wrong issuer': await sign(es256, { iss: 'https://evil.example.test/realms/cao-bang' }),
      'issuer with a suffix': await sign(es256, { iss: `${ISSUER}/x` }),
      'no issuer': await sign(es256, { iss: undefined }),
      'wrong audience': await sign(es256, { aud: 'account' }),
      'no audience': await sign(es256, { aud: undefined }),
      'missing sub': await sign(es256, { sub: undefined }),
      'empty sub': await sign(es256, { sub: '' }),
      'missing exp': await sign(es256, { exp: undefined }),
      'nbf in the future': await sign(es256, { nbf: nowSec() + 3600 }),
      'tampered payload (roles: admin)': `${h}.${forgedPayload}.${s}`,
      'signature removed': `${h}.${valid.split('.')[1]}.`,
    };
    // The valid token itself passes: the refusals below come from the one change each case makes.
    assert.deepEqual((await v.verify(valid)).roles, ['citizen']);
    for (const [what, token] of Object.entries(cases)) {
      const err = await refusal(() => v.verify(token));
      assertInvalid(err);
      assert.ok(err.messages.vi.length > 0 && err.messages.en.length > 0, what);
    }
  });

  test('expired: reason "expired" and its own message; every other refusal looks the same', async () => {
    const v = local();
    const expired = await refusal(async () => v.verify(await sign(es256, { iat: nowSec() - 7200, exp: nowSec() - 3600 })));
    assert.equal(statusOf(expired), 401);
    assert.equal(expired.code, 'unauthenticated');
    assert.deepEqual(expired.extra, { reason: 'expired' });
    const wrongIss = await refusal(async () => v.verify(await sign(es256, { iss: 'https://other.test' })));
    const wrongAud = await refusal(async () => v.verify(await sign(es256, { aud: 'other' })));
    const otherSig = await refusal(async () => v.verify(await sign(otherKey)));
    const garbage = await refusal(() => v.verify('garbage'));
    assert.notDeepEqual(expired.toJSON(), wrongIss.toJSON());
    // A caller learns nothing about which check failed.
    for (const e of [wrongAud, otherSig, garbage]) assert.deepEqual(e.toJSON(), wrongIss.toJSON());
  });

  test('signed by another key: unknown kid, or the trusted kid on an attacker key', async () => {
    const v = local();
    assertInvalid(await refusal(async () => v.verify(await sign(otherKey))));
    assertInvalid(await refusal(async () => v.verify(await sign({ ...otherKey, kid: es256.kid }))));
    assertInvalid(await refusal(async () => v.verify(await sign(otherKey, {}, { kid: undefined }))));
  });

  test('alg none (unsigned) is refused', async () => {
    const v = local();
    const enc = (o: unknown): string => base64url.encode(JSON.stringify(o));
    const payload = enc({ iss: ISSUER, aud: AUDIENCE, sub: 'user-1', exp: nowSec() + 600, roles: ['admin'] });
    for (const header of [{ alg: 'none' }, { alg: 'none', typ: 'JWT' }, { alg: 'None' }, { alg: 'NONE', kid: es256.kid }]) {
      assertInvalid(await refusal(() => v.verify(`${enc(header)}.${payload}.`)));
      assertInvalid(await refusal(() => v.verify(`${enc(header)}.${payload}`)));
    }
  });

  test('HS256 with a shared secret is refused even when the key getter would hand out that secret', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(es256.publicJwk)); // the classic confusion: the public key as HMAC secret
    const token = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256', kid: es256.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('attacker')
      .setExpirationTime('10m')
      .sign(secret);
    const lenientGetter: JWTVerifyGetKey = async () => secret;
    // The token is well formed: jose alone, allowed HS256, accepts it with that getter...
    assert.equal((await jwtVerify(token, lenientGetter, { issuer: ISSUER, audience: AUDIENCE })).payload.sub, 'attacker');
    // ...our verifier does not, whatever key getter it is given.
    assertInvalid(await refusal(() => createAccessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: lenientGetter }).verify(token)));
    assertInvalid(await refusal(() => local().verify(token)));
  });

  test('garbage, empty, non-string', async () => {
    const v = local();
    for (const t of ['garbage', 'a.b.c', '...', 'Bearer x.y.z', ' ', 'eyJhbGciOiJFUzI1NiJ9.e30.', '€.€.€', '']) {
      assertInvalid(await refusal(() => v.verify(t)));
    }
    for (const t of [undefined, null, 42, {}] as unknown[]) assertInvalid(await refusal(() => v.verify(t as string)));
  });

  test('over 16 KB is refused before anything else; a valid token just under the limit passes', async () => {
    const v = local();
    const LIMIT = 16 * 1024;
    const base = (await sign(es256, { pad: '' })).length;
    // Each 3 bytes of JSON add 4 base64url characters: pick paddings landing just below/above the limit.
    const below = await sign(es256, { pad: 'x'.repeat(Math.floor(((LIMIT - base - 3) * 3) / 4)) });
    const above = await sign(es256, { pad: 'x'.repeat(Math.ceil(((LIMIT - base + 1) * 3) / 4)) });
    assert.ok(below.length <= LIMIT && below.length > LIMIT - 8, `below: ${below.length}`);
    assert.ok(above.length > LIMIT && above.length < LIMIT + 8, `above: ${above.length}`);
    assert.equal((await v.verify(below)).sub, 'user-1');
    assertInvalid(await refusal(() => v.verify(above)));
    // Refused before parsing: a getter that would be called for any parsed token is never asked.
    let asked = 0;
    const counting = createAccessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: async (h, t) => (asked++, jwks(h, t)) });
    assertInvalid(await refusal(() => counting.verify(above)));
    assert.equal(asked, 0);
    await counting.verify(below);
    assert.equal(asked, 1);
  });

  test('property: any string that is not a signed token is a 401, never another error', async () => {
    const v = local();
    const enc = (s: string): string => base64url.encode(s);
    const jsonish = fc.oneof(fc.json(), fc.string(), fc.constant('{"alg":"ES256","kid":"k-es256"}'), fc.constant('{"alg":"HS256"}'));
    const token = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.tuple(jsonish, jsonish, fc.string({ maxLength: 90 })).map(([h, p, s]) => `${enc(h)}.${enc(p)}.${enc(s)}`),
      fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }).map((parts) => parts.join('.')),
    );
    await fc.assert(
      fc.asyncProperty(token, async (t) => {
        assertInvalid(await refusal(() => v.verify(t)));
      }),
      { numRuns: 300 },
    );
  });
});

test('the constructor refuses none and HMAC algorithms, and honours a narrower list', async () => {
  for (const algorithms of [['none'], ['HS256'], ['RS256', 'HS512'], ['ES256', 'HS384'], ['ES256', 'none']]) {
    assert.throws(() => createAccessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks, algorithms }), TypeError, algorithms.join(','));
  }
  const rs = await signingKey('RS256', 'k-rs');
  const both = createLocalJWKSet({ keys: [rs.publicJwk, es256.publicJwk] });
  const onlyRs = createAccessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: both, algorithms: ['RS256'] });
  assert.equal((await onlyRs.verify(await sign(rs))).sub, 'user-1');
  assertInvalid(await refusal(async () => onlyRs.verify(await sign(es256))));
});

// ---------------------------------------------------------------------------
// Keys from the issuer's discovery document, over real HTTP
// ---------------------------------------------------------------------------

type Mode = 'ok' | 'down' | 'other-issuer' | 'no-jwks-uri' | 'redirect' | 'hang' | 'jwks-down' | 'jwks-garbage' | 'jwks-closed-port';

describe('remote discovery', () => {
  let server: ReturnType<typeof createServer>;
  let issuer: string;
  let closedPort: number;
  let mode: Mode = 'ok';
  let discoveryHits = 0;
  let jwksHits = 0;

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.url === '/idp/.well-known/openid-configuration') {
      discoveryHits++;
      if (mode === 'hang') return; // never answers
      if (mode === 'down') return json(500, { error: 'down' });
      if (mode === 'redirect') {
        res.writeHead(302, { location: '/elsewhere/.well-known/openid-configuration' }).end();
        return;
      }
      const jwksUri = mode === 'jwks-closed-port' ? `http://127.0.0.1:${closedPort}/jwks` : `${issuer}/jwks`;
      if (mode === 'other-issuer') return json(200, { issuer: 'https://evil.example.test', jwks_uri: jwksUri });
      if (mode === 'no-jwks-uri') return json(200, { issuer });
      return json(200, { issuer, jwks_uri: jwksUri });
    }
    if (req.url === '/elsewhere/.well-known/openid-configuration') return json(200, { issuer, jwks_uri: `${issuer}/jwks` });
    if (req.url === '/idp/jwks') {
      jwksHits++;
      if (mode === 'jwks-down') return json(503, {});
      if (mode === 'jwks-garbage') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('<html>not json');
        return;
      }
      return json(200, { keys: [es256.publicJwk] });
    }
    json(404, {});
  };

  const remote = (o: Partial<AccessTokenVerifierOptions> = {}) => createAccessTokenVerifier({ issuer, audience: AUDIENCE, ...o });
  const signRemote = (key: SigningKey, claims: Record<string, unknown> = {}) => sign(key, { iss: issuer, ...claims });

  before(async () => {
    closedPort = await freePort(); // nothing listens there
    server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/idp`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const reset = (m: Mode): void => {
    mode = m;
    discoveryHits = 0;
    jwksHits = 0;
  };

  test('keys come from jwks_uri; discovery and key set are fetched once for many verifications', async () => {
    reset('ok');
    const v = remote();
    assert.equal(discoveryHits, 0, 'no request before the first token');
    const token = await signRemote(es256, { roles: ['citizen'], pid: '004192004871' });
    assert.deepEqual(await v.verify(token), { sub: 'user-1', roles: ['citizen'], personalId: '004192004871' });
    await Promise.all(Array.from({ length: 5 }, () => v.verify(token)));
    await v.verify(token);
    assert.equal(discoveryHits, 1);
    assert.equal(jwksHits, 1);
  });

  test('concurrent first verifications share one discovery request', async () => {
    reset('ok');
    const v = remote();
    const token = await signRemote(es256);
    const ps = await Promise.all(Array.from({ length: 6 }, () => v.verify(token)));
    assert.ok(ps.every((p) => p.sub === 'user-1'));
    assert.equal(discoveryHits, 1);
  });

  test('with remote keys, a bad token is still the caller\'s fault (401), not the provider\'s', async () => {
    reset('ok');
    const v = remote();
    assertInvalid(await refusal(async () => v.verify(await signRemote(otherKey))));
    assertInvalid(await refusal(() => v.verify('a.b.c')));
    assertInvalid(await refusal(async () => v.verify(await sign(es256)))); // ISSUER, not the discovered one
    const expired = await refusal(async () => v.verify(await signRemote(es256, { iat: nowSec() - 7200, exp: nowSec() - 3600 })));
    assert.equal(expired.extra?.reason, 'expired');
  });

  test('an empty or oversized token is refused without contacting the provider', async () => {
    reset('down');
    const v = remote();
    assertInvalid(await refusal(() => v.verify('')));
    assertInvalid(await refusal(() => v.verify('x'.repeat(16 * 1024 + 1))));
    assert.equal(discoveryHits, 0);
  });

  test('a discovery document naming another issuer: 503; once it is right, verification works (no cached failure)', async () => {
    reset('other-issuer');
    const v = remote();
    const token = await signRemote(es256);
    assertUnavailable(await refusal(() => v.verify(token)));
    assertUnavailable(await refusal(() => v.verify(token)));
    assert.equal(discoveryHits, 2, 'each request tries discovery again');
    assert.equal(jwksHits, 0, 'the key set named by a foreign discovery document is never fetched');
    mode = 'ok';
    assert.equal((await v.verify(token)).sub, 'user-1');
  });

  test('provider down (500), then back: 503, then verification works with the same verifier', async () => {
    reset('down');
    const v = remote();
    const token = await signRemote(es256);
    assertUnavailable(await refusal(() => v.verify(token)));
    mode = 'ok';
    assert.equal((await v.verify(token)).sub, 'user-1');
  });

  test('unreachable issuer: 503', async () => {
    const v = createAccessTokenVerifier({ issuer: `http://127.0.0.1:${closedPort}/idp`, audience: AUDIENCE });
    assertUnavailable(await refusal(async () => v.verify(await sign(es256, { iss: `http://127.0.0.1:${closedPort}/idp` }))));
  });

  test('discovery without jwks_uri, or answered with a redirect: 503', async () => {
    const token = await signRemote(es256);
    reset('no-jwks-uri');
    assertUnavailable(await refusal(() => remote().verify(token)));
    reset('redirect');
    assertUnavailable(await refusal(() => remote().verify(token)));
  });

  test('a provider that never answers: 503 after timeoutMs', async () => {
    reset('hang');
    const v = remote({ timeoutMs: 300 });
    const started = Date.now();
    assertUnavailable(await refusal(async () => v.verify(await signRemote(es256))));
    const took = Date.now() - started;
    assert.ok(took >= 250 && took < 3000, `took ${took} ms`);
  });

  test('key set unavailable (error status, not JSON, unreachable): 503; once it answers, verification works', async () => {
    const token = await signRemote(es256);
    for (const m of ['jwks-down', 'jwks-garbage'] as const) {
      reset(m);
      const v = remote();
      assertUnavailable(await refusal(() => v.verify(token)));
      assert.ok(jwksHits >= 1, `${m}: the key set was requested`);
      mode = 'ok';
      assert.equal((await v.verify(token)).sub, 'user-1', m);
    }
    reset('jwks-closed-port');
    assertUnavailable(await refusal(() => remote().verify(token)));
  });
});

test('birth date and a business representative come from their claims; malformed identity claims are refused', async () => {
  const v = local();
  const business = await v.verify(
    await sign(es256, { roles: ['business'], tax_code: '4800206198', name: 'Công ty TNHH A', rep_pid: '004078003516', rep_name: 'Lục Văn Thành' }),
  );
  assert.deepEqual(business.representative, { personalId: '004078003516', name: 'Lục Văn Thành' });
  assert.equal(business.taxCode, '4800206198');
  const citizen = await v.verify(await sign(es256, { roles: ['citizen'], pid: '004085012345', birthdate: '1985-03-12' }));
  assert.equal(citizen.birthdate, '1985-03-12');
  const mapped = local({ claimMap: { birthdate: 'NgayThangNamSinh', personalId: 'SoDinhDanh' } });
  const vneid = await mapped.verify(await sign(es256, { roles: ['citizen'], SoDinhDanh: '004085012345', NgayThangNamSinh: '1985-03-12' }));
  assert.deepEqual([vneid.personalId, vneid.birthdate], ['004085012345', '1985-03-12']);

  for (const [claims, claim] of [
    [{ pid: '4085012345' }, 'pid'], // leading zeros lost
    [{ pid: '00408501234X' }, 'pid'],
    [{ tax_code: '48002061' }, 'tax_code'],
    [{ birthdate: '1985-02-30' }, 'birthdate'],
    [{ birthdate: '12/03/1985' }, 'birthdate'],
    [{ rep_pid: '004078003516' }, 'rep_name'],
    [{ rep_name: 'Lục Văn Thành', rep_pid: '123' }, 'rep_pid'],
  ] as const) {
    const token = await sign(es256, { roles: ['citizen'], ...claims });
    const err = await refusal(() => v.verify(token));
    assert.equal(statusOf(err), 401, JSON.stringify(claims));
    assert.deepEqual(err.extra, { reason: 'malformed_claim', claim }, JSON.stringify(claims));
    assert.ok(err.messages.vi.includes(claim) && err.messages.en.includes(claim));
  }
});
