import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDemoCatalogue } from '../../../modules/catalogue/demo/index.ts';
import type { Procedure } from '../../../modules/catalogue/types.ts';
import type { PageContext } from '../../kit/context.ts';
import { procedurePage, type ShownOffering } from './procedure.ts';

const ctx = (lang: 'vi' | 'en'): PageContext => ({ lang, principal: undefined, csrfToken: undefined, path: '/thu-tuc/x' });
const base = loadDemoCatalogue().procedures.find((p) => p.code === '1.001612')!;
const offering = (o: Partial<ShownOffering> = {}): ShownOffering => ({ procedureCode: base.code, agencyCode: 'A', agencyName: 'Ủy ban nhân dân phường Thục Phán', onlineLevel: 'full', active: true, ...o });

test('plain-language summary: time, fees in đồng, where, documents, legal basis, the apply link', () => {
  const page = procedurePage(ctx('vi'), base, [offering()]);
  const body = page.body.value;
  assert.equal(page.title, base.name);
  assert.match(body, /Mất bao lâu<\/dt><dd>3 ngày làm việc/);
  assert.match(body, /150\.000 ₫/);
  assert.match(body, /Ủy ban nhân dân phường Thục Phán/);
  assert.match(body, /Giấy đề nghị đăng ký hộ kinh doanh/);
  assert.match(body, /href="\/nop-ho-so\/1\.001612"/);
  for (const l of base.legalBasis) assert.ok(body.includes(l.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;')), l);
});

test('an offering\'s shorter deadline and its own fees win over the catalogue\'s', () => {
  const body = procedurePage(ctx('en'), base, [offering({ processingDays: 2, fees: [{ label: 'Lệ phí', amountVnd: 30000 }] })]).body.value;
  assert.match(body, /How long it takes<\/dt><dd>2 working days/);
  assert.match(body, /30\.000 ₫/);
  assert.doesNotMatch(body, /150\.000 ₫/);
  assert.match(body, /<span lang="vi">Lệ phí<\/span>/, 'Vietnamese catalogue text is marked on English pages');
});

test('cases and ways to apply are listed (at most 20 cases), free shown as free', () => {
  const p: Procedure = {
    ...base,
    fees: [{ label: 'Lệ phí', amountVnd: 0 }],
    channels: [
      { channel: 'online', processingDays: 1, fees: [{ label: 'Lệ phí', amountVnd: 10000 }] },
      { channel: 'counter', processingTime: { value: 2, unit: 'days', text: '2 ngày' }, fees: [] },
    ],
    variants: Array.from({ length: 23 }, (_, i) => ({ id: `v${i + 1}`, name: `Trường hợp <${i + 1}>`, legalProcessingDays: i + 1, channels: [], requiredDocuments: [] })),
  };
  const body = procedurePage(ctx('vi'), p, [offering()]).body.value;
  assert.match(body, /Cách nộp[\s\S]*Trực tuyến<\/strong> – 1 ngày làm việc – 10\.000 ₫[\s\S]*Trực tiếp tại bộ phận một cửa<\/strong> – 2 ngày/);
  assert.match(body, /Các trường hợp/);
  assert.equal((body.match(/Trường hợp &lt;\d+&gt;/g) ?? []).length, 20);
  assert.match(body, /và 3 trường hợp khác/);
  assert.match(body, /Chi phí<\/dt><dd><p>Miễn phí/);
});

test('steps and conditions: one paragraph per line, steps folded in a details element, "Không có thông tin" left out', () => {
  const body = procedurePage(ctx('vi'), { ...base, steps: '- Bước 1: nộp hồ sơ\n+ Trường hợp <a>\n\n- Bước 2: nhận kết quả', conditions: 'Không có thông tin' }, [offering()]).body.value;
  assert.match(body, /<details class="long-text"><summary>Xem trình tự thực hiện<\/summary><p>- Bước 1: nộp hồ sơ<\/p><p>\+ Trường hợp &lt;a&gt;<\/p><p>- Bước 2: nhận kết quả<\/p><\/details>/);
  assert.doesNotMatch(body, /Điều kiện/);
  const withConditions = procedurePage(ctx('vi'), { ...base, conditions: 'Có đủ năng lực hành vi dân sự' }, [offering()]).body.value;
  assert.match(withConditions, /<h2>Điều kiện<\/h2><p>Có đủ năng lực hành vi dân sự<\/p>/);
});
