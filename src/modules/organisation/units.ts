/**
 * The province's organisation as units (agencies): the People's Committee, the standard
 * provincial agencies, and every commune, ward and special zone of the national list
 * (vn-units, after the 2025 reorganisation). Pure: the plan `setup --province` applies,
 * the agency identifier codes, and the checks of a new unit, a rename and a merge.
 * Where the codes come from: docs/decisions/0008-organisation-units-and-role-grants.md.
 */
import type { NewUnitInput } from './inputs.ts';
import type { FieldError } from '../../shared/errors.ts';

export const UNIT_KINDS = ['people_committee', 'service_centre', 'department', 'police', 'commune', 'ward', 'special_zone', 'other'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export type UnitLevel = 'province' | 'commune';

export interface Unit {
  code: string;
  name: string;
  nameEn?: string | undefined;
  level: UnitLevel | 'ministry' | 'other';
  kind?: UnitKind | undefined;
  parentCode?: string | undefined;
  adminUnitCode?: string | undefined;
  active: boolean;
  mergedInto?: string | undefined;
  mergedAt?: string | undefined;
}

export interface VnProvince {
  code: string;
  name: string;
  nameEn: string;
  fullName: string;
  fullNameEn: string;
  units: { code: string; fullName: string; fullNameEn: string }[];
}

/**
 * Level-1 agency codes (the `Hxx` of `000.00.00.H12`) attested in published dossier and
 * procedure codes of a province whose name survived the 2025 reorganisation. Keyed by
 * the national administrative code of the province.
 */
export const ATTESTED_PROVINCE_CODES: Readonly<Record<string, string>> = Object.freeze({
  '04': 'H12', // Cao Bằng: the demo catalogue, provincial portal codes 000.00.00.H12
  '15': 'H38', // Lào Cai: procedure codes 1.011442.000.00.00.H38 of dichvucong.laocai.gov.vn
  '19': 'H55', // Thái Nguyên: procedure codes 2.000815.000.00.00.H55 of dichvucong.thainguyen.gov.vn
});

/**
 * The level-1 code of a province: the attested one, else a derived placeholder `X` +
 * the national province code (e.g. `X01` for Hà Nội) that can never be mistaken for a
 * real `Hxx` code. An operator who knows the real code passes it (`--code-suffix`).
 */
export function provinceCodeSuffix(provinceCode: string, override?: string): string {
  return override ?? ATTESTED_PROVINCE_CODES[provinceCode] ?? `X${provinceCode}`;
}

export const CODE_SUFFIX_PATTERN = /^[A-Z][0-9A-Z]{1,2}$/;
export const UNIT_CODE_PATTERN = /^[A-Z0-9]{1,3}(\.[A-Z0-9]{2,3}){3}$/;

/** The standard provincial agencies after the 2025 reorganisation, with their fixed level-2 numbers. */
export const PROVINCIAL_AGENCIES: readonly { no: string; kind: UnitKind; name: string; nameEn: string }[] = Object.freeze([
  { no: '01', kind: 'service_centre', name: 'Trung tâm Phục vụ hành chính công', nameEn: 'Public Administration Service Centre' },
  { no: '02', kind: 'police', name: 'Công an', nameEn: 'Provincial Police' },
  { no: '03', kind: 'department', name: 'Văn phòng Ủy ban nhân dân', nameEn: "Office of the People's Committee" },
  // 04-09 are left free: the demo catalogue has its wards there.
  { no: '10', kind: 'department', name: 'Sở Nội vụ', nameEn: 'Department of Home Affairs' },
  { no: '11', kind: 'department', name: 'Sở Tư pháp', nameEn: 'Department of Justice' },
  { no: '12', kind: 'department', name: 'Sở Tài chính', nameEn: 'Department of Finance' },
  { no: '13', kind: 'department', name: 'Sở Công Thương', nameEn: 'Department of Industry and Trade' },
  { no: '14', kind: 'department', name: 'Sở Nông nghiệp và Môi trường', nameEn: 'Department of Agriculture and Environment' },
  { no: '15', kind: 'department', name: 'Sở Xây dựng', nameEn: 'Department of Construction' },
  { no: '16', kind: 'department', name: 'Sở Khoa học và Công nghệ', nameEn: 'Department of Science and Technology' },
  { no: '17', kind: 'department', name: 'Sở Giáo dục và Đào tạo', nameEn: 'Department of Education and Training' },
  { no: '18', kind: 'department', name: 'Sở Y tế', nameEn: 'Department of Health' },
  { no: '19', kind: 'department', name: 'Sở Văn hóa, Thể thao và Du lịch', nameEn: 'Department of Culture, Sports and Tourism' },
  { no: '20', kind: 'department', name: 'Thanh tra', nameEn: 'Provincial Inspectorate' },
  { no: '21', kind: 'department', name: 'Sở Dân tộc và Tôn giáo', nameEn: 'Department of Ethnic Minorities and Religions' },
]);

/** Level-2 numbers of communes, wards and special zones start here (100 + their rank by national code). */
export const FIRST_LOCAL_UNIT_NO = 100;

export function agencyCode(suffix: string, no: string): string {
  return `000.00.${no}.${suffix}`;
}

/** `Phường X` → ward, `Xã X` → commune, `Đặc khu X` → special zone (the list's own spelling, any case). */
export function localUnitKind(fullName: string): 'commune' | 'ward' | 'special_zone' {
  const n = fullName.normalize('NFC').toLocaleLowerCase('vi');
  if (n.startsWith('phường ')) return 'ward';
  if (n.startsWith('đặc khu ')) return 'special_zone';
  return 'commune';
}

/** `Tỉnh Cao Bằng` → `tỉnh Cao Bằng`: the kind word is lower case inside a name. */
const lowerFirst = (s: string): string => (s.length > 0 ? s[0]!.toLocaleLowerCase('vi') + s.slice(1) : s);

/**
 * Every unit `setup --province` makes, parents first, deterministic: the same data gives
 * the same codes. Communes take level-2 numbers from 100 in the order of their national code.
 */
export function provinceSetupPlan(p: VnProvince, suffix: string): Unit[] {
  const root = agencyCode(suffix, '00');
  const plan: Unit[] = [
    { code: root, name: `Ủy ban nhân dân ${lowerFirst(p.fullName)}`, nameEn: `${p.fullNameEn} People's Committee`, level: 'province', kind: 'people_committee', adminUnitCode: p.code, active: true },
  ];
  for (const a of PROVINCIAL_AGENCIES) {
    plan.push({ code: agencyCode(suffix, a.no), name: `${a.name} ${lowerFirst(p.fullName)}`, nameEn: `${a.nameEn}, ${p.nameEn}`, level: 'province', kind: a.kind, parentCode: root, active: true });
  }
  const locals = [...p.units].sort((a, b) => a.code.localeCompare(b.code));
  locals.forEach((u, i) => {
    plan.push({
      code: agencyCode(suffix, String(FIRST_LOCAL_UNIT_NO + i)),
      name: `Ủy ban nhân dân ${lowerFirst(u.fullName)}`,
      nameEn: `${u.fullNameEn} People's Committee`,
      level: 'commune',
      kind: localUnitKind(u.fullName),
      parentCode: root,
      adminUnitCode: u.code,
      active: true,
    });
  });
  return plan;
}

const problem = (field: string, code: string, vi: string, en: string): FieldError => ({ field, code, message: { vi, en } });

export type { NewUnitInput } from './inputs.ts';

/** The checks of a new unit that need no database: its name, kind, codes. */
export function checkNewUnit(input: NewUnitInput): FieldError[] {
  const problems: FieldError[] = [];
  if (!input.name.trim()) problems.push(problem('/name', 'required', 'Cần nhập tên đơn vị', 'The unit needs a name'));
  if (!(UNIT_KINDS as readonly string[]).includes(input.kind)) problems.push(problem('/kind', 'enum', `Loại đơn vị phải là một trong: ${UNIT_KINDS.join(', ')}`, `The kind must be one of: ${UNIT_KINDS.join(', ')}`));
  if (input.code !== undefined && !UNIT_CODE_PATTERN.test(input.code)) problems.push(problem('/code', 'pattern', 'Mã định danh không đúng dạng (ví dụ 000.00.04.H12)', 'The identifier code is malformed (e.g. 000.00.04.H12)'));
  if (input.adminUnitCode !== undefined && !/^\d{2}$|^\d{5}$/.test(input.adminUnitCode)) problems.push(problem('/adminUnitCode', 'pattern', 'Mã đơn vị hành chính gồm 2 hoặc 5 chữ số', 'The administrative unit code has 2 or 5 digits'));
  return problems;
}

export const unitLevelOf = (kind: UnitKind): UnitLevel => (kind === 'commune' || kind === 'ward' || kind === 'special_zone' ? 'commune' : 'province');

/** A merge is refused when a unit would be merged into itself, an inactive unit, or twice. */
export function checkMerge(from: Pick<Unit, 'code' | 'active' | 'mergedInto'>, into: Pick<Unit, 'code' | 'active'>): FieldError[] {
  if (from.code === into.code) return [problem('/into', 'same_unit', 'Không thể sáp nhập đơn vị vào chính nó', 'A unit cannot be merged into itself')];
  if (from.mergedInto !== undefined || !from.active) return [problem('/code', 'inactive', 'Đơn vị này đã ngừng hoạt động hoặc đã được sáp nhập', 'This unit is inactive or already merged')];
  if (!into.active) return [problem('/into', 'inactive', 'Đơn vị nhận sáp nhập đã ngừng hoạt động', 'The unit merged into is inactive')];
  return [];
}

/** The next free level-2 number for a local unit, given the codes in use with this suffix. */
export function nextLocalUnitCode(suffix: string, used: readonly string[]): string {
  let max = FIRST_LOCAL_UNIT_NO - 1;
  for (const c of used) {
    const m = /^000\.00\.(\d{3})\.([A-Z0-9]{2,3})$/.exec(c);
    if (m && m[2] === suffix) max = Math.max(max, Number(m[1]));
  }
  if (max >= 999) throw new RangeError('no level-2 number left for a new unit');
  return agencyCode(suffix, String(max + 1));
}
