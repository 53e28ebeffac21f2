/**
 * Dossier codes as Circular 01/2018/TT-VPCP art. 19 sets them: the receiving agency's
 * identifier code, the date received (YYMMDD, local time) and the day's sequence number
 * of that agency (at least 4 digits), e.g. `000.00.04.H12-261123-0001`.
 */
const VN_OFFSET_MS = 7 * 3600_000;

/** Agency identifier codes (Decision 20/2020/QĐ-TTg style): dotted groups of letters and digits. */
export const AGENCY_CODE_PATTERN = /^[A-Z0-9]{1,3}(\.[A-Z0-9]{2,3}){3}$/;

export function localDay(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

export function formatDossierCode(agencyCode: string, day: string, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`sequence must be a positive integer, got ${seq}`);
  const m = /^\d{2}(\d{2})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`day must be YYYY-MM-DD, got ${day}`);
  return `${agencyCode}-${m[1]}${m[2]}${m[3]}-${String(seq).padStart(4, '0')}`;
}

export interface ParsedDossierCode {
  agencyCode: string;
  day: string;
  seq: number;
}

const CODE = /^(.+)-(\d{2})(\d{2})(\d{2})-(\d{4,})$/;

export function parseDossierCode(code: string): ParsedDossierCode | undefined {
  const m = CODE.exec(code);
  if (!m) return undefined;
  const [, agencyCode, yy, mm, dd, seq] = m as unknown as [string, string, string, string, string, string];
  if (!AGENCY_CODE_PATTERN.test(agencyCode)) return undefined;
  const day = `20${yy}-${mm}-${dd}`;
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) return undefined;
  return { agencyCode, day, seq: Number(seq) };
}

/** A syntactic check used at the edge before any lookup. */
export const isDossierCode = (s: string): boolean => s.length <= 64 && parseDossierCode(s) !== undefined;
