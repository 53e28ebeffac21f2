import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withDb } from '../../../test/support/db.ts';
import { createDraftStore } from './store.ts';
import { createThrottle } from '../../web/citizen/track/throttle.ts';
import { parseRating } from '../ratings/store.ts';

test('drafts: one open draft per applicant and procedure, kept until submitted, then a fresh one', async () => {
  await withDb(async (db) => {
    const drafts = createDraftStore(db);
    const a = await drafts.open('sub-a', '1.001193', { variantId: null, agencyCode: '000.00.04.H12' }, { declarant: { personalId: '004085012345' } });
    assert.deepEqual(a.form, { declarant: { personalId: '004085012345' } });
    const [b, c] = await Promise.all([
      drafts.open('sub-a', '1.001193', { variantId: null, agencyCode: '000.00.05.H12' }),
      drafts.open('sub-a', '1.001193', { variantId: null, agencyCode: '000.00.05.H12' }),
    ]);
    assert.equal(b.id, a.id, 'the same draft, its choice updated');
    assert.equal(c.id, a.id);
    assert.equal(b.agencyCode, '000.00.05.H12');
    assert.deepEqual(b.form, a.form, 'answers kept when the choice changes');
    assert.equal((await drafts.open('sub-b', '1.001193', { variantId: null, agencyCode: null })).id !== a.id, true, 'another applicant has their own');

    assert.equal(await drafts.save('sub-a', a.id, { child: { fullName: 'Khôi' } }, 3), true);
    assert.equal(await drafts.save('sub-b', a.id, { hijack: true }, 1), false, 'only the owner saves');
    const back = await drafts.findOpen('sub-a', '1.001193');
    assert.deepEqual(back?.form, { child: { fullName: 'Khôi' } });
    assert.equal(back?.step, 3);
    assert.equal(await drafts.get('sub-b', a.id), undefined, 'only the owner reads');
    assert.equal(await drafts.get('sub-a', 'not-a-uuid'), undefined);
    assert.deepEqual((await drafts.listOpen('sub-a')).map((d) => d.id), [a.id]);

    await drafts.markSubmitted('sub-a', a.id, '000.00.04.H12-261123-0001');
    await drafts.markSubmitted('sub-a', a.id, '000.00.04.H12-261123-0002');
    assert.equal((await drafts.get('sub-a', a.id))?.dossierCode, '000.00.04.H12-261123-0001', 'the first dossier stays');
    assert.equal(await drafts.save('sub-a', a.id, {}, 1), false, 'a submitted draft is not changed');
    assert.equal(await drafts.findOpen('sub-a', '1.001193'), undefined);
    const next = await drafts.open('sub-a', '1.001193', { variantId: null, agencyCode: null });
    assert.notEqual(next.id, a.id, 'applying again starts a new draft');

    await drafts.discard('sub-a', next.id);
    assert.equal(await drafts.findOpen('sub-a', '1.001193'), undefined);
    assert.ok(await drafts.get('sub-a', a.id), 'discarding never removes a submitted one');
  });
});

test('ratings: a score from 1 to 5 and an optional comment', () => {
  assert.deepEqual(parseRating({ score: '5', comment: '  Nhanh  ' }), { ok: true, score: 5, comment: 'Nhanh' });
  assert.deepEqual(parseRating({ score: '1', comment: '' }), { ok: true, score: 1, comment: null });
  for (const score of [undefined, '', '0', '6', '4.5', 'năm', ' 3x']) {
    const r = parseRating({ score });
    assert.ok(!r.ok && r.errors.some((e) => e.field === '/score'), `score ${String(score)} refused`);
  }
  const long = parseRating({ score: '3', comment: 'x'.repeat(2001) });
  assert.ok(!long.ok && long.errors[0]!.field === '/comment');
});

test('lookup throttle: at most N a window per key, then the seconds to wait', () => {
  let now = 1_000_000;
  const t = createThrottle(3, 60_000, () => now);
  assert.deepEqual([t.hit('a'), t.hit('a'), t.hit('a')], [0, 0, 0]);
  assert.equal(t.hit('a'), 60);
  assert.equal(t.hit('b'), 0, 'other keys are counted apart');
  now += 30_000;
  assert.equal(t.hit('a'), 30);
  now += 30_001;
  assert.equal(t.hit('a'), 0, 'free again once the window has passed');
});
