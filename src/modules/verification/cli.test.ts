import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motcua } from '../../../test/support/cli.ts';
import { renderDossierDocument } from '../documents/templates.ts';
import { loadP12Signer } from '../signing/p12.ts';
import { signPdf } from '../signing/pades.ts';

describe('motcua pki init and motcua verify', () => {
  it('creates a development PKI, then verifies a PDF signed with it: exit 0 when valid, 1 after a changed byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-cli-pki-'));
    const env = { MOTCUA_DATA_DIR: dir, MOTCUA_SANDBOX_IDP: '1', MOTCUA_SIGNING_P12_PASSWORD: 'bí-mật-123' };
    const init = await motcua(['pki', 'init'], env);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /NOT FOR PRODUCTION/);
    assert.doesNotMatch(init.stdout + init.stderr, /bí-mật-123/, 'the password is never printed');
    const again = await motcua(['pki', 'init'], env);
    assert.match(again.stdout, /already exists/);

    const pdf = await renderDossierDocument('receipt', {
      dossierCode: '000.00.04.H12-261123-0001', verifyUrl: 'http://localhost:3000/verify/000.00.04.H12-261123-0001',
      agency: { code: '000.00.04.H12', name: 'Ủy ban nhân dân phường Thục Phán' }, place: 'Cao Bằng', issuedAt: new Date('2026-11-23T02:00:00Z'),
      procedure: { code: '1.001193', name: 'Thủ tục đăng ký khai sinh' }, applicant: { name: 'Nguyễn Văn An' },
    });
    const signed = await signPdf(pdf, await loadP12Signer(join(dir, 'pki', 'agency.p12'), 'bí-mật-123'), { reason: 'Tiếp nhận' });
    const file = join(dir, 'receipt.pdf');
    writeFileSync(file, signed);
    const ok = await motcua(['verify', file], env);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /signer \/ người ký: Ủy ban nhân dân phường Thục Phán/);
    assert.match(ok.stdout, /\(trusted\)/);
    const json = await motcua(['verify', file, '--json'], env);
    assert.equal(JSON.parse(json.stdout).valid, true);

    const bad = Buffer.from(signed);
    bad[1500] = bad[1500]! ^ 1;
    writeFileSync(file, bad);
    const no = await motcua(['verify', file], env);
    assert.equal(no.code, 1);
    assert.match(no.stdout, /NOT VALID/);
    assert.equal((await motcua(['verify'], env)).code, 2);
  });
});
