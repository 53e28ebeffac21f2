/**
 * Route by role: every route the server registers (the OpenAPI list and the rest:
 * portal pages, /auth, /docs, the sandbox provider) is called as every role —
 * anonymous, citizen, business, reception, specialist, leader, unit administrator,
 * province administrator, auditor — and, when it names a resource, on the caller's own
 * resource and on someone else's. The answer must agree with the policy the route
 * declares (src/modules/authorization/policy.ts): 401 from the auth hook without a
 * login, 403 with an `access.denied` audit entry without a role, 404 for someone else's
 * resource, neither for what the caller may do. A route without a policy fails the
 * first test, all of them listed in one message. How to add a policy:
 * docs/decisions/0010-one-authorization-module.md.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { findDemoAccount } from '../../src/modules/identity/demo-accounts.ts';
import type { RoutePolicy } from '../../src/modules/authorization/policy.ts';
import { declaredPolicy, type RegisteredRoute } from '../../src/modules/authorization/route-table.ts';
import { startTestApp, TINY_PDF, upload, type TestApp } from '../support/app.ts';

const THUC_PHAN = '000.00.04.H12';
const TAN_GIANG = '000.00.05.H12';

/** The roles under test and the demo account that holds each (through the organisation's grants). */
const ROLES = {
  anonymous: undefined,
  citizen: 'citizen1',
  business: 'business1',
  reception: 'reception1',
  specialist: 'specialist1',
  leader: 'leader1',
  unit_admin: 'unitadmin1',
  province_admin: 'admin1',
  auditor: 'auditor1',
} as const;
type RoleKey = keyof typeof ROLES;

/**
 * What each role holds, written out here on purpose (not computed by the module under
 * test): the expectation is independent of the code that decides.
 */
const HOLDS: Record<RoleKey, readonly string[]> = {
  anonymous: [],
  citizen: ['citizen', 'applicant'],
  business: ['business', 'applicant'],
  reception: ['reception', 'officer'],
  specialist: ['specialist', 'officer'],
  leader: ['leader', 'officer'],
  unit_admin: ['unit_admin', 'administrator'],
  province_admin: ['province_admin', 'admin', 'administrator'],
  auditor: ['auditor'],
};

type Expected = 'allowed' | 'unauthenticated' | 'forbidden';
function expectedAtRoute(p: RoutePolicy, role: RoleKey): Expected {
  if (p.allow === 'public') return 'allowed';
  if (role === 'anonymous') return 'unauthenticated';
  if (p.allow === 'authenticated') return 'allowed';
  return p.allow.some((r) => HOLDS[role].includes(r)) ? 'allowed' : 'forbidden';
}

/** Methods a browser or client sends; the sandbox provider's catch-all also lists TRACE, QUERY, OPTIONS. */
const CALLED = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

const example = JSON.parse(readFileSync(new URL('../../src/modules/catalogue/demo/examples/1.001193.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;

let app: TestApp;
let routes: RegisteredRoute[];
/** Per resource kind and role: the caller's own resource (when they can have one) and someone else's. */
const fixtures: Record<string, Partial<Record<RoleKey, { own?: string; other: string }>>> = {};

async function submit(as: string, agencyCode: string): Promise<string> {
  const fileId = await upload(app, as);
  const form = JSON.parse(JSON.stringify(example).replace(UUID, fileId)) as Record<string, unknown>;
  const r = await app.call('POST', '/api/v1/dossiers', { as, json: { procedureCode: '1.001193', agencyCode, form } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.code as string;
}

before(async () => {
  app = await startTestApp({ env: { MOTCUA_RATE_LIMITS: 'off' } });
  routes = [...app.motcua.app.routeTable].filter((r) => r.method !== 'HEAD');
  // Dossiers: one in Thục Phán (citizen1's), one in Tân Giang (citizen2's). The Thục Phán
  // officers' own is the first; someone else's is the other commune's.
  const thucPhan = await submit('citizen1', THUC_PHAN);
  const tanGiang = await submit('citizen2', TAN_GIANG);
  fixtures.dossier = {
    anonymous: { other: thucPhan },
    citizen: { own: thucPhan, other: tanGiang },
    business: { other: thucPhan },
    reception: { own: thucPhan, other: tanGiang },
    specialist: { own: thucPhan, other: tanGiang },
    leader: { own: thucPhan, other: tanGiang },
    unit_admin: { other: thucPhan },
    province_admin: { other: thucPhan },
    auditor: { other: thucPhan },
  };
  // Files: each logged-in role uploads its own; someone else's is citizen3's, attached to nothing.
  const foreign = await upload(app, 'citizen3');
  fixtures.file = { anonymous: { other: foreign } };
  for (const [role, account] of Object.entries(ROLES) as [RoleKey, string | undefined][]) {
    if (account !== undefined) fixtures.file[role] = { own: await upload(app, account, Buffer.concat([TINY_PDF, Buffer.from(`% ${account}\n`)]), `${account}.pdf`), other: foreign };
  }
  // Warehouse documents: the applicants' submitted files are kept in their warehouse; someone else's is citizen2's.
  const firstDocument = async (account: string): Promise<string | undefined> => (await app.call('GET', '/api/v1/documents', { as: account })).body.items?.[0]?.id;
  const othersDocument = await firstDocument('citizen2');
  if (othersDocument !== undefined) {
    fixtures.document = {};
    for (const [role, account] of Object.entries(ROLES) as [RoleKey, string | undefined][]) {
      const own = account !== undefined && account !== 'citizen2' ? await firstDocument(account) : undefined;
      fixtures.document[role] = { ...(own !== undefined ? { own } : {}), other: othersDocument };
    }
  }
});
after(async () => {
  await app?.close();
});

/** A value for each path parameter that is not the route's resource (the decision at the route does not depend on it). */
const PARAM_VALUES: Record<string, string> = {
  code: '1.001193',
  agencyCode: THUC_PHAN,
  sub: findDemoAccount('reception1')!.sub,
  grantId: '00000000-0000-4000-8000-000000000000',
  id: '00000000-0000-4000-8000-000000000001',
  name: 'approve',
  n: '1',
  dossier: '000.00.04.H12-260101-0001',
  '*': 'nothing-here',
};

function pathFor(url: string, resource: RoutePolicy['resource'], value: string | undefined): string {
  return url.replace(/:([A-Za-z0-9_]+)|\*/g, (m, name: string | undefined) => {
    const key = name ?? '*';
    if (resource !== undefined && key === resource.param && value !== undefined) return encodeURIComponent(value);
    return encodeURIComponent(PARAM_VALUES[key] ?? 'x');
  });
}

interface Outcome {
  status: number;
  routeDenied: 'unauthenticated' | 'forbidden' | undefined;
  audited: boolean;
  body: string;
}

async function call(method: string, path: string, role: RoleKey): Promise<Outcome> {
  const requestId = `route-policy-${randomUUID()}`;
  const headers: Record<string, string> = { 'x-request-id': requestId };
  const account = ROLES[role];
  if (account !== undefined) headers.authorization = `Bearer ${await app.token(account)}`;
  const init: RequestInit = { method, headers, redirect: 'manual' };
  if (method !== 'GET' && method !== 'DELETE') {
    headers['content-type'] = 'application/json';
    init.body = '{}';
  }
  const res = await fetch(`${app.url}${path}`, init);
  const text = await res.text();
  let field: unknown;
  try {
    field = (JSON.parse(text) as { error?: { field?: unknown } }).error?.field;
  } catch {
    field = undefined;
  }
  const audit = await app.motcua.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'access.denied' AND request_id = $1", [requestId]);
  const audited = audit.rows[0]!.n > 0;
  // The auth hook's refusals: 401 naming the authorization header; 403 written to the audit log.
  const routeDenied = res.status === 401 && field === 'authorization' ? 'unauthenticated' : res.status === 403 && audited ? 'forbidden' : undefined;
  return { status: res.status, routeDenied, audited, body: text.slice(0, 200) };
}

/**
 * The access rules of issue 4, pinned for the routes that carry them: the declared
 * policy of these routes must say exactly this (a route not listed here is checked
 * against what it declares).
 */
const PINNED: Record<string, { allow: RoutePolicy['allow']; resource?: string }> = {
  'POST /api/v1/dossiers': { allow: ['applicant'] },
  'GET /api/v1/dossiers': { allow: ['applicant', 'officer'] },
  'GET /api/v1/dossiers/:code': { allow: ['applicant', 'officer'], resource: 'dossier' },
  'POST /api/v1/dossiers/:code/actions/:name': { allow: ['applicant', 'officer'], resource: 'dossier' },
  'GET /api/v1/files/:id': { allow: 'authenticated', resource: 'file' },
  'POST /api/v1/admin/units/setup': { allow: ['province_admin'] },
  'POST /api/v1/admin/units': { allow: ['province_admin'] },
  'PATCH /api/v1/admin/units/:code': { allow: ['province_admin'] },
  'POST /api/v1/admin/units/:code/merge': { allow: ['province_admin'] },
  'GET /api/v1/admin/units': { allow: ['administrator'] },
  'PUT /api/v1/admin/staff/:sub': { allow: ['administrator'] },
  'POST /api/v1/admin/staff/:sub/grants': { allow: ['administrator'] },
  'POST /api/v1/admin/staff/import': { allow: ['administrator'] },
  'GET /healthz': { allow: 'public' },
  'GET /api/v1/audit': { allow: ['auditor'] },
};

describe('route by role', () => {
  test('the routes that carry issue 4\'s rules declare exactly them', () => {
    const byKey = new Map(routes.map((r) => [`${r.method} ${r.url}`, r]));
    const wrong: string[] = [];
    for (const [key, want] of Object.entries(PINNED)) {
      const r = byKey.get(key);
      const p = r === undefined ? undefined : declaredPolicy(r);
      const got = p === undefined ? undefined : { allow: p.allow, ...(p.resource ? { resource: p.resource.kind } : {}) };
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${key}: declares ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    }
    assert.deepEqual(wrong, []);
  });

  test('every registered route declares a policy (all missing ones listed)', () => {
    const missing = routes.filter((r) => declaredPolicy(r) === undefined).map((r) => `${r.method} ${r.url}`);
    assert.ok(routes.length > 20, `routes collected: ${routes.length}`);
    assert.deepEqual(
      missing,
      [],
      `${missing.length} route(s) without a policy — add config: { policy: ... } where each is registered (docs/decisions/0010-one-authorization-module.md):\n  ${missing.join('\n  ')}`,
    );
  });

  test('the OpenAPI description lists only registered routes, so the table covers it', async () => {
    const spec = await app.call('GET', '/api/v1/openapi.json');
    assert.equal(spec.status, 200);
    const registered = new Set(routes.map((r) => `${r.method} ${r.url}`));
    const absent: string[] = [];
    let n = 0;
    for (const [path, item] of Object.entries(spec.body.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        n++;
        const key = `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`;
        if (!registered.has(key)) absent.push(key);
      }
    }
    assert.ok(n >= 20, `OpenAPI operations: ${n}`);
    assert.deepEqual(absent, []);
  });

  test('every route answers every role as its policy says, on their own resource and on someone else\'s', async () => {
    const problems: string[] = [];
    let calls = 0;
    for (const r of routes) {
      const policy = declaredPolicy(r);
      if (policy === undefined || !CALLED.has(r.method)) continue;
      for (const role of Object.keys(ROLES) as RoleKey[]) {
        const expected = expectedAtRoute(policy, role);
        const res = policy.resource !== undefined ? fixtures[policy.resource.kind]?.[role] : undefined;
        const variants: [string, string | undefined][] = policy.resource === undefined ? [['-', undefined]] : res === undefined ? [['other', randomUUID()]] : [...(res.own !== undefined ? [['own', res.own] as [string, string]] : []), ['other', res.other]];
        for (const [variant, value] of variants) {
          const path = pathFor(r.url, policy.resource, value);
          const out = await call(r.method, path, role);
          calls++;
          const where = `${r.method} ${r.url} as ${role}${variant !== '-' ? ` (${variant} ${policy.resource!.kind})` : ''}: ${out.status}`;
          if (expected !== 'allowed') {
            if (out.routeDenied !== expected) problems.push(`${where}, expected ${expected === 'forbidden' ? '403 + audit entry' : '401'} — ${out.body}`);
            continue;
          }
          if (out.routeDenied !== undefined) {
            problems.push(`${where}, expected to pass the route's policy — ${out.body}`);
            continue;
          }
          if (out.status === 403 && out.audited === false && policy.allow !== 'public' && variant === 'own') problems.push(`${where}: refused on their own resource — ${out.body}`);
          if (variant === 'other' && out.status !== 404) problems.push(`${where}, expected 404 for someone else's ${policy.resource!.kind} — ${out.body}`);
          if (variant === 'own' && out.status === 404) problems.push(`${where}: their own ${policy.resource!.kind} not found — ${out.body}`);
        }
      }
    }
    assert.ok(calls > 200, `calls made: ${calls}`);
    // The resources were really there: each kind tried on someone's own at least once.
    for (const kind of ['dossier', 'file', 'document']) assert.ok(Object.values(fixtures[kind] ?? {}).some((f) => f?.own !== undefined), `an own ${kind} to try`);
    assert.deepEqual(problems, [], `${problems.length} answer(s) disagree with the routes' policies:\n  ${problems.join('\n  ')}`);
  });
});
