import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadDemoCatalogue } from '../catalogue/demo/index.ts';
import { documentTypes, effectiveValidUntil, fieldAt, fileFieldsOf, parseDocumentTypes, retentionOf, typeForDocumentName, typeForResultCode } from './document-types.ts';

test('the shipped rules load; a birth certificate is kept permanently, a marital status certificate is valid six months', () => {
  const t = documentTypes();
  assert.deepEqual(retentionOf('birth_certificate', t), { permanent: true });
  assert.deepEqual(retentionOf('no_such_type', t), t.defaultRetention);
  assert.deepEqual(retentionOf('unclassified', t), t.unclassifiedRetention);
  assert.equal(typeForResultCode('KQ.G15.000031', t), 'birth_certificate');
  assert.equal(typeForResultCode('KQ.G15.000038', t), 'marital_status_certificate');
  assert.equal(typeForDocumentName('  Giấy tờ chứng minh  nơi cư trú ', t), 'residence_proof');
  assert.equal(
    effectiveValidUntil({ documentType: 'marital_status_certificate', validFrom: '2026-01-31', validUntil: null, createdAt: new Date() }, t),
    '2026-07-30',
  );
  assert.equal(effectiveValidUntil({ documentType: 'birth_certificate', validFrom: '2026-01-31', validUntil: null, createdAt: new Date() }, t), null);
  assert.equal(effectiveValidUntil({ documentType: 'birth_certificate', validFrom: null, validUntil: '2027-01-01', createdAt: new Date() }, t), '2027-01-01');
});

test('mistakes in the rules are refused, naming where', () => {
  const ok = { defaultRetention: { years: 1 }, withdrawnOrRefusedUploads: { years: 1 }, unclassifiedRetention: { years: 1 }, types: { a: { name: { vi: 'a', en: 'a' }, retention: { years: 2 } } } };
  assert.equal(parseDocumentTypes(ok).types.size, 1);
  assert.throws(() => parseDocumentTypes({ ...ok, types: { a: { name: { vi: 'a', en: 'a' }, retention: { years: -1 } } } }), /types\.a: retention/);
  assert.throws(() => parseDocumentTypes({ ...ok, types: { 'A b': { name: { vi: 'a', en: 'a' }, retention: { years: 1 } } } }), /lower-case/);
  assert.throws(() => parseDocumentTypes({ ...ok, types: { a: { name: { vi: 'a' }, retention: { years: 1 } } } }), /name needs/);
  assert.throws(
    () => parseDocumentTypes({ ...ok, types: { a: { name: { vi: 'a', en: 'a' }, documents: ['X'], retention: { years: 1 } }, b: { name: { vi: 'b', en: 'b' }, documents: ['x'], retention: { years: 1 } } } }),
    /already given to a/,
  );
});

test('every file field of the demo eForms is found, and the documents citizens bring again map to a type', () => {
  const fields = new Map<string, ReturnType<typeof fileFieldsOf>>();
  for (const p of loadDemoCatalogue().procedures) fields.set(p.code, fileFieldsOf(p.form.schema));
  const birth = fields.get('1.001193')!;
  assert.equal(fieldAt(birth, '/attachments/residenceProof')?.documentType, 'residence_proof');
  assert.equal(fieldAt(birth, '/birthEvidence/file')?.documentType, 'birth_medical_certificate');
  assert.equal(fieldAt(fields.get('1.004873')!, '/reissue/previousCertificate')?.documentType, 'marital_status_certificate');
  assert.equal(fieldAt(fields.get('1.004873')!, '/attachments/residenceProof')?.documentType, 'residence_proof');
  assert.equal(fieldAt(fields.get('1.000894')!, '/attachments/residenceProofBride')?.documentType, 'residence_proof');
  for (const [code, list] of fields) {
    assert.ok(list.length > 0, code);
    for (const f of list) assert.ok(f.documentType !== undefined, `${code} ${f.pointer} (${f.document}) has a type`);
  }
});

test('property: a concrete array index falls under its field', () => {
  const fields = fileFieldsOf({ type: 'object', properties: { docs: { type: 'array', items: { type: 'string', format: 'file-id', 'x-document': 'Giấy khai sinh' } } } });
  fc.assert(
    fc.property(fc.nat(10_000), (i) => {
      assert.equal(fieldAt(fields, `/docs/${i}`)?.documentType, 'birth_certificate');
    }),
  );
});
