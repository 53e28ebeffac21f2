/**
 * The cookies of browser sessions. Under https they carry the `__Host-` prefix (the
 * browser then insists on Secure, Path=/ and no Domain: no sibling sub-domain can set
 * or shadow them); under plain http (development) they cannot be Secure.
 */
export interface CookieNames {
  session: string;
  login: string;
  secure: boolean;
}

export function cookieNames(publicUrl: string): CookieNames {
  const secure = new URL(publicUrl).protocol === 'https:';
  return secure
    ? { session: '__Host-motcua_session', login: '__Host-motcua_login', secure }
    : { session: 'motcua_session', login: 'motcua_login', secure };
}

/** The value of cookie `name` in a Cookie header, or undefined (the first one when repeated). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined || header === '') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure under https; maxAgeSec 0 deletes it. */
export function serializeCookie(names: CookieNames, name: string, value: string, maxAgeSec: number): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${Math.max(0, Math.floor(maxAgeSec))}`];
  if (names.secure) parts.push('Secure');
  return parts.join('; ');
}
