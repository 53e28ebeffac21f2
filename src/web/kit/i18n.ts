import type { FastifyReply, FastifyRequest } from 'fastify';
import { fieldsOf } from '../../shared/records.ts';

export type Lang = 'vi' | 'en';
export interface Text {
  vi: string;
  en: string;
}

export function tr(lang: Lang, text: Text): string {
  return text[lang];
}

export const LANG_COOKIE = 'lang';
const ONE_YEAR_SEC = 365 * 24 * 3600;

function cookieLang(header: string | undefined): Lang | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === LANG_COOKIE) {
      const v = part.slice(eq + 1).trim();
      return v === 'en' || v === 'vi' ? v : undefined;
    }
  }
  return undefined;
}

/**
 * The page language: `?lang=en|vi` wins and is remembered in the `lang` cookie
 * (Path=/; SameSite=Lax); else the cookie; else Vietnamese.
 */
export function pageLang(req: FastifyRequest, reply: FastifyReply | undefined): Lang {
  const q = fieldsOf(req.query).lang;
  if (q === 'en' || q === 'vi') {
    if (reply !== undefined && cookieLang(req.headers.cookie) !== q) {
      const prev = reply.getHeader('set-cookie');
      const line = `${LANG_COOKIE}=${q}; Path=/; SameSite=Lax; Max-Age=${ONE_YEAR_SEC}`;
      const lines = prev === undefined ? [] : Array.isArray(prev) ? prev.map(String) : [String(prev)];
      void reply.header('set-cookie', [...lines, line]);
    }
    return q;
  }
  return cookieLang(req.headers.cookie) ?? 'vi';
}

/** Vietnamese number and money formats (1.234.000 ₫) in both languages, so amounts read the same on receipts. */
export function formatVnd(lang: Lang, amount: number): string {
  if (amount === 0) return lang === 'vi' ? 'Miễn phí' : 'Free';
  return `${new Intl.NumberFormat('vi-VN').format(amount)} ₫`;
}
