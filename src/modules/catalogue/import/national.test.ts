import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseNationalFile, parseNationalLine } from './national.ts';
import type { ParseResult } from './types.ts';

/** A line as the national export writes it (Justice, birth registration, shortened). */
const birth = {
  ma_thu_tuc: '1.001193',
  detail_url: 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/x',
  ten_thu_tuc: 'Thủ tục đăng ký khai sinh',
  so_quyet_dinh: '163/QĐ-BTP',
  cap_thuc_hien: 'Cấp xã',
  loai_thu_tuc: 'TTHC được giao luật quy định chi tiết',
  linh_vuc: 'Hộ tịch',
  doi_tuong_thuc_hien: 'Công dân Việt Nam, Người Việt Nam định cư ở nước ngoài',
  co_quan_co_tham_quyen: 'Ủy ban nhân dân cấp xã',
  dia_chi_tiep_nhan: '',
  co_quan_duoc_uy_quyen: '',
  co_quan_phoi_hop: '',
  thu_tuc_lien_quan: 'Không có thông tin',
  trinh_tu_thuc_hien: 'Bước 1: Người yêu cầu nộp hồ sơ.\nBước 2: Cán bộ tư pháp kiểm tra.',
  cach_thuc_thuc_hien:
    'Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1 Ngày làm việcMiễn phí(Miễn lệ phí đăng ký khai sinh)Dịch vụ bưu chính1 Ngày làm việcMiễn phíTrực tiếp1 Ngày làm việcMiễn phí',
  thanh_phan_ho_so:
    '* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai đăng ký khai sinh theo mẫuTờ khai đăng ký khai sinh.docx1 bản chínhGiấy chứng sinh1 bản chínhVăn bản ủy quyền (nếu có)1 bản chính* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượngHộ chiếu, thẻ Căn cước1 bản chính',
  can_cu_phap_ly: 'Tên văn bản pháp lýMã văn bảnLuật Hộ tịch60/2014/QH13Nghị định 123/2015/NĐ-CP123/2015/NĐ-CP',
  co_quan_thuc_hien: 'Ủy ban nhân dân cấp xã',
  yeu_cau_dieu_kien: 'Không có thông tin',
  ket_qua_xu_ly: 'Giấy khai sinhMã: KQ.G15.000031Từ khóaKhông có thông tinMô tảKhông có thông tin',
  bo_nganh: 'bo-tu-phap',
};

function ok(r: ParseResult) {
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problem));
  return r;
}

test('a whole line: every part read, raw text kept', () => {
  const r = ok(parseNationalLine(JSON.stringify(birth), 7));
  const e = r.entry;
  assert.deepEqual(r.problems, []);
  assert.equal(e.code, '1.001193');
  assert.equal(e.field, 'Hộ tịch');
  assert.deepEqual(e.levels, ['commune']);
  assert.deepEqual(e.applicantTypes, ['citizen', 'overseas_vietnamese']);
  assert.deepEqual(e.channels.map((c) => c.channel), ['online', 'post', 'counter']);
  assert.deepEqual(e.processingTime, { value: 1, unit: 'working_days', text: '1 Ngày làm việc', source: 'table' });
  assert.deepEqual(e.documents.map((d) => [d.name, d.required]), [
    ['Tờ khai đăng ký khai sinh theo mẫu', true],
    ['Giấy chứng sinh', true],
    ['Văn bản ủy quyền (nếu có)', false],
    ['Hộ chiếu, thẻ Căn cước', true],
  ]);
  assert.deepEqual(e.documents[0]?.templateFiles, ['Tờ khai đăng ký khai sinh.docx']);
  assert.deepEqual(e.results, [{ name: 'Giấy khai sinh', code: 'KQ.G15.000031' }]);
  assert.deepEqual(e.legalBasis.map((l) => l.number), ['60/2014/QH13', '123/2015/NĐ-CP']);
  assert.equal(e.announcingDecision, '163/QĐ-BTP');
  assert.equal(e.conditions, '');
  assert.equal(e.steps, 'Bước 1: Người yêu cầu nộp hồ sơ.\nBước 2: Cán bộ tư pháp kiểm tra.');
  assert.deepEqual(e.variants, [], 'sections to submit and to show are complements, not cases');
  assert.equal(e.raw['cach_thuc_thuc_hien'], birth.cach_thuc_thuc_hien);
  assert.equal(e.source, 'bo-tu-phap');
});

test('cases from document sections, matched with the channel table when both give the same number of cases', () => {
  const line = {
    ...birth,
    cach_thuc_thuc_hien:
      'Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp26 Ngày làm việcMiễn phíTrường hợp chưa thăm dòTrực tiếp40 Ngày làm việcMiễn phíTrường hợp đã thăm dò',
    thanh_phan_ho_so:
      'Trường hợp trả lại giấy phép khi chưa thăm dòTên giấy tờMẫu đơn, tờ khaiSố lượngGiấy phép thăm dò1 bản chínhVăn bản đề nghị trả lại1 bản chínhTrường hợp trả lại giấy phép khi đã thăm dòTên giấy tờMẫu đơn, tờ khaiSố lượngGiấy phép thăm dò1 bản chínhBáo cáo kết quả thăm dò1 bản chính',
  };
  const e = ok(parseNationalLine(JSON.stringify(line), 1)).entry;
  assert.deepEqual(e.variants.map((v) => [v.name, v.channels.map((c) => c.time?.value), v.documents.length, v.basis]), [
    ['Trường hợp trả lại giấy phép khi chưa thăm dò', [26], 2, ['channels', 'documents']],
    ['Trường hợp trả lại giấy phép khi đã thăm dò', [40], 2, ['channels', 'documents']],
  ]);
  assert.equal(e.processingTime?.value, 26, 'the deadline is the common (first) case');
});

test('cases from the channel table only, named from the descriptions', () => {
  const line = {
    ...birth,
    cach_thuc_thuc_hien:
      'Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến18 Ngày làm việcKhông có thông tin18 ngày đối với trường hợp nộp tiền tại địa phươngTrực tuyến27 Ngày làm việcKhông có thông tin27 ngày đối với trường hợp trồng rừng tại địa phương khác',
  };
  const e = ok(parseNationalLine(JSON.stringify(line), 1)).entry;
  assert.deepEqual(e.variants.map((v) => [v.name, v.documents.length]), [
    ['Trường hợp nộp tiền tại địa phương', 4],
    ['Trường hợp trồng rừng tại địa phương khác', 4],
  ]);
});

test('malformed lines: bad JSON, not an object, missing code or name, empty', () => {
  const bad = parseNationalLine('{"ma_thu_tuc": "1.0', 12);
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.equal(bad.problem.line, 12);
    assert.equal(bad.problem.part, 'json');
    assert.ok(bad.problem.message.vi && bad.problem.message.en);
  }
  for (const [text, part] of [
    ['[1,2]', 'json'],
    ['"text"', 'json'],
    ['', 'json'],
    [JSON.stringify({ ten_thu_tuc: 'X' }), 'code'],
    [JSON.stringify({ ma_thu_tuc: '1.1', ten_thu_tuc: '  ' }), 'name'],
  ] as const) {
    const r = parseNationalLine(text, 3);
    assert.equal(r.ok, false, text);
    if (!r.ok) assert.deepEqual([r.problem.line, r.problem.part], [3, part]);
  }
});

test('a whole file: one result per line, numbered from 1, a final newline adds no line', () => {
  const results = parseNationalFile(`${JSON.stringify(birth)}\nnot json\n${JSON.stringify({ ...birth, ma_thu_tuc: '1.2' })}\n`);
  assert.deepEqual(results.map((r) => [r.line, r.ok]), [[1, true], [2, false], [3, true]]);
});

test('property: any line that is not JSON gives a malformed problem with its line number, never a throw', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.integer({ min: 1, max: 100_000 }), (s, n) => {
      let json = true;
      try {
        JSON.parse(s);
      } catch {
        json = false;
      }
      fc.pre(!json);
      const r = parseNationalLine(s, n);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.problem.line, n);
        assert.equal(r.problem.part, 'json');
      }
    }),
  );
});

test('property: arbitrary strings (or other JSON values) in any field never throw; every problem carries the line', () => {
  const fields = Object.keys(birth);
  const value = fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
    { weight: 2, arbitrary: fc.constantFrom('Trực tuyến', 'Tên giấy tờMẫu đơn, tờ khaiSố lượng', '1 bản chính', 'Mã: KQ.G01.1', '5 Ngày làm việc', '(', '1200 VNĐ') },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.boolean()) },
  );
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...fields), value), fc.integer({ min: 1, max: 9999 }), (changes, n) => {
      const r = parseNationalLine(JSON.stringify({ ...birth, ...changes }), n);
      if (r.ok) {
        for (const p of r.problems) assert.equal(p.line, n);
        assert.equal(typeof r.entry.code, 'string');
        assert.ok(r.entry.code.length > 0 && r.entry.name.length > 0);
      } else {
        assert.equal(r.problem.line, n);
      }
    }),
    { numRuns: 300 },
  );
});
