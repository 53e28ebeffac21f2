import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formTemplatesIn, isCaseTitle, parseDocuments, splitTemplateFiles } from './documents.ts';

const H = 'Tên giấy tờMẫu đơn, tờ khaiSố lượng';

test('Public Security: untitled section, template file glued to the name, originals and copies', () => {
  const r = parseDocuments(
    `--${H}Tờ khai đề nghị cấp thị thực, gia hạn tạm trú (mẫu NA5) ban hành kèm theo Thông tư số 22/2023/TT-BCA ngày 30/6/2023 của Bộ Công an.NA5.doc1 bản chínhGiấy miễn thị thực.1 bản chínhBản sao hộ chiếu0 bản chính,1 bản sao`,
  );
  assert.deepEqual(r.problems, []);
  assert.equal(r.sections.length, 1);
  assert.equal(r.sections[0]?.title, undefined);
  const [form, visa, passport] = r.documents;
  assert.equal(form?.name, 'Tờ khai đề nghị cấp thị thực, gia hạn tạm trú (mẫu NA5) ban hành kèm theo Thông tư số 22/2023/TT-BCA ngày 30/6/2023 của Bộ Công an.');
  assert.deepEqual(form?.templateFiles, ['NA5.doc']);
  assert.deepEqual(form?.formTemplates, ['Mẫu NA5 (22/2023/TT-BCA)']);
  assert.equal(form?.usesForm, true);
  assert.deepEqual(visa?.quantity, { original: 1 });
  assert.deepEqual(passport?.quantity, { original: 0, copy: 1 });
  assert.equal(passport?.required, true);
});

test('Agriculture: "Mẫu số …" templates, several files, digits of the name glued to the quantity', () => {
  const r = parseDocuments(
    `--${H}Văn bản đề nghị cấp giấy phép theo Mẫu 05, Mẫu 07 Phụ lục I, Nghị định số 23/2026/NĐ-CP.Mau05.docxMau07.docx1 bản chínhBáo cáo kết quả thực hiện năm 20251 bản chính,1 bản saoĐơn đề nghị cấp lại theo Mẫu số 14.QLT Phụ lục IA ban hành kèm theo Nghị định số 32/2026/NĐ-CPMẫu số 14.QLT. Cấp lại.docx1 bản chính`,
  );
  const [permit, report, renewal] = r.documents;
  assert.deepEqual(permit?.templateFiles, ['Mau05.docx', 'Mau07.docx']);
  assert.deepEqual(permit?.formTemplates, ['Mẫu 05 (23/2026/NĐ-CP)', 'Mẫu 07 (23/2026/NĐ-CP)']);
  assert.equal(report?.name, 'Báo cáo kết quả thực hiện năm 2025');
  assert.deepEqual(report?.quantity, { original: 1, copy: 1 });
  assert.equal(renewal?.name, 'Đơn đề nghị cấp lại theo Mẫu số 14.QLT Phụ lục IA ban hành kèm theo Nghị định số 32/2026/NĐ-CP');
  assert.deepEqual(renewal?.templateFiles, ['Mẫu số 14.QLT. Cấp lại.docx']);
});

test('Justice: titled sections (documents to submit, to show), optional documents, list markers', () => {
  const r = parseDocuments(
    `* Giấy tờ phải nộp:${H}- Tờ khai đăng ký khai sinh theo mẫu1 bản chính- Văn bản ủy quyền (nếu có)1 bản chính* Giấy tờ phải xuất trình:${H}a) Hộ chiếu hoặc thẻ Căn cước1 bản chính`,
  );
  assert.deepEqual(r.sections.map((s) => s.title), ['* Giấy tờ phải nộp:', '* Giấy tờ phải xuất trình:']);
  const [declaration, proxy, id] = r.documents;
  assert.equal(declaration?.name, 'Tờ khai đăng ký khai sinh theo mẫu');
  assert.equal(declaration?.usesForm, true);
  assert.deepEqual(declaration?.formTemplates, []);
  assert.equal(proxy?.required, false);
  assert.equal(id?.name, 'Hộ chiếu hoặc thẻ Căn cước');
  assert.equal(id?.group, '* Giấy tờ phải xuất trình:');
});

test('Finance (customs): quantities written inside the names do not cut rows', () => {
  const r = parseDocuments(
    `1. Chứng từ phải nộp${H}Hóa đơn thương mại: 01 bản chụp; Giấy phép nhập khẩu đối với hàng hóa phải có giấy phép: 01 bản chính1 bản chính nếu nhập khẩu một lần hoặc 01 bản chụp kèm theo Phiếu theo dõi trừ lùi0 bản chính,1 bản saoTờ khai trị giá: 02 bản chính2 bản chính`,
  );
  assert.deepEqual(r.problems, []);
  assert.equal(r.documents.length, 2);
  assert.match(r.documents[0]?.name ?? '', /^Hóa đơn thương mại.*Phiếu theo dõi trừ lùi$/u);
  assert.deepEqual(r.documents[0]?.quantity, { original: 0, copy: 1 });
  assert.deepEqual(r.documents[1]?.quantity, { original: 2 });
});

test('no table, empty field, text after the last document: problems, text kept', () => {
  const none = parseDocuments('--');
  assert.equal(none.hadTable, false);
  assert.equal(none.problems[0]?.en, 'No documents are listed');
  assert.equal(none.problems[0]?.part, 'documents');
  const steps = parseDocuments('Bước 2. Cơ quan BHXH tiếp nhận hồ sơ');
  assert.equal(steps.documents.length, 0);
  const tail = parseDocuments(`--${H}Đơn1 bản chínhTrường hợp nộp trực tuyến thì kê khai trên giao diện`);
  assert.equal(tail.documents.length, 1);
  assert.ok(tail.problems.some((p) => /after the last document/u.test(p.en)));
});

test('template files and form codes in isolation', () => {
  assert.deepEqual(splitTemplateFiles('Đơn đề nghị khai thácĐơn đề nghị khai thác Loai NC.docx'), { name: 'Đơn đề nghị khai thác', files: ['Đơn đề nghị khai thác Loai NC.docx'] });
  assert.deepEqual(splitTemplateFiles('Phiếu yêu cầu (khoản 2 Điều 46 Nghị định số 99/2022/NĐ-CP)Mau so 02d_Phieu yeu cau.docx').files, ['Mau so 02d_Phieu yeu cau.docx']);
  assert.deepEqual(splitTemplateFiles('Giấy đề nghị'), { name: 'Giấy đề nghị', files: [] });
  assert.deepEqual(formTemplatesIn('Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA)'), ['Mẫu CT01 (53/2025/TT-BCA)']);
  assert.deepEqual(formTemplatesIn('Tờ khai (Mẫu số 02/2025/LLTP)'), ['Mẫu số 02/2025/LLTP']);
  assert.deepEqual(formTemplatesIn('theo mẫu tại Phụ lục I'), []);
  assert.equal(isCaseTitle('Trường hợp trả lại giấy phép khi chưa thăm dò'), true);
  assert.equal(isCaseTitle('a) Đối với cấp mới'), true);
  assert.equal(isCaseTitle('* Giấy tờ phải nộp:'), false);
  assert.equal(isCaseTitle('* Trường hợp ủy quyền thực hiện thủ tục:'), false);
});

test('property: any text never throws; every document has a name and non-negative quantities', () => {
  const piece = fc.oneof(
    fc.string({ maxLength: 25 }),
    fc.constantFrom(H, '--', '1 bản chính', '0 bản chính,1 bản sao', '20251 bản sao', 'Mẫu số 01.docx', 'Trường hợp A:', ' (nếu có)'),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
      const r = parseDocuments(pieces.join(''));
      for (const d of r.documents) {
        assert.ok(d.name.length > 0);
        for (const n of [d.quantity.original, d.quantity.copy]) assert.ok(n === undefined || (Number.isInteger(n) && n >= 0));
      }
    }),
  );
});
