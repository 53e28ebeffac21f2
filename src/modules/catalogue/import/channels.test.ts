/**
 * Channel tables as each ministry writes them (snippets taken from the national
 * catalogue, shortened).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { distinctGroups, parseChannels } from './channels.ts';

const H = 'Hình thức nộpThời gianPhí, lệ phíMô tả';

test('Justice: three channels, free, same deadline', () => {
  const r = parseChannels(`${H}Trực tuyến3 Ngày làm việcMiễn phíDịch vụ bưu chính3 Ngày làm việcMiễn phíTrực tiếp3 Ngày làm việcMiễn phí`);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.rows.map((x) => x.channel), ['online', 'post', 'counter']);
  for (const row of r.rows) {
    assert.deepEqual(row.time, { value: 3, unit: 'working_days', text: '3 Ngày làm việc', source: 'table' });
    assert.equal(row.free, true);
    assert.deepEqual(row.fees.map((f) => f.amountVnd), [0]);
  }
});

test('Justice: an amount with a bracketed note holding a conditional amount', () => {
  const r = parseChannels(
    `${H}Trực tuyến10 Ngày làm việc4,000,000 Việt Nam Đồng((Áp dụng mức phí: 2.000.000 đồng (Hai triệu đồng) kể từ ngày 01/7/2025 đến  hết ngày 31/12/2026 theo Thông tư số 64/2025/TT-BTC). )Trực tiếp10 Ngày làm việc4,000,000 Việt Nam Đồng(áp dụng mức phí 2.000.000 đồng/hồ sơ)`,
  );
  assert.equal(r.rows.length, 2);
  const fees = r.rows[0]?.fees ?? [];
  assert.deepEqual(fees.map((f) => [f.amountVnd, f.source]), [[4_000_000, 'table'], [2_000_000, 'note']]);
  assert.match(fees[1]?.condition ?? '', /01\/7\/2025/u);
  assert.equal(r.rows[0]?.description, '');
});

test('Public Security: the description names the channels ("+ Trực tiếp: …") without starting rows', () => {
  const r = parseChannels(
    `${H}Trực tiếp5 Ngày làm việc50,000 Việt Nam Đồng(Phí : 50.000 Đồng - 50.000đ/tem “AB” (Thông tư số 25/2021/TT-BTC).)+ Trực tiếp: nộp hồ sơ trực tiếp tại trụ sở Cục Quản lý xuất nhập cảnh. + Trực tuyến: nộp hồ sơ trực tuyến qua Cổng dịch vụ công quốc gia.Trực tuyến5 Ngày làm việc50,000 Việt Nam Đồng`,
  );
  assert.deepEqual(r.rows.map((x) => x.label), ['Trực tiếp', 'Trực tuyến']);
  assert.match(r.rows[0]?.description ?? '', /^\+ Trực tiếp: nộp hồ sơ/u);
  assert.equal(r.rows[0]?.fees[0]?.amountVnd, 50_000);
  assert.equal(r.rows[0]?.fees.length, 1, 'the note repeats the table amount');
});

test('Public Security: hours and USD', () => {
  const r = parseChannels(`${H}Trực tuyến8 GiờMiễn phíTrực tiếp20 Ngày100 USD(100 USD/thẻ.)`);
  assert.deepEqual(r.rows.map((x) => [x.time?.value, x.time?.unit]), [[8, 'hours'], [20, 'days']]);
  assert.deepEqual(r.rows[1]?.fees[0], { amount: 100, currency: 'USD', source: 'table', text: '100 USD' });
});

test('Agriculture: several cases listed as repeated channel rows', () => {
  const r = parseChannels(
    `${H}Trực tuyến18 Ngày làm việcKhông có thông tin18 ngày làm việc kể từ ngày nhận hồ sơ hợp lệ đối với trường hợp nộp tiền tại địa phương nơi thực hiện dự ánTrực tiếp18 Ngày làm việcKhông có thông tin18 ngày làm việc đối với trường hợp nộp tiền tại địa phương nơi thực hiện dự ánTrực tiếp27 Ngày làm việcKhông có thông tin27 ngày làm việc đối với trường hợp bố trí trồng rừng tại địa phương khácTrực tuyến27 Ngày làm việcKhông có thông tin27 ngày làm việc đối với trường hợp bố trí trồng rừng tại địa phương khác`,
  );
  assert.equal(r.rows.length, 4);
  assert.equal(r.rows[0]?.free, null, '"Không có thông tin" is a fee not stated');
  const groups = distinctGroups(r.rows);
  assert.deepEqual(groups.map((g) => g.map((x) => x.time?.value)), [[18, 18], [27, 27]]);
});

test('Agriculture: a bare number takes its unit from the description, else stays unspecified with a problem', () => {
  const r = parseChannels(`${H}Trực tuyến24Miễn phíTrong thời hạn 24 ngày làm việc kể từ ngày nhận hồ sơTrực tiếp24Miễn phí`);
  assert.deepEqual(r.rows.map((x) => [x.time?.unit, x.time?.unitFrom]), [['working_days', 'description'], ['working_days', 'description']]);
  const bare = parseChannels(`${H}Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phí`);
  assert.equal(bare.rows[0]?.time?.unit, 'unspecified');
  assert.equal(bare.problems.filter((p) => p.part === 'time').length, 2);
  const steps = parseChannels(`${H}Trực tuyến5Miễn phí`, { steps: 'Bước 2: trong thời hạn 05 ngày làm việc, cơ quan thẩm định' });
  assert.deepEqual([steps.rows[0]?.time?.unit, steps.rows[0]?.time?.unitFrom], ['working_days', 'steps']);
});

test('Finance (customs): a bare time glued to an amount in thousands, unit from another row', () => {
  const r = parseChannels(`${H}Trực tuyến220 VNĐ(lệ phí hải quan 20.000 đồng/ tờ khai hải quan.)Trực tiếp2 GiờMiễn phí`);
  assert.equal(r.rows[0]?.time?.value, 2);
  assert.equal(r.rows[0]?.time?.unit, 'hours');
  assert.equal(r.rows[0]?.time?.unitFrom, 'other_row');
  assert.equal(r.rows[0]?.fees[0]?.amountVnd, 20_000, 'the table said 20, the note 20.000 đồng');
  assert.ok(r.problems.some((p) => p.part === 'fees' && p.severity === 'warning'));
});

test('Finance (tax): a time cell in words, "Không", "Không phải trả kết quả"', () => {
  const r = parseChannels(
    `${H}Trực tuyếnKhông phải trả kết quả cho người nộp thuếKhông có thông tinQua Cổng dịch vụ công Quốc giaTrực tiếpKhôngMiễn phíTại Trung tâm phục vụ hành chính công`,
  );
  assert.equal(r.rows.length, 2);
  assert.equal(r.rows[0]?.timeText, 'Không phải trả kết quả cho người nộp thuế');
  assert.equal(r.rows[0]?.time, null);
  assert.equal(r.rows[1]?.timeText, 'Không');
  assert.equal(r.problems.filter((p) => p.part === 'time').length, 2);
});

test('Finance (securities): the time cell says nothing, the description gives the deadline', () => {
  const r = parseChannels(`${H}Trực tuyếnKhông có thông tinMiễn phí15 ngày làm việc kể từ ngày nhận được hồ sơ đầy đủ`);
  assert.deepEqual(r.rows[0]?.time, { value: 15, unit: 'working_days', text: '15 ngày làm việc kể từ ngày nhận được hồ sơ đầy đủ', source: 'description' });
  assert.deepEqual(r.problems, []);
});

test('Courts: bare numbers, description starting with an enumerator is not a fee note', () => {
  const r = parseChannels(`${H}Trực tiếp60 Ngày làm việcKhông có thông tin(1) Trường hợp khiếu nại lần đầu: 30 ngày`);
  assert.equal(r.rows[0]?.feeText, 'Không có thông tin');
  assert.match(r.rows[0]?.description ?? '', /^\(1\) Trường hợp/u);
});

test('no header, no rows, text before the first row: problems, no throw', () => {
  assert.equal(parseChannels('').rows.length, 0);
  const noHeader = parseChannels('Trực tuyến3 Ngày làm việcMiễn phí');
  assert.equal(noHeader.rows.length, 1);
  assert.ok(noHeader.problems.some((p) => p.part === 'channels'));
  const junk = parseChannels(`${H}Xem hướng dẫn tại Cổng dịch vụ công`);
  assert.equal(junk.rows.length, 0);
  assert.ok(junk.problems.some((p) => p.part === 'channels'));
});

test('property: any text, with or without the header, never throws and every row has a channel and a label', () => {
  const piece = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom('Trực tuyến', 'Trực tiếp', 'Dịch vụ bưu chính', 'Miễn phí', 'Không có thông tin', '5 Ngày làm việc', '1200 VNĐ', '(', ')', '12'),
  );
  fc.assert(
    fc.property(fc.boolean(), fc.array(piece, { maxLength: 12 }), (header, pieces) => {
      const r = parseChannels(`${header ? H : ''}${pieces.join('')}`);
      for (const row of r.rows) {
        assert.ok(['online', 'counter', 'post'].includes(row.channel));
        assert.ok(row.time === null || Number.isFinite(row.time.value));
      }
    }),
  );
});
