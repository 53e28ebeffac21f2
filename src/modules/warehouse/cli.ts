/**
 * `motcua files verify` and `motcua files purge`: the operator's checks of the file store
 * and the retention rules (src/modules/warehouse/data/document-types.json).
 */
import type { Config } from '../../config.ts';
import { connectDatabase } from '../../db/connect.ts';
import { migrate } from '../../db/migrate.ts';
import { openFileStore } from '../files/index.ts';
import { verifyFileStore } from '../files/index.ts';
import { purgeExpired } from './retention.ts';


export async function filesCommand(config: Config, args: string[]): Promise<number | undefined> {
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
  const db = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const store = await openFileStore(config.fileStore);
  try {
    await migrate(db);
    if (sub === 'verify') {
      const r = await verifyFileStore(db, store);
      for (const c of r.changed) console.log(`CHANGED / BỊ THAY ĐỔI ${c.storageKey}: expected ${c.expected}, found ${c.actual}`);
      for (const m of r.missing) console.log(`MISSING / BỊ MẤT ${m.storageKey}`);
      for (const u of r.unreferenced) console.log(`unreferenced / không được dùng: ${u}`);
      const ok = r.changed.length === 0 && r.missing.length === 0;
      console.log(
        `${ok ? 'OK' : 'DAMAGED / HƯ HỎNG'}: ${r.checked} files checked in ${store.description}, ${r.changed.length} changed, ${r.missing.length} missing, ${r.unreferenced.length} unreferenced` +
          ` / đã kiểm tra ${r.checked} tệp, ${r.changed.length} bị thay đổi, ${r.missing.length} bị mất`,
      );
      return ok ? 0 : 1;
    }
    const dryRun = args.includes('--dry-run');
    const r = await purgeExpired(db, store, { now, dryRun });
    for (const p of r.purged) {
      console.log(`${dryRun ? 'would delete / sẽ xóa' : 'deleted / đã xóa'} ${p.documentId} ${p.documentType} (owner ${p.ownerId}, ${p.reason}, kept until ${p.expiresAt.toISOString().slice(0, 10)})`);
    }
    console.log(
      `${dryRun ? 'Dry run / Chạy thử' : 'Purged / Đã xóa'}: ${r.purged.length} documents, ${r.filesPurged} file records, ${r.blobsRemoved} stored contents removed` +
        ` / ${r.purged.length} giấy tờ, ${r.blobsRemoved} nội dung đã xóa`,
    );
    return 0;
  } finally {
    store.close?.();
    await db.close();
  }
}
