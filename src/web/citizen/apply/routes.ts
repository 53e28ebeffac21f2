/**
 * Apply (/nop-ho-so/<procedure code>): choose the case and the receiving office, answer
 * the eForm one group of questions per step (drafts kept on the server: save and come
 * back later), upload documents, check your answers, declare, submit, confirmation.
 * Works without JavaScript: every step is a form post answered by a redirect or by the
 * same page with its errors (summary at the top, each error beside its field).
 */
import { fieldsOf, textFields } from '../../../shared/records.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Procedure } from '../../../modules/catalogue/index.ts';
import { createFormValidator, collectFileIds } from '../../../modules/eforms/index.ts';
import type { FileService } from '../../../modules/files/index.ts';
import { isApplicant, type Principal } from '../../../modules/identity/index.ts';
import type { Draft } from '../../../modules/drafts/index.ts';
import { policy } from '../../../modules/authorization/index.ts';
import { AppError, type FieldError } from '../../../shared/errors.ts';
import { pageContext, type PageContext } from '../../kit/context.ts';
import { html, type SafeHtml } from '../../kit/html.ts';
import { tr, type Text } from '../../kit/i18n.ts';
import { csrfField, errorSummary, loginHref, sendPage, type SummaryError } from '../../kit/layout.ts';
import type { PortalDeps } from '../routes.ts';
import { applyStep, prefillValues, schemaAt, setAt, stepOf, targetId, type Schema, type Step, type Values } from '../../kit/form-model.ts';
import { answerRows, renderField, renderStepFields, type FileInfo, type ReuseOption } from '../../kit/form-render.ts';
import { readForm } from '../../kit/multipart.ts';
import { formOf, plan, receivingAgencies, variantOf, type ReceivingAgency } from './procedure.ts';

const forms = createFormValidator();

type Req = FastifyRequest<{ Params: { code: string; n?: string; dossier?: string } }>;

const notFoundError = (): AppError => new AppError('not_found', 'not_found', { vi: 'Không tìm thấy thủ tục', en: 'No such procedure' }, { field: 'url' });

/** The logged-in applicant, or a redirect to log in (GET) / an error. */
function applicant(req: FastifyRequest, reply: FastifyReply, ctx: PageContext): Principal | undefined {
  const p = req.principal;
  if (p === undefined) {
    const back = req.method === 'GET' ? ctx.path : new URL(req.url, 'http://x').pathname.replace(/\/(buoc\/\d+|nop|bat-dau|bo-di)$/, '');
    void reply.header('cache-control', 'no-store').redirect(loginHref(back), 303);
    return undefined;
  }
  if (!isApplicant(p)) {
    throw new AppError('forbidden', 'forbidden', { vi: 'Chỉ công dân hoặc doanh nghiệp được nộp hồ sơ. Hãy đăng nhập bằng tài khoản định danh của bạn.', en: 'Only citizens and businesses apply. Log in with your own electronic identity.' });
  }
  return p;
}

/** Whether this kind of applicant (citizen, business) may apply for the procedure. */
function mayApply(p: Principal, procedure: Procedure): boolean {
  const type = p.roles.includes('business') ? 'business' : 'citizen';
  return !procedure.applicantTypes || procedure.applicantTypes.length === 0 || procedure.applicantTypes.includes(type);
}

const notForYou = (): AppError =>
  new AppError('forbidden', 'applicant_type_not_allowed', {
    vi: 'Thủ tục này không dành cho loại tài khoản của bạn (công dân hoặc doanh nghiệp). Hãy chọn thủ tục khác hoặc đăng nhập bằng tài khoản phù hợp.',
    en: 'This procedure is not for your kind of account (individual or business). Choose another procedure or log in with the right account.',
  });

async function procedureOr404(deps: PortalDeps, code: string): Promise<Procedure> {
  const p = await deps.catalogue.current(code);
  if (!p) throw notFoundError();
  return p;
}

const base = (code: string): string => `/nop-ho-so/${encodeURIComponent(code)}`;

/** Every uploaded file a draft names, with its name and size (for "uploaded: x.pdf"). */
async function fileInfos(files: FileService, p: Principal, schema: Schema, values: Values): Promise<Map<string, FileInfo>> {
  const out = new Map<string, FileInfo>();
  const refs = collectFileIds(schema, values);
  await Promise.all(
    refs.map(async (r) => {
      try {
        const f = await files.get(p, r.fileId);
        out.set(f.id.toLowerCase(), { id: f.id, fileName: f.fileName, size: f.size, mediaType: f.mediaType });
      } catch {
        /* a file that is gone: shown as missing by the validator at submission */
      }
    }),
  );
  return out;
}

/** The validator's errors about a draft's answers (the declaration left out), fields relative to the form. */
function formErrors(schema: Schema, values: Values, declaration: string | undefined): FieldError[] {
  const data = declaration !== undefined ? { ...values, [declaration]: true } : values;
  const r = forms.validate(schema, data);
  return r.ok ? [] : r.errors;
}

function summaryOf(schema: Schema, values: Values, errors: readonly { field: string; message: Text }[], hrefPrefix = ''): SummaryError[] {
  return errors.map((e) => ({ field: e.field, href: `${hrefPrefix}#${targetId(schema, e.field, values)}`, message: e.message }));
}

function stepNav(ctx: PageContext, code: string, steps: readonly Step[], current: number | 'check'): SafeHtml {
  const total = steps.length + 1;
  const n = current === 'check' ? total : current;
  return html`<p class="meta">${tr(ctx.lang, { vi: `Bước ${n} trên ${total}`, en: `Step ${n} of ${total}` })}</p>`;
}

// ---------------------------------------------------------------------------
// Pages

function startPage(ctx: PageContext, p: Procedure, agencies: ReceivingAgency[], draft: Draft | undefined, errors: SummaryError[], chosen: { variantId?: string | null; agencyCode?: string | null }, saved: boolean): SafeHtml {
  const { lang } = ctx;
  const variants = p.variants ?? [];
  const errFor = (f: string) => errors.filter((e) => e.field === f);
  const errText = (id: string, f: string) => {
    const es = errFor(f);
    return es.length === 0 ? '' : html`<p class="field-error" id="${id}-error"><span class="visually-hidden">${tr(lang, { vi: 'Lỗi:', en: 'Error:' })}</span> ${es.map((e) => tr(lang, e.message))}</p>`;
  };
  const variantField =
    variants.length > 0
      ? html`<div class="field${errFor('variantId').length ? ' field-invalid' : ''}"><fieldset id="f-variantId"${errFor('variantId').length ? html` aria-describedby="f-variantId-error"` : ''}>
<legend class="label">${tr(lang, { vi: 'Trường hợp của bạn', en: 'Your case' })}</legend>
${errText('f-variantId', 'variantId')}
${variants.map((v, i) => html`<div class="choice"><input type="radio" id="f-variantId-${i}" name="variantId" value="${v.id}"${chosen.variantId === v.id ? html` checked` : ''}><label for="f-variantId-${i}">${v.name}</label></div>`)}
</fieldset></div>`
      : '';
  const agencyField =
    agencies.length > 1
      ? html`<div class="field${errFor('agencyCode').length ? ' field-invalid' : ''}"><fieldset id="f-agencyCode"${errFor('agencyCode').length ? html` aria-describedby="f-agencyCode-error"` : ''}>
<legend class="label">${tr(lang, { vi: 'Nơi nộp hồ sơ', en: 'Where to apply' })}</legend>
<p class="hint">${tr(lang, { vi: 'Cơ quan sẽ tiếp nhận và giải quyết hồ sơ của bạn', en: 'The office that will receive and handle your application' })}</p>
${errText('f-agencyCode', 'agencyCode')}
${agencies.map((a, i) => html`<div class="choice"><input type="radio" id="f-agencyCode-${i}" name="agencyCode" value="${a.code}"${chosen.agencyCode === a.code ? html` checked` : ''}><label for="f-agencyCode-${i}">${a.name}</label></div>`)}
</fieldset></div>`
      : agencies.length === 1
        ? html`<p>${tr(lang, { vi: 'Nơi nộp hồ sơ:', en: 'Where to apply:' })} <strong>${agencies[0]!.name}</strong></p>`
        : '';
  const docs = (variantOf(p, chosen.variantId ?? null)?.requiredDocuments ?? p.requiredDocuments).slice(0, 12);
  return html`<p><a href="/thu-tuc/${encodeURIComponent(p.code)}">${tr(lang, { vi: 'Quay lại trang thủ tục', en: 'Back to the procedure' })}</a></p>
${errorSummary(lang, errors)}
${saved ? html`<div class="panel" role="status"><h2>${tr(lang, { vi: 'Đã lưu hồ sơ đang soạn', en: 'Your draft is saved' })}</h2><p>${tr(lang, { vi: 'Bạn có thể quay lại bất cứ lúc nào, kể cả sau khi đăng xuất: vào "Hồ sơ của tôi" hoặc mở lại trang này.', en: 'You can come back at any time, even after logging out: go to "My applications" or open this page again.' })}</p></div>` : ''}
<h1>${tr(lang, { vi: 'Nộp hồ sơ trực tuyến', en: 'Apply online' })}<span class="lead"> — ${p.name}</span></h1>
${agencies.length === 0
    ? html`<p>${tr(lang, { vi: 'Thủ tục này hiện chưa nhận hồ sơ trực tuyến. Vui lòng nộp tại bộ phận một cửa.', en: 'This procedure does not take online applications at present. Please apply at a one-stop office.' })}</p>`
    : html`${draft
        ? html`<div class="panel"><h2>${tr(lang, { vi: 'Bạn có hồ sơ đang soạn dở', en: 'You have an unfinished application' })}</h2>
<p>${tr(lang, { vi: 'Lưu lần cuối', en: 'Last saved' })} ${formatDateTime(lang, draft.updatedAt)}.</p>
<p><a class="button" href="${base(p.code)}/buoc/${draft.step}">${tr(lang, { vi: 'Tiếp tục soạn hồ sơ', en: 'Continue your application' })}</a></p>
<form method="post" action="${base(p.code)}/bo-di" class="inline-form">${csrfField(ctx)}<input type="hidden" name="draftId" value="${draft.id}"><button type="submit" class="button button-secondary">${tr(lang, { vi: 'Xóa và làm lại từ đầu', en: 'Delete it and start again' })}</button></form></div>`
        : ''}
<h2>${tr(lang, { vi: 'Bạn cần chuẩn bị', en: 'What you need' })}</h2>
<ul>${docs.map((d) => html`<li>${d.name}</li>`)}</ul>
<p>${tr(lang, { vi: 'Bạn có thể lưu lại và làm tiếp sau. Ảnh chụp giấy tờ bằng điện thoại được chấp nhận (JPG, PNG hoặc PDF).', en: 'You can save and continue later. Photos of documents taken with a phone are accepted (JPG, PNG or PDF).' })}</p>
<form method="post" action="${base(p.code)}/bat-dau" novalidate>
${csrfField(ctx)}
${variantField}
${agencyField}
<button type="submit" class="button">${draft ? tr(lang, { vi: 'Tiếp tục với lựa chọn này', en: 'Continue with this choice' }) : tr(lang, { vi: 'Bắt đầu', en: 'Start now' })}</button>
</form>`}`;
}

function formatDateTime(lang: 'vi' | 'en', d: Date): string {
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }).format(d);
}

function stepPage(ctx: PageContext, p: Procedure, schema: Schema, steps: readonly Step[], step: Step, values: Values, errors: readonly { field: string; message: Text }[], files: Map<string, FileInfo>, reuse: Map<string, ReuseOption[]> = new Map()): SafeHtml {
  const { lang } = ctx;
  const prev = step.n > 1 ? `${base(p.code)}/buoc/${step.n - 1}` : base(p.code);
  const single = step.properties.length === 1 && schemaAt(schema, `/${step.properties[0]}`)?.type === 'object';
  const fields = single
    ? // One group: its title is the page's heading; its questions straight under it.
      renderGroupBody(ctx, schema, step.properties[0]!, values, errors, files, reuse)
    : renderStepFields({ lang, root: schema, values, errors, files, reuse }, step.properties);
  return html`<p><a href="${prev}">${tr(lang, { vi: 'Quay lại', en: 'Back' })}</a></p>
${errorSummary(lang, summaryOf(schema, values, errors))}
${stepNav(ctx, p.code, steps, step.n)}
<h1>${tr(lang, step.title)}</h1>
<form method="post" action="${base(p.code)}/buoc/${step.n}" novalidate${step.hasFile ? html` enctype="multipart/form-data"` : ''}>
${csrfField(ctx)}
<button type="submit" name="_action" value="next" class="visually-hidden" tabindex="-1" aria-hidden="true">${tr(lang, { vi: 'Tiếp tục', en: 'Continue' })}</button>
${fields}
<div class="no-print">
<button type="submit" name="_action" value="next" class="button">${tr(lang, { vi: 'Lưu và tiếp tục', en: 'Save and continue' })}</button>
<button type="submit" name="_action" value="save" class="button button-secondary">${tr(lang, { vi: 'Lưu để làm tiếp sau', en: 'Save and come back later' })}</button>
</div>
</form>`;
}

/** A step that is one object: its fields without an extra fieldset (the page heading names the group). */
function renderGroupBody(ctx: PageContext, schema: Schema, prop: string, values: Values, errors: readonly { field: string; message: Text }[], files: Map<string, FileInfo>, reuse: Map<string, ReuseOption[]>): SafeHtml {
  const s = schemaAt(schema, `/${prop}`)!;
  const props = (s.properties ?? {}) as Record<string, unknown>;
  const req = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const own = errors.filter((e) => e.field === `/${prop}`);
  const sometimes = new Set<string>();
  for (const k of ['then', 'else'] as const) {
    const b = s[k] as { required?: string[] } | undefined;
    for (const r of b?.required ?? []) sometimes.add(r);
  }
  return html`${own.length > 0 ? html`<p class="field-error" id="f-${prop}-error"><span class="visually-hidden">${tr(ctx.lang, { vi: 'Lỗi:', en: 'Error:' })}</span> ${own.map((e) => tr(ctx.lang, e.message))}</p>` : ''}
${Object.entries(props).map(([k, c]) => renderField({ lang: ctx.lang, root: schema, values, errors, files, reuse, depth: 1 }, c, `/${prop}/${k}`, req.has(k) ? 'always' : sometimes.has(k) ? 'sometimes' : 'never'))}`;
}

function checkPage(ctx: PageContext, p: Procedure, schema: Schema, steps: readonly Step[], declaration: string | undefined, draft: Draft, agency: ReceivingAgency | undefined, errors: readonly { field: string; message: Text }[], files: Map<string, FileInfo>): SafeHtml {
  const { lang } = ctx;
  const values = draft.form;
  const variant = variantOf(p, draft.variantId);
  // Errors of the answers link to the step that asks the question; the declaration's to its box.
  const summary: SummaryError[] = errors.map((e) => {
    if (e.field === `/${declaration}` || e.field === '/_declaration') return { field: e.field, href: '#f-declaration', message: e.message };
    const st = stepOf(steps, e.field);
    if (e.field === '/variantId' || e.field === '/agencyCode' || !st) return { field: e.field, href: base(p.code), message: e.message };
    return { field: e.field, href: `${base(p.code)}/buoc/${st.n}#${targetId(schema, e.field, values)}`, message: e.message };
  });
  const declErr = errors.filter((e) => e.field === `/${declaration}` || e.field === '/_declaration');
  const declTitle: Text = declaration !== undefined
    ? { vi: String((schemaAt(schema, `/${declaration}`)?.title as string | undefined) ?? ''), en: String((schemaAt(schema, `/${declaration}`)?.['x-title-en'] as string | undefined) ?? '') }
    : { vi: 'Tôi cam đoan những thông tin trên là đúng sự thật', en: 'I declare that the information above is true' };
  return html`<p><a href="${base(p.code)}/buoc/${steps.length}">${tr(lang, { vi: 'Quay lại', en: 'Back' })}</a></p>
${errorSummary(lang, summary)}
${stepNav(ctx, p.code, steps, 'check')}
<h1>${tr(lang, { vi: 'Kiểm tra lại thông tin trước khi nộp', en: 'Check your answers before applying' })}</h1>
<h2>${tr(lang, { vi: 'Thủ tục', en: 'Procedure' })}</h2>
<dl class="summary">
<div><dt>${tr(lang, { vi: 'Thủ tục', en: 'Procedure' })}</dt><dd>${p.name}</dd></div>
${variant ? html`<div><dt>${tr(lang, { vi: 'Trường hợp', en: 'Case' })}</dt><dd>${variant.name} <a href="${base(p.code)}">${tr(lang, { vi: 'Thay đổi', en: 'Change' })}</a></dd></div>` : ''}
${agency ? html`<div><dt>${tr(lang, { vi: 'Nơi nộp', en: 'Office' })}</dt><dd>${agency.name}</dd></div>` : ''}
</dl>
${steps.map((st) => {
    const rows = answerRows({ lang, root: schema, values, files }, st.properties);
    return html`<h2>${tr(lang, st.title)}</h2>
<dl class="summary">${rows.length === 0 ? html`<div><dt>${tr(lang, { vi: 'Chưa khai', en: 'Not answered' })}</dt><dd>—</dd></div>` : rows.map((r) => html`<div><dt>${r.label}</dt><dd>${r.value}</dd></div>`)}</dl>
<p><a href="${base(p.code)}/buoc/${st.n}">${tr(lang, { vi: 'Thay đổi', en: 'Change' })}<span class="visually-hidden"> ${tr(lang, st.title)}</span></a></p>`;
  })}
<form method="post" action="${base(p.code)}/nop" novalidate>
${csrfField(ctx)}
<input type="hidden" name="draftId" value="${draft.id}">
<h2>${tr(lang, { vi: 'Cam đoan', en: 'Declaration' })}</h2>
<div class="field${declErr.length ? ' field-invalid' : ''}">
${declErr.length ? html`<p class="field-error" id="f-declaration-error"><span class="visually-hidden">${tr(lang, { vi: 'Lỗi:', en: 'Error:' })}</span> ${declErr.map((e) => tr(lang, e.message))}</p>` : ''}
<div class="choice"><input type="checkbox" id="f-declaration" name="declaration" value="true"${declaration !== undefined && values[declaration] === true ? html` checked` : ''}${declErr.length ? html` aria-describedby="f-declaration-error"` : ''}><label for="f-declaration">${tr(lang, declTitle)}</label></div>
</div>
<button type="submit" class="button">${tr(lang, { vi: 'Nộp hồ sơ', en: 'Submit the application' })}</button>
</form>`;
}

// ---------------------------------------------------------------------------

interface Loaded {
  principal: Principal;
  procedure: Procedure;
  schema: Schema;
  steps: Step[];
  declaration: string | undefined;
  draft: Draft;
}

export function registerApply(app: FastifyInstance, deps: PortalDeps): void {
  const { drafts, warehouse } = deps;

  /** The person's valid warehouse documents that fit each file field of the step. */
  async function reuseOptions(p: Principal, l: Loaded, step: Step, lang: 'vi' | 'en'): Promise<Map<string, ReuseOption[]>> {
    const out = new Map<string, ReuseOption[]>();
    if (!step.hasFile) return out;
    try {
      const r = await warehouse.reusable(p, l.procedure.code, l.draft.variantId ?? undefined);
      for (const f of r.fields) {
        const ptr = f.field.replace(/^\/form/, '');
        if (stepOf(l.steps, ptr) !== step || f.documents.length === 0) continue;
        out.set(ptr, f.documents.map((d) => ({
          documentId: d.id,
          label: `${d.fileName ?? d.id}${d.documentTypeName ? ` – ${tr(lang, d.documentTypeName)}` : ''}${d.validUntil ? ` (${lang === 'vi' ? 'hiệu lực đến' : 'valid until'} ${d.validUntil})` : ''}`,
        })));
      }
    } catch {
      /* the warehouse is a convenience: the file input still works */
    }
    return out;
  }
  const maxBytes = deps.fileMaxBytes;
  // Public at the route: each handler decides (a visitor is sent to log in, a page needs its applicant).
  const page = { config: { policy: policy.public('apply page: anyone may reach it; the handler sends a visitor to log in and refuses non-applicants') }, schema: { hide: true } };
  const form = { config: { policy: policy.public('apply form post: checked by the _csrf field; the handler requires an applicant'), csrf: 'form' as const }, schema: { hide: true } };

  /** The open draft of the procedure in the URL, or a redirect to its start page. */
  async function loadDraft(req: Req, reply: FastifyReply, ctx: PageContext): Promise<Loaded | undefined> {
    const principal = applicant(req, reply, ctx);
    if (!principal) return undefined;
    const procedure = await procedureOr404(deps, req.params.code);
    const draft = await drafts.findOpen(principal.sub, procedure.code);
    if (!draft) {
      void reply.redirect(base(procedure.code), 303);
      return undefined;
    }
    const f = formOf(procedure, draft.variantId);
    const { steps, declaration } = plan(f);
    return { principal, procedure, schema: f.schema, steps, declaration, draft };
  }

  app.get('/nop-ho-so/:code', page, async (req: Req, reply) => {
    const ctx = pageContext(req, reply);
    const principal = applicant(req, reply, ctx);
    if (!principal) return reply;
    const p = await procedureOr404(deps, req.params.code);
    if (!mayApply(principal, p)) throw notForYou();
    const [agencies, draft] = await Promise.all([receivingAgencies(deps, p.code), drafts.findOpen(principal.sub, p.code)]);
    const saved = fieldsOf(req.query).saved === '1';
    return sendPage(reply, ctx, {
      title: { vi: `Nộp hồ sơ: ${p.name}`, en: `Apply: ${p.name}` },
      body: startPage(ctx, p, agencies, draft, [], { variantId: draft?.variantId ?? null, agencyCode: draft?.agencyCode ?? (agencies.length === 1 ? agencies[0]!.code : null) }, saved),
    });
  });

  app.post('/nop-ho-so/:code/bat-dau', form, async (req: Req, reply) => {
    const ctx = pageContext(req, reply);
    const principal = applicant(req, reply, ctx);
    if (!principal) return reply;
    const p = await procedureOr404(deps, req.params.code);
    if (!mayApply(principal, p)) throw notForYou();
    const body = textFields(req.body);
    const agencies = await receivingAgencies(deps, p.code);
    const errors: SummaryError[] = [];
    const variants = p.variants ?? [];
    const variantId = variants.length > 0 ? (variants.find((v) => v.id === body.variantId)?.id ?? null) : null;
    if (variants.length > 0 && variantId === null) errors.push({ field: 'variantId', href: '#f-variantId-0', message: { vi: 'Chọn trường hợp của bạn', en: 'Choose your case' } });
    const agencyCode = agencies.length === 1 ? agencies[0]!.code : (agencies.find((a) => a.code === body.agencyCode)?.code ?? null);
    if (agencies.length > 1 && agencyCode === null) errors.push({ field: 'agencyCode', href: '#f-agencyCode-0', message: { vi: 'Chọn nơi nộp hồ sơ', en: 'Choose where to apply' } });
    if (agencies.length === 0) throw new AppError('conflict', 'not_offered', { vi: 'Thủ tục này hiện chưa nhận hồ sơ trực tuyến', en: 'This procedure does not take online applications at present' });
    if (errors.length > 0) {
      const draft = await drafts.findOpen(principal.sub, p.code);
      return sendPage(reply, ctx, { status: 422, title: { vi: `Lỗi: Nộp hồ sơ: ${p.name}`, en: `Error: Apply: ${p.name}` }, body: startPage(ctx, p, agencies, draft, errors, { variantId, agencyCode }, false) });
    }
    const identity = { personalId: principal.personalId, taxCode: principal.taxCode, name: principal.name };
    const draft = await drafts.open(principal.sub, p.code, { variantId, agencyCode }, prefillValues(formOf(p, variantId).schema, identity));
    return reply.redirect(`${base(p.code)}/buoc/${draft.step}`, 303);
  });

  app.post('/nop-ho-so/:code/bo-di', form, async (req: Req, reply) => {
    const ctx = pageContext(req, reply);
    const principal = applicant(req, reply, ctx);
    if (!principal) return reply;
    const p = await procedureOr404(deps, req.params.code);
    const body = textFields(req.body);
    if (typeof body.draftId === 'string') await drafts.discard(principal.sub, body.draftId);
    return reply.redirect(base(p.code), 303);
  });

  app.get('/nop-ho-so/:code/buoc/:n', page, async (req: Req, reply) => {
    const ctx = pageContext(req, reply);
    const l = await loadDraft(req, reply, ctx);
    if (!l) return reply;
    const step = l.steps[Number(req.params.n) - 1];
    if (!step || !/^\d+$/.test(req.params.n ?? '')) throw notFoundError();
    const [files, reuse] = await Promise.all([fileInfos(deps.files, l.principal, l.schema, l.draft.form), reuseOptions(l.principal, l, step, ctx.lang)]);
    return sendPage(reply, ctx, {
      title: { vi: `${step.title.vi} – ${l.procedure.name}`, en: `${step.title.en} – ${l.procedure.name}` },
      body: stepPage(ctx, l.procedure, l.schema, l.steps, step, l.draft.form, [], files, reuse),
    });
  });

  app.post('/nop-ho-so/:code/buoc/:n', form, async (req: Req, reply) => {
    const ctx = pageContext(req, reply);
    const principal = applicant(req, reply, ctx);
    if (!principal) return reply;
    // The form is read first (a multipart stream must be consumed, and its token checked).
    const { posted, uploads } = await readForm(req, principal, deps.files, maxBytes);
    const l = await loadDraft(req, reply, ctx);
    if (!l) return reply;
    const step = l.steps[Number(req.params.n) - 1];
    if (!step || !/^\d+$/.test(req.params.n ?? '')) throw notFoundError();
    let values = applyStep(l.schema, l.draft.form, step, posted);
    const removed = posted._remove === undefined ? [] : Array.isArray(posted._remove) ? posted._remove : [posted._remove];
    for (const ptr of removed) if (stepOf(l.steps, ptr) === step && schemaAt(l.schema, ptr)?.format === 'file-id') values = setAt(values, ptr, undefined);
    const uploadErrors: { field: string; message: Text }[] = [];
    for (const u of uploads) {
      const s = stepOf(l.steps, u.field) === step ? schemaAt(l.schema, u.field) : undefined;
      if (s === undefined || s.format !== 'file-id') continue;
      if (u.error) {
        uploadErrors.push({ field: u.field, message: u.error });
        continue;
      }
      const f = u.file!;
      const accept = Array.isArray(s['x-accept']) ? (s['x-accept'] as string[]) : undefined;
      const max = typeof s['x-max-file-bytes'] === 'number' ? s['x-max-file-bytes'] : undefined;
      if (accept && !accept.includes(f.mediaType)) {
        uploadErrors.push({ field: u.field, message: { vi: 'Loại tệp này không được nhận ở đây. Hãy chọn tệp PDF, JPG hoặc PNG.', en: 'This kind of file is not accepted here. Choose a PDF, JPG or PNG file.' } });
      } else if (max !== undefined && f.size > max) {
        uploadErrors.push({ field: u.field, message: { vi: `Tệp lớn hơn mức cho phép (${Math.round(max / 1048576)} MB)`, en: `The file is larger than allowed (${Math.round(max / 1048576)} MB)` } });
      } else {
        values = setAt(values, u.field, f.id);
      }
    }
    // A document reused from the warehouse (chosen in its list), unless a new file was sent for the field.
    for (const [key, raw] of Object.entries(posted)) {
      if (!key.startsWith('_reuse:') || typeof raw !== 'string' || raw === '') continue;
      const ptr = key.slice('_reuse:'.length);
      if (stepOf(l.steps, ptr) !== step || schemaAt(l.schema, ptr)?.format !== 'file-id' || uploads.some((u) => u.field === ptr)) continue;
      try {
        const r = await warehouse.reuse(principal, raw, { consent: true, field: `/form${ptr}` }, req.id);
        values = setAt(values, ptr, r.file.id);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        uploadErrors.push({ field: ptr, message: err.messages });
      }
    }
    const action = typeof posted._action === 'string' ? posted._action : 'next';
    const nextStep = action === 'next' ? step.n + 1 : step.n;
    const saved = await drafts.save(principal.sub, l.draft.id, values, Math.max(1, Math.min(l.steps.length, step.n)));
    if (!saved) return reply.redirect(base(l.procedure.code), 303);
    const fieldErrors =
      action === 'next'
        ? formErrors(l.schema, values, l.declaration).filter((e) => stepOf(l.steps, e.field) === step && !uploadErrors.some((u) => u.field === e.field))
        : [];
    const errors = [...uploadErrors, ...fieldErrors];
    if (errors.length > 0) {
      const [files, reuse] = await Promise.all([fileInfos(deps.files, principal, l.schema, values), reuseOptions(principal, l, step, ctx.lang)]);
      return sendPage(reply, ctx, {
        status: 422,
        title: { vi: `Lỗi: ${step.title.vi} – ${l.procedure.name}`, en: `Error: ${step.title.en} – ${l.procedure.name}` },
        body: stepPage(ctx, l.procedure, l.schema, l.steps, step, values, errors, files, reuse),
      });
    }
    if (action === 'save') return reply.redirect(`${base(l.procedure.code)}?saved=1`, 303);
    if (action !== 'next') return reply.redirect(`${base(l.procedure.code)}/buoc/${step.n}`, 303);
    if (nextStep > l.steps.length) {
      await drafts.save(principal.sub, l.draft.id, values, l.steps.length);
      return reply.redirect(`${base(l.procedure.code)}/kiem-tra`, 303);
    }
    await drafts.save(principal.sub, l.draft.id, values, nextStep);
    return reply.redirect(`${base(l.procedure.code)}/buoc/${nextStep}`, 303);
  });

  async function renderCheck(ctx: PageContext, reply: FastifyReply, l: Loaded, errors: readonly { field: string; message: Text }[], status = 200) {
    const [files, agencies] = await Promise.all([fileInfos(deps.files, l.principal, l.schema, l.draft.form), receivingAgencies(deps, l.procedure.code)]);
    const agency = agencies.find((a) => a.code === l.draft.agencyCode);
    return sendPage(reply, ctx, {
      status,
      title: { vi: `${status === 422 ? 'Lỗi: ' : ''}Kiểm tra lại – ${l.procedure.name}`, en: `${status === 422 ? 'Error: ' : ''}Check your answers – ${l.procedure.name}` },
      body: checkPage(ctx, l.procedure, l.schema, l.steps, l.declaration, l.draft, agency, errors, files),
    });
  }

  app.get('/nop-ho-so/:code/kiem-tra', page, async (req: Req, reply) => {
    const ctx = pageContext(req, reply);
    const l = await loadDraft(req, reply, ctx);
    if (!l) return reply;
    // Questions left unanswered (a step skipped by its address) are listed, each linking to its step.
    return renderCheck(ctx, reply, l, formErrors(l.schema, l.draft.form, l.declaration));
  });

  app.post('/nop-ho-so/:code/nop', form, async (req: Req, reply) => {
    const ctx = pageContext(req, reply);
    const principal = applicant(req, reply, ctx);
    if (!principal) return reply;
    const procedure = await procedureOr404(deps, req.params.code);
    const body = textFields(req.body);
    const draft = typeof body.draftId === 'string' ? await drafts.get(principal.sub, body.draftId) : undefined;
    if (!draft || draft.procedureCode !== procedure.code) return reply.redirect(base(procedure.code), 303);
    // A second press of the button (or a reload) after it went through: the same dossier.
    if (draft.dossierCode !== null) return reply.redirect(`${base(procedure.code)}/da-nop/${encodeURIComponent(draft.dossierCode)}`, 303);
    const f = formOf(procedure, draft.variantId);
    const { steps, declaration } = plan(f);
    const declared = body.declaration === 'true';
    let values = draft.form;
    if (declaration !== undefined) values = { ...values, [declaration]: declared };
    if (declared) await drafts.save(principal.sub, draft.id, values, draft.step);
    const l: Loaded = { principal, procedure, schema: f.schema, steps, declaration, draft: { ...draft, form: values } };
    const declField = declaration !== undefined ? `/${declaration}` : '/_declaration';
    if (!declared) {
      const errs = [...formErrors(f.schema, values, declaration), { field: declField, message: { vi: 'Bạn cần đánh dấu vào ô cam đoan trước khi nộp', en: 'Tick the declaration box before you apply' } }];
      return renderCheck(ctx, reply, l, errs, 422);
    }
    try {
      const { dossier } = await deps.dossiers.submit(
        principal,
        { procedureCode: procedure.code, form: values, ...(draft.agencyCode ? { agencyCode: draft.agencyCode } : {}), ...(draft.variantId ? { variantId: draft.variantId } : {}) },
        `portal-draft-${draft.id}`,
        req.id,
      );
      await drafts.markSubmitted(principal.sub, draft.id, dossier.code);
      return reply.redirect(`${base(procedure.code)}/da-nop/${encodeURIComponent(dossier.code)}`, 303);
    } catch (err) {
      if (err instanceof AppError && err.kind === 'invalid' && err.details) {
        const errs = err.details.map((d) => ({ field: d.field.startsWith('/form/') ? d.field.slice(5) : d.field, message: d.message }));
        return renderCheck(ctx, reply, l, errs, 422);
      }
      throw err;
    }
  });

  app.get('/nop-ho-so/:code/da-nop/:dossier', page, async (req: Req, reply) => {
    const ctx = pageContext(req, reply);
    const principal = applicant(req, reply, ctx);
    if (!principal) return reply;
    const d = await deps.dossiers.get(principal, req.params.dossier ?? '');
    const { lang } = ctx;
    const files = d.files ?? [];
    const receipts = files.filter((f) => f.role === 'receipt' || f.role === 'slip' || f.role === 'result');
    return sendPage(reply, ctx, {
      title: { vi: 'Đã nộp hồ sơ', en: 'Application submitted' },
      body: html`<div class="panel panel-confirm">
<h1>${tr(lang, { vi: 'Đã nộp hồ sơ', en: 'Application submitted' })}</h1>
<p>${tr(lang, { vi: 'Mã hồ sơ của bạn', en: 'Your application code' })}<br><strong class="code" id="dossier-code">${d.code}</strong></p>
</div>
<p>${tr(lang, { vi: 'Hãy ghi lại mã hồ sơ. Bạn dùng mã này để tra cứu hồ sơ, kể cả khi không đăng nhập.', en: 'Write the code down. You use it to track the application, even without logging in.' })}</p>
${receipts.length > 0
        ? html`<h2>${tr(lang, { vi: 'Giấy tiếp nhận', en: 'Receipt' })}</h2><ul>${receipts.map((f) => html`<li><a href="/api/v1/files/${f.fileId}">${f.fileName ?? tr(lang, { vi: 'Tải giấy tiếp nhận', en: 'Download the receipt' })}</a></li>`)}</ul>`
        : html`<p>${tr(lang, { vi: 'Giấy tiếp nhận và hẹn trả kết quả sẽ có trong trang hồ sơ khi cơ quan tiếp nhận hồ sơ.', en: 'The receipt with the date of the result will be on the application\'s page once the office receives it.' })}</p>`}
<h2>${tr(lang, { vi: 'Việc tiếp theo', en: 'What happens next' })}</h2>
<p>${tr(lang, { vi: 'Cơ quan sẽ kiểm tra hồ sơ. Nếu còn thiếu giấy tờ, bạn sẽ được báo một lần, đầy đủ, để bổ sung trực tuyến.', en: 'The office will check the application. If anything is missing you will be told once, completely, and can add it online.' })}</p>
<p><a class="button" href="/ho-so/${encodeURIComponent(d.code)}">${tr(lang, { vi: 'Xem hồ sơ', en: 'View the application' })}</a> <a href="/ho-so">${tr(lang, { vi: 'Hồ sơ của tôi', en: 'My applications' })}</a></p>`,
    });
  });
}
