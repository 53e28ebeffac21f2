import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkMerge, checkNewUnit, localUnitKind, nextLocalUnitCode, provinceCodeSuffix, provinceSetupPlan, UNIT_CODE_PATTERN } from './units.ts';
import { loadVnUnits } from './vn-units.ts';

describe('province setup plan', () => {
  const provinces = loadVnUnits();
  it('the shipped list has 34 provinces and 3,321 communes, wards and special zones', () => {
    assert.equal(provinces.length, 34);
    assert.equal(provinces.reduce((n, p) => n + p.units.length, 0), 3321);
  });
  it('Cao Bằng keeps the codes of the demo catalogue (H12; service centre 01, police 02)', () => {
    const p = provinces.find((x) => x.code === '04')!;
    const plan = provinceSetupPlan(p, provinceCodeSuffix('04'));
    assert.equal(plan[0]!.code, '000.00.00.H12');
    assert.equal(plan[0]!.name, 'Ủy ban nhân dân tỉnh Cao Bằng');
    assert.equal(plan.find((u) => u.kind === 'service_centre')!.code, '000.00.01.H12');
    assert.equal(plan.find((u) => u.kind === 'service_centre')!.name, 'Trung tâm Phục vụ hành chính công tỉnh Cao Bằng');
    assert.equal(plan.find((u) => u.kind === 'police')!.name, 'Công an tỉnh Cao Bằng');
    assert.ok(plan.some((u) => u.name === 'Ủy ban nhân dân phường Thục Phán' && u.kind === 'ward'));
    assert.equal(plan.length, 1 + 15 + 56);
  });
  it('every province: codes unique and well-formed, parents first, one unit per national commune code', () => {
    for (const p of provinces) {
      const plan = provinceSetupPlan(p, provinceCodeSuffix(p.code));
      const codes = plan.map((u) => u.code);
      assert.equal(new Set(codes).size, codes.length, p.name);
      for (const u of plan) {
        assert.match(u.code, UNIT_CODE_PATTERN);
        if (u.parentCode) assert.ok(codes.indexOf(u.parentCode) < codes.indexOf(u.code));
      }
      assert.equal(plan.filter((u) => u.level === 'commune').length, p.units.length);
      assert.deepEqual(provinceSetupPlan(p, provinceCodeSuffix(p.code)), plan, 'deterministic');
    }
  });
  it('derived suffixes are X + the national code; attested and given ones win', () => {
    assert.equal(provinceCodeSuffix('01'), 'X01');
    assert.equal(provinceCodeSuffix('15'), 'H38');
    assert.equal(provinceCodeSuffix('01', 'H26'), 'H26');
  });
  it('unit kinds from the list\'s names, in any case', () => {
    assert.equal(localUnitKind('Phường Ba Đình'), 'ward');
    assert.equal(localUnitKind('xã Bắc Sơn'), 'commune');
    assert.equal(localUnitKind('Đặc khu Vân Đồn'), 'special_zone');
  });
});

describe('unit checks', () => {
  it('a new unit names each bad field', () => {
    const r = checkNewUnit({ name: ' ', kind: 'castle' as never, code: 'x', adminUnitCode: '123' });
    assert.deepEqual(r.map((x) => x.field), ['/name', '/kind', '/code', '/adminUnitCode']);
  });
  it('merge refusals', () => {
    assert.equal(checkMerge({ code: 'a', active: true }, { code: 'a', active: true })[0]?.code, 'same_unit');
    assert.equal(checkMerge({ code: 'a', active: false, mergedInto: 'b' }, { code: 'c', active: true })[0]?.field, '/code');
    assert.equal(checkMerge({ code: 'a', active: true }, { code: 'c', active: false })[0]?.field, '/into');
    assert.deepEqual(checkMerge({ code: 'a', active: true }, { code: 'c', active: true }), []);
  });
  it('the next local unit code is above every used one of the suffix, and never used', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 998 }), { maxLength: 30 }), (nos) => {
        const used = nos.map((n) => `000.00.${String(n).padStart(n < 100 ? 2 : 3, '0')}.H12`);
        const next = nextLocalUnitCode('H12', [...used, '000.00.950.H13']);
        assert.ok(!used.includes(next));
        const n = Number(next.split('.')[2]);
        assert.ok(n >= 100 && nos.every((x) => x < n));
      }),
    );
  });
});
