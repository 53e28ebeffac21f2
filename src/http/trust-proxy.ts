/**
 * MOTCUA_TRUST_PROXY: which reverse proxies may tell us the client's address
 * (X-Forwarded-For), so that rate limits and the audit log see the client rather than
 * the proxy. Unset or `off`: none (the socket's peer is the client). A number: that many
 * proxies in front. Otherwise a comma-separated list of addresses or CIDR ranges (and the
 * keywords `loopback`, `linklocal`, `uniquelocal`). `true` is refused: trusting every
 * sender lets anyone choose the address they are counted under.
 */
import { isIP } from 'node:net';

export type TrustProxy = false | number | string;

const KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

export function parseTrustProxy(raw: string | undefined): { value: TrustProxy; problem?: string } {
  if (raw === undefined || raw.trim() === '' || ['off', 'false', 'no', '0'].includes(raw.trim().toLowerCase())) return { value: false };
  const s = raw.trim();
  if (/^[1-9][0-9]?$/.test(s)) return { value: Number(s) };
  if (['on', 'true', 'yes', 'all', '*'].includes(s.toLowerCase())) {
    return { value: false, problem: `MOTCUA_TRUST_PROXY=${JSON.stringify(raw)}: name the proxies (addresses, CIDR ranges) or their number, never all / hãy ghi địa chỉ hoặc số lượng proxy, không tin mọi nguồn` };
  }
  const parts = s.split(',').map((x) => x.trim()).filter((x) => x !== '');
  const bad = parts.filter((x) => {
    if (KEYWORDS.has(x)) return false;
    const [addr, bits, ...rest] = x.split('/');
    const kind = isIP(addr ?? '');
    if (kind === 0 || rest.length > 0) return true;
    if (bits === undefined) return false;
    const n = Number(bits);
    return !/^\d{1,3}$/.test(bits) || n > (kind === 4 ? 32 : 128);
  });
  if (parts.length === 0 || bad.length > 0) {
    return { value: false, problem: `MOTCUA_TRUST_PROXY: not an address, CIDR range or number: ${bad.join(', ') || JSON.stringify(raw)} / không phải địa chỉ, dải CIDR hoặc số` };
  }
  return { value: parts.join(',') };
}
