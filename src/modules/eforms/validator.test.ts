import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { collectFileIds, createFormValidator, type FormSchema } from './validator.ts';
import { PERSONAL_ID_PROVINCE_CODES } from './formats.ts';

const NOW = new Date('2026-03-15T03:00:00Z');
const validator = createFormValidator({ now: () => NOW });

const birthSchema: FormSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['child', 'declarant'],
  properties: {
    child: {
      type: 'object',
      title: 'Thông tin người được khai sinh',
      'x-title-en': 'Child',
      additionalProperties: false,
      required: ['fullName', 'dateOfBirth', 'sex'],
      properties: {
        fullName: { type: 'string', title: 'Họ, chữ đệm, tên', 'x-title-en': 'Full name', minLength: 1, maxLength: 100 },
        dateOfBirth: { type: 'string', format: 'date-vn', 'x-not-future': true, title: 'Ngày, tháng, năm sinh', 'x-title-en': 'Date of birth' },
        sex: { type: 'string', enum: ['Nam', 'Nữ'], title: 'Giới tính', 'x-title-en': 'Sex' },
      },
    },
    declarant: { $ref: '#/$defs/person' },
    phone: { type: 'string', format: 'vn-phone', title: 'Số điện thoại', 'x-title-en': 'Phone number' },
    email: { type: 'string', format: 'email', maxLength: 254, title: 'Thư điện tử', 'x-title-en': 'E-mail' },
    copies: { type: 'integer', minimum: 0, maximum: 10, title: 'Số bản sao', 'x-title-en': 'Number of copies' },
    attachments: {
      type: 'array',
      title: 'Giấy tờ đính kèm',
      'x-title-en': 'Attachments',
      maxItems: 3,
      items: { type: 'string', format: 'file-id', title: 'Tệp đính kèm', 'x-title-en': 'Attached file' },
    },
    agree: { type: 'boolean', const: true, title: 'Tôi cam đoan nội dung khai là đúng sự thật', 'x-title-en': 'I declare the above is true' },
  },
  $defs: {
    person: {
      type: 'object',
      title: 'Người yêu cầu',
      'x-title-en': 'Declarant',
      additionalProperties: false,
      required: ['fullName', 'personalId'],
      properties: {
        fullName: { type: 'string', maxLength: 100, title: 'Họ, chữ đệm, tên người yêu cầu', 'x-title-en': "Declarant's full name" },
        personalId: { type: 'string', format: 'personal-id', title: 'Số định danh cá nhân', 'x-title-en': 'Personal identification number' },
        taxCode: { type: 'string', format: 'tax-code' },
      },
    },
  },
};

const goodBirth = () => ({
  child: { fullName: 'Nguyễn Minh An', dateOfBirth: '5/3/2026', sex: 'Nam' },
  declarant: { fullName: 'Nguyễn Văn Bình', personalId: '004090001234' },
  phone: '+84 912 345 678',
  attachments: ['3F2504E0-4F89-41D3-9A0C-0305E82C3301'],
  agree: true,
});

const errorsOf = (schema: FormSchema, data: unknown) => {
  const r = validator.validate(schema, data);
  assert.equal(r.ok, false, 'expected validation to fail');
  return r.ok ? [] : r.errors;
};

test('a valid form returns a normalised copy; the input is untouched', () => {
  const input = goodBirth();
  const before = structuredClone(input);
  const r = validator.validate(birthSchema, input);
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.value, {
    child: { fullName: 'Nguyễn Minh An', dateOfBirth: '2026-03-05', sex: 'Nam' },
    declarant: { fullName: 'Nguyễn Văn Bình', personalId: '004090001234' },
    phone: '0912345678',
    attachments: ['3f2504e0-4f89-41d3-9a0c-0305e82c3301'],
    agree: true,
  });
  assert.deepEqual(input, before);
  assert.notEqual(r.value, input);
});

test('required errors point at the missing property itself, with its title', () => {
  const errors = errorsOf(birthSchema, { child: { sex: 'Nữ' }, declarant: { fullName: 'A' } });
  const byField = new Map(errors.map((e) => [e.field, e]));
  assert.deepEqual(byField.get('/child/fullName'), {
    field: '/child/fullName',
    code: 'required',
    message: { vi: 'Vui lòng nhập Họ, chữ đệm, tên.', en: 'Full name is required.' },
  });
  assert.ok(byField.has('/child/dateOfBirth'));
  // through a $ref
  assert.equal(byField.get('/declarant/personalId')?.message.en, 'Personal identification number is required.');
  assert.equal(byField.get('/declarant/personalId')?.message.vi, 'Vui lòng nhập Số định danh cá nhân.');
});

test('every failing field is listed (allErrors) with bilingual messages', () => {
  const errors = errorsOf(birthSchema, {
    child: { fullName: 'x'.repeat(101), dateOfBirth: '31/02/2025', sex: 'Khác' },
    declarant: { fullName: 'A', personalId: '00409000123', taxCode: '0100107519' },
    phone: '0112345678',
    email: 'not-an-email',
    copies: 11,
    attachments: ['nope', '3F2504E0-4F89-41D3-9A0C-0305E82C3301', 'x', 'y'],
    agree: false,
    extra: 'x',
  });
  const codes = Object.fromEntries(errors.map((e) => [e.field, e.code]));
  assert.deepEqual(codes, {
    '/child/fullName': 'maxLength',
    '/child/dateOfBirth': 'format.date-vn',
    '/child/sex': 'enum',
    '/declarant/personalId': 'format.personal-id',
    '/declarant/taxCode': 'format.tax-code',
    '/phone': 'format.vn-phone',
    '/email': 'format.email',
    '/copies': 'maximum',
    '/attachments': 'maxItems',
    '/attachments/0': 'format.file-id',
    '/attachments/2': 'format.file-id',
    '/attachments/3': 'format.file-id',
    '/agree': 'const',
    '/extra': 'additionalProperties',
  });
  const msg = (f: string) => errors.find((e) => e.field === f)?.message;
  assert.deepEqual(msg('/child/dateOfBirth'), {
    vi: 'Ngày, tháng, năm sinh: ngày “31/02/2025” không có trên lịch.',
    en: 'Date of birth: “31/02/2025” is not a real calendar date.',
  });
  assert.deepEqual(msg('/declarant/personalId'), {
    vi: 'Số định danh cá nhân phải gồm đúng 12 chữ số (đã nhập 11).',
    en: 'Personal identification number must have exactly 12 digits (11 entered).',
  });
  assert.match(msg('/declarant/taxCode')?.en ?? '', /^TaxCode is not valid: the check digit/);
  assert.deepEqual(msg('/extra'), {
    vi: 'Thông tin “extra” không có trong biểu mẫu, vui lòng bỏ đi.',
    en: '“extra” is not a field of this form; please remove it.',
  });
  assert.equal(msg('/attachments/2')?.vi, 'Tệp đính kèm (mục 3): tệp đính kèm không hợp lệ, vui lòng tải tệp lên lại.');
  assert.equal(msg('/agree')?.en, 'Please confirm: I declare the above is true.');
  assert.equal(msg('/copies')?.vi, 'Số bản sao phải không quá 10.');
  assert.equal(msg('/child/sex')?.en, 'Sex must be one of: “Nam”, “Nữ”.');
  assert.equal(msg('/child/fullName')?.vi, 'Họ, chữ đệm, tên không được dài quá 100 ký tự.');
});

test('type errors and dates in the future', () => {
  const errors = errorsOf(birthSchema, {
    child: { fullName: 12, dateOfBirth: '16/03/2026', sex: 'Nam' },
    declarant: [],
  });
  const byField = Object.fromEntries(errors.map((e) => [e.field, e]));
  assert.deepEqual(byField['/child/fullName']?.message, { vi: 'Họ, chữ đệm, tên phải là chuỗi ký tự.', en: 'Full name must be text.' });
  assert.equal(byField['/child/dateOfBirth']?.code, 'x-not-future');
  assert.equal(byField['/declarant']?.message.en, 'Declarant must be a group of fields.');
  // today (Vietnam time) is not in the future
  assert.ok(validator.validate(birthSchema, { ...goodBirth(), child: { fullName: 'A', dateOfBirth: '15/03/2026', sex: 'Nam' } }).ok);
});

test('titles fall back to the property name', () => {
  const schema = { type: 'object', required: ['soNha'], properties: { soNha: { type: 'string' } } };
  const [e] = errorsOf(schema, {});
  assert.deepEqual(e?.message, { vi: 'Vui lòng nhập soNha.', en: 'SoNha is required.' });
});

test('conditional requirements (if/then) report the then-errors only', () => {
  const schema: FormSchema = {
    type: 'object',
    properties: {
      fatherKnown: { type: 'boolean', title: 'Đã xác định được cha' },
      father: { type: 'object', title: 'Thông tin người cha', 'x-title-en': 'Father', properties: {} },
    },
    if: { properties: { fatherKnown: { const: true } }, required: ['fatherKnown'] },
    then: { required: ['father'] },
  };
  assert.ok(validator.validate(schema, { fatherKnown: false }).ok);
  const errors = errorsOf(schema, { fatherKnown: true });
  assert.deepEqual(errors, [
    { field: '/father', code: 'required', message: { vi: 'Vui lòng nhập Thông tin người cha.', en: 'Father is required.' } },
  ]);
});

test('oneOf reports one summary error on the field', () => {
  const schema: FormSchema = {
    type: 'object',
    properties: {
      id: { title: 'Giấy tờ', 'x-title-en': 'Document', oneOf: [{ type: 'string', format: 'personal-id' }, { type: 'string', pattern: '^[A-Z]\\d{7}$' }] },
    },
  };
  assert.ok(validator.validate(schema, { id: 'C1234567' }).ok);
  const errors = errorsOf(schema, { id: 'zzz' });
  assert.deepEqual(errors.map((e) => [e.field, e.code]), [['/id', 'oneOf']]);
});

test('compile cache: by object identity and by $id; a new version of the same $id replaces the old', () => {
  const v = createFormValidator({ now: () => NOW });
  const s1: FormSchema = { $id: 'urn:motcua:form:test', type: 'object', properties: { a: { type: 'string', maxLength: 2 } } };
  assert.ok(v.validate(s1, { a: 'ab' }).ok);
  assert.ok(v.validate(structuredClone(s1), { a: 'ab' }).ok); // same $id, same content
  const s2: FormSchema = { $id: 'urn:motcua:form:test', type: 'object', properties: { a: { type: 'string', maxLength: 1 } } };
  assert.equal(v.validate(s2, { a: 'ab' }).ok, false);
  assert.deepEqual(v.check(s2), []);
});

test('check() reports schemas that do not compile (unknown keywords, bad formats)', () => {
  assert.equal(validator.check({ type: 'object', properties: { a: { type: 'string', maxLenght: 3 } } }).length, 1);
  assert.equal(validator.check({ type: 'string', format: 'no-such-format' }).length, 1);
  assert.deepEqual(validator.check({ type: 'string', 'x-title-en': 'ok', 'x-widget': 'textarea' }), []);
});

test('a normalising format on the root schema', () => {
  const r = validator.validate({ type: 'string', format: 'date-vn' }, '1/2/2020');
  assert.deepEqual(r, { ok: true, value: '2020-02-01' });
});

test('collectFileIds follows properties, arrays, $ref and branches', () => {
  const schema: FormSchema = {
    type: 'object',
    properties: {
      main: { $ref: '#/$defs/file' },
      list: { type: 'array', items: { $ref: '#/$defs/file' } },
      nested: { type: 'object', properties: { 'a/b': { type: 'string', format: 'file-id' } } },
      maybe: { anyOf: [{ type: 'null' }, { type: 'string', format: 'file-id' }] },
      notAFile: { type: 'string' },
    },
    $defs: { file: { type: 'string', format: 'file-id' } },
  };
  const value = {
    main: '11111111-1111-4111-8111-111111111111',
    list: ['22222222-2222-4222-8222-222222222222', 'AAAAAAAA-2222-4222-8222-222222222222'],
    nested: { 'a/b': '33333333-3333-4333-8333-333333333333' },
    maybe: '44444444-4444-4444-8444-444444444444',
    notAFile: '55555555-5555-4555-8555-555555555555',
  };
  assert.deepEqual(collectFileIds(schema, value), [
    { pointer: '/main', fileId: '11111111-1111-4111-8111-111111111111' },
    { pointer: '/list/0', fileId: '22222222-2222-4222-8222-222222222222' },
    { pointer: '/list/1', fileId: 'aaaaaaaa-2222-4222-8222-222222222222' },
    { pointer: '/nested/a~1b', fileId: '33333333-3333-4333-8333-333333333333' },
    { pointer: '/maybe', fileId: '44444444-4444-4444-8444-444444444444' },
  ]);
  assert.deepEqual(collectFileIds({ $ref: '#' }, 'x'), []); // cycles terminate
});

test('collectFileIds finds files inside recursive schemas, and skips parts that cannot hold one', () => {
  // The recursion comes before the file property, so deciding "can hold a file" meets the cycle first.
  const schema: FormSchema = {
    $ref: '#/$defs/node',
    $defs: {
      node: {
        type: 'object',
        properties: {
          children: { type: 'array', items: { $ref: '#/$defs/node' } },
          label: { type: 'string' },
          doc: { type: 'string', format: 'file-id' },
        },
      },
    },
  };
  const a = '11111111-1111-4111-8111-111111111111';
  const b = '22222222-2222-4222-8222-222222222222';
  const value = { label: a, children: [{ label: b, children: [{ doc: b }] }, { doc: a }] };
  for (let round = 0; round < 2; round++) {
    // The second round uses what the first one learnt about the schema.
    assert.deepEqual(collectFileIds(schema, value), [
      { pointer: '/children/0/children/0/doc', fileId: b },
      { pointer: '/children/1/doc', fileId: a },
    ]);
  }
});

// ---------------------------------------------------------------------------
// property tests
// ---------------------------------------------------------------------------

const idSchema: FormSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'personal-id', title: 'Số định danh cá nhân', 'x-title-en': 'Personal ID' } },
};

test('property: any well-formed 12-digit personal id is accepted', () => {
  const provinces = [...PERSONAL_ID_PROVINCE_CODES];
  fc.assert(
    fc.property(
      fc.constantFrom(...provinces),
      fc.integer({ min: 1900, max: 2026 }),
      fc.boolean(),
      fc.stringMatching(/^\d{6}$/),
      (place, year, female, serial) => {
        const century = (year >= 2000 ? 2 : 0) + (female ? 1 : 0);
        const id = `${place}${century}${String(year % 100).padStart(2, '0')}${serial}`;
        const r = validator.validate(idSchema, { id });
        assert.deepEqual(r, { ok: true, value: { id } });
      },
    ),
  );
});

test('property: personal ids of any other length, or with non-digits, are rejected', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.stringMatching(/^\d{0,30}$/).filter((s) => s.length !== 12),
        fc.string({ minLength: 12, maxLength: 12 }).filter((s) => !/^\d{12}$/.test(s)),
      ),
      (id) => {
        const r = validator.validate(idSchema, { id });
        assert.equal(r.ok, false);
        if (!r.ok) assert.deepEqual(r.errors.map((e) => [e.field, e.code]), [['/id', 'format.personal-id']]);
      },
    ),
  );
});

const dateSchema: FormSchema = { type: 'object', properties: { d: { type: 'string', format: 'date-vn', title: 'Ngày' } } };
const pad = (n: number) => String(n).padStart(2, '0');

test('property: any real calendar date typed as dd/mm/yyyy or d/m/yyyy round-trips to the same ISO date', () => {
  fc.assert(
    fc.property(
      fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }),
      fc.boolean(),
      (date, padded) => {
        const y = date.getUTCFullYear();
        const m = date.getUTCMonth() + 1;
        const d = date.getUTCDate();
        const typed = padded ? `${pad(d)}/${pad(m)}/${y}` : `${d}/${m}/${y}`;
        const iso = `${y}-${pad(m)}-${pad(d)}`;
        assert.deepEqual(validator.validate(dateSchema, { d: typed }), { ok: true, value: { d: iso } });
        assert.deepEqual(validator.validate(dateSchema, { d: iso }), { ok: true, value: { d: iso } });
      },
    ),
  );
});

test('property: impossible dates are rejected', () => {
  const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
  fc.assert(
    fc.property(
      fc.integer({ min: 1000, max: 9999 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 3 }),
      fc.boolean(),
      (y, m, over, badMonth) => {
        const typed = badMonth ? `01/${12 + over}/${y}` : `${daysIn(y, m) + over}/${m}/${y}`;
        const r = validator.validate(dateSchema, { d: typed });
        assert.equal(r.ok, false, typed);
        if (!r.ok) assert.equal(r.errors[0]?.code, 'format.date-vn');
      },
    ),
  );
});

test('property: validation never mutates its input, and every error names a field in both languages', () => {
  const fieldValue = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom('5/3/2026', '31/02/2025', '+84912345678', '004090001234', '3F2504E0-4F89-41D3-9A0C-0305E82C3301'),
  );
  const person = fc.record(
    { fullName: fieldValue, personalId: fieldValue, taxCode: fieldValue },
    { requiredKeys: [] },
  );
  const form = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.record(
      {
        child: fc.oneof(fc.record({ fullName: fieldValue, dateOfBirth: fieldValue, sex: fieldValue }, { requiredKeys: [] }), fieldValue),
        declarant: fc.oneof(person, fieldValue),
        phone: fieldValue,
        email: fieldValue,
        copies: fieldValue,
        attachments: fc.oneof(fc.array(fieldValue, { maxLength: 5 }), fieldValue),
        agree: fieldValue,
        other: fieldValue,
      },
      { requiredKeys: [] },
    ),
  );
  fc.assert(
    fc.property(form, (data) => {
      const before = JSON.stringify(data);
      const r = validator.validate(birthSchema, data);
      assert.equal(JSON.stringify(data), before);
      if (!r.ok) {
        assert.ok(r.errors.length > 0);
        for (const e of r.errors) {
          assert.equal(typeof e.field, 'string');
          assert.ok(e.field === '' || e.field.startsWith('/'), e.field);
          assert.ok(e.code.length > 0);
          assert.ok(e.message.vi.trim().length > 0 && e.message.en.trim().length > 0);
          assert.ok(!e.message.vi.includes('undefined') && !e.message.en.includes('undefined'), JSON.stringify(e));
        }
      }
    }),
    { numRuns: 300 },
  );
});
