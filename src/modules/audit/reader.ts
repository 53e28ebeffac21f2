/** What the auditor reads of the audit log: entries and the check of the sealed chain (never a write). */
import type { Database } from '../../db/database.ts';
import { searchAuditEntries, verifyAuditLog } from './audit.ts';

export function createAuditReader(db: Database) {
  return {
    search: (filter: Parameters<typeof searchAuditEntries>[1]) => searchAuditEntries(db, filter),
    /** Read-only: the sealer seals. */
    verify: () => verifyAuditLog(db, { seal: false }),
  };
}
export type AuditReader = ReturnType<typeof createAuditReader>;
