/**
 * The public lookup's access rule: anyone who knows a dossier's code and the last 4
 * digits of its applicant's personal identification number (or tax code) may read its
 * status, procedure, office and dates (no names, no form contents). The digits are
 * compared in constant time, also when there is no dossier, so timing reveals nothing.
 */
import { timingSafeEqual } from 'node:crypto';

export const isLast4 = (s: string): boolean => /^\d{4}$/.test(s);

/** True when `last4` are the last 4 digits of `idNumber`; false for a missing number or malformed digits. */
export function knowsPublicLookupSecret(idNumber: string | null, last4: string): boolean {
  const a = Buffer.from((idNumber ?? '').slice(-4).padStart(4, '#'));
  const b = Buffer.from(isLast4(last4) ? last4 : '####');
  return a.length === b.length && timingSafeEqual(a, b) && idNumber !== null && isLast4(last4);
}
