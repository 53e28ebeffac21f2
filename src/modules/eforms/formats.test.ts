import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  PERSONAL_ID_PROVINCE_CODES,
  checkPersonalId,
  checkTaxCode,
  isRealDate,
  normalizePhone,
  parseDateVn,
  parsePersonalId,
  taxCheckDigit,
  todayInVietnam,
} from './formats.ts';

test('personal id: structure per Circular 59/2021 (place, century/sex, year, serial)', () => {
  assert.equal(PERSONAL_ID_PROVINCE_CODES.size, 63);
  assert.equal(checkPersonalId('004203001234', 2026), null); // Cao Bằng, male, 2003
  assert.equal(checkPersonalId('001190012345', 2026), null); // Hà Nội, female, 1990
  assert.deepEqual(parsePersonalId('079301000001'), {
    placeCode: '079',
    centuryCode: 3,
    birthYear: 2001,
    sex: 'female',
    serial: '000001',
  });
  assert.equal(checkPersonalId('00420300123', 2026), 'length');
  assert.equal(checkPersonalId('0042030012345', 2026), 'length');
  assert.equal(checkPersonalId('00420300123a', 2026), 'not_digits');
  assert.equal(checkPersonalId('004 203 001 234', 2026), 'not_digits');
  assert.equal(checkPersonalId('003203001234', 2026), 'place_code'); // 003 is not a province
  assert.equal(checkPersonalId('000203001234', 2026), 'place_code');
  assert.equal(checkPersonalId('004403001234', 2026), 'century_code'); // 22nd century
  assert.equal(checkPersonalId('004230001234', 2026), 'birth_year_future'); // 2030
  assert.equal(checkPersonalId('004226001234', 2026), null); // born this year
  assert.equal(checkPersonalId(4203001234, 2026), 'not_string');
});

test('tax code: check digit verified against published codes', () => {
  for (const real of ['0100107518', '0300588569', '0101248141', '0100109106', '0101245486', '0100107370', '0100112437']) {
    assert.equal(checkTaxCode(real, 2026), null, real);
  }
  assert.equal(checkTaxCode('0100107519', 2026), 'check_digit');
  assert.equal(checkTaxCode('0100107518-001', 2026), null);
  assert.equal(checkTaxCode('0100107518001', 2026), null);
  assert.equal(checkTaxCode('0100107518-000', 2026), 'branch_code');
  assert.equal(checkTaxCode('0100107519-001', 2026), 'check_digit');
  assert.equal(checkTaxCode('004203001234', 2026), null); // personal id as tax code (since 1/7/2025)
  assert.equal(checkTaxCode('01001075', 2026), 'shape');
  assert.equal(checkTaxCode('01001075x8', 2026), 'not_digits');
  assert.equal(taxCheckDigit('010010737'), 0); // remainder 10 → check digit 0
});

test('tax code: every 9-digit prefix with a defined check digit gives a valid code; other last digits fail', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^\d{9}$/), fc.integer({ min: 0, max: 9 }), (prefix, last) => {
      const expected = taxCheckDigit(prefix);
      const r = checkTaxCode(prefix + String(last), 2026);
      if (expected === last) assert.equal(r, null);
      else assert.equal(r, 'check_digit');
    }),
  );
});

test('phone: mobile, landline, +84 and 84 forms normalised to 0…', () => {
  assert.equal(normalizePhone('0912345678'), '0912345678');
  assert.equal(normalizePhone('0912 345 678'), '0912345678');
  assert.equal(normalizePhone('091.234.5678'), '0912345678');
  assert.equal(normalizePhone('+84912345678'), '0912345678');
  assert.equal(normalizePhone('+84 (0)912345678'), null);
  assert.equal(normalizePhone('84912345678'), '0912345678');
  assert.equal(normalizePhone('0084 86 123 4567'), '0861234567');
  assert.equal(normalizePhone('02063852123'), '02063852123'); // Cao Bằng landline
  assert.equal(normalizePhone('+84 206 3852 123'), '02063852123');
  assert.equal(normalizePhone('0112345678'), null); // no such prefix
  assert.equal(normalizePhone('0312345678'), null); // 031 is not a mobile prefix
  assert.equal(normalizePhone('091234567'), null); // 9 digits
  assert.equal(normalizePhone('09123456789'), null); // 11-digit mobile
  assert.equal(normalizePhone('abc'), null);
});

test('phone: any number with a valid mobile prefix is accepted in every written form', () => {
  const prefixes = ['32', '33', '34', '35', '36', '37', '38', '39', '52', '55', '56', '58', '59', '70', '76', '77', '78', '79', '81', '82', '83', '84', '85', '86', '87', '88', '89', '90', '91', '92', '93', '94', '96', '97', '98', '99'];
  fc.assert(
    fc.property(fc.constantFrom(...prefixes), fc.stringMatching(/^\d{7}$/), (p, rest) => {
      const national = `0${p}${rest}`;
      for (const form of [national, `+84${p}${rest}`, `84${p}${rest}`, `0${p} ${rest.slice(0, 3)} ${rest.slice(3)}`]) {
        assert.equal(normalizePhone(form), national, form);
      }
    }),
  );
});

test('date-vn: dd/mm/yyyy, d/m/yyyy and ISO accepted; impossible dates rejected', () => {
  assert.deepEqual(parseDateVn('05/03/2024'), { iso: '2024-03-05' });
  assert.deepEqual(parseDateVn('5/3/2024'), { iso: '2024-03-05' });
  assert.deepEqual(parseDateVn('5-3-2024'), { iso: '2024-03-05' });
  assert.deepEqual(parseDateVn('05.03.2024'), { iso: '2024-03-05' });
  assert.deepEqual(parseDateVn('2024-03-05'), { iso: '2024-03-05' });
  assert.deepEqual(parseDateVn(' 29/02/2024 '), { iso: '2024-02-29' });
  assert.deepEqual(parseDateVn('29/02/2025'), { reason: 'calendar' });
  assert.deepEqual(parseDateVn('31/02/2025'), { reason: 'calendar' });
  assert.deepEqual(parseDateVn('29/02/1900'), { reason: 'calendar' });
  assert.deepEqual(parseDateVn('29/02/2000'), { iso: '2000-02-29' });
  assert.deepEqual(parseDateVn('31/04/2025'), { reason: 'calendar' });
  assert.deepEqual(parseDateVn('01/13/2025'), { reason: 'calendar' });
  assert.deepEqual(parseDateVn('00/12/2025'), { reason: 'calendar' });
  assert.deepEqual(parseDateVn('2025-02-30'), { reason: 'calendar' });
  assert.deepEqual(parseDateVn('05/03/24'), { reason: 'shape' });
  assert.deepEqual(parseDateVn('05/03-2024'), { reason: 'shape' });
  assert.deepEqual(parseDateVn('05/03/0199'), { reason: 'year_range' });
  assert.deepEqual(parseDateVn('2024/03/05'), { reason: 'shape' });
  assert.deepEqual(parseDateVn(20240305), { reason: 'not_string' });
});

test('isRealDate agrees with the JavaScript calendar', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
      const js = new Date(Date.UTC(y, m - 1, d));
      const real = js.getUTCFullYear() === y && js.getUTCMonth() === m - 1 && js.getUTCDate() === d;
      assert.equal(isRealDate(y, m, d), real);
    }),
  );
});

test('today in Vietnam is UTC+7', () => {
  assert.equal(todayInVietnam(new Date('2025-12-31T16:59:59Z')), '2025-12-31');
  assert.equal(todayInVietnam(new Date('2025-12-31T17:00:00Z')), '2026-01-01');
});
