/**
 * Poppler's command-line tools (Debian package poppler-utils) as independent checks in
 * tests: `pdfsig` for signatures, `pdftotext` for text. Where a tool is missing the test
 * is skipped with its reason, except when MOTCUA_REQUIRE_PDFSIG=1 (CI): then it runs and fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function hasTool(name: string): boolean {
  return spawnSync(name, ['-v'], { encoding: 'utf8' }).error === undefined;
}

/** The `skip` option of a test that needs `tool`: a reason, or false (run; fails when required and missing). */
export function skipWithout(tool: string): string | false {
  if (hasTool(tool)) return false;
  if (process.env.MOTCUA_REQUIRE_PDFSIG === '1' || process.env.CI === '1' || process.env.CI === 'true') return false;
  return `${tool} is not installed (apt-get install -y poppler-utils)`;
}

function runOnFile(tool: string, args: string[], pdf: Uint8Array): { stdout: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-poppler-'));
  try {
    const path = join(dir, 'doc.pdf');
    writeFileSync(path, pdf);
    const r = spawnSync(tool, [...args.map((a) => (a === '{}' ? path : a))], { encoding: 'utf8' });
    if (r.error) throw new Error(`${tool} could not run (${r.error.message}); install poppler-utils`);
    return { stdout: `${r.stdout}${r.stderr}`, status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdftotext(pdf: Uint8Array): string {
  return runOnFile('pdftotext', ['-layout', '{}', '-'], pdf).stdout;
}

export interface PdfsigSignature {
  commonName: string | null;
  valid: boolean;
  validation: string | null;
  totalDocumentSigned: boolean;
}

/** `pdfsig` per signature. It exits 0 even on a digest mismatch, so its text is read. */
export function pdfsig(pdf: Uint8Array): { signatures: PdfsigSignature[]; output: string } {
  const { stdout } = runOnFile('pdfsig', ['-nocert', '{}'], pdf);
  const blocks = stdout.split(/^Signature #\d+:$/m).slice(1);
  return {
    output: stdout,
    signatures: blocks.map((b) => {
      const validation = /Signature Validation: (.*)$/m.exec(b)?.[1]?.trim() ?? null;
      return {
        commonName: /Signer Certificate Common Name: (.*)$/m.exec(b)?.[1]?.trim() ?? null,
        validation,
        valid: validation === 'Signature is Valid.',
        totalDocumentSigned: /Total document signed/.test(b),
      };
    }),
  };
}
