import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseTemplateCsv } from './template.ts';
import type { ParseResult } from './types.ts';

const HEAD = 'ma_thu_tuc,ten_thu_tuc,truong_hop,linh_vuc,cap_thuc_hien,doi_tuong_thuc_hien,hinh_thuc_nop,thanh_phan_ho_so,ket_qua,can_cu_phap_ly';

function entries(results: ParseResult[]) {
  return results.flatMap((r) => (r.ok ? [r] : []));
}

test('the sample template shipped beside the parser reads without problems', () => {
  const results = parseTemplateCsv(readFileSync(new URL('./template-sample.csv', import.meta.url), 'utf8'));
  assert.deepEqual(results.filter((r) => !r.ok), []);
  const ok = entries(results);
  assert.deepEqual(ok.map((r) => [r.line, r.entry.code]), [[2, '1.001193'], [10, 'T-HN.0001'], [18, 'T-HN.0002']]);
  for (const r of ok) assert.deepEqual(r.problems, [], r.entry.code);
  const birth = ok[0]?.entry;
  assert.deepEqual(birth?.processingTime, { value: 1, unit: 'working_days', text: '1 ngày làm việc', source: 'table' });
  assert.deepEqual(birth?.results, [{ name: 'Giấy khai sinh', code: 'KQ.G15.000031' }]);
  assert.deepEqual(birth?.documents.map((d) => d.required), [true, true, false]);
  const cases = ok[1]?.entry.variants ?? [];
  assert.deepEqual(cases.map((v) => [v.name, v.channels[0]?.time?.value, v.documents.length]), [
    ['Người học cư trú trong tỉnh', 10, 2],
    ['Người học cư trú ngoài tỉnh', 15, 3],
  ]);
  const fees = ok[2]?.entry.channels[0]?.fees ?? [];
  assert.deepEqual(fees.map((f) => [f.amountVnd, f.condition]), [[250_000, 'nộp trực tuyến'], [500_000, 'nộp trực tiếp']]);
});

test('semicolon-delimited (Excel, Vietnamese locale), BOM, English headers, CRLF', () => {
  const csv = '\ufeffcode;name;field;levels;channels;documents\r\nX.1;Thủ tục X;Đất đai;province;"online | 3 ngày | 1,5 triệu đồng\r\npost | 5 ngày làm việc | Không có thông tin";Đơn | 2 bản chính\r\n';
  const [r] = parseTemplateCsv(csv);
  assert.ok(r?.ok);
  if (!r?.ok) return;
  assert.deepEqual(r.entry.levels, ['province']);
  assert.deepEqual(r.entry.channels.map((c) => [c.channel, c.time?.value, c.time?.unit, c.fees[0]?.amountVnd ?? null, c.free]), [
    ['online', 3, 'days', 1_500_000, false],
    ['post', 5, 'working_days', null, null],
  ]);
  assert.deepEqual(r.entry.documents[0]?.quantity, { original: 2 });
});

test('line-numbered problems: missing code, name, unknown channel, unreadable time, quantity and legal number', () => {
  const csv = [
    HEAD,
    ',Không mã,,Hộ tịch,Cấp xã,,Trực tuyến | 1 ngày | Miễn phí,Đơn,,',
    'A.1,,,Hộ tịch,Cấp xã,,Trực tuyến | 1 ngày | Miễn phí,Đơn,,',
    'A.2,Thủ tục A2,,Hộ tịch,Cấp huyện,Công dân Việt Nam,"Fax | 2 ngày | Miễn phí',
    'Trực tiếp | sớm | Miễn phí',
    'Trực tuyến | 3 | 12 con gà","Đơn | hai bản',
    'Tờ khai | 1 bản chính | | có lẽ",Kết quả,Luật Hộ tịch',
  ].join('\n');
  const results = parseTemplateCsv(csv);
  const bad = results.filter((r) => !r.ok).map((r) => (r.ok ? null : [r.line, r.problem.part]));
  assert.deepEqual(bad, [[2, 'code'], [3, 'name']]);
  const a2 = entries(results)[0];
  assert.equal(a2?.line, 4);
  assert.deepEqual(a2?.problems.map((p) => [p.line, p.part]), [
    [4, 'levels'],
    [4, 'channels'],
    [4, 'time'],
    [4, 'time'],
    [4, 'fees'],
    [4, 'documents'],
    [4, 'documents'],
    [4, 'legalBasis'],
  ]);
  assert.ok(a2?.problems.every((p) => p.code === 'A.2' && p.message.vi && p.message.en));
});

test('missing required columns, empty file, unclosed quote: one problem, no throw', () => {
  const noCols = parseTemplateCsv('ma_thu_tuc,ten_thu_tuc\n1,A\n');
  assert.equal(noCols.length, 1);
  const first = noCols[0];
  assert.ok(first && !first.ok && /linh_vuc/u.test(first.problem.message.vi));
  const empty = parseTemplateCsv('');
  assert.ok(!empty[0]?.ok);
  const unclosed = parseTemplateCsv(`${HEAD}\nA.1,Tên,,Hộ tịch,Cấp xã,,"Trực tuyến | 1 ngày | Miễn phí`);
  assert.deepEqual(unclosed.map((r) => (r.ok ? 'entry' : r.problem.part)), ['csv']);
  const u = unclosed[0];
  assert.ok(u && !u.ok && u.problem.line >= 1);
});

test('property: any text never throws, and every result has a line number ≥ 1', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(HEAD, '\n', ',', ';', '"', '|', 'Trực tuyến | 5 ngày làm việc | Miễn phí')), { maxLength: 20 }), (pieces) => {
      for (const r of parseTemplateCsv(pieces.join(''))) assert.ok(r.line >= 1);
    }),
    { numRuns: 300 },
  );
});
