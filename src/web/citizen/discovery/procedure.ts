import type { Offering } from '../../../modules/catalogue/index.ts';
import type { Procedure, ProcedureFee } from '../../../modules/catalogue/index.ts';
import type { PageContext } from '../../kit/context.ts';
import { html, type SafeHtml } from '../../kit/html.ts';
import { formatVnd, tr, type Lang } from '../../kit/i18n.ts';
import type { Page } from '../../kit/layout.ts';
import { APPLICANT_TYPE, label, LEVEL, ONLINE_LEVEL, workingDays } from '../labels.ts';

const CHANNEL: Record<string, { vi: string; en: string }> = {
  online: { vi: 'Trực tuyến', en: 'Online' },
  counter: { vi: 'Trực tiếp tại bộ phận một cửa', en: 'In person at the one-stop desk' },
  post: { vi: 'Qua bưu chính', en: 'By post' },
};
/** At most this many cases listed (a few national procedures have dozens). */
const CASES_SHOWN = 20;

export type ShownOffering = Offering & { agencyName: string };

/** Catalogue text is Vietnamese: an English page marks it so screen readers read it right. */
const vi = (lang: Lang, s: string): SafeHtml => (lang === 'en' ? html`<span lang="vi">${s}</span>` : html`${s}`);

/** Catalogue text as it was written, one paragraph per line ("- Bước 1:", "+ Trường hợp..."). */
function paragraphs(lang: Lang, text: string): SafeHtml {
  return html`${text.split(/\n+/).map((l) => l.trim()).filter((l) => l !== '').map((l) => html`<p>${vi(lang, l)}</p>`)}`;
}

/** "Không có thông tin" and the like: the catalogue says there is nothing. */
const NOTHING = /^(không có( thông tin)?|không|không quy định)\.?$/i;

function fees(lang: Lang, list: ProcedureFee[]): SafeHtml {
  if (list.length === 0 || list.every((f) => f.amountVnd === 0)) {
    return html`<p>${tr(lang, { vi: 'Miễn phí', en: 'Free' })}</p>${list.filter((f) => f.condition).map((f) => html`<p class="meta">${vi(lang, f.condition!)}</p>`)}`;
  }
  return html`<ul>${list.map((f) => html`<li><strong>${formatVnd(lang, f.amountVnd)}</strong> – ${vi(lang, f.label)}${f.condition ? html`<br><span class="meta">${vi(lang, f.condition)}</span>` : ''}</li>`)}</ul>`;
}

function quantity(lang: Lang, q: { original?: number; copy?: number }): string {
  const parts: string[] = [];
  if (q.original) parts.push(tr(lang, { vi: `${q.original} bản chính`, en: `${q.original} original${q.original > 1 ? 's' : ''}` }));
  if (q.copy) parts.push(tr(lang, { vi: `${q.copy} bản sao`, en: `${q.copy} ${q.copy > 1 ? 'copies' : 'copy'}` }));
  return parts.join(', ');
}

export function procedurePage(ctx: PageContext, p: Procedure, offerings: ShownOffering[]): Page {
  const { lang } = ctx;
  const online = offerings.some((o) => o.onlineLevel === 'full') ? 'full' : 'partial';
  const days = Math.min(...offerings.map((o) => o.processingDays ?? p.legalProcessingDays));
  const feeList = offerings.find((o) => o.fees !== undefined)?.fees ?? p.fees;
  const required = p.requiredDocuments.filter((d) => d.required);
  const optional = p.requiredDocuments.filter((d) => !d.required);
  const partialReason = offerings.find((o) => o.onlineLevel === 'partial')?.onlineLevelReason ?? p.onlineLevelReason;
  const doc = (d: Procedure['requiredDocuments'][number]): SafeHtml =>
    html`<li>${vi(lang, d.name)}${quantity(lang, d.quantity) ? html` <span class="meta">(${quantity(lang, d.quantity)})</span>` : ''}${d.formTemplate ? html`<br><span class="meta">${tr(lang, { vi: 'Mẫu', en: 'Form' })}: ${vi(lang, d.formTemplate)}</span>` : ''}</li>`;
  return {
    title: p.name,
    body: html`<p class="meta"><a href="/thu-tuc">${tr(lang, { vi: 'Thủ tục', en: 'Procedures' })}</a> › ${vi(lang, p.field)}</p>
<h1 ${lang === 'en' ? html`lang="vi"` : ''}>${p.name}</h1>
<p class="lead">${tr(lang, { vi: 'Dành cho', en: 'For' })}: ${p.applicantTypes.map((a) => tr(lang, label(APPLICANT_TYPE, a))).join(', ')}. <span class="tag${online === 'full' ? '' : ' tag-partial'}">${tr(lang, label(ONLINE_LEVEL, online))}</span></p>
<a class="button" href="/nop-ho-so/${encodeURIComponent(p.code)}">${tr(lang, { vi: 'Nộp hồ sơ trực tuyến', en: 'Apply online' })}</a>
${online === 'partial' && partialReason ? html`<p class="meta">${tr(lang, { vi: 'Một phần phải làm trực tiếp', en: 'Part of it must be done in person' })}: ${vi(lang, partialReason)}</p>` : ''}
<dl class="summary">
<div><dt>${tr(lang, { vi: 'Mất bao lâu', en: 'How long it takes' })}</dt><dd>${tr(lang, workingDays(days))}${p.processingTime?.text ? html`<br><span class="meta">${vi(lang, p.processingTime.text)}</span>` : ''}</dd></div>
<div><dt>${tr(lang, { vi: 'Chi phí', en: 'What it costs' })}</dt><dd>${fees(lang, feeList)}</dd></div>
<div><dt>${tr(lang, { vi: 'Nộp ở đâu', en: 'Where to apply' })}</dt><dd><ul>${offerings.map((o) => html`<li>${vi(lang, o.agencyName)}</li>`)}</ul></dd></div>
<div><dt>${tr(lang, { vi: 'Cấp thực hiện', en: 'Level' })}</dt><dd>${tr(lang, label(LEVEL, p.level))}</dd></div>
<div><dt>${tr(lang, { vi: 'Bạn nhận được', en: 'What you get' })}</dt><dd>${vi(lang, p.result.name)}</dd></div>
<div><dt>${tr(lang, { vi: 'Mã thủ tục', en: 'Procedure code' })}</dt><dd>${p.code}</dd></div>
</dl>
${(p.channels ?? []).length > 0 ? html`<h2>${tr(lang, { vi: 'Cách nộp', en: 'Ways to apply' })}</h2>
<ul>${p.channels!.map((c) => html`<li><strong>${tr(lang, CHANNEL[c.channel] ?? { vi: c.channel, en: c.channel })}</strong>${c.processingDays !== undefined ? html` – ${tr(lang, workingDays(c.processingDays))}` : c.processingTime?.text ? html` – ${vi(lang, c.processingTime.text)}` : ''}${c.fees.length > 0 && c.fees.some((f) => f.amountVnd > 0) ? html` – ${c.fees.map((f) => formatVnd(lang, f.amountVnd)).join(' / ')}` : ''}</li>`)}</ul>` : ''}
${(p.variants ?? []).length > 1 ? html`<h2>${tr(lang, { vi: 'Các trường hợp', en: 'Cases' })}</h2>
<p>${tr(lang, { vi: 'Khi nộp hồ sơ, bạn chọn trường hợp của mình.', en: 'When you apply, you choose the case that fits you.' })}</p>
<ul>${p.variants!.slice(0, CASES_SHOWN).map((v) => html`<li>${vi(lang, v.name)} <span class="meta">(${tr(lang, workingDays(v.legalProcessingDays))})</span></li>`)}</ul>
${p.variants!.length > CASES_SHOWN ? html`<p class="meta">${tr(lang, { vi: `và ${p.variants!.length - CASES_SHOWN} trường hợp khác`, en: `and ${p.variants!.length - CASES_SHOWN} more` })}</p>` : ''}` : ''}
<h2>${tr(lang, { vi: 'Bạn cần chuẩn bị', en: 'What you need' })}</h2>
<ul>${required.map(doc)}</ul>
${optional.length > 0 ? html`<h3>${tr(lang, { vi: 'Chỉ trong một số trường hợp', en: 'Only in some cases' })}</h3><ul>${optional.map(doc)}</ul>` : ''}
${p.conditions && !NOTHING.test(p.conditions.trim()) ? html`<h2>${tr(lang, { vi: 'Điều kiện', en: 'Conditions' })}</h2>${paragraphs(lang, p.conditions)}` : ''}
${p.steps && !NOTHING.test(p.steps.trim()) ? html`<h2>${tr(lang, { vi: 'Các bước', en: 'Steps' })}</h2>
<details class="long-text"><summary>${tr(lang, { vi: 'Xem trình tự thực hiện', en: 'Show the steps (in Vietnamese)' })}</summary>${paragraphs(lang, p.steps)}</details>` : ''}
<h2>${tr(lang, { vi: 'Căn cứ pháp lý', en: 'Legal basis' })}</h2>
<ul>${p.legalBasis.map((l) => html`<li>${vi(lang, l)}</li>`)}</ul>
<p><a class="button" href="/nop-ho-so/${encodeURIComponent(p.code)}">${tr(lang, { vi: 'Nộp hồ sơ trực tuyến', en: 'Apply online' })}</a></p>`,
  };
}
