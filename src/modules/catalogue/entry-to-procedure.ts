/**
 * A parsed catalogue entry (national export or the province's template) as a
 * Procedure of the catalogue: the level the province deals with, deadlines in working
 * days per channel and per case, fees, documents, and an eForm generated from them.
 * Pure; the import use case stores the result.
 */
import { latestDefinition } from '../workflow/index.ts';
import { generateForm } from './generated-form.ts';
import type { CatalogueEntry, ChannelRow, DocumentEntry, ImportApplicantType, ProcessingTime as EntryTime } from './import/types.ts';
import type { ApplicantType, ChannelOption, ProcedureFee, ProcedureLevel, ProcessingTime, ProcedureVariant, RequiredDocument } from './types.ts';
import type { ImportedProcedure } from './import-service.ts';

const WORKFLOW = 'standard-one-stop';
/** Working hours in a working day (Decree 118/2025: 8 hours), to count hours as days. */
const HOURS_PER_DAY = 8;

/**
 * A processing time in working days, rounded up. Calendar days are kept as their number
 * (the law counts them as days; a deadline in working days is never earlier than that).
 */
export function toWorkingDays(t: Pick<ProcessingTime, 'value' | 'unit'> | null | undefined): number | undefined {
  if (!t || !Number.isFinite(t.value) || t.value < 0) return undefined;
  switch (t.unit) {
    case 'working_days':
    case 'days':
    case 'unspecified':
      return Math.ceil(t.value);
    case 'working_hours':
    case 'hours':
      return Math.max(1, Math.ceil(t.value / HOURS_PER_DAY));
    case 'minutes':
      return 1;
    case 'weeks':
      return Math.ceil(t.value * 5);
    case 'months':
      return Math.ceil(t.value * 22);
    case 'years':
      return Math.ceil(t.value * 250);
  }
}

/** The level the province deals with: the commune where the commune performs it, else the province, else what the catalogue names. */
export function primaryLevel(levels: readonly ProcedureLevel[]): ProcedureLevel {
  for (const l of ['commune', 'province', 'ministry', 'other'] as const) if (levels.includes(l)) return l;
  return 'province';
}

const BUSINESS_LIKE: readonly ImportApplicantType[] = ['business', 'foreign_invested_business', 'cooperative', 'organisation', 'foreign_organisation'];

export function applicantTypesOf(types: readonly ImportApplicantType[]): ApplicantType[] {
  const out = new Set<ApplicantType>();
  for (const t of types) out.add(BUSINESS_LIKE.includes(t) ? 'business' : 'citizen');
  // A catalogue that names nobody is open to both.
  return out.size > 0 ? [...out].sort() : ['business', 'citizen'];
}

const time = (t: EntryTime | null): ProcessingTime | undefined => (t ? { value: t.value, unit: t.unit, text: t.text } : undefined);

function channelOption(r: ChannelRow): ChannelOption {
  const processingTime = time(r.time);
  const processingDays = toWorkingDays(processingTime);
  const fees: ProcedureFee[] = r.fees
    .filter((f) => f.currency === 'VND' || f.amountVnd !== undefined)
    .map((f) => ({ label: f.text.slice(0, 500) || r.feeText.slice(0, 500) || 'Phí, lệ phí', amountVnd: f.amountVnd ?? f.amount, ...(f.condition ? { condition: f.condition } : {}) }));
  if (fees.length === 0 && r.free === true) fees.push({ label: 'Miễn phí', amountVnd: 0 });
  return {
    channel: r.channel,
    ...(processingTime ? { processingTime } : {}),
    ...(processingDays !== undefined ? { processingDays } : {}),
    fees,
    ...(r.description ? { description: r.description.slice(0, 2000) } : {}),
  };
}

function requiredDocument(d: DocumentEntry): RequiredDocument {
  return {
    name: d.name.slice(0, 2000),
    quantity: d.quantity,
    required: d.required,
    ...(d.formTemplates.length > 0 ? { formTemplate: d.formTemplates.join('; ') } : {}),
  };
}

/** The legal deadline of a set of channel rows: the online one when there is one (the dossier is submitted online), else the longest. */
function deadlineOf(options: readonly ChannelOption[], fallback: number | undefined): number {
  const online = options.find((o) => o.channel === 'online' && o.processingDays !== undefined);
  if (online?.processingDays !== undefined) return online.processingDays;
  const days = options.map((o) => o.processingDays).filter((d): d is number => d !== undefined);
  return days.length > 0 ? Math.max(...days) : (fallback ?? 0);
}

/** Fees without repeats (the same fee is often listed for every channel). */
function distinctFees(options: readonly ChannelOption[]): ProcedureFee[] {
  const seen = new Map<string, ProcedureFee>();
  for (const o of options) for (const f of o.fees) seen.set(`${f.amountVnd}\u0000${f.condition ?? ''}`, f);
  return [...seen.values()];
}

export function entryToProcedure(e: CatalogueEntry): ImportedProcedure {
  const levels = e.levels.length > 0 ? [...e.levels] : (['province'] as ProcedureLevel[]);
  const channels = e.channels.map(channelOption);
  const legalProcessingDays = deadlineOf(channels, toWorkingDays(e.processingTime));
  const requiredDocuments = e.documents.map(requiredDocument);
  const applicantTypes = applicantTypesOf(e.applicantTypes);
  const hasOnline = channels.some((c) => c.channel === 'online');
  const variants: ProcedureVariant[] = e.variants.map((v, i) => {
    const vc = v.channels.map(channelOption);
    const docs = v.documents.map(requiredDocument);
    return {
      id: `v${i + 1}`,
      name: v.name.slice(0, 500),
      legalProcessingDays: deadlineOf(vc, legalProcessingDays),
      channels: vc,
      requiredDocuments: docs,
      form: generateForm({ code: `${e.code}:v${i + 1}`, name: `${e.name} — ${v.name}`.slice(0, 600), requiredDocuments: docs, applicantTypes }),
    };
  });
  const results = e.results.map((r) => ({ name: r.name.slice(0, 1000), ...(r.code ? { code: r.code } : {}) }));
  const workflow = latestDefinition(WORKFLOW)!;
  return {
    code: e.code,
    name: e.name,
    field: e.field || 'Khác',
    level: primaryLevel(levels),
    levels,
    competentAgency: e.agencies.competent || e.agencies.performing,
    legalProcessingDays,
    processingTime: time(e.processingTime) ?? null,
    fees: distinctFees(channels),
    requiredDocuments,
    channels,
    onlineLevel: hasOnline ? 'full' : 'partial',
    ...(hasOnline ? {} : { onlineLevelReason: 'Danh mục quốc gia không có hình thức nộp trực tuyến cho thủ tục này' }),
    form: generateForm({ code: e.code, name: e.name, requiredDocuments, applicantTypes }),
    workflow: { id: workflow.id, version: workflow.version },
    legalBasis: e.legalBasis.map((l) => (l.title ? `${l.number} — ${l.title}` : l.number)),
    result: results[0] ?? { name: 'Kết quả giải quyết thủ tục hành chính' },
    results,
    applicantTypes,
    ...(variants.length > 0 ? { variants } : {}),
    ...(e.conditions ? { conditions: e.conditions } : {}),
    ...(e.steps ? { steps: e.steps } : {}),
    origin: { ...(e.announcingDecision ? { announcingDecision: e.announcingDecision } : {}), ...(e.source ? { ministry: e.source } : {}), ...(e.sourceUrl ? { url: e.sourceUrl } : {}) },
  };
}
