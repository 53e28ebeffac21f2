/**
 * An eForm for a procedure that has no hand-made one, generated from its catalogue
 * data so that every procedure can be applied for online: who applies (prefilled from
 * the identity), what they ask for, one upload slot per required document (its
 * quantity in the label, required or optional as the catalogue says), and how they
 * want the result. A hand-made eForm always wins over this one.
 */
import type { ApplicantType, ProcedureForm, RequiredDocument } from './types.ts';

const SCHEMA = 'https://json-schema.org/draft/2020-12/schema';
/** A slot holds up to this many files: a document of several pages may be photographed page by page. */
const MAX_FILES_PER_DOCUMENT = 20;

export interface GeneratedFormInput {
  code: string;
  name: string;
  requiredDocuments: readonly RequiredDocument[];
  applicantTypes: readonly ApplicantType[];
}

function quantityText(q: RequiredDocument['quantity']): { vi: string; en: string } | undefined {
  const vi: string[] = [];
  const en: string[] = [];
  if (q.original) {
    vi.push(`${q.original} bản chính`);
    en.push(`${q.original} original${q.original > 1 ? 's' : ''}`);
  }
  if (q.copy) {
    vi.push(`${q.copy} bản sao`);
    en.push(`${q.copy} cop${q.copy > 1 ? 'ies' : 'y'}`);
  }
  return vi.length > 0 ? { vi: vi.join(', '), en: en.join(', ') } : undefined;
}

/** A document name cut to a readable title (catalogue names can be whole paragraphs). */
function shortTitle(name: string, max = 160): string {
  const clean = name.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 20))}…`;
}

export function generateForm(p: GeneratedFormInput): ProcedureForm {
  const business = p.applicantTypes.includes('business');
  const citizen = p.applicantTypes.length === 0 || p.applicantTypes.includes('citizen');
  const applicant: Record<string, unknown> = {
    title: 'Người nộp hồ sơ',
    'x-title-en': 'Applicant',
    type: 'object',
    additionalProperties: false,
    properties: {
      fullName: { title: 'Họ và tên', 'x-title-en': 'Full name', type: 'string', minLength: 1, maxLength: 100, 'x-prefill': 'identity.name' },
      ...(citizen ? { personalId: { title: 'Số định danh cá nhân', 'x-title-en': 'Personal identification number', type: 'string', format: 'personal-id', 'x-prefill': 'identity.personalId' } } : {}),
      ...(business
        ? {
            organisationName: { title: 'Tên tổ chức, doanh nghiệp', 'x-title-en': 'Organisation name', type: 'string', minLength: 1, maxLength: 300, 'x-prefill': 'identity.name' },
            taxCode: { title: 'Mã số thuế', 'x-title-en': 'Tax code', type: 'string', format: 'tax-code', 'x-prefill': 'identity.taxCode' },
          }
        : {}),
      phone: { title: 'Số điện thoại', 'x-title-en': 'Phone number', type: 'string', format: 'vn-phone' },
      email: { title: 'Thư điện tử', 'x-title-en': 'Email', type: 'string', format: 'email', maxLength: 254 },
      address: { title: 'Địa chỉ liên hệ', 'x-title-en': 'Contact address', type: 'string', minLength: 1, maxLength: 300 },
    },
    required: ['fullName', 'phone', 'address', ...(citizen && !business ? ['personalId'] : [])],
  };

  const documents: Record<string, unknown> = {};
  const requiredDocs: string[] = [];
  p.requiredDocuments.forEach((d, i) => {
    const key = `doc${String(i + 1).padStart(2, '0')}`;
    const qty = quantityText(d.quantity);
    const title = shortTitle(d.name);
    documents[key] = {
      title: qty ? `${title} (${qty.vi})` : title,
      'x-title-en': `Document ${i + 1}${qty ? ` (${qty.en})` : ''}`,
      description: d.name,
      ...(d.formTemplate ? { 'x-description-en': `Template: ${d.formTemplate}` } : {}),
      type: 'array',
      minItems: d.required ? 1 : 0,
      maxItems: MAX_FILES_PER_DOCUMENT,
      items: { type: 'string', format: 'file-id' },
      'x-widget': 'file',
      'x-document': d.name,
    };
    if (d.required) requiredDocs.push(key);
  });

  const schema: Record<string, unknown> = {
    $schema: SCHEMA,
    $id: `urn:motcua:form:${p.code}:generated`,
    title: `Đơn đề nghị: ${p.name}`,
    'x-title-en': `Application: procedure ${p.code}`,
    type: 'object',
    additionalProperties: false,
    properties: {
      applicant,
      request: { title: 'Nội dung đề nghị', 'x-title-en': 'What you ask for', type: 'string', minLength: 1, maxLength: 4000, 'x-widget': 'textarea' },
      documents: {
        title: 'Thành phần hồ sơ',
        'x-title-en': 'Documents',
        type: 'object',
        additionalProperties: false,
        properties: documents,
        required: requiredDocs,
      },
      resultDelivery: {
        title: 'Hình thức nhận kết quả',
        'x-title-en': 'How to receive the result',
        type: 'string',
        enum: ['Trực tuyến', 'Tại bộ phận một cửa', 'Dịch vụ bưu chính'],
        'x-enum-en': ['Online', 'At the one-stop desk', 'By post'],
        'x-widget': 'radio',
      },
      commitment: {
        title: 'Tôi cam đoan những thông tin khai trên là đúng sự thật và chịu trách nhiệm trước pháp luật.',
        'x-title-en': 'I declare that the above is true and I answer before the law for it.',
        const: true,
      },
    },
    required: ['applicant', 'request', 'documents', 'resultDelivery', 'commitment'],
  };
  return { schema, uiOrder: ['applicant', 'request', 'documents', 'resultDelivery', 'commitment'] };
}
