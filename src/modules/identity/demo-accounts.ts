/**
 * The sandbox's demo accounts. The sandbox identity provider has no passwords: on its
 * login page one picks an account, standing in for a VNeID level-2 login (citizens,
 * businesses) or the province's Keycloak (officers). Never used outside the sandbox.
 *
 * Personal ids follow the 12-digit citizen identity number: place code (004 = Cao Bằng),
 * century-and-sex digit (0 male/1 female born 1900s, 2 male/3 female born 2000s), the
 * last two digits of the birth year, six serial digits. The tax code is a 10-digit code
 * with a correct check digit (Cao Bằng codes start with 48).
 */

/** The demo commune People's Committee (Ủy ban nhân dân phường Thục Phán); the demo catalogue uses the same code. */
export const DEMO_AGENCY_CODE = '000.00.04.H12';

export type DemoRole = 'citizen' | 'business' | 'reception' | 'specialist' | 'leader' | 'admin' | 'unit_admin' | 'auditor';

/** A second demo commune (Ủy ban nhân dân phường Tân Giang): its officer must not reach the first one's dossiers. */
export const DEMO_SECOND_AGENCY_CODE = '000.00.05.H12';

export interface DemoAccount {
  /** Login id shown on the sandbox login page and used by `motcua token <account>`. */
  account: string;
  /** Stable subject identifier carried in tokens as `sub`. */
  sub: string;
  roles: DemoRole[];
  /** Full name of the person, or the company name of a business. */
  name: string;
  /** 12-digit personal identification number (số định danh cá nhân). */
  personalId?: string;
  /** 10-digit tax code (mã số thuế) of a business. */
  taxCode?: string;
  /** Code of the agency an officer works for. */
  agencyCode?: string;
  /** YYYY-MM-DD. */
  birthdate?: string;
  /** The person who acts for a business. */
  legalRepresentative?: { name: string; personalId: string };
}

const ACCOUNTS: DemoAccount[] = [
  {
    account: 'citizen1',
    sub: '7c0b6f0e-2b1e-4d5a-9a51-3f6c1e0a0001',
    roles: ['citizen'],
    name: 'Nguyễn Văn An',
    personalId: '004085012345',
    birthdate: '1985-03-12',
  },
  {
    account: 'citizen2',
    sub: '7c0b6f0e-2b1e-4d5a-9a51-3f6c1e0a0002',
    roles: ['citizen'],
    name: 'Hoàng Thị Mai',
    personalId: '004192004871',
    birthdate: '1992-07-25',
  },
  {
    account: 'citizen3',
    sub: '7c0b6f0e-2b1e-4d5a-9a51-3f6c1e0a0003',
    roles: ['citizen'],
    name: 'Nông Minh Đức',
    personalId: '004201007320',
    birthdate: '2001-11-03',
  },
  {
    account: 'business1',
    sub: '7c0b6f0e-2b1e-4d5a-9a51-3f6c1e0b0001',
    roles: ['business'],
    name: 'Công ty TNHH Nông sản Non Nước Cao Bằng',
    taxCode: '4800206198',
    legalRepresentative: { name: 'Lục Văn Thành', personalId: '004078003516' },
  },
  {
    account: 'reception1',
    sub: '7c0b6f0e-2b1e-4d5a-9a51-3f6c1e0c0001',
    roles: ['reception'],
    name: 'Bế Thị Hương',
    agencyCode: DEMO_AGENCY_CODE,
  },
  {
    account: 'specialist1',
    sub: '7c0b6f0e-2b1e-4d5a-9a51-3f6c1e0c0002',
    roles: ['specialist'],
    name: 'Đàm Quang Huy',
    agencyCode: DEMO_AGENCY_CODE,
  },
  {
    account: 'leader1',
    sub: '7c0b6f0e-2b1e-4d5a-9a51-3f6c1e0c0003',
    roles: ['leader'],
    name: 'Nông Văn Lâm',
    agencyCode: DEMO_AGENCY_CODE,
  },
  {
    account: 'reception2',
    sub: '7c0b6f0e-2b1e-4d5a-9a51-3f6c1e0c0004',
    roles: ['reception'],
    name: 'Lương Thị Thu',
    agencyCode: DEMO_SECOND_AGENCY_CODE,
  },
  {
    account: 'unitadmin1',
    sub: '7c0b6f0e-2b1e-4d5a-9a51-3f6c1e0d0002',
    roles: ['unit_admin'],
    name: 'Hà Văn Phúc',
    agencyCode: DEMO_AGENCY_CODE,
  },
  {
    account: 'auditor1',
    sub: '7c0b6f0e-2b1e-4d5a-9a51-3f6c1e0d0003',
    roles: ['auditor'],
    name: 'Triệu Thị Lan',
    agencyCode: '000.00.00.H12',
  },
  {
    account: 'admin1',
    sub: '7c0b6f0e-2b1e-4d5a-9a51-3f6c1e0d0001',
    roles: ['admin'],
    name: 'Trần Minh Quân',
    agencyCode: DEMO_AGENCY_CODE,
  },
];

/** Read-only: each account and its roles are frozen. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = Object.freeze(ACCOUNTS.map((a) => Object.freeze({ ...a, roles: Object.freeze([...a.roles]) as DemoRole[] })));

/** The account with this login id, or undefined. */
export function findDemoAccount(account: string, accounts: readonly DemoAccount[] = DEMO_ACCOUNTS): DemoAccount | undefined {
  return accounts.find((a) => a.account === account);
}

/** The account with this subject, or undefined. */
export function findDemoAccountBySub(sub: string, accounts: readonly DemoAccount[] = DEMO_ACCOUNTS): DemoAccount | undefined {
  return accounts.find((a) => a.sub === sub);
}
