import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import birth from '../../modules/catalogue/demo/procedures/1.001193.json' with { type: 'json' };
import { createFormValidator } from '../../modules/eforms/validator.ts';
import { applyStep, fieldId, kindOf, planSteps, prefillValues, resolve, setAt, stepOf, targetId, valueAt, type Schema } from './form-model.ts';
import { answerRows, renderStepFields } from './form-render.ts';

const schema = birth.form.schema as unknown as Schema;
const uiOrder = birth.form.uiOrder;

describe('steps of an eForm', () => {
  test('the birth registration: one step per group, "father known" asked with the father, the declaration kept for the end', () => {
    const { steps, declaration } = planSteps(schema, uiOrder);
    assert.deepEqual(steps.map((s) => s.properties), [
      ['declarant'], ['child'], ['mother'], ['fatherKnown', 'father'], ['parentsMarriage'], ['birthEvidence'], ['attachments'], ['copies', 'resultDelivery'],
    ]);
    assert.equal(declaration, 'commitment');
    assert.deepEqual(steps.filter((s) => s.hasFile).map((s) => s.n), [6, 7], 'steps with documents are sent as multipart');
    assert.equal(stepOf(steps, '/child/placeOfBirth/address/detail')?.n, 2);
    assert.equal(stepOf(steps, '/nope'), undefined);
  });

  test('how each kind of question is shown', () => {
    const at = (p: string) => kindOf(resolve(schema, valueAtSchema(p)));
    assert.equal(at('/child/sex'), 'radio');
    assert.equal(at('/child/ethnicity'), 'select');
    assert.equal(at('/declarant/relationship'), 'select', 'seven choices: a list');
    assert.equal(at('/child/dateOfBirth'), 'date');
    assert.equal(at('/birthEvidence/file'), 'file');
    assert.equal(at('/fatherKnown'), 'boolean');
    assert.equal(at('/commitment'), 'declaration');
    assert.equal(at('/copies'), 'integer');
    assert.equal(at('/declarant/residence/provinceCode'), 'province');
  });
});

function valueAtSchema(pointer: string): unknown {
  let cur: Schema = schema;
  for (const seg of pointer.slice(1).split('/')) cur = resolve(schema, (cur.properties as Record<string, unknown>)[seg]);
  return cur;
}

describe('answers posted by a browser become form data', () => {
  test('types, blanks, groups', () => {
    const values = applyStep(schema, {}, { properties: ['copies', 'resultDelivery'] }, { '/copies': ' 2 ', '/resultDelivery': 'Nhận bản điện tử' });
    assert.deepEqual(values, { copies: 2, resultDelivery: 'Nhận bản điện tử' });
    assert.deepEqual(applyStep(schema, {}, { properties: ['copies'] }, { '/copies': 'hai' }), { copies: 'hai' }, 'kept as typed for the validator to name');
    assert.deepEqual(applyStep(schema, { copies: 3 }, { properties: ['copies'] }, { '/copies': '' }), {}, 'an emptied answer is removed');

    // An unticked box is "no"; a blank optional group (with its default "Việt Nam" shown) is left out.
    const father = applyStep(schema, {}, { properties: ['fatherKnown', 'father'] }, { '/father/fullName': '', '/father/nationality': 'Việt Nam', '/father/residence/detail': '' });
    assert.deepEqual(father, { fatherKnown: false });
    // A required group is kept (even empty) so its own questions are named as missing.
    const declarant = applyStep(schema, {}, { properties: ['declarant'] }, { '/declarant/fullName': '  Nông Thị Hạnh ' });
    assert.deepEqual(declarant, { declarant: { fullName: 'Nông Thị Hạnh', residence: {} } });
    const r = createFormValidator().validate(schema, declarant);
    assert.ok(!r.ok && r.errors.some((e) => e.field === '/declarant/residence/detail'));
  });

  test('other steps and uploaded files are kept', () => {
    const before = { child: { fullName: 'Khôi' }, birthEvidence: { kind: 'Giấy chứng sinh', file: '6f1c2a9e-3b7d-4c51-9e2a-8d4b0f7c1a35' } };
    const after = applyStep(schema, before, { properties: ['birthEvidence'] }, { '/birthEvidence/kind': 'Giấy chứng sinh', '/birthEvidence/number': 'A1' });
    assert.deepEqual(after, { child: { fullName: 'Khôi' }, birthEvidence: { kind: 'Giấy chứng sinh', number: 'A1', file: '6f1c2a9e-3b7d-4c51-9e2a-8d4b0f7c1a35' } });
  });

  test('any text typed comes back trimmed, nothing else changed (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const v = applyStep(schema, {}, { properties: ['child'] }, { '/child/hometown': s });
        const want = s.replace(/\r\n/g, '\n').trim();
        assert.equal(valueAt(v, '/child/hometown'), want === '' ? undefined : want);
      }),
    );
  });

  test('setAt creates the way and removes', () => {
    assert.deepEqual(setAt({}, '/a/0/b', 1), { a: [{ b: 1 }] });
    assert.deepEqual(setAt({ a: { b: 1, c: 2 } }, '/a/b', undefined), { a: { c: 2 } });
  });

  test('prefill from the verified identity', () => {
    assert.deepEqual(prefillValues(schema, { personalId: '004085012345' }), { declarant: { personalId: '004085012345' } });
  });
});

describe('element ids and where errors lead', () => {
  test('ids are ASCII and different for different pointers (property)', () => {
    const seg = fc.string({ minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(seg, { minLength: 1, maxLength: 4 }), fc.array(seg, { minLength: 1, maxLength: 4 }), (a, b) => {
        const pa = '/' + a.map((x) => x.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
        const pb = '/' + b.map((x) => x.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
        assert.match(fieldId(pa), /^[A-Za-z0-9_-]+$/);
        if (pa !== pb) assert.notEqual(fieldId(pa), fieldId(pb));
      }),
    );
  });

  test('a missing group leads to its first question; a radio group to its first choice', () => {
    assert.equal(targetId(schema, '/father', {}), 'f-father-fullName');
    assert.equal(targetId(schema, '/child/sex', {}), 'f-child-sex-0');
    assert.equal(targetId(schema, '/child/fullName', {}), 'f-child-fullName');
  });
});

describe('rendering', () => {
  test('each field has its label, its error beside it and the value typed, escaped', () => {
    const values = { child: { fullName: '<script>alert(1)</script>', dateOfBirth: '31/02/2026' } };
    const errors = [{ field: '/child/dateOfBirth', message: { vi: 'Ngày không có thật', en: 'No such date' } }];
    const out = renderStepFields({ lang: 'vi', root: schema, values, errors }, ['child']).value;
    assert.ok(out.includes('value="&lt;script&gt;alert(1)&lt;/script&gt;"'));
    assert.ok(!out.includes('<script>'));
    assert.match(out, /<p class="field-error" id="f-child-dateOfBirth-error">[^]*Ngày không có thật<\/p>/);
    assert.match(out, /<input class="input input--date" type="text" id="f-child-dateOfBirth" name="\/child\/dateOfBirth" value="31\/02\/2026" inputmode="numeric" autocomplete="off" aria-describedby="f-child-dateOfBirth-hint f-child-dateOfBirth-error" aria-invalid="true">/);
    assert.match(out, /<label class="label" for="f-child-fullName">Họ, chữ đệm, tên<\/label>/);
    assert.match(out, /<input type="radio" id="f-child-sex-1" name="\/child\/sex" value="Nữ"><label for="f-child-sex-1">Nữ<\/label>/);
    const en = renderStepFields({ lang: 'en', root: schema, values, errors }, ['child']).value;
    assert.match(en, /No such date/);
    assert.match(en, /<label for="f-child-sex-1">Female<\/label>/);
  });

  test('check-your-answers rows name each answer in the chosen language', () => {
    const rows = answerRows({ lang: 'en', root: schema, values: { child: { sex: 'Nữ', placeOfBirth: { address: { provinceCode: '04', communeCode: '01273' } } } } }, ['child']);
    assert.deepEqual(rows.map((r) => r.value), ['Female', 'Cao Bang Province', 'Thuc Phan Ward']);
  });
});
