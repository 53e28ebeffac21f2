/**
 * `motcua files verify` and `motcua files purge`: the operator's checks of the file store
 * and the retention rules (src/modules/warehouse/data/document-types.json).
 */
import type { verifyFileStore } from '../files/index.ts';
import type { PurgeReport } from './retention.ts';

/** What these commands run, from the composition root's operations. */
export interface FileOperations {
  verifyFileStore(): ReturnType<typeof verifyFileStore>;
  purgeExpired(opts: { now: Date; dryRun: boolean }): Promise<PurgeReport>;
  fileStoreDescription: string;
}

/** `use` opens the services, runs the command with them and closes them (only once the arguments are good). */
export async function filesCommand(use: (fn: (ops: FileOperations) => Promise<number>) => Promise<number>, args: string[]): Promise<number | undefined> {
  const sub = args[0];
  if (sub !== 'verify' && sub !== 'purge') return undefined;
  let now = new Date();
  const nowArg = args.indexOf('--now') >= 0 ? args[args.indexOf('--now') + 1] : undefined;
  if (nowArg !== undefined) {
    now = new Date(nowArg);
    if (Number.isNaN(now.getTime())) {
      console.error(`--now: not a date / không phải ngày: ${nowArg}`);
      return 2;
    }
  }
  return use(async (ops) => {
    if (sub === 'verify') {
      const r = await ops.verifyFileStore();
      for (const c of r.changed) console.log(`CHANGED / BỊ THAY ĐỔI ${c.storageKey}: expected ${c.expected}, found ${c.actual}`);
      for (const m of r.missing) console.log(`MISSING / BỊ MẤT ${m.storageKey}`);
      for (const u of r.unreferenced) console.log(`unreferenced / không được dùng: ${u}`);
      const ok = r.changed.length === 0 && r.missing.length === 0;
      console.log(
        `${ok ? 'OK' : 'DAMAGED / HƯ HỎNG'}: ${r.checked} files checked in ${ops.fileStoreDescription}, ${r.changed.length} changed, ${r.missing.length} missing, ${r.unreferenced.length} unreferenced` +
          ` / đã kiểm tra ${r.checked} tệp, ${r.changed.length} bị thay đổi, ${r.missing.length} bị mất`,
      );
      return ok ? 0 : 1;
    }
    const dryRun = args.includes('--dry-run');
    const r = await ops.purgeExpired({ now, dryRun });
    for (const p of r.purged) {
      console.log(`${dryRun ? 'would delete / sẽ xóa' : 'deleted / đã xóa'} ${p.documentId} ${p.documentType} (owner ${p.ownerId}, ${p.reason}, kept until ${p.expiresAt.toISOString().slice(0, 10)})`);
    }
    console.log(
      `${dryRun ? 'Dry run / Chạy thử' : 'Purged / Đã xóa'}: ${r.purged.length} documents, ${r.filesPurged} file records, ${r.blobsRemoved} stored contents removed` +
        ` / ${r.purged.length} giấy tờ, ${r.blobsRemoved} nội dung đã xóa`,
    );
    return 0;
  });
}
