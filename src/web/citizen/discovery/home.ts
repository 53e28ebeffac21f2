import type { PageContext } from '../../kit/context.ts';
import { html, type SafeHtml } from '../../kit/html.ts';
import { tr, type Text } from '../../kit/i18n.ts';
import type { Page } from '../../kit/layout.ts';
import { APPLICANT_TYPE, label, ONLINE_LEVEL } from '../labels.ts';

interface Listing {
  total: number;
  items: { code: string; name: string; onlineLevel: string }[];
  facets: Record<string, Record<string, number>>;
}

/** Life events: each a search a person would type. */
export const LIFE_EVENTS: { title: Text; q: string }[] = [
  { title: { vi: 'Sinh con', en: 'Having a baby' }, q: 'khai sinh' },
  { title: { vi: 'Kết hôn', en: 'Getting married' }, q: 'kết hôn' },
  { title: { vi: 'Chuyển nơi ở, cư trú', en: 'Moving home, residence' }, q: 'cư trú' },
  { title: { vi: 'Bắt đầu kinh doanh', en: 'Starting a business' }, q: 'kinh doanh' },
  { title: { vi: 'Xây nhà', en: 'Building a house' }, q: 'xây dựng' },
  { title: { vi: 'Đất đai', en: 'Land' }, q: 'đất đai' },
];

export const searchHref = (params: Record<string, string>): string => `/thu-tuc?${new URLSearchParams(params).toString()}`;

export function searchBox(ctx: PageContext, q: string, opts: { suggestions: boolean; heading?: boolean }): SafeHtml {
  const { lang } = ctx;
  return html`<form class="search-form" method="get" action="/thu-tuc" role="search">
<div class="field">
<label for="q">${tr(lang, { vi: 'Bạn cần làm thủ tục gì?', en: 'What do you need to do?' })}</label>
<span class="hint" id="q-hint">${tr(lang, { vi: 'Ví dụ: khai sinh, kết hôn, đăng ký thường trú', en: 'For example: birth registration, marriage, permanent residence' })}</span>
<input type="search" id="q" name="q" value="${q}" maxlength="200" autocomplete="off" aria-describedby="q-hint">
${opts.suggestions ? html`<ul id="q-suggestions" class="suggestions" aria-live="polite" aria-label="${tr(lang, { vi: 'Gợi ý', en: 'Suggestions' })}"></ul>` : ''}
</div>
<button type="submit" class="button">${tr(lang, { vi: 'Tìm kiếm', en: 'Search' })}</button>
</form>`;
}

export function homePage(ctx: PageContext, all: Listing): Page {
  const { lang } = ctx;
  const title = { vi: 'Dịch vụ công trực tuyến', en: 'Online public services' };
  const fields = Object.entries(all.facets.field ?? {}).slice(0, 12);
  const forWhom = Object.entries(all.facets.applicantType ?? {});
  return {
    title,
    body: html`<h1>${tr(lang, title)}</h1>
<p class="lead">${tr(lang, { vi: 'Tìm thủ tục, nộp hồ sơ, theo dõi và nhận kết quả có chữ ký số, ngay trên điện thoại.', en: 'Find a procedure, apply, follow your application and get the signed result, from your phone.' })}</p>
${searchBox(ctx, '', { suggestions: true })}
<h2>${tr(lang, { vi: 'Thủ tục được dùng nhiều', en: 'Popular procedures' })}</h2>
<ul class="cards">
${all.items.map((p) => html`<li><a href="/thu-tuc/${encodeURIComponent(p.code)}">${p.name}</a><br><span class="meta">${tr(lang, label(ONLINE_LEVEL, p.onlineLevel))}</span></li>`)}
</ul>
<h2>${tr(lang, { vi: 'Theo sự kiện trong cuộc sống', en: 'By life event' })}</h2>
<ul class="cards">
${LIFE_EVENTS.map((e) => html`<li><a href="${searchHref({ q: e.q })}">${tr(lang, e.title)}</a></li>`)}
</ul>
<h2>${tr(lang, { vi: 'Theo đối tượng', en: 'By who applies' })}</h2>
<ul class="cards">
<li><a href="${searchHref({ applicantType: 'citizen' })}">${tr(lang, { vi: 'Thủ tục cho công dân', en: 'For individuals' })}</a> <span class="meta">(${all.facets.applicantType?.citizen ?? 0})</span></li>
<li><a href="${searchHref({ applicantType: 'business' })}">${tr(lang, { vi: 'Thủ tục cho doanh nghiệp', en: 'For businesses' })}</a> <span class="meta">(${all.facets.applicantType?.business ?? 0})</span></li>
${forWhom.filter(([v]) => v !== 'citizen' && v !== 'business').map(([v, n]) => html`<li><a href="${searchHref({ applicantType: v })}">${tr(lang, label(APPLICANT_TYPE, v))}</a> <span class="meta">(${n})</span></li>`)}
</ul>
<h2>${tr(lang, { vi: 'Theo lĩnh vực', en: 'By field' })}</h2>
<ul class="cards">
${fields.map(([f, n]) => html`<li><a href="${searchHref({ field: f })}" ${lang === 'en' ? html`lang="vi"` : ''}>${f}</a> <span class="meta">(${n})</span></li>`)}
</ul>
<p><a href="/thu-tuc">${tr(lang, { vi: `Xem tất cả ${all.total} thủ tục`, en: `See all ${all.total} procedures` })}</a></p>`,
  };
}
