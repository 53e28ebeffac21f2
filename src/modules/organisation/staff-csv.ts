/**
 * Staff import file: CSV with a header line, one person and unit a line:
 *   sub,name,email,unit_code,roles
 *   7c0b…0001,Nguyễn Văn An,an@caobang.gov.vn,000.00.01.H12,reception;specialist
 * `roles` is one role or several separated by `;`. A person may appear on several lines
 * (one per unit) with the same name and e-mail. Parsing is pure: every problem comes back
 * with its line number, in Vietnamese and English.
 */
import { parse } from 'csv-parse/sync';
import { isUnitRole, type UnitRole } from './roles.ts';
import { UNIT_CODE_PATTERN } from './units.ts';

export interface StaffLine {
  line: number;
  sub: string;
  name: string;
  email?: string | undefined;
  unitCode: string;
  roles: UnitRole[];
}

export interface LineProblem {
  line: number;
  field: string;
  code: string;
  message: { vi: string; en: string };
}

export const STAFF_CSV_COLUMNS = ['sub', 'name', 'email', 'unit_code', 'roles'] as const;
export const SUB_PATTERN = /^[A-Za-z0-9._:@|+-]{1,255}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The lines without problems, every problem, and every well-formed unit code by line (also
 * of lines with other problems, so that an unknown unit is reported with them).
 */
export function parseStaffCsv(text: string): { lines: StaffLine[]; problems: LineProblem[]; unitRefs: { line: number; unitCode: string }[] } {
  const problems: LineProblem[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), info: true, bom: true, skip_empty_lines: true, trim: true }) as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    return { lines: [], unitRefs: [], problems: [{ line: e.lines ?? 1, field: 'file', code: 'malformed_csv', message: { vi: `Tệp CSV không đọc được: ${e.message}`, en: `The CSV file cannot be read: ${e.message}` } }] };
  }
  if (records.length === 0) return { lines: [], unitRefs: [], problems: [{ line: 1, field: 'file', code: 'empty', message: { vi: 'Tệp không có dòng dữ liệu nào', en: 'The file has no data lines' } }] };
  const header = Object.keys(records[0]!.record);
  const missing = STAFF_CSV_COLUMNS.filter((c) => c !== 'email' && !header.includes(c));
  if (missing.length > 0) {
    return { lines: [], unitRefs: [], problems: [{ line: 1, field: missing[0]!, code: 'missing_column', message: { vi: `Thiếu cột: ${missing.join(', ')}`, en: `Missing column(s): ${missing.join(', ')}` } }] };
  }
  const lines: StaffLine[] = [];
  const unitRefs: { line: number; unitCode: string }[] = [];
  const people = new Map<string, { name: string; email: string; line: number }>();
  const seen = new Set<string>();
  for (const { record: r, info } of records) {
    const line = info.lines;
    const bad = (field: string, code: string, vi: string, en: string): void => void problems.push({ line, field, code, message: { vi, en } });
    const sub = r.sub ?? '';
    const name = r.name ?? '';
    const email = r.email ?? '';
    const unitCode = r.unit_code ?? '';
    const roles = (r.roles ?? '').split(/[;|]/).map((x) => x.trim()).filter((x) => x.length > 0);
    const before = problems.length;
    if (!sub) bad('sub', 'required', 'Thiếu mã định danh đăng nhập (sub)', 'The login subject (sub) is missing');
    else if (!SUB_PATTERN.test(sub)) bad('sub', 'pattern', 'Mã định danh đăng nhập (sub) chứa ký tự không hợp lệ', 'The login subject (sub) has characters that are not allowed');
    if (!name) bad('name', 'required', 'Thiếu họ tên', 'The name is missing');
    else if (name.length > 200) bad('name', 'maxLength', 'Họ tên dài quá 200 ký tự', 'The name is longer than 200 characters');
    if (email && !EMAIL.test(email)) bad('email', 'format', `Thư điện tử không hợp lệ: ${email}`, `Not an e-mail address: ${email}`);
    if (!unitCode) bad('unit_code', 'required', 'Thiếu mã đơn vị', 'The unit code is missing');
    else if (!UNIT_CODE_PATTERN.test(unitCode)) bad('unit_code', 'pattern', `Mã đơn vị không đúng dạng (ví dụ 000.00.04.H12): ${unitCode}`, `Malformed unit code (e.g. 000.00.04.H12): ${unitCode}`);
    else unitRefs.push({ line, unitCode });
    if (roles.length === 0) bad('roles', 'required', 'Thiếu vai trò', 'No role given');
    for (const role of roles) if (!isUnitRole(role)) bad('roles', 'enum', `Vai trò không hợp lệ: ${role}`, `Unknown role: ${role}`);
    if (sub && name) {
      const p = people.get(sub);
      if (p && (p.name !== name || p.email !== email)) bad('name', 'inconsistent', `Người này đã có họ tên hoặc thư điện tử khác ở dòng ${p.line}`, `This person has another name or e-mail on line ${p.line}`);
      else if (!p) people.set(sub, { name, email, line });
    }
    if (sub && unitCode) {
      const key = `${sub}\u0000${unitCode}`;
      if (seen.has(key)) bad('unit_code', 'duplicate', 'Người này đã có dòng khác cho cùng đơn vị', 'This person already has a line for this unit');
      seen.add(key);
    }
    if (problems.length === before) lines.push({ line, sub, name, ...(email ? { email } : {}), unitCode, roles: [...new Set(roles)] as UnitRole[] });
  }
  return { lines, problems, unitRefs };
}
