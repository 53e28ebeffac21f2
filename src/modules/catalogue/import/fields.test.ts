import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseApplicants, parseLegalBasis, parseLevels, parseResults } from './fields.ts';

test('levels: the four published values, in any combination; unknown ones are problems', () => {
  assert.deepEqual(parseLevels('Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác').levels, ['ministry', 'province', 'commune', 'other']);
  assert.deepEqual(parseLevels('Cấp xã').levels, ['commune']);
  const odd = parseLevels('Cấp tỉnh, Cấp huyện');
  assert.deepEqual(odd.levels, ['province']);
  assert.equal(odd.problems[0]?.part, 'levels');
  assert.equal(parseLevels('').problems.length, 1);
});

test('applicant types: phrases with commas inside, longest first, in published order', () => {
  const r = parseApplicants('Tổ chức (không bao gồm doanh nghiệp, HTX), Công dân Việt Nam, Cán bộ, công chức, viên chức, Doanh nghiệp có vốn đầu tư nước ngoài, Doanh nghiệp');
  assert.deepEqual(r.applicantTypes, ['organisation', 'citizen', 'civil_servant', 'foreign_invested_business', 'business']);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    parseApplicants('Người Việt Nam định cư ở nước ngoài, Người nước ngoài cư trú tại Việt Nam, Tổ chức nước ngoài, Hợp tác xã, Tổ chức Đảng, Đảng viên').applicantTypes,
    ['overseas_vietnamese', 'foreigner', 'foreign_organisation', 'cooperative', 'party_organisation', 'party_member'],
  );
  const odd = parseApplicants('Công dân Việt Nam, Hộ kinh doanh');
  assert.deepEqual(odd.applicantTypes, ['citizen']);
  assert.match(odd.problems[0]?.en ?? '', /Hộ kinh doanh/u);
});

test('legal basis: one number per row, titles kept, numbers cited inside a title are not rows', () => {
  const r = parseLegalBasis(
    'Tên văn bản pháp lýMã văn bảnLuật Thú yLuật 79/2015/QH13Nghị định sửa đổi, bổ sung một số điều của Nghị định số 35/2016/NĐ-CP ngày 15 tháng 5 năm 2016 của Chính phủ quy định chi tiết một số điều của Luật Thú y.80/2022/NĐ-CPNghị định 83/2018/NĐ-CP83/2018/NĐ-CP',
  );
  assert.deepEqual(r.legalBasis.map((l) => l.number), ['79/2015/QH13', '80/2022/NĐ-CP', '83/2018/NĐ-CP']);
  assert.equal(r.legalBasis[0]?.title, 'Luật Thú y');
  assert.match(r.legalBasis[1]?.title ?? '', /^Nghị định sửa đổi.*Luật Thú y\.$/u);
  assert.deepEqual(r.problems, []);
  assert.equal(parseLegalBasis('Không có thông tin').absent, true);
  const noNumber = parseLegalBasis('Tên văn bản pháp lýMã văn bảnLuật Hóa chất');
  assert.equal(noNumber.legalBasis.length, 0);
  assert.equal(noNumber.problems[0]?.part, 'legalBasis');
});

test('results: names with their national codes; page furniture dropped; malformed codes reported', () => {
  const r = parseResults(
    'Biển số xeMã: KQ.G01.000015Giấy chứng nhận đăng ký xeMã: KQ.G01.000014Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phố',
  );
  assert.deepEqual(r.results, [
    { name: 'Biển số xe', code: 'KQ.G01.000015' },
    { name: 'Giấy chứng nhận đăng ký xe', code: 'KQ.G01.000014' },
  ]);
  const glued = parseResults('Giấy chứng nhậnMã: KQ.G10.000209-văn bản trả lờiMã: KQ.G10.001331Từ khóa');
  assert.deepEqual(glued.results.map((x) => [x.name, x.code]), [['Giấy chứng nhận', 'KQ.G10.000209'], ['văn bản trả lời', 'KQ.G10.001331']]);
  const junk = parseResults('Bản sao giao dịch được chứng thựcMã: dsfasTừ khóa');
  assert.equal(junk.results[0]?.code, 'dsfas');
  assert.equal(junk.problems[0]?.part, 'result');
  assert.equal(parseResults('').results.length, 0);
  assert.deepEqual(parseResults('Văn bản tố tụng của Tòa án theo tiến trình giải quyết').results, [{ name: 'Văn bản tố tụng của Tòa án theo tiến trình giải quyết' }]);
});
