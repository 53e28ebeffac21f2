/**
 * Track: My applications (/ho-so), one application (/ho-so/<code>: timeline, due date,
 * files incl. the signed result, answer a supplement request, withdraw, rate), the public
 * lookup (/tra-cuu: code + last 4 digits of the personal identification number, no
 * login) and notifications (/thong-bao). Server-rendered; works without JavaScript.
 */
import { fieldsOf } from '../../../shared/records.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DossierDetails } from '../../../modules/dossiers/index.ts';
import { isApplicant, type Principal } from '../../../modules/identity/index.ts';
import { isRateable, parseRating, type Rating } from '../../../modules/ratings/index.ts';
import { policy } from '../../../modules/authorization/index.ts';
import { AppError } from '../../../shared/errors.ts';
import { pageContext, type PageContext } from '../../kit/context.ts';
import { html, type SafeHtml } from '../../kit/html.ts';
import { tr, type Text } from '../../kit/i18n.ts';
import { csrfField, errorSummary, loginHref, sendPage, type SummaryError } from '../../kit/layout.ts';
import type { PortalDeps } from '../routes.ts';
import { readForm } from '../../kit/multipart.ts';
import { createThrottle } from './throttle.ts';
import type { WorkflowRef } from '../../../modules/workflow/index.ts';
import type { EffectName } from '../../../modules/workflow/index.ts';
import { eventWords, formatDate, formatDateTime, statusTagClass, statusWords } from './words.ts';

type Req = FastifyRequest<{ Params: { code: string } }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function signedIn(req: FastifyRequest, reply: FastifyReply, ctx: PageContext): Principal | undefined {
  const p = req.principal;
  if (p === undefined) {
    const back = req.method === 'GET' ? ctx.path : new URL(req.url, 'http://x').pathname.replace(/\/(bo-sung|rut|danh-gia)$/, '');
    void reply.header('cache-control', 'no-store').redirect(loginHref(back), 303);
    return undefined;
  }
  if (!isApplicant(p)) {
    throw new AppError('forbidden', 'forbidden', { vi: 'Trang này dành cho người nộp hồ sơ. Cán bộ dùng trang xử lý hồ sơ.', en: 'This page is for applicants. Officers use the back office.' });
  }
  return p;
}

const FILE_ROLE: Record<string, Text> = {
  form: { vi: 'Giấy tờ bạn đã nộp', en: 'Documents you sent' },
  supplement: { vi: 'Giấy tờ bạn đã bổ sung', en: 'Documents you added' },
  result: { vi: 'Kết quả (đã ký số)', en: 'Result (digitally signed)' },
  receipt: { vi: 'Giấy tiếp nhận và hẹn trả kết quả', en: 'Receipt and date of the result' },
  slip: { vi: 'Phiếu của cơ quan', en: 'Notice from the office' },
};

/** Roles of the papers the office issues (the applicant downloads them; their signatures can be checked). */
const ISSUED = ['result', 'receipt', 'slip'];

const sizeText = (n: number): string => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

function timeline(lang: 'vi' | 'en', events: { action: string | null; statusFrom?: string | null; statusTo: string; at: string | Date; note?: string | undefined }[], workflow: WorkflowRef): SafeHtml {
  return html`<ol class="timeline">${events.map(
    (e) => html`<li><span class="meta"><time datetime="${new Date(e.at).toISOString()}">${formatDateTime(lang, e.at)}</time></span><br>${tr(lang, eventWords(e, workflow))}${e.note ? html`<br><span class="muted">${e.note}</span>` : ''}</li>`,
  )}</ol>`;
}

interface DetailState {
  supplementErrors?: SummaryError[];
  keptFiles?: { id: string; name: string }[];
  note?: string;
  ratingErrors?: SummaryError[];
  rating?: { score?: string; comment?: string };
  notice?: Text;
}

function detailPage(ctx: PageContext, d: DossierDetails, procedureName: string, agencyName: string, rating: Rating | undefined, st: DetailState): SafeHtml {
  const { lang } = ctx;
  const files = d.files ?? [];
  const results = files.filter((f) => ISSUED.includes(f.role));
  const sent = files.filter((f) => !ISSUED.includes(f.role));
  const can = (effect: EffectName) => d.allowedActions.some((a) => a.effect === effect);
  const history = (d.history ?? []).slice().reverse();
  const requests = d.supplementRequests;
  const lastRequest = requests[requests.length - 1];
  const errors = [...(st.supplementErrors ?? []), ...(st.ratingErrors ?? [])];
  const code = encodeURIComponent(d.code);

  const supplement = can('supplement')
    ? html`<section aria-labelledby="bo-sung">
<h2 id="bo-sung">${tr(lang, { vi: 'Bổ sung giấy tờ', en: 'Add the missing documents' })}</h2>
${lastRequest?.reason ? html`<p>${tr(lang, { vi: 'Lý do:', en: 'Reason:' })} ${lastRequest.reason}</p>` : ''}
<p>${tr(lang, { vi: 'Cơ quan cần:', en: 'The office needs:' })}</p>
<ul>${(lastRequest?.missingDocuments ?? []).map((m) => html`<li><strong>${m.name}</strong>${m.note ? html` — ${m.note}` : ''}</li>`)}</ul>
<form method="post" action="/ho-so/${code}/bo-sung" enctype="multipart/form-data" novalidate>
${csrfField(ctx)}
${(st.keptFiles ?? []).map((f) => html`<input type="hidden" name="keep" value="${f.id}">`)}
${(st.keptFiles ?? []).length > 0 ? html`<p>${tr(lang, { vi: 'Đã tải lên:', en: 'Uploaded:' })} ${st.keptFiles!.map((f, i) => html`${i > 0 ? ', ' : ''}<strong>${f.name}</strong>`)}</p>` : ''}
${(lastRequest?.missingDocuments?.length ? lastRequest.missingDocuments : [{ name: tr(lang, { vi: 'Giấy tờ bổ sung', en: 'Document' }) }]).map((m, i) => {
        const id = `f-doc-${i}`;
        const err = (st.supplementErrors ?? []).filter((e) => e.field === `doc${i}`);
        return html`<div class="field${err.length ? ' field-invalid' : ''}">
<label class="label" for="${id}">${m.name}</label>
<p class="hint" id="${id}-hint">${tr(lang, { vi: 'Tệp PDF, JPG hoặc PNG', en: 'A PDF, JPG or PNG file' })}</p>
${err.length ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">${tr(lang, { vi: 'Lỗi:', en: 'Error:' })}</span> ${err.map((e) => tr(lang, e.message))}</p>` : ''}
<input type="file" id="${id}" name="doc${i}" accept="application/pdf,image/jpeg,image/png" aria-describedby="${id}-hint${err.length ? ` ${id}-error` : ''}">
</div>`;
      })}
<div class="field"><label class="label" for="f-note">${tr(lang, { vi: 'Ghi chú cho cơ quan', en: 'A note for the office' })} <span class="muted">${tr(lang, { vi: '(không bắt buộc)', en: '(optional)' })}</span></label>
<textarea id="f-note" name="note" rows="3">${st.note ?? ''}</textarea></div>
<button type="submit" class="button">${tr(lang, { vi: 'Gửi giấy tờ bổ sung', en: 'Send the documents' })}</button>
</form>
</section>`
    : '';

  const rate = isRateable(d.workflow, d.status)
    ? rating
      ? html`<section aria-labelledby="danh-gia"><h2 id="danh-gia">${tr(lang, { vi: 'Đánh giá của bạn', en: 'Your rating' })}</h2>
<p>${tr(lang, { vi: `Bạn đã chấm ${rating.score}/5. Cảm ơn bạn!`, en: `You gave ${rating.score} out of 5. Thank you!` })}</p>${rating.comment ? html`<p class="muted">${rating.comment}</p>` : ''}</section>`
      : html`<section aria-labelledby="danh-gia"><h2 id="danh-gia">${tr(lang, { vi: 'Đánh giá mức độ hài lòng', en: 'Rate the service' })}</h2>
<form method="post" action="/ho-so/${code}/danh-gia" novalidate>
${csrfField(ctx)}
<div class="field${(st.ratingErrors ?? []).some((e) => e.field === 'score') ? ' field-invalid' : ''}"><fieldset id="f-score"${(st.ratingErrors ?? []).some((e) => e.field === 'score') ? html` aria-describedby="f-score-error"` : ''}>
<legend class="label">${tr(lang, { vi: 'Bạn hài lòng thế nào với cách hồ sơ được giải quyết?', en: 'How satisfied are you with how the application was handled?' })}</legend>
${(st.ratingErrors ?? []).filter((e) => e.field === 'score').map((e) => html`<p class="field-error" id="f-score-error"><span class="visually-hidden">${tr(lang, { vi: 'Lỗi:', en: 'Error:' })}</span> ${tr(lang, e.message)}</p>`)}
${[5, 4, 3, 2, 1].map((n) => html`<div class="choice"><input type="radio" id="f-score-${n}" name="score" value="${n}"${st.rating?.score === String(n) ? html` checked` : ''}><label for="f-score-${n}">${n} – ${tr(lang, SCORE_WORDS[n]!)}</label></div>`)}
</fieldset></div>
<div class="field${(st.ratingErrors ?? []).some((e) => e.field === 'comment') ? ' field-invalid' : ''}"><label class="label" for="f-comment">${tr(lang, { vi: 'Góp ý', en: 'Comments' })} <span class="muted">${tr(lang, { vi: '(không bắt buộc)', en: '(optional)' })}</span></label>
${(st.ratingErrors ?? []).filter((e) => e.field === 'comment').map((e) => html`<p class="field-error" id="f-comment-error">${tr(lang, e.message)}</p>`)}
<textarea id="f-comment" name="comment" rows="3">${st.rating?.comment ?? ''}</textarea></div>
<button type="submit" class="button">${tr(lang, { vi: 'Gửi đánh giá', en: 'Send the rating' })}</button>
</form></section>`
    : '';

  return html`<p><a href="/ho-so">${tr(lang, { vi: 'Hồ sơ của tôi', en: 'My applications' })}</a></p>
${errorSummary(lang, errors)}
${st.notice ? html`<div class="panel" role="status"><p>${tr(lang, st.notice)}</p></div>` : ''}
<h1>${procedureName}</h1>
<dl class="summary">
<div><dt>${tr(lang, { vi: 'Mã hồ sơ', en: 'Application code' })}</dt><dd><strong id="dossier-code">${d.code}</strong></dd></div>
<div><dt>${tr(lang, { vi: 'Tình trạng', en: 'Status' })}</dt><dd><strong class="${statusTagClass(d.status, d.workflow)}" id="dossier-status">${tr(lang, statusWords(d.status, d.workflow))}</strong></dd></div>
<div><dt>${tr(lang, { vi: 'Nơi giải quyết', en: 'Office' })}</dt><dd>${agencyName}</dd></div>
<div><dt>${tr(lang, { vi: 'Ngày nộp', en: 'Sent on' })}</dt><dd>${formatDate(lang, d.submittedAt)}</dd></div>
<div><dt>${tr(lang, { vi: 'Ngày hẹn trả kết quả', en: 'Result due' })}</dt><dd>${d.dueAt ? formatDate(lang, d.dueAt) : tr(lang, { vi: 'Sẽ có khi cơ quan tiếp nhận hồ sơ', en: 'Set when the office receives the application' })}</dd></div>
</dl>
${results.length > 0
    ? html`<section aria-labelledby="ket-qua"><h2 id="ket-qua">${tr(lang, { vi: 'Kết quả và giấy tờ của cơ quan', en: 'Result and papers from the office' })}</h2>
<ul>${results.map((f) => html`<li><a href="/api/v1/files/${f.fileId}" download>${tr(lang, FILE_ROLE[f.role] ?? { vi: f.role, en: f.role })}: ${f.fileName ?? 'tệp'}</a> <span class="muted">(${f.mediaType === 'application/pdf' ? 'PDF' : f.mediaType}, ${sizeText(f.size)})</span></li>`)}</ul>
<p><a href="/verify/${code}">${tr(lang, { vi: 'Kiểm tra chữ ký số của các giấy tờ này', en: 'Check the digital signatures of these papers' })}</a></p></section>`
    : ''}
${supplement}
${rate}
<h2>${tr(lang, { vi: 'Diễn biến hồ sơ', en: 'What has happened' })}</h2>
${timeline(lang, history.map((e) => ({ action: e.action, statusFrom: e.statusFrom, statusTo: e.statusTo, at: e.at, note: typeof e.data?.reason === 'string' ? e.data.reason : undefined })), d.workflow)}
${sent.length > 0
    ? html`<h2>${tr(lang, { vi: 'Giấy tờ đã nộp', en: 'Documents you sent' })}</h2>
<ul>${sent.map((f) => html`<li><a href="/api/v1/files/${f.fileId}" download>${f.fileName ?? tr(lang, FILE_ROLE[f.role] ?? { vi: 'tệp', en: 'file' })}</a> <span class="muted">(${sizeText(f.size)})</span></li>`)}</ul>`
    : ''}
${can('withdraw') ? html`<p><a href="/ho-so/${code}/rut">${tr(lang, { vi: 'Rút hồ sơ', en: 'Withdraw the application' })}</a></p>` : ''}`;
}

const SCORE_WORDS: Record<number, Text> = {
  5: { vi: 'Rất hài lòng', en: 'Very satisfied' },
  4: { vi: 'Hài lòng', en: 'Satisfied' },
  3: { vi: 'Bình thường', en: 'Neither' },
  2: { vi: 'Không hài lòng', en: 'Dissatisfied' },
  1: { vi: 'Rất không hài lòng', en: 'Very dissatisfied' },
};

export function registerTrack(app: FastifyInstance, deps: PortalDeps): void {
  const { ratings, drafts, agencyNames } = deps;
  const procedureNames = (codes: readonly string[]) => deps.catalogue.names(codes);
  const byAddress = createThrottle(10);
  const byCode = createThrottle(20, 3_600_000);
  // Public at the route: each handler decides (a visitor is sent to log in, a page needs its applicant).
  const page = { config: { policy: policy.public('tracking page: public lookup for anyone; the other pages send a visitor to log in, only the applicant of the dossier sees it') }, schema: { hide: true } };
  const form = { config: { policy: policy.public('tracking form post: checked by the _csrf field; the handler requires the applicant (the public lookup is throttled)'), csrf: 'form' as const }, schema: { hide: true } };

  async function renderDetail(ctx: PageContext, reply: FastifyReply, p: Principal, code: string, st: DetailState = {}, status = 200) {
    const d = await deps.dossiers.get(p, code);
    const [names, agencies, rating] = await Promise.all([procedureNames([d.procedure.code]), agencyNames([d.currentAgencyCode]), ratings.find(d.code)]);
    const name = names.get(d.procedure.code) ?? d.procedure.code;
    return sendPage(reply, ctx, {
      status,
      title: `${status === 422 ? tr(ctx.lang, { vi: 'Lỗi: ', en: 'Error: ' }) : ''}${d.code} – ${name}`,
      body: detailPage(ctx, d, name, agencies.get(d.currentAgencyCode) ?? d.currentAgencyCode, rating, st),
    });
  }

  app.get('/ho-so', page, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const p = signedIn(req, reply, ctx);
    if (!p) return reply;
    const [list, open] = await Promise.all([deps.dossiers.list(p, { limit: 100 }), drafts.listOpen(p.sub)]);
    const names = await procedureNames([...list.items.map((i) => i.procedureCode), ...open.map((x) => x.procedureCode)]);
    const { lang } = ctx;
    return sendPage(reply, ctx, {
      title: { vi: 'Hồ sơ của tôi', en: 'My applications' },
      body: html`<h1>${tr(lang, { vi: 'Hồ sơ của tôi', en: 'My applications' })}</h1>
<p><a href="/thong-bao">${tr(lang, { vi: 'Thông báo về hồ sơ', en: 'Notifications' })}</a></p>
${open.length > 0
        ? html`<h2>${tr(lang, { vi: 'Hồ sơ đang soạn', en: 'Applications not yet sent' })}</h2>
<ul class="results">${open.map((x) => html`<li><a href="/nop-ho-so/${encodeURIComponent(x.procedureCode)}">${names.get(x.procedureCode) ?? x.procedureCode}</a><br><span class="meta">${tr(lang, { vi: 'Lưu lần cuối', en: 'Last saved' })} ${formatDateTime(lang, x.updatedAt)}</span></li>`)}</ul>`
        : ''}
<h2>${tr(lang, { vi: 'Hồ sơ đã nộp', en: 'Applications sent' })}</h2>
${list.items.length === 0
        ? html`<p>${tr(lang, { vi: 'Bạn chưa nộp hồ sơ nào.', en: 'You have not sent any application yet.' })} <a href="/thu-tuc">${tr(lang, { vi: 'Tìm thủ tục', en: 'Find a procedure' })}</a></p>`
        : html`<ul class="results">${list.items.map(
            (i) => html`<li><a href="/ho-so/${encodeURIComponent(i.code)}">${names.get(i.procedureCode) ?? i.procedureCode}</a><br>
<span class="meta">${i.code} · ${tr(lang, { vi: 'nộp ngày', en: 'sent' })} ${formatDate(lang, i.submittedAt)}${i.dueAt ? html` · ${tr(lang, { vi: 'hẹn trả', en: 'due' })} ${formatDate(lang, i.dueAt)}` : ''}</span><br>
<span class="${statusTagClass(i.status, i.workflow)}">${tr(lang, statusWords(i.status, i.workflow))}</span></li>`,
          )}</ul>`}`,
    });
  });

  app.get('/ho-so/:code', page, async (req: Req, reply) => {
    const ctx = pageContext(req, reply);
    const p = signedIn(req, reply, ctx);
    if (!p) return reply;
    const q = fieldsOf(req.query);
    const notice: Text | undefined =
      q.da === 'bo-sung' ? { vi: 'Đã gửi giấy tờ bổ sung. Cơ quan sẽ tiếp tục giải quyết hồ sơ.', en: 'The documents were sent. The office will carry on with the application.' }
        : q.da === 'rut' ? { vi: 'Bạn đã rút hồ sơ.', en: 'You withdrew the application.' }
          : q.da === 'danh-gia' ? { vi: 'Cảm ơn bạn đã đánh giá.', en: 'Thank you for your rating.' }
            : undefined;
    return renderDetail(ctx, reply, p, req.params.code, notice ? { notice } : {});
  });

  app.post('/ho-so/:code/bo-sung', form, async (req: Req, reply) => {
    const ctx = pageContext(req, reply);
    const p = signedIn(req, reply, ctx);
    if (!p) return reply;
    const { posted, uploads } = await readForm(req, p, deps.files, deps.fileMaxBytes);
    const keep = (posted.keep === undefined ? [] : Array.isArray(posted.keep) ? posted.keep : [posted.keep]).filter((x) => UUID.test(x));
    const ids: string[] = [...keep];
    const names: { id: string; name: string }[] = [];
    for (const id of keep) {
      try {
        const f = await deps.files.get(p, id);
        names.push({ id: f.id, name: f.fileName ?? f.id });
      } catch {
        /* not theirs: the service refuses it below */
      }
    }
    const errors: SummaryError[] = [];
    for (const u of uploads) {
      const i = /^doc(\d+)$/.exec(u.field)?.[1];
      if (i === undefined) continue;
      if (u.error) errors.push({ field: u.field, href: `#f-doc-${i}`, message: u.error });
      else if (u.file) {
        ids.push(u.file.id);
        names.push({ id: u.file.id, name: u.file.fileName ?? u.file.id });
      }
    }
    const note = typeof posted.note === 'string' ? posted.note.trim() : '';
    if (errors.length === 0 && ids.length === 0) errors.push({ field: 'doc0', href: '#f-doc-0', message: { vi: 'Chọn ít nhất một tệp giấy tờ để gửi', en: 'Choose at least one document to send' } });
    if (errors.length > 0) return renderDetail(ctx, reply, p, req.params.code, { supplementErrors: errors, keptFiles: names, note }, 422);
    try {
      await deps.dossiers.act(p, req.params.code, { effect: 'supplement' }, { documentFileIds: [...new Set(ids)], ...(note !== '' ? { note: note.slice(0, 2000) } : {}) }, req.id);
    } catch (err) {
      if (err instanceof AppError && (err.kind === 'invalid' || err.kind === 'conflict')) {
        const msgs = err.details?.length ? err.details.map((x) => x.message) : [err.messages];
        return renderDetail(ctx, reply, p, req.params.code, { supplementErrors: msgs.map((m) => ({ field: 'doc0', href: '#f-doc-0', message: m })), keptFiles: names, note }, 422);
      }
      throw err;
    }
    return reply.redirect(`/ho-so/${encodeURIComponent(req.params.code)}?da=bo-sung`, 303);
  });

  app.get('/ho-so/:code/rut', page, async (req: Req, reply) => {
    const ctx = pageContext(req, reply);
    const p = signedIn(req, reply, ctx);
    if (!p) return reply;
    const d = await deps.dossiers.get(p, req.params.code);
    const { lang } = ctx;
    const code = encodeURIComponent(d.code);
    if (!d.allowedActions.some((a) => a.effect === 'withdraw')) return reply.redirect(`/ho-so/${code}`, 303);
    return sendPage(reply, ctx, {
      title: { vi: 'Rút hồ sơ', en: 'Withdraw the application' },
      body: html`<p><a href="/ho-so/${code}">${tr(lang, { vi: 'Quay lại hồ sơ', en: 'Back to the application' })}</a></p>
<h1>${tr(lang, { vi: `Rút hồ sơ ${d.code}?`, en: `Withdraw application ${d.code}?` })}</h1>
<p>${tr(lang, { vi: 'Hồ sơ sẽ không được giải quyết tiếp. Muốn làm lại, bạn phải nộp hồ sơ mới.', en: 'The application will not be dealt with any further. To try again you must apply anew.' })}</p>
<form method="post" action="/ho-so/${code}/rut" novalidate>
${csrfField(ctx)}
<div class="field"><label class="label" for="f-reason">${tr(lang, { vi: 'Lý do', en: 'Reason' })} <span class="muted">${tr(lang, { vi: '(không bắt buộc)', en: '(optional)' })}</span></label>
<textarea id="f-reason" name="reason" rows="3"></textarea></div>
<button type="submit" class="button">${tr(lang, { vi: 'Rút hồ sơ', en: 'Withdraw' })}</button>
<a href="/ho-so/${code}">${tr(lang, { vi: 'Không, giữ hồ sơ', en: 'No, keep it' })}</a>
</form>`,
    });
  });

  app.post('/ho-so/:code/rut', form, async (req: Req, reply) => {
    const ctx = pageContext(req, reply);
    const p = signedIn(req, reply, ctx);
    if (!p) return reply;
    const body = fieldsOf(req.body);
    const reason = typeof body.reason === 'string' ? body.reason.trim().slice(0, 2000) : '';
    await deps.dossiers.act(p, req.params.code, { effect: 'withdraw' }, reason !== '' ? { reason } : {}, req.id);
    return reply.redirect(`/ho-so/${encodeURIComponent(req.params.code)}?da=rut`, 303);
  });

  app.post('/ho-so/:code/danh-gia', form, async (req: Req, reply) => {
    const ctx = pageContext(req, reply);
    const p = signedIn(req, reply, ctx);
    if (!p) return reply;
    const body = fieldsOf(req.body);
    const input = { score: typeof body.score === 'string' ? body.score : undefined, comment: typeof body.comment === 'string' ? body.comment : undefined };
    const parsed = parseRating(input);
    if (!parsed.ok) {
      const errs = parsed.errors.map((e) => ({ field: e.field.slice(1), href: e.field === '/score' ? '#f-score-5' : '#f-comment', message: e.message }));
      return renderDetail(ctx, reply, p, req.params.code, { ratingErrors: errs, rating: input }, 422);
    }
    try {
      await ratings.rate(p, req.params.code, input, req.id);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'already_rated')) throw err;
    }
    return reply.redirect(`/ho-so/${encodeURIComponent(req.params.code)}?da=danh-gia`, 303);
  });

  app.get('/thong-bao', page, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const p = signedIn(req, reply, ctx);
    if (!p) return reply;
    const items = await deps.dossiers.notifications(p);
    const names = await procedureNames(items.map((i) => i.procedureCode));
    const { lang } = ctx;
    return sendPage(reply, ctx, {
      title: { vi: 'Thông báo', en: 'Notifications' },
      body: html`<h1>${tr(lang, { vi: 'Thông báo về hồ sơ của bạn', en: 'What changed on your applications' })}</h1>
${items.length === 0
        ? html`<p>${tr(lang, { vi: 'Chưa có thông báo nào.', en: 'Nothing yet.' })}</p>`
        : html`<ul class="results">${items.map(
            (n) => html`<li><span class="meta"><time datetime="${n.at.toISOString()}">${formatDateTime(lang, n.at)}</time></span><br>
<a href="/ho-so/${encodeURIComponent(n.dossierCode)}">${tr(lang, eventWords(n, n.workflow))}</a><br>
<span class="muted">${names.get(n.procedureCode) ?? n.procedureCode} · ${n.dossierCode}</span></li>`,
          )}</ul>`}`,
    });
  });

  function lookupForm(ctx: PageContext, values: { code?: string; digits?: string }, errors: SummaryError[]): SafeHtml {
    const { lang } = ctx;
    const err = (f: string) => errors.filter((e) => e.field === f);
    const block = (f: string, id: string, label: Text, hint: Text, value: string | undefined, extra: SafeHtml) => html`<div class="field${err(f).length ? ' field-invalid' : ''}">
<label class="label" for="${id}">${tr(lang, label)}</label>
<p class="hint" id="${id}-hint">${tr(lang, hint)}</p>
${err(f).map((e) => html`<p class="field-error" id="${id}-error"><span class="visually-hidden">${tr(lang, { vi: 'Lỗi:', en: 'Error:' })}</span> ${tr(lang, e.message)}</p>`)}
<input class="input" type="text" id="${id}" name="${f}" value="${value ?? ''}" aria-describedby="${id}-hint${err(f).length ? ` ${id}-error` : ''}"${err(f).length ? html` aria-invalid="true"` : ''}${extra}>
</div>`;
    return html`<form method="post" action="/tra-cuu" novalidate>
${csrfField(ctx)}
${block('code', 'f-code', { vi: 'Mã hồ sơ', en: 'Application code' }, { vi: 'In trên giấy tiếp nhận, ví dụ 000.00.04.H12-261123-0001', en: 'Printed on the receipt, for example 000.00.04.H12-261123-0001' }, values.code, html` autocomplete="off" spellcheck="false"`)}
${block('digits', 'f-digits', { vi: '4 số cuối của số định danh cá nhân người nộp', en: 'Last 4 digits of the applicant\'s personal identification number' }, { vi: 'Doanh nghiệp: 4 số cuối của mã số thuế', en: 'Businesses: the last 4 digits of the tax code' }, values.digits, html` inputmode="numeric" autocomplete="off" maxlength="4"`)}
<button type="submit" class="button">${tr(lang, { vi: 'Tra cứu', en: 'Look it up' })}</button>
</form>`;
  }

  app.get('/tra-cuu', page, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const { lang } = ctx;
    return sendPage(reply, ctx, {
      title: { vi: 'Tra cứu hồ sơ', en: 'Track an application' },
      body: html`<h1>${tr(lang, { vi: 'Tra cứu hồ sơ', en: 'Track an application' })}</h1>
<p>${tr(lang, { vi: 'Không cần đăng nhập.', en: 'No login needed.' })}</p>
${lookupForm(ctx, {}, [])}`,
    });
  });

  app.post('/tra-cuu', form, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const { lang } = ctx;
    const body = fieldsOf(req.body);
    const code = typeof body.code === 'string' ? body.code.trim().toUpperCase() : '';
    const digits = typeof body.digits === 'string' ? body.digits.replace(/\s/g, '') : '';
    const errors: SummaryError[] = [];
    if (code === '') errors.push({ field: 'code', href: '#f-code', message: { vi: 'Nhập mã hồ sơ', en: 'Enter the application code' } });
    if (!/^\d{4}$/.test(digits)) errors.push({ field: 'digits', href: '#f-digits', message: { vi: 'Nhập đúng 4 chữ số', en: 'Enter exactly 4 digits' } });
    const title = { vi: 'Tra cứu hồ sơ', en: 'Track an application' };
    const again = (status: number, extra: SafeHtml, errs: SummaryError[]) =>
      sendPage(reply, ctx, { status, title: errs.length ? { vi: `Lỗi: ${title.vi}`, en: `Error: ${title.en}` } : title, body: html`${errorSummary(lang, errs)}<h1>${tr(lang, title)}</h1>${extra}${lookupForm(ctx, { code, digits }, errs)}` });
    if (errors.length > 0) return again(422, html``, errors);
    const wait = Math.max(byAddress.hit(`ip:${req.ip}`), byCode.hit(`code:${code}`));
    if (wait > 0) {
      void reply.header('retry-after', String(wait));
      return again(429, html`<div class="panel" role="alert"><p>${tr(lang, { vi: `Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ${wait} giây.`, en: `Too many lookups. Please try again in ${wait} seconds.` })}</p></div>`, []);
    }
    const found = await deps.dossiers.publicLookup(code, digits);
    if (!found) {
      return again(404, html`<div class="panel" role="alert"><h2>${tr(lang, { vi: 'Không tìm thấy hồ sơ', en: 'Application not found' })}</h2><p>${tr(lang, { vi: 'Không có hồ sơ nào khớp với mã và 4 chữ số này. Hãy kiểm tra lại mã trên giấy tiếp nhận.', en: 'No application matches this code and these 4 digits. Check the code on your receipt.' })}</p></div>`, []);
    }
    const [names, agencies] = await Promise.all([procedureNames([found.procedureCode]), agencyNames([found.agencyCode])]);
    return sendPage(reply, ctx, {
      title: { vi: `Hồ sơ ${found.code}`, en: `Application ${found.code}` },
      body: html`<p><a href="/tra-cuu">${tr(lang, { vi: 'Tra cứu hồ sơ khác', en: 'Look up another application' })}</a></p>
<h1>${tr(lang, { vi: 'Hồ sơ', en: 'Application' })} ${found.code}</h1>
<dl class="summary">
<div><dt>${tr(lang, { vi: 'Thủ tục', en: 'Procedure' })}</dt><dd>${names.get(found.procedureCode) ?? found.procedureCode}</dd></div>
<div><dt>${tr(lang, { vi: 'Tình trạng', en: 'Status' })}</dt><dd><strong class="${statusTagClass(found.status, found.workflow)}" id="dossier-status">${tr(lang, statusWords(found.status, found.workflow))}</strong></dd></div>
<div><dt>${tr(lang, { vi: 'Nơi giải quyết', en: 'Office' })}</dt><dd>${agencies.get(found.agencyCode) ?? found.agencyCode}</dd></div>
<div><dt>${tr(lang, { vi: 'Ngày nộp', en: 'Sent on' })}</dt><dd>${formatDate(lang, found.submittedAt)}</dd></div>
<div><dt>${tr(lang, { vi: 'Ngày hẹn trả kết quả', en: 'Result due' })}</dt><dd>${found.dueAt ? formatDate(lang, found.dueAt) : '—'}</dd></div>
</dl>
<h2>${tr(lang, { vi: 'Diễn biến', en: 'What has happened' })}</h2>
${timeline(lang, found.events.slice().reverse(), found.workflow)}
<p>${tr(lang, { vi: 'Để xem giấy tờ và kết quả, hãy', en: 'To see the documents and the result,' })} <a href="${loginHref(`/ho-so/${encodeURIComponent(found.code)}`)}">${tr(lang, { vi: 'đăng nhập', en: 'log in' })}</a>.</p>`,
    });
  });
}
