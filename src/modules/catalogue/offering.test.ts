import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { applyOffering, checkOffering, chooseReceivingOffering, type Offering } from './offering.ts';

const offering = (agencyCode: string, extra: Partial<Offering> = {}): Offering => ({ procedureCode: '1.001193', agencyCode, onlineLevel: 'full', active: true, ...extra });

describe('checkOffering', () => {
  it('property: a deadline is accepted exactly when it is not longer than the law’s', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 }), (legal, local) => {
        const problems = checkOffering({ legalProcessingDays: legal, onlineLevel: 'full' }, { onlineLevel: 'full', processingDays: local });
        assert.equal(problems.length === 0, local <= legal);
        for (const p of problems) assert.equal(p.field, '/processingDays');
      }),
    );
  });

  it('partial online needs its legal reason; full online only where the catalogue allows it', () => {
    assert.deepEqual(checkOffering({ legalProcessingDays: 3, onlineLevel: 'full' }, { onlineLevel: 'partial' }).map((p) => p.field), ['/onlineLevelReason']);
    assert.deepEqual(checkOffering({ legalProcessingDays: 3, onlineLevel: 'full' }, { onlineLevel: 'partial', onlineLevelReason: '  ' }).map((p) => p.field), ['/onlineLevelReason']);
    assert.deepEqual(checkOffering({ legalProcessingDays: 3, onlineLevel: 'full' }, { onlineLevel: 'partial', onlineLevelReason: 'Phải có mặt (Điều 18 Luật Hộ tịch)' }), []);
    assert.deepEqual(checkOffering({ legalProcessingDays: 3, onlineLevel: 'partial' }, { onlineLevel: 'full' }).map((p) => p.field), ['/onlineLevel']);
  });
});

describe('applyOffering', () => {
  it('replaces the deadline and fees only where the offering sets them', () => {
    const p = { legalProcessingDays: 5, fees: [{ label: 'Lệ phí', amountVnd: 10000 }], onlineLevel: 'full' as const };
    assert.deepEqual(applyOffering(p, offering('A')), { ...p });
    const local = applyOffering(p, offering('A', { processingDays: 3, fees: [{ label: 'Lệ phí (HĐND tỉnh)', amountVnd: 0 }] }));
    assert.equal(local.legalProcessingDays, 3);
    assert.equal(local.fees[0]!.amountVnd, 0);
  });
});

describe('chooseReceivingOffering', () => {
  it('takes the named agency, or the only one; asks when several; refuses inactive and unknown ones', () => {
    const two = [offering('A'), offering('B')];
    const named = chooseReceivingOffering(two, 'B');
    assert.ok(named.ok && named.offering.agencyCode === 'B');
    const only = chooseReceivingOffering([offering('A'), offering('B', { active: false })], undefined);
    assert.ok(only.ok && only.offering.agencyCode === 'A');
    const ask = chooseReceivingOffering(two, undefined);
    assert.ok(!ask.ok && ask.problem.field === '/agencyCode' && ask.problem.code === 'required');
    const inactive = chooseReceivingOffering([offering('A'), offering('B', { active: false })], 'B');
    assert.ok(!inactive.ok && inactive.problem.code === 'agency_not_receiving');
    const none = chooseReceivingOffering([], undefined);
    assert.ok(!none.ok && none.problem.field === '/procedureCode');
  });
});
