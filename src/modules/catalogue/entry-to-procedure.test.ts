import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createFormValidator } from '../eforms/validator.ts';
import { applicantTypesOf, entryToProcedure, primaryLevel, toWorkingDays } from './entry-to-procedure.ts';
import { parseNationalFile } from './import/index.ts';
import type { ProcedureForm } from './types.ts';

const SHARED = new URL('../../../../shared/data/procedures/procedures.jsonl', import.meta.url);

describe('deadlines and levels', () => {
  it('counts hours, weeks and months in working days, never less than one day for a stated time', () => {
    assert.equal(toWorkingDays({ value: 3, unit: 'working_days' }), 3);
    assert.equal(toWorkingDays({ value: 0.5, unit: 'working_days' }), 1);
    assert.equal(toWorkingDays({ value: 4, unit: 'working_hours' }), 1);
    assert.equal(toWorkingDays({ value: 24, unit: 'hours' }), 3);
    assert.equal(toWorkingDays({ value: 2, unit: 'weeks' }), 10);
    assert.equal(toWorkingDays({ value: 1, unit: 'months' }), 22);
    assert.equal(toWorkingDays(null), undefined);
    assert.equal(toWorkingDays({ value: Number.NaN, unit: 'days' }), undefined);
  });

  it('the province deals with the lowest level that performs a procedure', () => {
    assert.equal(primaryLevel(['province', 'commune']), 'commune');
    assert.equal(primaryLevel(['ministry', 'province']), 'province');
    assert.equal(primaryLevel(['ministry']), 'ministry');
    assert.deepEqual(applicantTypesOf(['citizen', 'cooperative']), ['business', 'citizen']);
    assert.deepEqual(applicantTypesOf([]), ['business', 'citizen']);
  });
});

/** A complete application to a generated eForm: every field it has, one file per document slot. */
function sampleApplication(form: ProcedureForm): unknown {
  const props = form.schema.properties as { applicant: { properties: Record<string, unknown> }; documents: { properties: Record<string, unknown> } };
  const applicant: Record<string, string> = { fullName: 'Nguyễn Văn An', phone: '0912345678', address: 'Số 1, phường Thục Phán, tỉnh Cao Bằng' };
  if ('personalId' in props.applicant.properties) applicant.personalId = '004085012345';
  if ('organisationName' in props.applicant.properties) applicant.organisationName = 'Công ty TNHH A';
  if ('taxCode' in props.applicant.properties) applicant.taxCode = '4800206198';
  return {
    applicant,
    request: 'Đề nghị giải quyết thủ tục',
    documents: Object.fromEntries(Object.keys(props.documents.properties).map((k) => [k, [randomUUID()]])),
    resultDelivery: 'Trực tuyến',
    commitment: true,
  };
}

describe('the whole shared catalogue', { skip: !existsSync(SHARED) && 'the shared catalogue (../shared/data) is not beside this checkout' }, () => {
  it('every procedure (and every case of it) gets an eForm that compiles and accepts a complete application', () => {
    const validator = createFormValidator();
    const results = parseNationalFile(readFileSync(SHARED, 'utf8'));
    let procedures = 0;
    let cases = 0;
    for (const r of results) {
      assert.ok(r.ok, `line ${r.line} is well-formed`);
      const p = entryToProcedure(r.entry);
      procedures++;
      assert.ok(p.legalProcessingDays >= 0 && Number.isInteger(p.legalProcessingDays), `${p.code} deadline ${p.legalProcessingDays}`);
      for (const form of [p.form, ...(p.variants ?? []).map((v) => v.form!)]) {
        const check = validator.check(form.schema);
        assert.deepEqual(check, [], `${p.code}: ${check.join('; ')}`);
        const v = validator.validate(form.schema, sampleApplication(form));
        assert.ok(v.ok, `${p.code}: ${JSON.stringify(!v.ok && v.errors.slice(0, 2))}`);
      }
      cases += p.variants?.length ?? 0;
    }
    assert.equal(procedures, 1856);
    assert.ok(cases > 0, 'some procedures have cases');
  });
});
