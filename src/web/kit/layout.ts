import type { FastifyReply } from 'fastify';
import { assetUrl } from './assets.ts';
import type { PageContext } from './context.ts';
import { html, type SafeHtml } from './html.ts';
import { tr, type Lang, type Text } from './i18n.ts';

export const SERVICE_NAME: Text = { vi: 'Dịch vụ công Motcua', en: 'Motcua public services' };

/** `path` (with its query) asking for language `lang`. */
export function withLang(path: string, lang: Lang): string {
  const u = new URL(path, 'http://x');
  u.searchParams.set('lang', lang);
  return u.pathname + u.search;
}

/** The login address that brings the person back to `path`. */
export function loginHref(path: string): string {
  return `/auth/login?returnTo=${encodeURIComponent(path.startsWith('/') && !path.startsWith('//') ? path : '/')}`;
}

/** `<input type="hidden" name="_csrf">` with the session's token: every POST form of a logged-in page carries it. */
export function csrfField(ctx: PageContext): SafeHtml {
  return ctx.csrfToken === undefined ? html`` : html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
}

export interface SummaryError {
  /** The field's name (as posted). */
  field: string;
  /** Where the link goes: `#<id of the input>`. */
  href: string;
  message: Text;
}

/** GOV.UK-style error summary: a box at the top of the form, each error a link to its field. */
export function errorSummary(lang: Lang, errors: SummaryError[]): SafeHtml {
  if (errors.length === 0) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">${tr(lang, { vi: 'Có lỗi cần sửa', en: 'There is a problem' })}</h2>
<ul>${errors.map((e) => html`<li><a href="${e.href}">${tr(lang, e.message)}</a></li>`)}</ul>
</div>`;
}

/** The message shown beside a field (inside its label block, before the input). */
export function fieldError(lang: Lang, id: string, message: Text | undefined): SafeHtml {
  if (message === undefined) return html``;
  return html`<p class="field-error" id="${id}-error"><span class="visually-hidden">${tr(lang, { vi: 'Lỗi:', en: 'Error:' })}</span> ${tr(lang, message)}</p>`;
}

export interface Page {
  title: Text | string;
  body: SafeHtml;
  status?: number;
}

/**
 * A whole HTML document: skip link, header (service name, language switch, log in or
 * out), <main id="main">, footer. One stylesheet and one small deferred script, both
 * from /assets (the Content-Security-Policy allows nothing inline).
 */
export function renderPage(ctx: PageContext, page: Page): string {
  const { lang } = ctx;
  const title = typeof page.title === 'string' ? page.title : tr(lang, page.title);
  const other: Lang = lang === 'vi' ? 'en' : 'vi';
  const account = ctx.principal
    ? html`<a href="/ho-so">${tr(lang, { vi: 'Hồ sơ của tôi', en: 'My applications' })}</a>
<form method="post" action="/dang-xuat" class="inline-form">${csrfField(ctx)}<button type="submit" class="link-button">${tr(lang, { vi: 'Đăng xuất', en: 'Log out' })}</button></form>`
    : html`<a href="${loginHref(ctx.path)}">${tr(lang, { vi: 'Đăng nhập', en: 'Log in' })}</a>`;
  const doc = html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – ${tr(lang, SERVICE_NAME)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetUrl('portal.css')}">
<script src="${assetUrl('portal.js')}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">${tr(lang, { vi: 'Bỏ qua, đến nội dung chính', en: 'Skip to main content' })}</a>
<header class="site-header">
<div class="wrap header-row">
<a class="brand" href="/">${tr(lang, SERVICE_NAME)}</a>
<nav class="header-nav" aria-label="${tr(lang, { vi: 'Tài khoản và ngôn ngữ', en: 'Account and language' })}">
<a href="${withLang(ctx.path, other)}" lang="${other}" hreflang="${other}">${other === 'en' ? 'English' : 'Tiếng Việt'}</a>
${account}
</nav>
</div>
</header>
<main id="main" class="wrap" tabindex="-1">
${page.body}
</main>
<footer class="site-footer">
<div class="wrap">
<p>${tr(lang, { vi: 'Cổng dịch vụ công trực tuyến của tỉnh. Hỗ trợ: bộ phận một cửa gần nhất.', en: 'The province\'s online public services. Help: your nearest one-stop office.' })}</p>
<p><a href="/thu-tuc">${tr(lang, { vi: 'Tất cả thủ tục', en: 'All procedures' })}</a> · <a href="/tra-cuu">${tr(lang, { vi: 'Tra cứu hồ sơ', en: 'Track an application' })}</a></p>
</div>
</footer>
</body>
</html>`;
  return doc.value;
}

/** Sends a page: status, HTML content type, caching (logged-in pages are never stored). */
export function sendPage(reply: FastifyReply, ctx: PageContext, page: Page): FastifyReply {
  void reply.status(page.status ?? 200);
  void reply.header('content-type', 'text/html; charset=utf-8');
  void reply.header('cache-control', ctx.principal ? 'private, no-store' : 'no-cache');
  void reply.header('vary', 'Cookie, Accept-Encoding');
  return reply.send(renderPage(ctx, page));
}
