import type { ProcedureSearch } from '../../../modules/catalogue/index.ts';
import { AppError } from '../../../shared/errors.ts';
import type { PageContext } from '../../kit/context.ts';
import { html, type SafeHtml } from '../../kit/html.ts';
import { tr, type Text } from '../../kit/i18n.ts';
import { errorSummary, type Page, type SummaryError } from '../../kit/layout.ts';
import { APPLICANT_TYPE, FACET_TITLE, label, LEVEL, ONLINE_LEVEL, workingDays } from '../labels.ts';
import { searchBox } from './home.ts';

export const PAGE_SIZE = 20;
/** Values shown per filter (most results first); a page of 60 KB at most on a big catalogue. */
export const FACET_VALUES_SHOWN = 12;
const FACET_ORDER = ['applicantType', 'onlineLevel', 'level', 'field', 'agency'] as const;
type Facet = (typeof FACET_ORDER)[number];

export interface SearchParams {
  q: string;
  filters: Partial<Record<Facet, string[]>>;
  page: number;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string' && x !== '').slice(0, 50);

export function parseSearchParams(query: Record<string, unknown>): SearchParams {
  const filters: SearchParams['filters'] = {};
  for (const f of FACET_ORDER) {
    const vs = strings(query[f]);
    if (vs.length > 0) filters[f] = vs;
  }
  const q = strings(query.q)[0] ?? '';
  const page = Number.parseInt(strings(query.page)[0] ?? '1', 10);
  return { q, filters, page: Number.isFinite(page) && page >= 1 && page <= 5000 ? page : 1 };
}

function hrefFor(p: SearchParams, page: number): string {
  const u = new URLSearchParams();
  if (p.q !== '') u.set('q', p.q);
  for (const f of FACET_ORDER) for (const v of p.filters[f] ?? []) u.append(f, v);
  if (page > 1) u.set('page', String(page));
  const s = u.toString();
  return s === '' ? '/thu-tuc' : `/thu-tuc?${s}`;
}

function highlighted(name: string, ranges: Array<[number, number]>): SafeHtml {
  const out: unknown[] = [];
  let at = 0;
  for (const [s, e] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (s < at || e > name.length) continue;
    out.push(name.slice(at, s), html`<mark>${name.slice(s, e)}</mark>`);
    at = e;
  }
  out.push(name.slice(at));
  return html`${out}`;
}

function valueLabel(f: Facet, v: string, agencies: Map<string, string>): Text | string {
  switch (f) {
    case 'applicantType': return label(APPLICANT_TYPE, v);
    case 'onlineLevel': return label(ONLINE_LEVEL, v);
    case 'level': return label(LEVEL, v);
    case 'agency': return agencies.get(v) ?? v;
    default: return v;
  }
}

export async function searchPage(
  ctx: PageContext,
  p: SearchParams,
  search: ProcedureSearch,
  agencyNames: (codes: string[]) => Promise<Map<string, string>>,
): Promise<Page> {
  const { lang } = ctx;
  const title: Text = p.q !== ''
    ? { vi: `Kết quả tìm kiếm cho “${p.q}”`, en: `Search results for “${p.q}”` }
    : { vi: 'Tìm thủ tục', en: 'Find a procedure' };
  let result: Awaited<ReturnType<ProcedureSearch['search']>>;
  const errors: SummaryError[] = [];
  try {
    result = await search.search({ q: p.q, filters: p.filters, limit: PAGE_SIZE, offset: (p.page - 1) * PAGE_SIZE });
  } catch (e) {
    if (!(e instanceof AppError) || e.kind !== 'bad_request') throw e;
    for (const d of e.details ?? [{ field: e.field ?? 'query.q', code: e.code, message: e.messages }]) {
      const field = d.field.replace(/^query\./, '');
      errors.push({ field, href: field === 'q' ? '#q' : '#filters', message: d.message });
    }
    result = { total: 0, items: [], facets: { level: {}, field: {}, agency: {}, onlineLevel: {}, applicantType: {} } };
  }
  const t = (x: Text | string): string => (typeof x === 'string' ? x : tr(lang, x));
  const agencies = await agencyNames(Object.keys(result.facets.agency ?? {}));
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  const first = (p.page - 1) * PAGE_SIZE;

  const facetBlock = (f: Facet): SafeHtml => {
    // The most frequent values (a national catalogue has hundreds of agencies), and those chosen.
    const chosen = new Set(p.filters[f] ?? []);
    const all = Object.entries((result.facets as Record<string, Record<string, number>>)[f] ?? {});
    const counts = all.filter(([v], i) => i < FACET_VALUES_SHOWN || chosen.has(v));
    for (const v of chosen) if (!counts.some(([x]) => x === v)) counts.push([v, 0]);
    if (counts.length === 0) return html``;
    return html`<fieldset>
<legend>${tr(lang, FACET_TITLE[f]!)}</legend>
${counts.map(([v, n], i) => html`<div class="choice"><input type="checkbox" id="f-${f}-${i}" name="${f}" value="${v}"${chosen.has(v) ? html` checked` : ''}>
<label for="f-${f}-${i}">${t(valueLabel(f, v, agencies))} <span class="muted">(${n})</span></label></div>`)}
</fieldset>`;
  };

  return {
    // GOV.UK practice: the title says there is an error first (screen readers read it on load).
    title: errors.length > 0 ? { vi: `Lỗi: ${title.vi}`, en: `Error: ${title.en}` } : title,
    status: errors.length > 0 ? 400 : 200,
    body: html`${errorSummary(lang, errors)}
<h1>${tr(lang, title)}</h1>
${searchBox(ctx, p.q, { suggestions: false })}
<div class="with-sidebar">
<form class="filters" id="filters" method="get" action="/thu-tuc" aria-label="${tr(lang, { vi: 'Bộ lọc', en: 'Filters' })}">
<h2>${tr(lang, { vi: 'Lọc kết quả', en: 'Filter the results' })}</h2>
${p.q !== '' ? html`<input type="hidden" name="q" value="${p.q}">` : ''}
${FACET_ORDER.map(facetBlock)}
<button type="submit" class="button button-secondary">${tr(lang, { vi: 'Áp dụng bộ lọc', en: 'Apply filters' })}</button>
${Object.keys(p.filters).length > 0 ? html`<p><a href="${hrefFor({ ...p, filters: {} }, 1)}">${tr(lang, { vi: 'Bỏ tất cả bộ lọc', en: 'Clear all filters' })}</a></p>` : ''}
</form>
<div>
<p role="status">${result.total === 0
  ? tr(lang, { vi: 'Không tìm thấy thủ tục nào. Hãy thử từ khác, hoặc bỏ bớt bộ lọc.', en: 'No procedure found. Try other words, or fewer filters.' })
  : tr(lang, { vi: `Tìm thấy ${result.total} thủ tục`, en: `${result.total} ${result.total === 1 ? 'procedure' : 'procedures'} found` })}</p>
<ol class="results" start="${first + 1}">
${result.items.map((r) => html`<li>
<h2><a href="/thu-tuc/${encodeURIComponent(r.code)}">${highlighted(r.name, r.highlights)}</a></h2>
<p class="meta"><span ${lang === 'en' ? html`lang="vi"` : ''}>${r.field}</span> · ${tr(lang, label(LEVEL, r.level))} · ${tr(lang, workingDays(r.legalProcessingDays))}</p>
<p class="meta"><span class="tag${r.onlineLevel === 'full' ? '' : ' tag-partial'}">${tr(lang, label(ONLINE_LEVEL, r.onlineLevel))}</span></p>
</li>`)}
</ol>
${pages > 1 ? html`<nav class="pagination" aria-label="${tr(lang, { vi: 'Phân trang', en: 'Pages' })}">
${p.page > 1 ? html`<a href="${hrefFor(p, p.page - 1)}" rel="prev">${tr(lang, { vi: '« Trang trước', en: '« Previous' })}</a>` : ''}
<span>${tr(lang, { vi: `Trang ${p.page} / ${pages}`, en: `Page ${p.page} of ${pages}` })}</span>
${p.page < pages ? html`<a href="${hrefFor(p, p.page + 1)}" rel="next">${tr(lang, { vi: 'Trang sau »', en: 'Next »' })}</a>` : ''}
</nav>` : ''}
</div>
</div>`,
  };
}
