import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectFileIds, createFormValidator } from '../../eforms/validator.ts';
import { loadDemoCatalogue, loadDemoExample, validateProcedure } from './index.ts';
import type { Procedure } from '../types.ts';

const validator = createFormValidator();
const catalogue = loadDemoCatalogue();
const byCode = new Map(catalogue.procedures.map((p) => [p.code, p]));
const CODES = ['1.000894', '1.001193', '1.001612', '1.004222', '1.004873'];

const proc = (code: string): Procedure => {
  const p = byCode.get(code);
  assert.ok(p, code);
  return p;
};
const example = (code: string): Record<string, unknown> => loadDemoExample(code) as Record<string, unknown>;
const errorsFor = (code: string, form: unknown) => {
  const r = validator.validate(proc(code).form.schema, form);
  return r.ok ? [] : r.errors;
};

test('the demo catalogue has the five procedures and Cao Bằng agencies', () => {
  assert.deepEqual(catalogue.procedures.map((p) => p.code), CODES);
  const agencyCodes = new Set(catalogue.agencies.map((a) => a.code));
  assert.equal(agencyCodes.size, catalogue.agencies.length, 'agency codes are unique');
  for (const a of catalogue.agencies) {
    assert.match(a.code, /^\d{3}\.\d{2}\.\d{2}\.H12$/);
    if (a.parentCode !== undefined) assert.ok(agencyCodes.has(a.parentCode), `${a.code} parent ${a.parentCode}`);
  }
  const names = catalogue.agencies.map((a) => a.name);
  assert.ok(names.includes('Ủy ban nhân dân phường Thục Phán'));
  assert.ok(names.includes('Trung tâm Phục vụ hành chính công tỉnh Cao Bằng'));
  for (const p of catalogue.procedures) {
    for (const c of p.receivingAgencyCodes ?? []) assert.ok(agencyCodes.has(c), `${p.code} receives at ${c}`);
    assert.deepEqual(p.workflow, { id: 'standard-one-stop', version: 1 });
  }
});

test('every demo procedure is valid and its eForm compiles', () => {
  const agencyCodes = new Set(catalogue.agencies.map((a) => a.code));
  for (const p of catalogue.procedures) {
    assert.deepEqual(validateProcedure(p, { validator, agencyCodes }), [], p.code);
    assert.deepEqual(validator.check(p.form.schema), [], p.code);
    assert.deepEqual(JSON.parse(JSON.stringify(p)), p, `${p.code} is plain JSON`);
  }
});

test('the sample form of every procedure validates, normalised (ISO dates, 0… phones, lower-case file ids)', () => {
  for (const code of CODES) {
    const input = example(code);
    const before = JSON.stringify(input);
    const r = validator.validate(proc(code).form.schema, input);
    assert.ok(r.ok, `${code}: ${JSON.stringify(r.ok ? null : r.errors, null, 1)}`);
    assert.equal(JSON.stringify(input), before, 'the example is not modified');
    const out = JSON.stringify(r.value);
    assert.doesNotMatch(out, /"\d{1,2}\/\d{1,2}\/\d{4}"/, `${code}: every date is ISO`);
    assert.doesNotMatch(out, /"\+84/, `${code}: phones are normalised`);
    for (const ref of collectFileIds(proc(code).form.schema, r.value)) assert.match(ref.fileId, /^[0-9a-f-]{36}$/);
  }
});

test('sample values: the birth form keeps the child and returns ISO dates and the birth certificate file', () => {
  const r = validator.validate(proc('1.001193').form.schema, example('1.001193'));
  assert.ok(r.ok);
  const v = r.value as { child: { dateOfBirth: string }; declarant: { phone: string } };
  assert.equal(v.child.dateOfBirth, '2026-11-08');
  assert.equal(v.declarant.phone, '0912345678');
  assert.deepEqual(collectFileIds(proc('1.001193').form.schema, r.value), [
    { pointer: '/birthEvidence/file', fileId: '6f1c2a9e-3b7d-4c51-9e2a-8d4b0f7c1a35' },
  ]);
});

test('birth form: a known father must be declared; bad dates and ids name their fields', () => {
  const form = example('1.001193');
  delete form.father;
  (form.child as Record<string, unknown>).dateOfBirth = '31/02/2026';
  (form.mother as Record<string, unknown>).personalId = '00419600273';
  const errors = errorsFor('1.001193', form);
  assert.deepEqual(
    errors.map((e) => [e.field, e.code]).sort(),
    [['/child/dateOfBirth', 'format.date-vn'], ['/father', 'required'], ['/mother/personalId', 'format.personal-id']],
  );
  const father = errors.find((e) => e.field === '/father');
  assert.deepEqual(father?.message, { vi: 'Vui lòng nhập Thông tin người cha.', en: 'Father is required.' });
  // father unknown: no father section needed
  const unknown = example('1.001193');
  delete unknown.father;
  unknown.fatherKnown = false;
  assert.deepEqual(errorsFor('1.001193', unknown), []);
});

test('birth form: a foreign parent gives a passport number instead of a personal id', () => {
  const form = example('1.001193');
  const father = form.father as Record<string, unknown>;
  father.nationality = 'Hàn Quốc';
  father.ethnicity = 'Người nước ngoài';
  delete father.personalId;
  father.residence = { country: 'Hàn Quốc', detail: '12 Sejong-daero, Jongno-gu, Seoul' };
  assert.deepEqual(errorsFor('1.001193', form).map((e) => e.field), ['/father/passportNumber']);
  father.passportNumber = 'M12345678';
  assert.deepEqual(errorsFor('1.001193', form), []);
});

test('marriage form: a second marriage must say how the first one ended', () => {
  const form = example('1.000894');
  delete (form.groom as Record<string, unknown>).previousMarriageEnd;
  assert.deepEqual(errorsFor('1.000894', form).map((e) => [e.field, e.code]), [['/groom/previousMarriageEnd', 'required']]);
});

test('permanent residence: the owner must consent unless the home is the applicant\'s own; renting needs the contract', () => {
  const form = example('1.004222');
  delete form.ownerConsent;
  assert.deepEqual(errorsFor('1.004222', form).map((e) => e.field), ['/ownerConsent']);
  form.basis = 'Chỗ ở hợp pháp thuộc quyền sở hữu của mình';
  assert.deepEqual(errorsFor('1.004222', form), []);
  form.basis = 'Chỗ ở hợp pháp do thuê, mượn, ở nhờ';
  const errors = errorsFor('1.004222', form).map((e) => e.field).sort();
  assert.deepEqual(errors, ['/documents/rentalContract', '/ownerConsent']);
  const consent = example('1.004222').ownerConsent as Record<string, unknown>;
  consent.agreed = false;
  const e2 = errorsFor('1.004222', { ...example('1.004222'), ownerConsent: consent });
  assert.equal(e2[0]?.field, '/ownerConsent/agreed');
  assert.match(e2[0]?.message.vi ?? '', /^Vui lòng xác nhận: Đồng ý cho người đề nghị/);
});

test('household business: name, capital, lines and the family authorisation', () => {
  const form = example('1.001612');
  form.businessName = 'Bánh cuốn Bà Hoa';
  form.capitalVnd = 1.5e8 + 0.5;
  form.businessLines = [];
  delete form.documents;
  const errors = errorsFor('1.001612', form).map((e) => [e.field, e.code]).sort();
  assert.deepEqual(errors, [['/businessLines', 'minItems'], ['/businessName', 'pattern'], ['/capitalVnd', 'type'], ['/documents', 'required']]);
  const individual = example('1.001612');
  individual.registeredBy = 'Cá nhân';
  delete individual.members;
  delete individual.documents;
  assert.deepEqual(errorsFor('1.001612', individual), []);
  // the owner's tax code, when given, is checked
  (individual.owner as Record<string, unknown>).taxCode = '0100107519';
  assert.deepEqual(errorsFor('1.001612', individual).map((e) => e.field), ['/owner/taxCode']);
});

test('marital status: one certificate for marriage; other purposes must be stated; divorce needs the earlier marriage', () => {
  const form = example('1.004873');
  form.quantity = 2;
  assert.deepEqual(errorsFor('1.004873', form).map((e) => [e.field, e.code]), [['/quantity', 'const']]);
  const other = example('1.004873');
  other.purpose = 'Mục đích khác';
  delete other.intendedSpouse;
  assert.deepEqual(errorsFor('1.004873', other).map((e) => e.field), ['/otherPurpose']);
  const divorced = example('1.004873');
  divorced.maritalStatus = 'Đã đăng ký kết hôn, đã ly hôn, chưa kết hôn lại';
  assert.deepEqual(errorsFor('1.004873', divorced).map((e) => e.field), ['/previousMarriages']);
});

test('every error on a demo form names its field with Vietnamese and English text', () => {
  for (const code of CODES) {
    const errors = errorsFor(code, { unexpected: 1 });
    assert.ok(errors.length > 1);
    for (const e of errors) {
      assert.match(e.field, /^\//);
      assert.ok(e.message.vi.length > 0 && e.message.en.length > 0);
    }
    assert.ok(errors.some((e) => e.field === '/unexpected' && e.code === 'additionalProperties'));
  }
});

test('validateProcedure reports what is wrong', () => {
  const p = structuredClone(proc('1.001193')) as unknown as Record<string, unknown>;
  p.code = '1001193';
  p.legalProcessingDays = 1.5;
  p.fees = [{ label: 'Lệ phí', amountVnd: -1 }];
  p.onlineLevel = 'partial';
  p.extra = true;
  p.receivingAgencyCodes = ['000.00.99.H12'];
  const form = p.form as { schema: Record<string, unknown>; uiOrder: string[] };
  form.uiOrder = [...form.uiOrder, 'nope'];
  const props = form.schema.properties as Record<string, unknown>;
  props.note = { type: 'string' };
  const problems = validateProcedure(p, { agencyCodes: new Set(catalogue.agencies.map((a) => a.code)) });
  for (const expected of [
    'unknown property "extra"',
    'code must look like 1.001193',
    'legalProcessingDays must be a whole number of working days',
    'fees[0].amountVnd must be a whole number of đồng ≥ 0',
    'a partial online procedure must give onlineLevelReason',
    'receiving agency 000.00.99.H12 is not a known agency',
    'form.uiOrder names "nope", which is not a form property',
    'form.uiOrder misses "note"',
    '#/properties/note has no title (Vietnamese)',
    '#/properties/note has no x-title-en (English)',
    '#/properties/note is a text without maxLength',
  ]) {
    assert.ok(problems.includes(expected), `missing: ${expected}\n${problems.join('\n')}`);
  }
  props.note = { type: 'string', maxLenght: 3, title: 'Ghi chú', 'x-title-en': 'Note' };
  assert.ok(validateProcedure(p).some((m) => m.startsWith('form.schema does not compile')));
  assert.deepEqual(validateProcedure(null), ['procedure must be an object']);
});

const DATASET = join(import.meta.dirname, '../../../../../shared/data/procedures/procedures.jsonl');

test('names, fields and levels match the national procedures database', { skip: !existsSync(DATASET) && 'shared dataset not present' }, () => {
  const rows = new Map<string, Record<string, string>>();
  for (const line of readFileSync(DATASET, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as Record<string, string>;
    if (row.ma_thu_tuc !== undefined && byCode.has(row.ma_thu_tuc)) rows.set(row.ma_thu_tuc, row);
  }
  for (const p of catalogue.procedures) {
    const row = rows.get(p.code);
    assert.ok(row, p.code);
    assert.equal(p.name, row.ten_thu_tuc);
    assert.equal(p.field, row.linh_vuc);
    assert.ok((row.cap_thuc_hien ?? '').includes(p.level === 'commune' ? 'Cấp xã' : 'Cấp tỉnh'));
    if (p.result.code !== undefined) assert.ok((row.ket_qua_xu_ly ?? '').includes(p.result.code), `${p.code} result code`);
  }
});
