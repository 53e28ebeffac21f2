/**
 * `motcua verify <file.pdf> [--json]`: the signatures of a PDF against the configured
 * trust anchors (MOTCUA_TRUST_ANCHORS), without the database. Exit 0 when valid, 1 when not.
 */
import { readFile } from 'node:fs/promises';
import { trustAnchorsFrom } from './service.ts';
import { verifyPdf } from './verify.ts';

export async function verifyCommand(trustAnchorsPath: string, args: string[]): Promise<number> {
  const file = args.find((a) => !a.startsWith('--'));
  if (file === undefined) {
    console.error('Usage / Cách dùng: motcua verify <file.pdf> [--json]');
    return 2;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    console.error(`Cannot read ${file} / Không đọc được tệp: ${(err as Error).message}`);
    return 2;
  }
  const anchors = await trustAnchorsFrom(trustAnchorsPath)();
  const r = verifyPdf(bytes, anchors);
  if (args.includes('--json')) {
    console.log(JSON.stringify(r, null, 2));
    return r.valid ? 0 : 1;
  }
  console.log(`${file}\n  SHA-256: ${r.sha256}\n  trust anchors: ${anchors.length} (${trustAnchorsPath})`);
  for (const s of r.signatures) {
    console.log(`  signature ${s.index}${s.fieldName ? ` (${s.fieldName})` : ''}: ${s.intact && s.trusted ? 'VALID / HỢP LỆ' : 'NOT VALID / KHÔNG HỢP LỆ'}`);
    console.log(`    signer / người ký: ${s.signerName ?? '?'}`);
    console.log(`    time / thời điểm:  ${s.signingTime ?? '?'}`);
    console.log(`    integrity / toàn vẹn: ${s.intact ? 'unchanged / không bị sửa' : 'CHANGED / ĐÃ BỊ SỬA'}${s.coversWholeDocument ? ', covers the whole file' : ', covers an earlier revision'}`);
    console.log(`    chain / chuỗi: ${s.chain.map((c) => c.commonName ?? c.subject).join(' -> ')} ${s.trusted ? '(trusted)' : '(NOT trusted)'}`);
  }
  for (const p of r.problems) console.log(`  problem: ${p}`);
  console.log(r.valid ? 'VALID / HỢP LỆ' : 'NOT VALID / KHÔNG HỢP LỆ');
  return r.valid ? 0 : 1;
}
