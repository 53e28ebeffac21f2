import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { searchWords } from './normalise.ts';
import { compileSynonyms, defaultSynonyms, loadSynonymFile, parseSynonymList, SynonymListError } from './synonyms.ts';

test('the bundled list loads, has a few dozen entries and the citizens\' words the issue names', () => {
  const list = defaultSynonyms();
  assert.ok(list.entries.length >= 40, `${list.entries.length} entries`);
  const c = compileSynonyms(list);
  const means = (from: string): string[] => (c.phrases.get(searchWords(from).join(' ')) ?? []).map((a) => a.words.join(' '));
  const has = (from: string, to: string): void => assert.ok(means(from).includes(searchWords(to).join(' ')), `${from} → ${to}: ${means(from).join(' | ')}`);
  has('sổ đỏ', 'giấy chứng nhận quyền sử dụng đất');
  has('bằng lái', 'giấy phép lái xe');
  has('giấy xác nhận độc thân', 'xác nhận tình trạng hôn nhân');
  has('CCCD', 'căn cước');
  has('công chứng', 'chứng thực');
  has('passport', 'hộ chiếu');
  has('lý lịch', 'lý lịch tư pháp');
  has('báo tử', 'khai tử');
  has('ở trọ', 'tạm trú');
  has('xe máy', 'xe');
  has('đăng ký xe máy', 'đăng ký xe lần đầu');
  has('bhxh', 'bảo hiểm xã hội');
  has('bảo hiểm xã hội', 'bhxh');
});

test('the bundled list: no phrase is both a stop word and a synonym (tone marks are ignored, so "chó" is "cho")', () => {
  const c = compileSynonyms(defaultSynonyms());
  for (const s of c.stop) assert.ok(!c.phrases.has(s), `"${s}" is a stop word and has synonyms`);
});

test('parseSynonymList names every bad entry', () => {
  assert.throws(() => parseSynonymList([]), SynonymListError);
  try {
    parseSynonymList({
      entries: [{ words: ['a'], means: ['b'] }, { words: [] , means: ['x'] }, { same: ['only one'] }, { means: ['x'] }, 'text', { words: ['!!!'], means: ['x'] }, { same: ['a', 'b'], words: ['c'] }],
      stopWords: 'no',
      extra: 1,
    });
    assert.fail('should throw');
  } catch (err) {
    assert.ok(err instanceof SynonymListError);
    const text = err.problems.join('\n');
    for (const at of ['entries[1]', 'entries[2]', 'entries[3]', 'entries[4]', 'entries[5]', 'entries[6]', 'stopWords', '"extra"']) assert.ok(text.includes(at), `${at} in\n${text}`);
    assert.ok(!text.includes('entries[0]'));
  }
  const ok = parseSynonymList({ $comment: 'kept', entries: [{ same: ['bhyt', 'bảo hiểm y tế'] }], stopWords: ['làm'] });
  assert.deepEqual(ok, { entries: [{ same: ['bhyt', 'bảo hiểm y tế'] }], stopWords: ['làm'] });
});

test('loadSynonymFile reports unreadable and malformed files with their path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-syn-'));
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{ "entries": [ ');
  assert.throws(() => loadSynonymFile(bad), (e: Error) => e instanceof SynonymListError && e.message.includes(bad));
  assert.throws(() => loadSynonymFile(join(dir, 'missing.json')), SynonymListError);
  const good = join(dir, 'good.json');
  writeFileSync(good, JSON.stringify({ entries: [{ words: ['ruộng'], means: ['đất nông nghiệp'] }] }));
  assert.equal(loadSynonymFile(good).entries.length, 1);
});

test('compileSynonyms: "same" forms stand for each other at full quality, meanings slightly less', () => {
  const c = compileSynonyms({ entries: [{ same: ['BHYT', 'bảo hiểm y tế'] }, { words: ['Sổ đỏ', 'so do'], means: ['giấy chứng nhận'] }], stopWords: ['thủ tục', 'làm'] });
  assert.deepEqual(c.phrases.get('bhyt'), [{ words: ['bao', 'hiem', 'i', 'te'], quality: 1 }]);
  assert.deepEqual(c.phrases.get('bao hiem i te'), [{ words: ['bhyt'], quality: 1 }]);
  assert.equal(c.phrases.get('so do')?.[0]?.quality, 0.95);
  assert.equal(c.phrases.get('so do')?.length, 1);
  assert.ok(c.stop.has('thu tuc') && c.stop.has('lam'));
  assert.equal(c.maxWords, 4);
});
