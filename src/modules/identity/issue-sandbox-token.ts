/**
 * Logs a demo account in to a running Motcua's sandbox identity provider and returns
 * its tokens — the real authorization code flow with PKCE over HTTP, as a browser
 * would run it (openid-client for discovery and the code exchange; the login page
 * is answered by posting its form). Used by `motcua token <account>`, benchmarks
 * and end-to-end tests; it never reads the provider's secrets.
 */
import * as oidc from 'openid-client';
import { SANDBOX_API_SCOPE, SANDBOX_IDENTITY_SCOPE, SANDBOX_WEB_CLIENT_ID } from './sandbox-provider.ts';

export interface SandboxTokens {
  accessToken: string;
  idToken: string | undefined;
  /** Seconds the access token is valid for, as the provider said. */
  expiresIn: number | undefined;
}

/** A minimal cookie jar: the provider's interaction and session cookies, sent back as a browser would. */
class CookieJar {
  readonly #cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/;\s*(expires=Thu, 01 Jan 1970|max-age=0)/i.test(line) || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Tokens for `account` from the sandbox of the Motcua at `publicBaseUrl`
 * (e.g. `http://127.0.0.1:3000`). Throws with a readable message when the server
 * does not answer or the account does not exist.
 */
export async function issueSandboxToken(publicBaseUrl: string, account: string, opts: { timeoutMs?: number } = {}): Promise<SandboxTokens> {
  const base = publicBaseUrl.replace(/\/+$/, '');
  const issuer = new URL(`${base}/oidc`);
  const timeout = opts.timeoutMs ?? 10_000;
  const local = issuer.protocol === 'http:';
  const config = await oidc.discovery(issuer, SANDBOX_WEB_CLIENT_ID, undefined, oidc.None(), {
    timeout: timeout / 1000,
    ...(local ? { execute: [oidc.allowInsecureRequests] } : {}),
  });
  const redirectUri = `${base}/auth/callback`;
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const authUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: `openid profile ${SANDBOX_IDENTITY_SCOPE} ${SANDBOX_API_SCOPE}`,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    resource: `${base}/api`,
    login_hint: account,
    prompt: 'login',
  });

  const jar = new CookieJar();
  const step = async (url: URL, init: RequestInit = {}): Promise<URL> => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeout),
      headers: { ...(init.headers as Record<string, string> | undefined), cookie: jar.header() },
    });
    jar.take(res);
    const location = res.headers.get('location');
    await res.body?.cancel();
    if (res.status < 300 || res.status >= 400 || location === null) {
      throw new Error(`the sandbox identity provider answered ${res.status} at ${url.pathname}${res.status === 400 ? ` (is “${account}” a demo account?)` : ''}`);
    }
    return new URL(location, url);
  };

  // Authorization request -> login interaction -> choose the account -> back to the authorization endpoint -> redirect with the code.
  let next = await step(authUrl);
  const interaction = /\/interaction\/([\w-]+)$/.exec(next.pathname);
  if (interaction === null) throw new Error(`unexpected redirect to ${next.pathname}`);
  next = await step(new URL(`${next.pathname}/login`, next), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ account }).toString(),
  });
  for (let hops = 0; hops < 5 && !next.href.startsWith(redirectUri); hops++) next = await step(next);
  if (!next.href.startsWith(redirectUri)) throw new Error('the sandbox identity provider did not return an authorization code');

  const tokens = await oidc.authorizationCodeGrant(config, next, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }, { resource: `${base}/api` });
  return { accessToken: tokens.access_token, idToken: tokens.id_token, expiresIn: tokens.expires_in };
}
