import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { collectFileIds, createFormValidator } from '../eforms/validator.ts';
import { generateForm } from './generated-form.ts';
import type { RequiredDocument } from './types.ts';

const validator = createFormValidator({ now: () => new Date('2026-11-23T03:00:00Z') });
const docs: RequiredDocument[] = [
  { name: 'Tờ khai đăng ký theo mẫu', quantity: { original: 1 }, required: true, formTemplate: 'Mẫu 01/TK' },
  { name: 'Giấy tờ chứng minh nơi cư trú', quantity: { copy: 2 }, required: true },
  { name: 'Văn bản ủy quyền (trường hợp ủy quyền)', quantity: { original: 1 }, required: false },
];
const form = generateForm({ code: '2.000001', name: 'Thủ tục thử', requiredDocuments: docs, applicantTypes: ['citizen'] });
const valid = (fileIds: string[][]) => ({
  applicant: { fullName: 'Nguyễn Văn An', personalId: '004085012345', phone: '0912 345 678', address: 'Số 1, phường Thục Phán, Cao Bằng' },
  request: 'Đề nghị giải quyết',
  documents: Object.fromEntries(fileIds.map((ids, i) => [`doc${String(i + 1).padStart(2, '0')}`, ids])),
  resultDelivery: 'Trực tuyến',
  commitment: true,
});

describe('generated eForm', () => {
  it('compiles with the server’s validator and accepts a complete application', () => {
    assert.deepEqual(validator.check(form.schema), []);
    const r = validator.validate(form.schema, valid([[randomUUID()], [randomUUID(), randomUUID()], []]));
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  });

  it('asks for every required document, names the slot, and leaves optional ones optional', () => {
    const r = validator.validate(form.schema, valid([[], [], []]));
    assert.ok(!r.ok);
    const fields = r.errors.map((e) => e.field).sort();
    assert.deepEqual(fields, ['/documents/doc01', '/documents/doc02']);
    for (const e of r.errors) assert.ok(e.message.vi.includes('Tờ khai') || e.message.vi.includes('Giấy tờ'), e.message.vi);
  });

  it('shows the quantity asked for in each slot and keeps the full name of the document', () => {
    const slots = (form.schema.properties as { documents: { properties: Record<string, { title: string; description: string }> } }).documents.properties;
    assert.match(slots.doc01!.title, /1 bản chính/);
    assert.match(slots.doc02!.title, /2 bản sao/);
    assert.equal(slots.doc03!.description, docs[2]!.name);
  });

  it('a business applies with its tax code', () => {
    const b = generateForm({ code: '2.000002', name: 'Thủ tục doanh nghiệp', requiredDocuments: [], applicantTypes: ['business'] });
    const r = validator.validate(b.schema, { ...valid([]), applicant: { fullName: 'Lục Văn Thành', organisationName: 'Công ty TNHH A', taxCode: '4800206198', phone: '0912345678', address: 'Cao Bằng' } });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  });

  it('property: for any list of documents the form compiles, requires exactly the required ones, and every attached file is found', () => {
    const doc = fc.record({
      name: fc.string({ minLength: 1, maxLength: 400 }),
      quantity: fc.record({ original: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }), copy: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }) }, { requiredKeys: [] }),
      required: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 30 }), (list) => {
        const clean = list.map((d) => ({ ...d, quantity: Object.fromEntries(Object.entries(d.quantity).filter(([, v]) => v !== undefined)) })) as RequiredDocument[];
        const f = generateForm({ code: '2.000003', name: 'x', requiredDocuments: clean, applicantTypes: [] });
        assert.deepEqual(validator.check(f.schema), []);
        const required = (f.schema.properties as { documents: { required: string[] } }).documents.required;
        assert.equal(required.length, clean.filter((d) => d.required).length);
        const ids = clean.map(() => [randomUUID()]);
        const value = valid(ids);
        const r = validator.validate(f.schema, value);
        assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
        assert.equal(collectFileIds(f.schema, r.value).length, ids.length);
      }),
      { numRuns: 60 },
    );
  });
});
