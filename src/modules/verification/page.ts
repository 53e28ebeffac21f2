/**
 * The public verification page `/verify/<dossier code>`: plain server-rendered HTML in
 * Vietnamese and English, no scripts, no inline styles. It shows no personal data: only
 * what was issued, who signed it, when, and whether it is authentic.
 */
import type { StoredDocument } from './service.ts';
import type { SignatureReport } from './verify.ts';

const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const ROLE_NAMES: Record<string, [string, string]> = {
  receipt: ['Giấy tiếp nhận hồ sơ và hẹn trả kết quả', 'Receipt and appointment'],
  slip: ['Phiếu, thông báo', 'Slip or notice'],
  result: ['Kết quả giải quyết', 'Result'],
};

const vnTime = (iso: string | null): string => {
  if (!iso) return '—';
  const l = new Date(new Date(iso).getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(l.getUTCHours())}:${p(l.getUTCMinutes())} ${p(l.getUTCDate())}/${p(l.getUTCMonth() + 1)}/${l.getUTCFullYear()} (UTC+7)`;
};

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)}</title>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function signature(s: SignatureReport): string {
  const ok = s.intact && s.trusted;
  return `<li>
<p><strong>${ok ? 'Chữ ký hợp lệ / Valid signature' : 'Chữ ký KHÔNG hợp lệ / INVALID signature'}</strong></p>
<dl>
<dt>Người ký / Signer</dt><dd>${esc(s.signerName ?? '—')}</dd>
<dt>Thời điểm ký / Signing time</dt><dd>${esc(vnTime(s.signingTime))}</dd>
<dt>Toàn vẹn / Integrity</dt><dd>${s.intact ? 'Nội dung không bị thay đổi sau khi ký / Unchanged since signing' : 'Nội dung đã bị thay đổi / Changed after signing'}</dd>
<dt>Chuỗi chứng thư / Certificate chain</dt><dd><ol>${s.chain.map((c) => `<li>${esc(c.subject)}</li>`).join('')}</ol>${
    s.trusted ? 'Tin cậy: đến chứng thư gốc đã cấu hình / Trusted: reaches a configured trust anchor' : 'Không tin cậy / Not trusted'
  }</dd>
${s.problems.length > 0 ? `<dt>Vấn đề / Problems</dt><dd><ul>${s.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul></dd>` : ''}
</dl>
</li>`;
}

function documentSection(d: StoredDocument): string {
  const [vi, en] = ROLE_NAMES[d.role] ?? [d.role, d.role];
  const valid = d.storedIntact && d.report?.valid === true;
  return `<section>
<h2>${esc(vi)} / ${esc(en)}</h2>
<p><strong>${valid ? 'XÁC THỰC: văn bản gốc, chữ ký hợp lệ / AUTHENTIC: the original, validly signed' : 'KHÔNG XÁC THỰC ĐƯỢC / NOT AUTHENTIC'}</strong></p>
<dl>
<dt>Tệp / File</dt><dd>${esc(d.fileName ?? '—')}</dd>
<dt>Ngày lưu / Stored</dt><dd>${esc(vnTime(d.createdAt))}</dd>
<dt>SHA-256</dt><dd><code>${esc(d.sha256)}</code></dd>
<dt>Bản lưu trữ / Stored copy</dt><dd>${d.storedIntact ? 'Khớp mã băm / Matches its hash' : 'Không khớp hoặc bị mất / Changed or missing'}</dd>
</dl>
${d.report ? `<ol>${d.report.signatures.map(signature).join('')}</ol>${d.report.signatures.length === 0 ? '<p>Không có chữ ký số / No digital signature</p>' : ''}` : ''}
<p>Để đối chiếu một bản bạn đang giữ, so sánh mã SHA-256 của tệp với mã trên, hoặc gửi tệp tới <code>POST /api/v1/verify</code>. / To check a copy you hold, compare its SHA-256 with the one above, or send it to <code>POST /api/v1/verify</code>.</p>
</section>`;
}

export function verificationPage(code: string, docs: StoredDocument[]): string {
  const all = docs.length > 0 && docs.every((d) => d.storedIntact && d.report?.valid === true);
  return layout(
    `Xác thực hồ sơ ${code} / Verify dossier ${code}`,
    `<h1>Xác thực giấy tờ điện tử / Verify electronic documents</h1>
<p>Mã hồ sơ / Dossier code: <strong>${esc(code)}</strong></p>
<p><strong>${docs.length === 0 ? 'Hồ sơ chưa có giấy tờ đã ký / No signed document issued yet' : all ? 'Tất cả giấy tờ đều xác thực / Every document is authentic' : 'Có giấy tờ không xác thực được / Some document is not authentic'}</strong></p>
${docs.map(documentSection).join('\n')}`,
  );
}

export function notFoundPage(code: string): string {
  return layout(
    'Không tìm thấy hồ sơ / Dossier not found',
    `<h1>Không tìm thấy hồ sơ / Dossier not found</h1>
<p>Không có hồ sơ mã <strong>${esc(code)}</strong>. Kiểm tra lại mã trên giấy tờ. / There is no dossier <strong>${esc(code)}</strong>. Check the code printed on the document.</p>`,
  );
}
