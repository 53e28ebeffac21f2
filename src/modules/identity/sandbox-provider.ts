/**
 * The bundled sandbox OpenID Provider (panva's oidc-provider), mounted at `/oidc`
 * inside the Motcua server. It stands in for VNeID level 2 (citizens, businesses)
 * and the province's Keycloak (officers) in development, demos and tests: the same
 * protocol (authorization code + PKCE S256, refresh tokens, RP-initiated logout,
 * discovery, JWKS) and the same claims, with demo accounts and no passwords.
 *
 * Access tokens are JWTs (RFC 9068, `typ: at+jwt`) for the API resource, audience
 * `motcua-api`, signed ES256; ID tokens are signed RS256. Claims the API needs
 * (roles, name, personal id, tax code, agency code, acr `level2`) are in the access
 * token itself.
 *
 * Its keys and secrets (signing JWKS, cookie keys, the `motcua-cli` client secret)
 * are created on first start in `<dataDir>/sandbox-idp/` (mode 0600) and read back
 * on later starts, so tokens stay valid across restarts. They are never logged.
 * Sessions, grants and refresh tokens are kept in this process's memory: a restart
 * logs everybody out of the sandbox (access tokens already issued stay valid).
 *
 * Never enabled in production unless the operator asks: the caller decides.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { calculateJwkThumbprint, createLocalJWKSet, type JWK, type JWTVerifyGetKey } from 'jose';
import Provider, { errors as oidcErrors, type AnyObject, type ErrorOut, type Grant, type InteractionDetails, type ProviderContext } from 'oidc-provider';
import { DEMO_ACCOUNTS, type DemoAccount, type DemoRole } from './demo-accounts.ts';
import { DEFAULT_CLAIM_MAP, type ClaimMap } from './token-verifier.ts';

export const SANDBOX_WEB_CLIENT_ID = 'motcua-web';
export const SANDBOX_CLI_CLIENT_ID = 'motcua-cli';
/** The scope whose claims are roles, personal id, tax code and agency code (ID token). */
export const SANDBOX_IDENTITY_SCOPE = 'motcua';
/** The scope of the API resource (access token). */
export const SANDBOX_API_SCOPE = 'api';
export const SANDBOX_ACR = 'level2';

export interface SandboxProviderOptions {
  /** The address users reach Motcua at, e.g. `http://localhost:3000`; the issuer is `${publicBaseUrl}/oidc`. */
  publicBaseUrl: string;
  /** The data folder; keys and secrets live in `<dataDir>/sandbox-idp/`. */
  dataDir: string;
  /** Accounts offered on the login page; default DEMO_ACCOUNTS. */
  accounts?: readonly DemoAccount[];
  /** Audience of access tokens; default `motcua-api`. */
  audience?: string;
  /** Claim names in tokens, for the fields that differ from DEFAULT_CLAIM_MAP (to mimic a national provider). */
  claimMap?: Partial<ClaimMap>;
  /** Redirect URIs of the `motcua-web` client; default `${publicBaseUrl}/auth/callback`. */
  webRedirectUris?: string[];
  /** Where `motcua-web` may send users after logout; default `${publicBaseUrl}/`. */
  webPostLogoutRedirectUris?: string[];
  /** Access token lifetime in seconds; default 3600. */
  accessTokenTtlSec?: number;
}

export interface SandboxProvider {
  /** Issuer identifier: `${publicBaseUrl}/oidc`. */
  readonly issuer: string;
  /** The path the provider is mounted at (`/oidc`). */
  readonly mountPath: string;
  /** The resource indicator of the API (RFC 8707): `${publicBaseUrl}/api`. */
  readonly apiResource: string;
  /** Audience of the access tokens. */
  readonly audience: string;
  /** The public signing keys, to verify tokens in-process without an HTTP call (jose key set getter). */
  readonly jwks: JWTVerifyGetKey;
  /** The public JWKS document (as served at the jwks endpoint). */
  readonly publicJwks: { keys: JWK[] };
  /** Handles a request under the mount path (raw Node request/response; the body must not have been read). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Called with unexpected errors (never with secrets); registerSandboxProvider sets it to the Fastify logger. */
  onError: ((err: unknown) => void) | undefined;
}

// ---------------------------------------------------------------------------
// Keys and secrets, persisted per data folder
// ---------------------------------------------------------------------------

interface SandboxSecrets {
  cookieKeys: string[];
  cliClientSecret: string;
}

/** Folder of the sandbox's keys and secrets inside a data folder. */
export const sandboxStateDir = (dataDir: string): string => join(dataDir, 'sandbox-idp');

/** The `motcua-cli` client secret of the sandbox whose data folder this is, or undefined when it has never started there. */
export async function readSandboxCliSecret(dataDir: string): Promise<string | undefined> {
  try {
    const s = JSON.parse(await readFile(join(sandboxStateDir(dataDir), 'secrets.json'), 'utf8')) as Partial<SandboxSecrets>;
    return typeof s.cliClientSecret === 'string' ? s.cliClientSecret : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Reads `file`, or creates it with `create()` when absent. Creation is atomic and
 * exclusive (a temporary file hard-linked into place), so two processes starting on
 * the same data folder end up with the same content.
 */
async function readOrCreateJson<T>(file: string, create: () => T | Promise<T>, valid: (v: unknown) => v is T): Promise<T> {
  const read = async (): Promise<T | undefined> => {
    try {
      const v: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (!valid(v)) throw new Error(`${file} is not a valid sandbox identity provider file; move it away to create a new one`);
      return v;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  };
  const existing = await read();
  if (existing !== undefined) return existing;
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(await create(), null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  const created = await read();
  if (created === undefined) throw new Error(`${file} could not be created`);
  return created;
}

async function newSigningKeys(): Promise<{ keys: JWK[] }> {
  const make = async (jwk: JWK, alg: string): Promise<JWK> => {
    const pub = publicPart(jwk);
    return { ...jwk, kid: await calculateJwkThumbprint(pub), alg, use: 'sig' };
  };
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as JWK;
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as JWK;
  // RS256 for ID tokens (what every relying party supports), ES256 for access tokens (small on a slow line).
  return { keys: [await make(rsa, 'RS256'), await make(ec, 'ES256')] };
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
function publicPart(jwk: JWK): JWK {
  const pub: Record<string, unknown> = { ...jwk };
  for (const m of PRIVATE_MEMBERS) delete pub[m];
  return pub as JWK;
}

const isJwks = (v: unknown): v is { keys: JWK[] } =>
  typeof v === 'object' && v !== null && Array.isArray((v as { keys?: unknown }).keys) &&
  (v as { keys: unknown[] }).keys.length > 0 &&
  (v as { keys: unknown[] }).keys.every((k) => typeof k === 'object' && k !== null && typeof (k as JWK).kty === 'string' && typeof (k as JWK).d === 'string');

const isSecrets = (v: unknown): v is SandboxSecrets =>
  typeof v === 'object' && v !== null &&
  Array.isArray((v as SandboxSecrets).cookieKeys) && (v as SandboxSecrets).cookieKeys.length > 0 &&
  (v as SandboxSecrets).cookieKeys.every((k) => typeof k === 'string' && k.length >= 32) &&
  typeof (v as SandboxSecrets).cliClientSecret === 'string' && (v as SandboxSecrets).cliClientSecret.length >= 32;

// ---------------------------------------------------------------------------
// Storage of sessions, interactions, grants, codes, refresh tokens (this process)
// ---------------------------------------------------------------------------

type Payload = AnyObject & { grantId?: string; uid?: string; userCode?: string; consumed?: number };

/** oidc-provider's adapter interface over Maps owned by one provider instance; entries expire lazily. */
function memoryAdapterFactory(): (model: string) => object {
  const entries = new Map<string, { payload: Payload; expiresAt: number }>();
  const byGrant = new Map<string, Set<string>>();
  const index = new Map<string, string>(); // `${model}:uid:${uid}` or `${model}:userCode:${code}` -> id
  let writes = 0;
  const live = (key: string): Payload | undefined => {
    const e = entries.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return e.payload;
  };
  const sweep = (): void => {
    const now = Date.now();
    for (const [k, e] of entries) if (e.expiresAt <= now) entries.delete(k);
    for (const [k, id] of index) if (!entries.has(id)) index.delete(k);
    for (const [g, keys] of byGrant) {
      for (const k of keys) if (!entries.has(k)) keys.delete(k);
      if (keys.size === 0) byGrant.delete(g);
    }
  };
  return (model: string) => {
    const key = (id: string): string => `${model}:${id}`;
    return {
      async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
        if (++writes % 500 === 0) sweep();
        const k = key(id);
        entries.set(k, { payload: structuredClone(payload), expiresAt: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity });
        if (payload.grantId) {
          const set = byGrant.get(payload.grantId) ?? new Set<string>();
          set.add(k);
          byGrant.set(payload.grantId, set);
        }
        if (payload.uid) index.set(`${model}:uid:${payload.uid}`, k);
        if (payload.userCode) index.set(`${model}:userCode:${payload.userCode}`, k);
      },
      async find(id: string): Promise<Payload | undefined> {
        const p = live(key(id));
        return p === undefined ? undefined : structuredClone(p);
      },
      async findByUid(uid: string): Promise<Payload | undefined> {
        const k = index.get(`${model}:uid:${uid}`);
        const p = k === undefined ? undefined : live(k);
        return p === undefined ? undefined : structuredClone(p);
      },
      async findByUserCode(userCode: string): Promise<Payload | undefined> {
        const k = index.get(`${model}:userCode:${userCode}`);
        const p = k === undefined ? undefined : live(k);
        return p === undefined ? undefined : structuredClone(p);
      },
      async consume(id: string): Promise<void> {
        const p = live(key(id));
        if (p !== undefined) p.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id: string): Promise<void> {
        entries.delete(key(id));
      },
      async revokeByGrantId(grantId: string): Promise<void> {
        for (const k of byGrant.get(grantId) ?? []) entries.delete(k);
        byGrant.delete(grantId);
      },
    };
  };
}

// ---------------------------------------------------------------------------
// HTML pages (server-rendered, no JavaScript, Vietnamese first then English)
// ---------------------------------------------------------------------------

const CSS = `body{font-family:system-ui,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;margin:0;color:#0b0c0c;background:#f3f2f1;line-height:1.45}
header{background:#a50e0e;color:#fff;padding:.75rem 1rem}header p{margin:0;font-weight:700}
main{max-width:40rem;margin:1rem auto;background:#fff;padding:1rem 1.25rem 1.5rem}
h1{font-size:1.5rem;margin:.25rem 0 1rem}.en{color:#505a5f}
fieldset{border:0;padding:0;margin:0 0 1.25rem}legend{font-weight:700;font-size:1.1rem;margin-bottom:.5rem}
.opt{display:flex;gap:.6rem;align-items:flex-start;padding:.5rem;border:1px solid #b1b4b6;margin-bottom:.4rem}
.opt input{width:1.4rem;height:1.4rem;margin:.15rem 0 0;flex:none}.opt label{cursor:pointer}.opt small{display:block;color:#505a5f}
button{font:inherit;font-weight:700;padding:.6rem 1.2rem;border:2px solid #00703c;background:#00703c;color:#fff;cursor:pointer;margin:0 .5rem .5rem 0}
button.secondary{background:#fff;color:#0b0c0c;border-color:#505a5f}
:focus-visible{outline:3px solid #fd0;outline-offset:0;box-shadow:0 0 0 5px #0b0c0c}
.error-summary{border:4px solid #d4351c;padding:.75rem 1rem;margin-bottom:1rem}.error-summary h2{margin:0 0 .5rem;font-size:1.2rem}
.error-summary a{color:#d4351c;font-weight:700}ul.plain{padding-left:1.2rem}code{font-size:.95em}`;
const CSS_HASH = createHash('sha256').update(CSS).digest('base64');

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const SECURITY_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${CSS_HASH}'; frame-ancestors 'none'; base-uri 'none'`,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – Motcua</title>
<style>${CSS}</style>
</head>
<body>
<header><p>Motcua · Nhà cung cấp định danh thử nghiệm <span class="en" lang="en">(sandbox identity provider)</span></p></header>
<main id="main">
${body}
</main>
</body>
</html>
`;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  res.setHeader('content-length', Buffer.byteLength(html));
  res.end(html);
}

const ROLE_LABELS: Record<DemoRole, { vi: string; en: string }> = {
  citizen: { vi: 'Công dân', en: 'Citizen' },
  business: { vi: 'Doanh nghiệp', en: 'Business' },
  reception: { vi: 'Cán bộ tiếp nhận (một cửa)', en: 'Reception officer' },
  specialist: { vi: 'Chuyên viên xử lý', en: 'Specialist' },
  leader: { vi: 'Lãnh đạo phê duyệt', en: 'Leader' },
  admin: { vi: 'Quản trị hệ thống', en: 'Administrator' },
  unit_admin: { vi: 'Quản trị đơn vị', en: 'Unit administrator' },
  auditor: { vi: 'Kiểm tra, giám sát (chỉ đọc)', en: 'Auditor (read-only)' },
};

function accountOption(a: DemoAccount, checked: boolean, describedBy: string | undefined): string {
  const id = `account-${a.account}`;
  const roles = a.roles.map((r) => `${ROLE_LABELS[r]?.vi ?? r} <span class="en" lang="en">/ ${ROLE_LABELS[r]?.en ?? r}</span>`).join(', ');
  const facts = [
    `<code>${esc(a.account)}</code>`,
    roles,
    a.personalId ? `Số định danh <span class="en" lang="en">(personal id)</span> ${esc(a.personalId)}` : '',
    a.taxCode ? `Mã số thuế <span class="en" lang="en">(tax code)</span> ${esc(a.taxCode)}` : '',
    a.agencyCode ? `Cơ quan <span class="en" lang="en">(agency)</span> ${esc(a.agencyCode)}` : '',
  ].filter((s) => s !== '');
  return `<div class="opt"><input type="radio" name="account" id="${esc(id)}" value="${esc(a.account)}"${checked ? ' checked' : ''}${describedBy ? ` aria-describedby="${describedBy}"` : ''} required>
<label for="${esc(id)}"><strong>${esc(a.name)}</strong><small>${facts.join(' · ')}</small></label></div>`;
}

function loginPage(opts: { uid: string; mountPath: string; accounts: readonly DemoAccount[]; clientName: string; selected?: string | undefined; error?: string | undefined }): string {
  const applicants = opts.accounts.filter((a) => a.roles.some((r) => r === 'citizen' || r === 'business'));
  const officers = opts.accounts.filter((a) => !applicants.includes(a));
  const selected = opts.selected ?? opts.accounts[0]?.account;
  const errId = opts.error ? 'account-error' : undefined;
  const first = opts.accounts[0] ? `account-${opts.accounts[0].account}` : 'main';
  const group = (legend: string, list: readonly DemoAccount[]): string =>
    list.length === 0 ? '' : `<fieldset><legend>${legend}</legend>\n${list.map((a) => accountOption(a, a.account === selected, errId)).join('\n')}\n</fieldset>`;
  const base = `${opts.mountPath}/interaction/${encodeURIComponent(opts.uid)}`;
  return page(
    'Đăng nhập',
    `${opts.error
      ? `<div class="error-summary" role="alert" aria-labelledby="error-title" tabindex="-1"><h2 id="error-title">Có lỗi <span class="en" lang="en">/ There is a problem</span></h2>
<ul class="plain"><li><a href="#${esc(first)}" id="${errId}">${esc(opts.error)}</a></li></ul></div>`
      : ''}
<h1>Đăng nhập <span class="en" lang="en">/ Log in</span></h1>
<p>Ứng dụng <strong>${esc(opts.clientName)}</strong> yêu cầu đăng nhập. Môi trường thử nghiệm không dùng mật khẩu: chọn một tài khoản mẫu. Trang này thay cho VNeID mức 2 và hệ thống định danh của tỉnh.</p>
<p class="en" lang="en">${esc(opts.clientName)} asks you to log in. The sandbox has no passwords: choose a demo account. This page stands in for VNeID level 2 and the province's identity provider.</p>
<form method="post" action="${esc(base)}/login">
${group('Người dân, doanh nghiệp <span class="en" lang="en">/ Citizens and businesses</span>', applicants)}
${group('Cán bộ, quản trị <span class="en" lang="en">/ Officers and administrators</span>', officers)}
<button type="submit">Đăng nhập <span lang="en">/ Log in</span></button>
</form>
<form method="post" action="${esc(base)}/abort"><button type="submit" class="secondary">Hủy <span lang="en">/ Cancel</span></button></form>`,
  );
}

const SCOPE_LABELS: Record<string, { vi: string; en: string }> = {
  openid: { vi: 'Biết bạn là ai (mã định danh tài khoản)', en: 'Know who you are (account identifier)' },
  profile: { vi: 'Họ tên, ngày sinh', en: 'Your name and date of birth' },
  [SANDBOX_IDENTITY_SCOPE]: { vi: 'Vai trò, số định danh cá nhân, mã số thuế, cơ quan', en: 'Your roles, personal id, tax code and agency' },
  [SANDBOX_API_SCOPE]: { vi: 'Dùng dịch vụ công trực tuyến thay mặt bạn', en: 'Use the online public services on your behalf' },
  offline_access: { vi: 'Giữ đăng nhập khi bạn không dùng ứng dụng', en: 'Stay logged in while you are away' },
};

function consentPage(opts: { uid: string; mountPath: string; clientName: string; accountName: string; scopes: string[] }): string {
  const base = `${opts.mountPath}/interaction/${encodeURIComponent(opts.uid)}`;
  const items = opts.scopes.map((s) => {
    const l = SCOPE_LABELS[s];
    return `<li>${l ? `${esc(l.vi)} <span class="en" lang="en">/ ${esc(l.en)}</span>` : `<code>${esc(s)}</code>`}</li>`;
  });
  return page(
    'Cho phép truy cập',
    `<h1>Cho phép truy cập <span class="en" lang="en">/ Allow access</span></h1>
<p>Bạn đang đăng nhập là <strong>${esc(opts.accountName)}</strong>. Ứng dụng <strong>${esc(opts.clientName)}</strong> muốn:</p>
<p class="en" lang="en">You are logged in as ${esc(opts.accountName)}. ${esc(opts.clientName)} would like to:</p>
<ul>${items.join('')}</ul>
<form method="post" action="${esc(base)}/confirm"><button type="submit">Đồng ý <span lang="en">/ Allow</span></button></form>
<form method="post" action="${esc(base)}/abort"><button type="submit" class="secondary">Từ chối <span lang="en">/ Deny</span></button></form>`,
  );
}

function messagePage(title: { vi: string; en: string }, text: { vi: string; en: string }, extra = ''): string {
  return page(
    title.vi,
    `<h1>${esc(title.vi)} <span class="en" lang="en">/ ${esc(title.en)}</span></h1>
<p>${esc(text.vi)}</p>
<p class="en" lang="en">${esc(text.en)}</p>${extra}`,
  );
}

const expiredInteraction = (): string =>
  messagePage(
    { vi: 'Phiên đăng nhập đã hết hạn', en: 'The login session has expired' },
    {
      vi: 'Phiên đăng nhập không còn hiệu lực (hết hạn hoặc mở từ nơi khác). Hãy quay lại ứng dụng và đăng nhập lại.',
      en: 'This login session is no longer valid (expired, or opened elsewhere). Go back to the application and log in again.',
    },
  );

// ---------------------------------------------------------------------------
// The provider
// ---------------------------------------------------------------------------

type Req = IncomingMessage & { originalUrl?: string };

async function readForm(req: IncomingMessage, limit = 16 * 1024): Promise<URLSearchParams | undefined> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function createSandboxProvider(opts: SandboxProviderOptions): Promise<SandboxProvider> {
  const base = new URL(opts.publicBaseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError('publicBaseUrl must be an http(s) URL');
  const publicBaseUrl = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
  const issuer = `${publicBaseUrl}/oidc`;
  const mountPath = new URL(issuer).pathname;
  const apiResource = `${publicBaseUrl}/api`;
  const audience = opts.audience ?? 'motcua-api';
  const accounts = opts.accounts ?? DEMO_ACCOUNTS;
  const claimMap: ClaimMap = { ...DEFAULT_CLAIM_MAP, ...opts.claimMap };
  const accessTokenTtl = opts.accessTokenTtlSec ?? 3600;
  const bySub = new Map(accounts.map((a) => [a.sub, a]));
  const byLogin = new Map(accounts.map((a) => [a.account, a]));
  if (bySub.size !== accounts.length || byLogin.size !== accounts.length) throw new TypeError('demo accounts must have unique account and sub');

  const dir = sandboxStateDir(opts.dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const privateJwks = await readOrCreateJson(join(dir, 'jwks.json'), newSigningKeys, isJwks);
  const secrets = await readOrCreateJson<SandboxSecrets>(
    join(dir, 'secrets.json'),
    () => ({ cookieKeys: [randomBytes(32).toString('base64url')], cliClientSecret: randomBytes(32).toString('base64url') }),
    isSecrets,
  );
  const publicJwks = { keys: privateJwks.keys.map(publicPart) };
  const accessTokenAlg = privateJwks.keys.some((k) => k.alg === 'ES256') ? 'ES256' : 'RS256';

  /** Claims of an account under our (or the configured) names; absent values are left out. */
  const identityClaims = (a: DemoAccount): Record<string, unknown> => {
    const c: Record<string, unknown> = { [claimMap.roles]: [...a.roles], [claimMap.name]: a.name };
    if (a.personalId !== undefined) c[claimMap.personalId] = a.personalId;
    if (a.taxCode !== undefined) c[claimMap.taxCode] = a.taxCode;
    if (a.agencyCode !== undefined) c[claimMap.agencyCode] = a.agencyCode;
    if (a.birthdate !== undefined) c[claimMap.birthdate] = a.birthdate;
    // A business logs in through the person acting for it (as the national identity's organisation accounts do).
    if (a.legalRepresentative !== undefined) {
      c[claimMap.representativePersonalId] = a.legalRepresentative.personalId;
      c[claimMap.representativeName] = a.legalRepresentative.name;
    }
    return c;
  };
  const identityScopeClaims = [
    ...new Set([
      claimMap.roles, claimMap.personalId, claimMap.taxCode, claimMap.agencyCode, claimMap.birthdate, claimMap.representativePersonalId, claimMap.representativeName,
      ...(claimMap.name !== 'name' ? [claimMap.name] : []),
    ]),
  ];

  const clientNames: Record<string, string> = {
    [SANDBOX_WEB_CLIENT_ID]: 'Cổng dịch vụ công Motcua',
    [SANDBOX_CLI_CLIENT_ID]: 'Motcua (dòng lệnh)',
  };

  const setPageHeaders = (ctx: ProviderContext): void => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (k !== 'content-type') ctx.set(k, v);
    ctx.type = 'html';
  };

  const provider = new Provider(issuer, {
    adapter: memoryAdapterFactory(),
    clients: [
      {
        client_id: SANDBOX_WEB_CLIENT_ID,
        client_name: clientNames[SANDBOX_WEB_CLIENT_ID],
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: opts.webRedirectUris ?? [`${publicBaseUrl}/auth/callback`],
        post_logout_redirect_uris: opts.webPostLogoutRedirectUris ?? [`${publicBaseUrl}/`],
      },
      {
        client_id: SANDBOX_CLI_CLIENT_ID,
        client_secret: secrets.cliClientSecret,
        client_name: clientNames[SANDBOX_CLI_CLIENT_ID],
        application_type: 'web',
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${issuer}/cli/callback`],
        post_logout_redirect_uris: [`${issuer}/cli/logged-out`],
      },
    ],
    jwks: privateJwks,
    cookies: {
      keys: secrets.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    scopes: ['openid', 'offline_access', 'profile', SANDBOX_IDENTITY_SCOPE],
    claims: {
      openid: ['sub'],
      profile: ['name', 'birthdate'],
      [SANDBOX_IDENTITY_SCOPE]: identityScopeClaims,
      acr: null,
      auth_time: null,
      sid: null,
      iss: null,
    },
    // Claims of the granted scopes go into the ID token too: the access token is for the API, not for userinfo.
    conformIdTokenClaims: false,
    acrValues: [SANDBOX_ACR],
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientBasedCORS: (_ctx: unknown, origin: string) => origin === base.origin,
    discovery: { ui_locales_supported: ['vi', 'en'], claims_locales_supported: ['vi'] },
    async findAccount(_ctx: unknown, sub: string) {
      const a = bySub.get(sub);
      if (a === undefined) return undefined;
      return {
        accountId: a.sub,
        async claims() {
          return { sub: a.sub, ...(a.birthdate !== undefined ? { birthdate: a.birthdate } : {}), name: a.name, ...identityClaims(a) };
        },
      };
    },
    async extraTokenClaims(_ctx: unknown, token: { kind?: string; accountId?: string }) {
      if (token.kind !== 'AccessToken' || token.accountId === undefined) return undefined;
      const a = bySub.get(token.accountId);
      if (a === undefined) return undefined;
      return { ...identityClaims(a), [claimMap.acr]: SANDBOX_ACR };
    },
    // First-party clients: what they ask for is granted without a consent page. An explicit
    // prompt=consent (needed for offline_access) still shows one.
    async loadExistingGrant(ctx: ProviderContext): Promise<Grant | undefined> {
      const { oidc } = ctx;
      const accountId = oidc.session?.accountId;
      const client = oidc.client;
      if (accountId === undefined || client === undefined) return undefined;
      const consent = oidc.result?.consent as { grantId?: string } | undefined;
      const grantId = consent?.grantId ?? oidc.session?.grantIdFor(client.clientId);
      let grant = grantId !== undefined ? await oidc.provider.Grant.find(grantId) : undefined;
      if (grant !== undefined && (grant.accountId !== accountId || grant.clientId !== client.clientId)) grant = undefined;
      grant ??= new oidc.provider.Grant({ accountId, clientId: client.clientId });
      const oidcScopes = [...oidc.requestParamOIDCScopes];
      if (oidcScopes.length > 0) grant.addOIDCScope(oidcScopes.join(' '));
      for (const [indicator, rs] of Object.entries(oidc.resourceServers)) {
        const wanted = [...oidc.requestParamScopes].filter((s) => rs.scopes.has(s));
        if (wanted.length > 0) grant.addResourceScope(indicator, wanted.join(' '));
      }
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx: ProviderContext, form: string) {
          setPageHeaders(ctx);
          ctx.body = page(
            'Đăng xuất',
            `<h1>Đăng xuất <span class="en" lang="en">/ Log out</span></h1>
<p>Bạn có muốn đăng xuất khỏi nhà cung cấp định danh thử nghiệm không?</p>
<p class="en" lang="en">Do you want to log out of the sandbox identity provider?</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Đăng xuất <span lang="en">/ Log out</span></button>
<button type="submit" form="op.logoutForm" class="secondary">Ở lại <span lang="en">/ Stay logged in</span></button>`,
          );
        },
        async postLogoutSuccessSource(ctx: ProviderContext) {
          setPageHeaders(ctx);
          ctx.body = messagePage({ vi: 'Đã đăng xuất', en: 'Logged out' }, { vi: 'Bạn đã đăng xuất.', en: 'You have logged out.' });
        },
      },
      resourceIndicators: {
        enabled: true,
        // Tokens are for the API unless the client names another (unknown) resource, which is refused.
        async defaultResource(_ctx: unknown, _client: unknown, oneOf?: string[]) {
          if (oneOf) return oneOf.includes(apiResource) ? apiResource : oneOf[0];
          return apiResource;
        },
        async useGrantedResource() {
          return true;
        },
        async getResourceServerInfo(_ctx: unknown, resourceIndicator: string) {
          if (resourceIndicator !== apiResource) throw new oidcErrors.InvalidTarget();
          return {
            scope: SANDBOX_API_SCOPE,
            audience,
            accessTokenTTL: accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: accessTokenAlg } },
          };
        },
      },
      userinfo: { enabled: true },
      revocation: { enabled: false },
      introspection: { enabled: false },
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `${mountPath}/interaction/${interaction.uid}`,
    },
    ttl: {
      AccessToken: accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
      RefreshToken: 14 * 24 * 3600,
      ClientCredentials: 600,
      DeviceCode: 600,
      BackchannelAuthenticationRequest: 600,
      PreAuthorizedCode: 600,
    },
    async renderError(ctx: ProviderContext, out: ErrorOut) {
      setPageHeaders(ctx);
      ctx.body = messagePage(
        { vi: 'Có lỗi khi đăng nhập', en: 'Login failed' },
        {
          vi: 'Yêu cầu đăng nhập không hợp lệ. Hãy quay lại ứng dụng và thử lại.',
          en: 'The login request is not valid. Go back to the application and try again.',
        },
        `\n<p><code>${esc(String(out.error))}</code>${out.error_description ? `: ${esc(String(out.error_description))}` : ''}</p>`,
      );
    },
  });
  // URLs in discovery and redirects are always built from the issuer (see handle), never from the request's Host.
  provider.proxy = true;
  const forwardedProto = base.protocol.slice(0, -1);
  const forwardedHost = base.host;
  const callback = provider.callback();

  const sandbox: SandboxProvider = {
    issuer,
    mountPath,
    apiResource,
    audience,
    jwks: createLocalJWKSet(publicJwks),
    publicJwks,
    onError: undefined,
    handle(req: IncomingMessage, res: ServerResponse): void {
      dispatch(req as Req, res).catch((err: unknown) => {
        sandbox.onError?.(err);
        if (!res.headersSent) {
          sendHtml(res, 500, messagePage({ vi: 'Lỗi hệ thống', en: 'Server error' }, { vi: 'Đã có lỗi, vui lòng thử lại.', en: 'Something went wrong; please try again.' }));
        } else {
          res.destroy();
        }
      });
    },
  };
  provider.on('server_error', (_ctx, err) => sandbox.onError?.(err));

  async function dispatch(req: Req, res: ServerResponse): Promise<void> {
    const original = req.url ?? '/';
    const rest = original.startsWith(mountPath) ? original.slice(mountPath.length) : undefined;
    if (rest === undefined || (rest !== '' && !rest.startsWith('/') && !rest.startsWith('?'))) {
      sendHtml(res, 404, messagePage({ vi: 'Không tìm thấy', en: 'Not found' }, { vi: 'Không có trang này.', en: 'No such page.' }));
      return;
    }
    const inner = rest.startsWith('/') ? rest : `/${rest}`;
    const pathname = inner.split('?')[0] ?? '/';
    req.headers['x-forwarded-proto'] = forwardedProto;
    req.headers['x-forwarded-host'] = forwardedHost;

    const m = /^\/interaction\/([\w-]{1,64})(?:\/(login|confirm|abort))?$/.exec(pathname);
    if (m) {
      await interaction(req, res, m[1] ?? '', m[2]);
      return;
    }
    if (pathname === '/cli/callback' || pathname === '/cli/logged-out') {
      sendHtml(
        res,
        200,
        messagePage(
          { vi: 'Đã xong', en: 'Done' },
          { vi: 'Bạn có thể đóng trang này và quay lại cửa sổ dòng lệnh.', en: 'You may close this page and go back to the terminal.' },
        ),
      );
      return;
    }
    // The provider routes on the path below its mount point and builds its URLs from originalUrl's prefix.
    req.originalUrl = original;
    req.url = inner;
    await callback(req, res);
  }

  async function interaction(req: Req, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    let details: InteractionDetails;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (err) {
      if (err instanceof oidcErrors.SessionNotFound) return sendHtml(res, 400, expiredInteraction());
      throw err;
    }
    if (details.uid !== uid) return sendHtml(res, 400, expiredInteraction());
    const clientId = typeof details.params.client_id === 'string' ? details.params.client_id : '';
    const clientName = clientNames[clientId] ?? (await provider.Client.find(clientId))?.clientName ?? clientId;
    const method = req.method ?? 'GET';
    const promptName = details.prompt.name;

    if (action === undefined) {
      if (method !== 'GET' && method !== 'HEAD') return sendHtml(res, 405, messagePage({ vi: 'Không hỗ trợ', en: 'Not allowed' }, { vi: 'Phương thức không được hỗ trợ.', en: 'Method not allowed.' }));
      if (promptName === 'login') {
        const hint = typeof details.params.login_hint === 'string' && byLogin.has(details.params.login_hint) ? details.params.login_hint : undefined;
        return sendHtml(res, 200, loginPage({ uid, mountPath, accounts, clientName, selected: hint }));
      }
      if (promptName === 'consent') {
        const who = details.session?.accountId !== undefined ? bySub.get(details.session.accountId) : undefined;
        const scopes = typeof details.params.scope === 'string' ? details.params.scope.split(' ').filter((s) => s !== '') : [];
        return sendHtml(res, 200, consentPage({ uid, mountPath, clientName, accountName: who?.name ?? '', scopes: [...new Set([...scopes, SANDBOX_API_SCOPE])] }));
      }
      return sendHtml(res, 400, expiredInteraction());
    }

    if (method !== 'POST') return sendHtml(res, 405, messagePage({ vi: 'Không hỗ trợ', en: 'Not allowed' }, { vi: 'Phương thức không được hỗ trợ.', en: 'Method not allowed.' }));
    const form = await readForm(req);

    if (action === 'abort') {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
      return;
    }

    if (action === 'login') {
      if (promptName !== 'login') return sendHtml(res, 400, expiredInteraction());
      const login = form?.get('account') ?? '';
      const account = byLogin.get(login);
      if (account === undefined) {
        const error = login === ''
          ? 'Hãy chọn một tài khoản / Choose an account'
          : `Không có tài khoản “${login.slice(0, 64)}” / There is no account “${login.slice(0, 64)}”`;
        return sendHtml(res, 400, loginPage({ uid, mountPath, accounts, clientName, error }));
      }
      await provider.interactionFinished(req, res, { login: { accountId: account.sub, acr: SANDBOX_ACR, amr: ['sandbox'], remember: true } }, { mergeWithLastSubmission: false });
      return;
    }

    // confirm (consent)
    if (promptName !== 'consent') return sendHtml(res, 400, expiredInteraction());
    const accountId = details.session?.accountId;
    if (accountId === undefined) return sendHtml(res, 400, expiredInteraction());
    let grant = details.grantId !== undefined ? await provider.Grant.find(details.grantId) : undefined;
    grant ??= new provider.Grant({ accountId, clientId });
    const d = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (d.missingOIDCScope?.length) grant.addOIDCScope(d.missingOIDCScope.join(' '));
    if (d.missingOIDCClaims?.length) grant.addOIDCClaims(d.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: details.grantId === undefined ? { grantId } : {} }, { mergeWithLastSubmission: true });
  }

  return sandbox;
}

/**
 * Mounts the sandbox at `/oidc` and `/oidc/*` of a Fastify 5 app, in an encapsulated
 * plugin whose content-type parser leaves the request body unread (the provider reads
 * the raw stream itself). The reply is hijacked and the raw request/response handed over.
 */
export async function registerSandboxProvider(app: FastifyInstance, provider: SandboxProvider): Promise<void> {
  provider.onError ??= (err) => app.log.error({ err }, 'sandbox identity provider error');
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    const handler = (req: FastifyRequest, reply: FastifyReply): void => {
      reply.hijack();
      provider.handle(req.raw, reply.raw);
    };
    const route = { schema: { hide: true } };
    scope.all(provider.mountPath, route, handler);
    scope.all(`${provider.mountPath}/*`, route, handler);
  });
}
