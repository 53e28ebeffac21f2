import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AppError } from '../../../shared/errors.ts';
import { createSearchIndex, MAX_QUERY_CHARS, searchInputError, type SearchDoc, type SearchResult } from './index.ts';
import { createLiveSearch } from './live.ts';
import { removeAllMarks } from './normalise.ts';
import { searchDocFromNational, searchDocFromProcedure } from './docs.ts';
import { SynonymListError } from './synonyms.ts';
import type { Procedure } from '../types.ts';
import { statusOf } from '../../../http/errors.ts';

const doc = (code: string, name: string, more: Partial<SearchDoc> = {}): SearchDoc => ({
  code,
  name,
  field: 'Hộ tịch',
  levels: ['commune'],
  applicantTypes: ['citizen'],
  agencyCodes: ['000.00.04.H12'],
  onlineLevel: 'full',
  ...more,
});

/** Real names from the national catalogue; facets made up for the tests. */
const DOCS: SearchDoc[] = [
  doc('1.001193', 'Thủ tục đăng ký khai sinh'),
  doc('2.000528', 'Thủ tục đăng ký khai sinh có yếu tố nước ngoài'),
  doc('1.003583', 'Thủ tục đăng ký khai sinh lưu động', { onlineLevel: 'partial' }),
  doc('1.004884', 'Thủ tục đăng ký lại khai sinh'),
  doc('1.000110', 'Thủ tục đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới', { onlineLevel: 'partial' }),
  doc('2.000635', 'Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh', { levels: ['province', 'commune'] }),
  doc('1.000894', 'Thủ tục đăng ký kết hôn'),
  doc('1.004873', 'Thủ tục cấp Giấy xác nhận tình trạng hôn nhân'),
  doc('1.000656', 'Thủ tục đăng ký khai tử'),
  doc('1.004194', 'Đăng ký tạm trú', { field: 'Đăng ký, quản lý cư trú', agencyCodes: ['CA.XA'] }),
  doc('1.004222', 'Đăng ký thường trú', { field: 'Đăng ký, quản lý cư trú', agencyCodes: ['CA.XA'] }),
  doc('1.014063', 'Cấp đổi thẻ căn cước', { field: 'Cấp, quản lý căn cước', agencyCodes: ['CA.XA'] }),
  doc('1.014064', 'Cấp lại thẻ căn cước', { field: 'Cấp, quản lý căn cước', agencyCodes: ['CA.XA'] }),
  doc('3.000346', 'Cấp giấy phép lái xe', { field: 'Sát hạch, cấp giấy phép lái xe', levels: ['province'], agencyCodes: ['CA.TINH'] }),
  doc('3.000347', 'Đổi giấy phép lái xe', { field: 'Sát hạch, cấp giấy phép lái xe', levels: ['province'], agencyCodes: ['CA.TINH'] }),
  doc('1.012783', 'Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất', { field: 'Đất đai', levels: ['province'], agencyCodes: ['VPDK'] }),
  doc('1.012786', 'Cấp lại Giấy chứng nhận do bị mất', { field: 'Đất đai', levels: ['province'], agencyCodes: ['VPDK'] }),
  doc('2.000815', 'Chứng thực bản sao từ bản chính giấy tờ, văn bản', { field: 'Chứng thực' }),
  doc('1.001612', 'Đăng ký thành lập hộ kinh doanh', { field: 'Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)', applicantTypes: ['citizen', 'business'], onlineLevel: 'partial' }),
  doc('2.001583', 'Đăng ký thành lập công ty TNHH một thành viên', { field: 'Thành lập và hoạt động của doanh nghiệp', levels: ['province'], applicantTypes: ['business'], agencyCodes: ['SO.TC'] }),
  doc('1.001456', 'Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh)', { field: 'Quản lý xuất nhập cảnh', levels: ['province'], agencyCodes: ['CA.TINH'] }),
];
const index = createSearchIndex(DOCS);
const codes = (r: SearchResult): string[] => r.items.map((i) => i.code);
const top = (q: string): string | undefined => index.search({ q }).items[0]?.code;

test('the common procedure first, then its special cases', () => {
  const r = index.search({ q: 'đăng ký khai sinh' });
  assert.equal(codes(r)[0], '1.001193');
  // Then the special cases (lại, lưu động, có yếu tố nước ngoài…).
  assert.deepEqual(codes(r).slice(1, 5).sort(), ['1.000110', '1.003583', '1.004884', '2.000528']);
  assert.ok(r.items[0]!.score > r.items[1]!.score);
});

test('with or without tone marks, đ/d, i/y variants, any word order, small typos', () => {
  for (const q of ['dang ky khai sinh', 'đăng kí khai sinh', 'DANG KI KHAI SINH', 'khai sinh đăng ký', 'khai sihn', 'dang ky khai sinhh', 'khaisinh', 'đăng ký khai s'])
    assert.equal(top(q), '1.001193', q);
  assert.equal(top('dang ky tam tru'), '1.004194');
  assert.equal(top('dang ky thuong chu'), '1.004222'); // tr/ch confusion
  assert.equal(top('ket hon'), '1.000894');
});

test('citizens\' words from the synonym list', () => {
  assert.equal(top('bằng lái xe'), '3.000346');
  assert.equal(top('doi bang lai'), '3.000347');
  assert.equal(top('giấy xác nhận độc thân'), '1.004873');
  assert.equal(top('cap lai so do bi mat'), '1.012786');
  assert.equal(top('công chứng bản sao'), '2.000815');
  assert.equal(top('doi cccd'), '1.014063');
  assert.equal(top('mo cong ty tnhh 1 thanh vien'), '2.001583');
  assert.equal(top('passport'), '1.001456');
});

test('an override synonym list replaces the bundled one', () => {
  const custom = createSearchIndex(DOCS, { synonyms: { entries: [{ words: ['giấy phép cưới'], means: ['đăng ký kết hôn'] }] } });
  assert.equal(custom.search({ q: 'giay phep cuoi' }).items[0]?.code, '1.000894');
  assert.equal(custom.search({ q: 'passport' }).total, 0); // the bundled "passport → hộ chiếu" is gone
  assert.equal(index.search({ q: 'giay phep cuoi' }).items[0]?.code === '1.000894', false);
  assert.throws(() => createSearchIndex(DOCS, { synonyms: { entries: [{ words: ['x'] }] } as never }), SynonymListError);
});

test('highlights are the matched words of the name', () => {
  const r = index.search({ q: 'khai sinh luu dong' });
  const hit = r.items.find((i) => i.code === '1.003583')!;
  const name = DOCS.find((d) => d.code === '1.003583')!.name;
  assert.deepEqual(
    hit.highlights.map(([a, b]) => name.slice(a, b)),
    ['khai sinh lưu động'],
  );
});

test('empty query: every procedure, by popularity then name', () => {
  const pop = createSearchIndex(DOCS.map((d) => (d.code === '1.004222' ? { ...d, popularity: 900 } : d.code === '1.001193' ? { ...d, popularity: 1200 } : d)));
  for (const q of [undefined, '', '   ', '👶🎉', '\u200B\u202E', '?!']) {
    const r = pop.search({ q, limit: 200 });
    assert.equal(r.total, DOCS.length);
    assert.deepEqual(codes(r).slice(0, 2), ['1.001193', '1.004222']);
    assert.ok(r.items.every((i) => i.score === 0 && i.highlights.length === 0));
  }
  const names = codes(index.search({ limit: 200 })).map((c) => DOCS.find((d) => d.code === c)!.name);
  assert.deepEqual(names, [...names].sort(new Intl.Collator('vi', { sensitivity: 'base', numeric: true }).compare));
});

test('a procedure code finds that procedure', () => {
  const r = index.search({ q: ' 1.001193 ' });
  assert.deepEqual(codes(r), ['1.001193']);
});

test('filters (OR within one, AND across) and facet counts that ignore their own filter', () => {
  const all = index.search({ q: 'khai sinh' });
  assert.equal(all.total, 6);
  assert.deepEqual(all.facets.onlineLevel, { full: 4, partial: 2 });
  assert.deepEqual(all.facets.level, { commune: 6, province: 1 });
  assert.deepEqual(all.facets.field, { 'Hộ tịch': 6 });

  const partial = index.search({ q: 'khai sinh', filters: { onlineLevel: 'partial' } });
  assert.deepEqual(codes(partial).sort(), ['1.000110', '1.003583']);
  assert.equal(partial.total, 2);
  assert.deepEqual(partial.facets.onlineLevel, { full: 4, partial: 2 }); // own filter ignored
  assert.deepEqual(partial.facets.level, { commune: 2 });

  const both = index.search({ q: 'khai sinh', filters: { onlineLevel: ['partial', 'full'], level: 'province' } });
  assert.deepEqual(codes(both), ['2.000635']);
  assert.deepEqual(both.facets.level, { commune: 6, province: 1 });
  assert.deepEqual(both.facets.onlineLevel, { full: 1, partial: 0 }); // chosen values are listed, even at 0

  // Field by its name, with or without marks; agency by code, any case.
  assert.equal(index.search({ filters: { field: 'dang ky, quan ly cu tru' } }).total, 2);
  assert.equal(index.search({ filters: { field: 'Đăng ký, quản lý cư trú' } }).total, 2);
  assert.deepEqual(codes(index.search({ filters: { agency: ['ca.tinh'], applicantType: 'citizen' } })).sort(), ['1.001456', '3.000346', '3.000347']);
  assert.deepEqual(codes(index.search({ q: 'thanh lap', filters: { applicantType: 'business' } })).sort(), ['1.001612', '2.001583']);
  // A known value no procedure has: nothing, and no problem; it is listed with 0.
  const none = index.search({ filters: { level: 'ministry' } });
  assert.equal(none.total, 0);
  assert.equal(none.facets.level.ministry, 0);
  // Empty values are ignored (a form sent "level=").
  assert.equal(index.search({ filters: { level: '' } }).total, DOCS.length);
});

test('unknown filters and values are problems naming the filter', () => {
  const problems = index.validate({ filters: { level: 'district', field: 'Không có', agency: 'X.Y', onlineLevel: 'maybe', applicantType: ['citizen', 'alien'] } });
  assert.deepEqual(
    problems.map((p) => [p.field, p.code]),
    [
      ['level', 'unknown_filter_value'],
      ['field', 'unknown_filter_value'],
      ['agency', 'unknown_filter_value'],
      ['onlineLevel', 'unknown_filter_value'],
      ['applicantType', 'unknown_filter_value'],
    ],
  );
  assert.match(problems[0]!.message.en, /district.*level.*province, commune/);
  assert.match(problems[0]!.message.vi, /cấp thực hiện/);
  assert.deepEqual(
    index.validate({ filters: { colour: 'red' } as never }).map((p) => [p.field, p.code]),
    [['colour', 'unknown_filter']],
  );
  assert.deepEqual(
    index.validate({ filters: { level: 3 } as never }).map((p) => [p.field, p.code]),
    [['level', 'invalid_type']],
  );
  assert.throws(() => index.search({ filters: { level: 'district' } }), (e: unknown) => e instanceof AppError && statusOf(e) === 400 && e.field === 'level');
});

test('a query over 200 characters is a problem naming q, in Vietnamese and English', () => {
  const ok = 'ả'.repeat(MAX_QUERY_CHARS);
  assert.deepEqual(index.validate({ q: ok }), []);
  assert.deepEqual(index.validate({ q: '👶'.repeat(MAX_QUERY_CHARS) }), []); // characters, not UTF-16 units
  const long = `${ok}a`;
  const [p] = index.validate({ q: long });
  assert.equal(p?.field, 'q');
  assert.equal(p?.code, 'too_long');
  assert.match(p!.message.vi, /200 ký tự/);
  assert.match(p!.message.en, /200 characters/);
  try {
    index.search({ q: long });
    assert.fail('should throw');
  } catch (e) {
    assert.ok(e instanceof AppError);
    assert.equal(statusOf(e), 400);
    assert.equal(e.code, 'invalid_search');
    assert.equal(e.field, 'q');
    assert.equal(e.details?.[0]?.field, 'q');
  }
  const http = searchInputError(index.validate({ q: long, limit: 0 }), 'query.');
  assert.deepEqual(
    http.details?.map((d) => d.field),
    ['query.q', 'query.limit'],
  );
  assert.equal(index.validate({ q: 42 as never })[0]?.code, 'invalid_type');
});

test('limit and offset: defaults, ranges, pages', () => {
  assert.equal(index.search({}).items.length, 20);
  for (const [limit, offset] of [[0, 0], [201, 0], [1.5, 0], [10, -1], [10, 100_001], ['5', 0]] as const)
    assert.ok(index.validate({ limit: limit as number, offset: offset as number }).length > 0, `${limit} ${offset}`);
  const all = codes(index.search({ limit: 200 }));
  const paged = [0, 5, 10, 15, 20].flatMap((offset) => codes(index.search({ limit: 5, offset })));
  assert.deepEqual(paged, all);
  assert.deepEqual(index.search({ offset: 1000 }).items, []);
});

test('property: odd input never throws, and the same query gives the same results', () => {
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: MAX_QUERY_CHARS }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 120 }),
    fc.constantFrom('khai sinh', 'đăng ký', 'e\u0301', '\u202Ekhai', '(', ')', '1.0', 'a'.repeat(40)),
  );
  fc.assert(
    fc.property(fc.array(text, { maxLength: 3 }), (parts) => {
      const q = parts.join(' ');
      const problems = index.validate({ q });
      if (problems.length > 0) return assert.throws(() => index.search({ q }), AppError);
      const a = index.search({ q, limit: 10 });
      assert.deepEqual(index.search({ q, limit: 10 }), a);
      assert.deepEqual(index.search({ q: removeAllMarks(q).normalize('NFC'), limit: 10 }).total >= 0, true);
    }),
    { numRuns: 1500 },
  );
});

test('the same procedures in any order, with duplicates, build the same index', () => {
  const shuffled = [...DOCS].reverse();
  const other = createSearchIndex([doc('1.001193', 'Tên cũ'), ...shuffled]);
  for (const q of ['khai sinh', 'dang ky', 'cap', 'xe', '']) assert.deepEqual(other.search({ q, limit: 50 }), index.search({ q, limit: 50 }));
  assert.equal(other.size, DOCS.length);
});

test('searchDocFromProcedure and searchDocFromNational', () => {
  const p = { code: '1.001193', name: 'Đăng ký khai sinh', field: 'Hộ tịch', level: 'commune', onlineLevel: 'full', applicantTypes: ['citizen'], receivingAgencyCodes: ['A'] } as unknown as Procedure;
  assert.deepEqual(searchDocFromProcedure(p, { popularity: 3 }), {
    code: '1.001193',
    name: 'Đăng ký khai sinh',
    field: 'Hộ tịch',
    levels: ['commune'],
    applicantTypes: ['citizen'],
    agencyCodes: ['A'],
    onlineLevel: 'full',
    popularity: 3,
  });
  const n = searchDocFromNational({
    ma_thu_tuc: '1.001612',
    ten_thu_tuc: 'Đăng ký thành lập\n hộ kinh doanh ',
    linh_vuc: 'Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)',
    cap_thuc_hien: 'Cấp bộ, Cấp xã',
    doi_tuong_thuc_hien: 'Tổ chức (không bao gồm doanh nghiệp, HTX), Công dân Việt Nam',
    cach_thuc_thuc_hien: 'Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp3 Ngày làm việcTrực tuyến3 Ngày làm việc',
  });
  assert.equal(n.name, 'Đăng ký thành lập hộ kinh doanh');
  assert.deepEqual(n.levels, ['ministry', 'commune']);
  assert.deepEqual(n.applicantTypes, ['citizen', 'organisation']);
  assert.equal(n.onlineLevel, 'partial');
  assert.deepEqual(searchDocFromNational({ ma_thu_tuc: 'x', ten_thu_tuc: 'y', doi_tuong_thuc_hien: 'Doanh nghiệp, Hợp tác xã' }).applicantTypes, ['business']);
});

test('live search: built on first use, shared by concurrent callers, rebuilt after invalidate, retried after a failed load', async () => {
  let loads = 0;
  let fail = false;
  let docs = DOCS.slice(0, 3);
  const live = createLiveSearch(async () => {
    loads++;
    await new Promise((r) => setTimeout(r, 5));
    if (fail) throw new Error('database down');
    return docs;
  });
  const [a, b] = await Promise.all([live.search({}), live.search({ q: 'khai sinh' })]);
  assert.equal(loads, 1);
  assert.equal(a.total, 3);
  assert.ok(b.total > 0);
  await live.search({});
  assert.equal(loads, 1);
  docs = DOCS;
  live.invalidate();
  assert.equal((await live.search({})).total, DOCS.length);
  assert.equal(loads, 2);
  fail = true;
  live.invalidate();
  await assert.rejects(live.search({}), /database down/);
  fail = false;
  assert.equal((await live.search({})).total, DOCS.length);
  assert.equal(loads, 4);
  await assert.rejects(live.search({ q: 'x'.repeat(300) }), (e: unknown) => e instanceof AppError && statusOf(e) === 400);
});

test('property: the results are exactly the procedures covering at least 60 % of what the best covers, best first', () => {
  const words = [...new Set(DOCS.flatMap((d) => d.name.toLowerCase().split(/[\s,()]+/)).filter((w) => w.length > 0))];
  const word = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...words) },
    { weight: 1, arbitrary: fc.constantFrom(...words).map((w) => removeAllMarks(w).slice(0, Math.max(2, w.length - 1))) },
    { weight: 1, arbitrary: fc.constantFrom('so do', 'bang lai', 'cccd', 'thu tuc', 'cho', 'lam', 'khaisinh', 'xyzzy') },
  );
  fc.assert(
    fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (ws) => {
      const q = ws.join(' ');
      const parts = DOCS.map((d) => ({ code: d.code, e: index.explain(q, d.code)! }));
      const best = Math.max(0, ...parts.map((x) => x.e.coverage));
      const expected = parts.filter((x) => x.e.coverage > 0 && x.e.coverage >= 0.6 * best - 1e-12);
      const r = index.search({ q, limit: 200 });
      assert.equal(r.total, expected.length, q);
      assert.deepEqual(r.items.map((i) => i.code).sort(), expected.map((x) => x.code).sort(), q);
      for (const x of parts) assert.equal(x.e.result, expected.includes(x), `${q} ${x.code}`);
      const byScore = [...expected].sort((a, b) => b.e.score - a.e.score);
      assert.deepEqual(r.items.map((i) => Math.round(i.score * 1e4)), byScore.map((x) => Math.round(x.e.score * 1e4)), q);
    }),
    { numRuns: 300 },
  );
});
