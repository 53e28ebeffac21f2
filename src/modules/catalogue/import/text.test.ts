import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { clean, findDurations, findLegalNumbers, findMoney, firstDuration, leadingBracket, parseNumber, stripListMarker } from './text.ts';

test('numbers written with grouping or decimal separators', () => {
  assert.equal(parseNumber('1.350.000'), 1350000);
  assert.equal(parseNumber('1,350,000'), 1350000);
  assert.equal(parseNumber('1 350 000'), 1350000);
  assert.equal(parseNumber('20'), 20);
  assert.equal(parseNumber('2,5'), 2.5);
  assert.equal(parseNumber('0.5'), 0.5);
  assert.equal(parseNumber('1.234,5'), 1234.5);
  assert.equal(parseNumber('1.2.3'), null);
  assert.equal(parseNumber('abc'), null);
  assert.equal(parseNumber('12.'), null);
});

test('money in Vietnamese text: đồng, VNĐ, multipliers, USD', () => {
  const amounts = (s: string) => findMoney(s).map((m) => [m.amount, m.currency]);
  assert.deepEqual(amounts('Đăng ký mới: 1.350.000 đồng/loại thuốc'), [[1350000, 'VND']]);
  assert.deepEqual(amounts('Phí : 50.000 Đồng - 50.000đ/tem “AB”'), [[50000, 'VND'], [50000, 'VND']]);
  assert.deepEqual(amounts('+ Từ 50 tỷ đến dưới 150 tỷ: 20 triệu đồng/ Giấy chứng nhận'), [[50e9, 'VND'], [150e9, 'VND'], [20e6, 'VND']]);
  assert.deepEqual(amounts('9,9 tỷ đồng'), [[9.9e9, 'VND']]);
  assert.deepEqual(amounts('100 USD/thẻ'), [[100, 'USD']]);
  assert.deepEqual(amounts('4,000,000 Việt Nam Đồng'), [[4e6, 'VND']]);
  // Numbers without a currency or multiplier are not money: dates, articles, document numbers.
  assert.deepEqual(amounts('Thông tư số 25/2021/TT-BTC ngày 07/4/2021, Điều 5'), []);
});

test('property: an amount written with dots, commas, spaces, "đồng", "đ", "VNĐ" reads as the same integer', () => {
  const group = (n: number, sep: string) => n.toString().replace(/\B(?=(\d{3})+(?!\d))/gu, sep);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 999_999_999_999 }),
      fc.constantFrom('.', ',', ' ', ''),
      fc.constantFrom(' đồng', 'đồng', ' Đồng', 'đ', ' VNĐ', ' Việt Nam Đồng', ' VND'),
      fc.constantFrom('', 'Lệ phí: ', 'Mức thu '),
      fc.constantFrom('', '/hồ sơ', '/lần.', ')'),
      (n, sep, cur, before, after) => {
        const found = findMoney(`${before}${group(n, sep)}${cur}${after}`);
        assert.equal(found.length, 1);
        assert.equal(found[0]?.amount, n);
        assert.equal(found[0]?.currency, 'VND');
      },
    ),
  );
});

test('property: "N triệu đồng" and "N nghìn đồng" multiply', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 999 }), (n) => {
      assert.equal(findMoney(`${n} triệu đồng`)[0]?.amount, n * 1_000_000);
      assert.equal(findMoney(`${n} nghìn đồng`)[0]?.amount, n * 1_000);
    }),
  );
});

test('durations: units, leading zeros, spelled numbers in brackets; dates are not durations', () => {
  const d = (s: string) => findDurations(s).map((x) => [x.value, x.unit]);
  assert.deepEqual(d('Trong thời hạn 05 ngày làm việc kể từ ngày nhận đủ hồ sơ'), [[5, 'working_days']]);
  assert.deepEqual(d('07 (bảy) ngày làm việc'), [[7, 'working_days']]);
  assert.deepEqual(d('Không quá 12 giờ làm việc; 3 tháng; 30 ngày'), [[12, 'working_hours'], [3, 'months'], [30, 'days']]);
  assert.deepEqual(d('ngày 15/11/2015, năm 2026, tháng 7'), []);
  assert.equal(firstDuration('Thời hạn giải quyết: 60 ngày, kể từ ngày thụ lý')?.value, 60);
  assert.equal(firstDuration('không có thời hạn'), null);
});

test('legal document numbers, glued to titles as the flattening leaves them', () => {
  const n = (s: string) => findLegalNumbers(s).map((x) => x.number);
  assert.deepEqual(n('Luật Hộ tịch số 60/2014/QH13'), ['60/2014/QH13']);
  assert.deepEqual(n('Nghị định 56/2023/NĐ-CP56/2023/NĐ-CPThông tư'), ['56/2023/NĐ-CP', '56/2023/NĐ-CP']);
  assert.deepEqual(n('Luật 54/2014/QH1354/2014/QH13'), ['54/2014/QH13', '54/2014/QH13']);
  assert.deepEqual(n('Luật Khiếu nại năm 201102/2011/QH13Quy định'), ['02/2011/QH13']);
  assert.deepEqual(n('Nghị quyết số 66.7/2025/NQ-CP'), ['66.7/2025/NQ-CP']);
  assert.deepEqual(n('Thông tư liên tịch 11/2016/TTLT-BTP-TANDTC-VKSNDTC'), ['11/2016/TTLT-BTP-TANDTC-VKSNDTC']);
  assert.deepEqual(n('BAN HÀNH QUY TRÌNH2222/QĐ-BHXHNghị định'), ['2222/QĐ-BHXH']);
  assert.deepEqual(n('Quyết định 09/2023/QĐ-TTg09/2023/QĐ-TTg'), ['09/2023/QĐ-TTg', '09/2023/QĐ-TTg']);
  assert.deepEqual(n('885/QĐ-BCA-C06'), ['885/QĐ-BCA-C06']);
  assert.deepEqual(n('kiểm lâm.16/2025/TT-BNNMT'), ['16/2025/TT-BNNMT']);
  assert.deepEqual(n('ngày 30/6/2023 và 12/4/2023'), []);
});

test('list markers, brackets, whitespace', () => {
  assert.equal(stripListMarker('- Đơn đề nghị'), 'Đơn đề nghị');
  assert.equal(stripListMarker('a) Đơn đề nghị'), 'Đơn đề nghị');
  assert.equal(stripListMarker('(1) Đơn đề nghị'), 'Đơn đề nghị');
  assert.equal(stripListMarker('+ 1. Đơn'), 'Đơn');
  assert.equal(stripListMarker('b.1) Bản sao'), 'Bản sao');
  assert.equal(leadingBracket('(a (b) c)rest'), '(a (b) c)');
  assert.equal(leadingBracket('(open'), null);
  assert.equal(clean(' a\u200e\u00a0 b\n'), 'a b');
});

test('property: the text helpers never throw on any string', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
      findMoney(s);
      findDurations(s);
      findLegalNumbers(s);
      parseNumber(s);
      stripListMarker(s);
      leadingBracket(s);
    }),
  );
});
