import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { withDb } from '../../../test/support/db.ts';
import type { Queryable } from '../../db/database.ts';
import { isOwnerId, ownerIdsOf, recordDocument } from './store.ts';
import { statusOf } from '../../http/errors.ts';

async function insertFile(q: Queryable, sha: string, owner = 'sub-1'): Promise<string> {
  const id = randomUUID();
  await q.query(`INSERT INTO files (id, sha256, size_bytes, media_type, file_name, owner_sub, storage_key) VALUES ($1, $2, 10, 'application/pdf', 'a.pdf', $3, $4)`, [id, sha, owner, `${sha.slice(0, 2)}/${sha}`]);
  return id;
}

test('owner ids: a 12-digit personal id or a tax code (with a branch suffix), nothing else', () => {
  for (const ok of ['004085012345', '4800206198', '4800206198-001']) assert.equal(isOwnerId(ok), true, ok);
  for (const bad of ['', '00408501234', '0040850123456', '480020619', 'abc', '4800206198-1', 12345678901]) assert.equal(isOwnerId(bad), false, String(bad));
  assert.deepEqual(ownerIdsOf({ personalId: '004085012345', taxCode: '4800206198' }), ['004085012345', '4800206198']);
  assert.deepEqual(ownerIdsOf({}), []);
});

test('recordDocument keeps the same content of the same owner once, fills in what was unknown, takes the latest stated type, and runs inside the caller transaction', () =>
  withDb(async (db) => {
    const sha = 'a'.repeat(64);
    const f1 = await insertFile(db, sha);
    const f2 = await insertFile(db, sha, 'sub-2');
    const a = await recordDocument(db, { fileId: f1, ownerId: '004085012345', documentType: 'unclassified', source: 'upload' });
    assert.equal(a.created, true);
    const b = await recordDocument(db, { fileId: f2, ownerId: '004085012345', documentType: 'birth_extract', issuingAgency: 'UBND phường Thục Phán', validFrom: '2024-01-02', source: 'upload' });
    assert.deepEqual(b, { id: a.id, created: false });
    const c = await recordDocument(db, { fileId: f1, ownerId: '004192004871', documentType: 'birth_extract', source: 'upload' });
    assert.notEqual(c.id, a.id, 'another owner has their own document');
    const rows = (await db.query<{ document_type: string; issuing_agency: string; valid_from: Date; storage_key: string }>('SELECT * FROM documents WHERE id = $1', [a.id])).rows;
    assert.equal(rows[0]!.document_type, 'birth_extract');
    assert.equal(rows[0]!.issuing_agency, 'UBND phường Thục Phán');
    assert.equal(rows[0]!.storage_key, `aa/${sha}`);
    // What the latest upload or scan says the paper is replaces the type; 'unclassified' never does.
    const typeOf = async (): Promise<string> => (await db.query<{ document_type: string }>('SELECT document_type FROM documents WHERE id = $1', [a.id])).rows[0]!.document_type;
    await recordDocument(db, { fileId: f1, ownerId: '004085012345', documentType: 'unclassified', source: 'upload' });
    assert.equal(await typeOf(), 'birth_extract');
    await recordDocument(db, { fileId: f1, ownerId: '004085012345', documentType: 'other', source: 'digitised' });
    assert.equal(await typeOf(), 'other');
    // Rolled back with the caller's transaction.
    const f3 = await insertFile(db, 'b'.repeat(64));
    await assert.rejects(
      db.transaction(async (tx) => {
        await recordDocument(tx, { fileId: f3, ownerId: '4800206198', documentType: 'result_document', source: 'result' });
        throw new Error('rollback');
      }),
      /rollback/,
    );
    assert.equal((await db.query('SELECT 1 FROM documents WHERE file_id = $1', [f3])).rowCount, 0);
  }));

test('recordDocument refuses a bad owner, type, date or file, naming the field', () =>
  withDb(async (db) => {
    const f = await insertFile(db, 'c'.repeat(64));
    const base = { fileId: f, ownerId: '004085012345', documentType: 'birth_extract', source: 'upload' as const };
    await assert.rejects(recordDocument(db, { ...base, ownerId: '123' }), (e: any) => statusOf(e) === 422 && e.field === '/ownerId');
    await assert.rejects(recordDocument(db, { ...base, documentType: 'Bad Type' }), (e: any) => e.field === '/documentType');
    await assert.rejects(recordDocument(db, { ...base, validFrom: '2024-13-45' }), (e: any) => e.field === '/validFrom');
    await assert.rejects(recordDocument(db, { ...base, validFrom: '2024-05-01', validUntil: '2024-04-01' }), (e: any) => e.field === '/validUntil');
    await assert.rejects(recordDocument(db, { ...base, fileId: randomUUID() }), (e: any) => e.field === '/fileId');
  }));
