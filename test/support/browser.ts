/**
 * A minimal browser for end-to-end tests of the browser login: a cookie jar (per
 * host, honouring Max-Age=0), redirects followed by hand, and the sandbox identity
 * provider's login and consent pages answered by posting their forms, as a person
 * would. Every response on the way is kept for the tests to look at.
 */
export interface Hop {
  url: URL;
  status: number;
  headers: Headers;
  body: string;
}

export class Browser {
  readonly cookies = new Map<string, string>();
  readonly setCookieLines: string[] = [];
  readonly hops: Hop[] = [];

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      this.setCookieLines.push(line);
      const pair = line.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/;\s*(expires=Thu, 01 Jan 1970|max-age=0)/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** One request, no redirect followed; sends and keeps cookies. */
  async fetch(url: URL | string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Hop> {
    const u = new URL(url);
    const cookie = this.cookieHeader();
    const res = await fetch(u, { ...init, redirect: 'manual', headers: { ...(cookie !== '' ? { cookie } : {}), ...init.headers } });
    this.take(res);
    const hop: Hop = { url: u, status: res.status, headers: res.headers, body: await res.text() };
    this.hops.push(hop);
    return hop;
  }

  /**
   * Follows redirects from `start`, logging in at the sandbox as `account` (and
   * allowing its consent page), until a response that is not a redirect or leaves
   * for `stopAt` (an URL prefix the test wants to look at before it is followed).
   */
  async navigate(start: URL | string, account: string, opts: { stopAt?: string; maxHops?: number } = {}): Promise<Hop> {
    let hop = await this.fetch(start);
    for (let i = 0; i < (opts.maxHops ?? 15); i++) {
      const location = hop.headers.get('location');
      if (hop.status >= 300 && hop.status < 400 && location !== null) {
        const next = new URL(location, hop.url);
        if (opts.stopAt !== undefined && next.href.startsWith(opts.stopAt)) return hop;
        hop = await this.fetch(next);
        continue;
      }
      const interaction = /\/interaction\/[\w-]+$/.exec(hop.url.pathname);
      if (hop.status === 200 && interaction !== null) {
        const action = hop.body.includes('/login"') ? 'login' : hop.body.includes('/confirm"') ? 'confirm' : undefined;
        if (action === undefined) return hop;
        hop = await this.fetch(new URL(`${hop.url.pathname}/${action}`, hop.url), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: action === 'login' ? new URLSearchParams({ account }).toString() : '',
        });
        continue;
      }
      return hop;
    }
    throw new Error(`too many redirects from ${String(start)}`);
  }
}
