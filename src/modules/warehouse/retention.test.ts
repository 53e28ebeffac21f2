import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { withDb } from '../../../test/support/db.ts';
import { handPdf } from '../../../test/support/pdfs.ts';
import { seedDemo } from '../../demo/seed.ts';
import { createFolderFileStore } from '../files/file-store.ts';
import { createFileService } from '../files/service.ts';
import { verifyFileStore } from '../files/verify.ts';
import { parseDocumentTypes } from './document-types.ts';
import { findExpired, purgeExpired } from './retention.ts';
import { statusOf } from '../../http/errors.ts';

const citizen = { sub: 'sub-a', roles: ['citizen'], personalId: '004085012345' };
const other = { sub: 'sub-b', roles: ['citizen'], personalId: '004192004871' };
const pdf = (note: string): Buffer => Buffer.concat([handPdf(), Buffer.from(`% ${note}\n`)]);
const rules = parseDocumentTypes({
  defaultRetention: { years: 10 },
  withdrawnOrRefusedUploads: { years: 1 },
  unclassifiedRetention: { years: 5 },
  types: {
    birth_certificate: { name: { vi: 'a', en: 'a' }, retention: { permanent: true } },
    residence_proof: { name: { vi: 'b', en: 'b' }, retention: { years: 10 } },
  },
});

test('purge deletes what is past retention (never a permanent type), audits each deletion, marks the files purged and removes blobs nobody else names', async () => {
  const root = await mkdtemp(join(tmpdir(), 'motcua-retention-'));
  try {
    await withDb(async (db) => {
      const store = createFolderFileStore(root);
      const files = createFileService(db, store);
      const birth = (await files.upload(citizen, Readable.from([pdf('birth')]), 'b.pdf', { documentType: 'birth_certificate' })).file;
      const residence = (await files.upload(citizen, Readable.from([pdf('residence')]), 'r.pdf', { documentType: 'residence_proof' })).file;
      const shared = (await files.upload(citizen, Readable.from([pdf('shared')]), 's.pdf', { documentType: 'residence_proof' })).file;
      await files.upload(other, Readable.from([pdf('shared')]), 's.pdf', { documentType: 'residence_proof' }); // another owner, same bytes
      // Recorded 11 years ago.
      await db.query("UPDATE documents SET created_at = now() - interval '11 years'");
      const now = new Date();
      const expired = await findExpired(db, now, rules);
      assert.deepEqual(expired.map((e) => e.documentType).sort(), ['residence_proof', 'residence_proof', 'residence_proof']);
      assert.equal((await findExpired(db, new Date(now.getTime() - 2 * 365 * 86400_000), rules)).length, 0, 'nothing is due two years earlier');

      const dry = await purgeExpired(db, store, { now, rules, dryRun: true });
      assert.equal(dry.purged.length, 3);
      assert.equal((await db.query('SELECT 1 FROM documents')).rows.length, 4, 'a dry run deletes nothing');

      const r = await purgeExpired(db, store, { now, rules });
      assert.equal(r.purged.length, 3);
      assert.equal(r.blobsRemoved, 2, 'residence and shared: nobody names them any more');
      const left = await db.query<{ document_type: string }>('SELECT document_type FROM documents');
      assert.deepEqual(left.rows.map((x) => x.document_type), ['birth_certificate']);
      const audit = await db.query<{ actor_sub: string; before: { documentType: string }; after: { reason: string } }>("SELECT actor_sub, before, after FROM audit_log WHERE action = 'document.purge'");
      assert.equal(audit.rows.length, 3);
      assert.ok(audit.rows.every((a) => a.actor_sub === 'system:retention' && a.before.documentType === 'residence_proof' && a.after.reason === 'retention'));
      const purged = await db.query<{ id: string }>('SELECT id::text AS id FROM files WHERE purged_at IS NOT NULL ORDER BY id');
      assert.deepEqual(new Set(purged.rows.map((x) => x.id)), new Set([residence.id, shared.id, (await db.query<{ id: string }>("SELECT id::text AS id FROM files WHERE owner_sub = 'sub-b'")).rows[0]!.id]));
      await assert.rejects(files.get(citizen, residence.id), (e: any) => statusOf(e) === 410);
      assert.equal((await files.get(citizen, birth.id)).id, birth.id);
      // The store holds exactly what live records name.
      const v = await verifyFileStore(db, store);
      assert.deepEqual([v.changed, v.missing, v.unreferenced], [[], [], []]);
      assert.equal(v.checked, 1);
      const blobs: string[] = [];
      for (const d of (await readdir(root)).filter((x) => x !== 'tmp')) blobs.push(...(await readdir(join(root, d))));
      assert.deepEqual(blobs, [birth.sha256]);
      // Purging again finds nothing.
      assert.equal((await purgeExpired(db, store, { now, rules })).purged.length, 0);
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a blob another owner still uses is kept when one owner\'s document is purged', async () => {
  const root = await mkdtemp(join(tmpdir(), 'motcua-retention-'));
  try {
    await withDb(async (db) => {
      const store = createFolderFileStore(root);
      const files = createFileService(db, store);
      const a = (await files.upload(citizen, Readable.from([pdf('both')]), 'x.pdf', { documentType: 'residence_proof' })).file;
      await files.upload(other, Readable.from([pdf('both')]), 'x.pdf', { documentType: 'residence_proof' });
      await db.query("UPDATE documents SET created_at = now() - interval '11 years' WHERE owner_id = $1", [citizen.personalId]);
      const r = await purgeExpired(db, store, { rules });
      assert.equal(r.purged.length, 1);
      assert.equal(r.blobsRemoved, 0);
      assert.equal(await store.exists(`${a.sha256.slice(0, 2)}/${a.sha256}`), true);
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('uploads whose dossiers all ended withdrawn or refused are kept one year after the end, not their type\'s ten', async () => {
  const root = await mkdtemp(join(tmpdir(), 'motcua-retention-'));
  try {
    await withDb(async (db) => {
      await seedDemo(db);
      const store = createFolderFileStore(root);
      const files = createFileService(db, store);
      const proc = (await db.query<{ code: string; version: number; workflow_id: string; workflow_version: number }>("SELECT code, version, workflow_id, workflow_version FROM procedures WHERE code = '1.001193' AND is_current")).rows[0]!;
      const agency = (await db.query<{ code: string }>('SELECT code FROM agencies ORDER BY code LIMIT 1')).rows[0]!.code;
      const dossierWith = async (status: string, fileId: string, n: number): Promise<void> => {
        const id = randomUUID();
        await db.query(
          `INSERT INTO dossiers (id, code, procedure_code, procedure_version, workflow_id, workflow_version, agency_code, current_agency_code, applicant_sub, applicant, form, status, submitted_at, snapshot, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, '{}', $10, now() - interval '3 years', '{}', now() - interval '2 years')`,
          [id, `T-${n}`, proc.code, proc.version, proc.workflow_id, proc.workflow_version, agency, citizen.sub, JSON.stringify({ personalId: citizen.personalId }), status],
        );
        await db.query("INSERT INTO dossier_files (dossier_id, file_id, role, pointer) VALUES ($1, $2, 'form', '/attachments/residenceProof')", [id, fileId]);
      };
      const withdrawn = (await files.upload(citizen, Readable.from([pdf('withdrawn')]), 'w.pdf', { documentType: 'residence_proof' })).file;
      const returned = (await files.upload(citizen, Readable.from([pdf('returned')]), 'r.pdf', { documentType: 'residence_proof' })).file;
      const mixed = (await files.upload(citizen, Readable.from([pdf('mixed')]), 'm.pdf', { documentType: 'residence_proof' })).file;
      const permanent = (await files.upload(citizen, Readable.from([pdf('birth')]), 'b.pdf', { documentType: 'birth_certificate' })).file;
      await dossierWith('withdrawn', withdrawn.id, 1);
      await dossierWith('returned', returned.id, 2);
      await dossierWith('refused', mixed.id, 3);
      await dossierWith('processing', mixed.id, 4);
      await dossierWith('refused', permanent.id, 5);
      const expired = await findExpired(db, new Date(), rules);
      assert.deepEqual(expired.map((e) => [e.reason, e.documentType]), [['withdrawn_or_refused', 'residence_proof']]);
      const doc = (await db.query<{ id: string }>('SELECT id::text AS id FROM documents WHERE file_id = $1', [withdrawn.id])).rows[0]!;
      assert.equal(expired[0]!.documentId, doc.id);
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
