/**
 * Importing a catalogue file into the database: counts, versions, in-place updates,
 * malformed lines, and nothing half-imported when the import fails.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../src/db/database.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { DEMO_OFFER_AT, importCatalogueFile } from '../src/modules/catalogue/import-file.ts';
import { findCurrentProcedure } from '../src/modules/catalogue/store.ts';
import { freshDatabase } from './support/db.ts';

const SHARED = new URL('../../shared/data/procedures/procedures.jsonl', import.meta.url);
const SAMPLE = new URL('../src/modules/catalogue/import/template-sample.csv', import.meta.url);

/** Ten real lines of the national export (the shared catalogue), or none when it is not beside the checkout. */
const lines = existsSync(SHARED) ? readFileSync(SHARED, 'utf8').split('\n').filter(Boolean).slice(0, 10) : [];

let db: Database;
let dir: string;
before(async () => {
  db = await freshDatabase();
  await seedDemo(db);
  dir = await mkdtemp(join(tmpdir(), 'motcua-import-'));
});
after(async () => {
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

const count = async (sql: string, params: unknown[] = []): Promise<number> => (await db.query<{ n: number }>(sql, params)).rows[0]!.n;

describe('catalogue import', { skip: lines.length === 0 && 'the shared catalogue (../shared/data) is not beside this checkout' }, () => {
  it('imports well-formed lines, reports a malformed one with its line number, and offers what it imports in the demo', async () => {
    const file = join(dir, 'export.jsonl');
    await writeFile(file, [lines[0], lines[1], '{"ma_thu_tuc": "1.999999", broken', ...lines.slice(2)].join('\n'));
    const r = await importCatalogueFile(db, file, { actorSub: 'test', offerAt: DEMO_OFFER_AT });
    assert.equal(r.summary.created, 10);
    assert.equal(r.summary.skipped, 1);
    assert.equal(r.malformed.length, 1);
    assert.equal(r.malformed[0]!.line, 3);
    const code = (JSON.parse(lines[0]!) as { ma_thu_tuc: string }).ma_thu_tuc;
    const p = await findCurrentProcedure(db, code);
    assert.ok(p, 'imported');
    assert.equal(p.version, 1);
    assert.equal(p.form.schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.ok((await count('SELECT count(*)::int AS n FROM procedure_offerings WHERE procedure_code = $1 AND active', [code])) >= 1);
    assert.equal(await count("SELECT count(*)::int AS n FROM audit_log WHERE action = 'catalogue.import'"), 1);
  });

  it('re-importing the same file changes nothing; a new deadline makes a new version; new wording updates in place', async () => {
    const file = join(dir, 'again.jsonl');
    await writeFile(file, lines.join('\n'));
    const same = await importCatalogueFile(db, file, { actorSub: 'test' });
    assert.deepEqual([same.summary.created, same.summary.versioned, same.summary.updated, same.summary.unchanged], [0, 0, 0, 10]);

    const rec = JSON.parse(lines[0]!) as Record<string, string>;
    const before = (await findCurrentProcedure(db, rec.ma_thu_tuc!))!;
    // The name changes: wording only.
    await writeFile(file, [JSON.stringify({ ...rec, ten_thu_tuc: `${rec.ten_thu_tuc} (sửa tên)` }), ...lines.slice(1)].join('\n'));
    const renamed = await importCatalogueFile(db, file, { actorSub: 'test' });
    assert.deepEqual([renamed.summary.updated, renamed.summary.versioned], [1, 0]);
    const afterRename = (await findCurrentProcedure(db, rec.ma_thu_tuc!))!;
    assert.equal(afterRename.version, before.version);
    assert.match(afterRename.name, /sửa tên/);

    // The deadline changes: a new catalogue version, the old one kept for the dossiers that use it.
    const changed = { ...rec, ten_thu_tuc: `${rec.ten_thu_tuc} (sửa tên)`, cach_thuc_thuc_hien: 'Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến99 Ngày làm việcMiễn phíTrực tiếp99 Ngày làm việcMiễn phí' };
    await writeFile(file, [JSON.stringify(changed), ...lines.slice(1)].join('\n'));
    const versioned = await importCatalogueFile(db, file, { actorSub: 'test' });
    assert.equal(versioned.summary.versioned, 1);
    const now = (await findCurrentProcedure(db, rec.ma_thu_tuc!))!;
    assert.equal(now.version, before.version + 1);
    assert.equal(now.legalProcessingDays, 99);
    assert.equal(await count('SELECT count(*)::int AS n FROM procedures WHERE code = $1', [rec.ma_thu_tuc]), 2);
  });

  it('an import that fails leaves nothing half-imported', async () => {
    const before = await count('SELECT count(*)::int AS n FROM procedures');
    const file = join(dir, 'fails.jsonl');
    const fresh = lines.map((l, i) => JSON.stringify({ ...(JSON.parse(l) as object), ma_thu_tuc: `9.90000${i}` }));
    await writeFile(file, fresh.join('\n'));
    // Offering at an agency that does not exist fails inside the transaction, after some procedures went in.
    await assert.rejects(importCatalogueFile(db, file, { actorSub: 'test', offerAt: () => ['000.00.99.XXX'] }));
    assert.equal(await count('SELECT count(*)::int AS n FROM procedures'), before);
    assert.equal(await count("SELECT count(*)::int AS n FROM procedures WHERE code LIKE '9.90000%'"), 0);
  });
});

describe('province template import', () => {
  it('imports the documented sample template', async () => {
    const r = await importCatalogueFile(db, SAMPLE.pathname, { actorSub: 'test', offerAt: DEMO_OFFER_AT });
    assert.equal(r.malformed.length, 0, JSON.stringify(r.malformed));
    assert.ok(r.summary.created + r.summary.unchanged >= 1);
  });
});
