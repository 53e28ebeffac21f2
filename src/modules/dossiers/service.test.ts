import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it, test } from 'node:test';
import { freshDatabase } from '../../../test/support/db.ts';
import { handPdf } from '../../../test/support/pdfs.ts';
import type { Database } from '../../db/database.ts';
import { seedDemo } from '../../demo/seed.ts';
import { findCurrentProcedure, saveProcedureVersion } from '../catalogue/store.ts';
import { createFolderFileStore } from '../files/file-store.ts';
import { createFileService } from '../files/service.ts';
import { findDemoAccount } from '../identity/demo-accounts.ts';
import type { Principal } from '../identity/principal.ts';
import { standardOneStop } from '../workflow/definitions/index.ts';
import { mondayToFridayCalendar } from '../workflow/test-calendar.ts';
import type { WorkflowDefinition } from '../workflow/types.ts';
import { createDossierService, idShapedStrings } from './service.ts';
import { statusOf } from '../../http/errors.ts';
import { AppError } from '../../shared/errors.ts';
import { findDossierByCode, updateDossierState } from './store.ts';

const principal = (account: string): Principal => {
  const a = findDemoAccount(account)!;
  return { sub: a.sub, roles: [...a.roles], name: a.name, ...(a.personalId ? { personalId: a.personalId } : {}), ...(a.agencyCode ? { agencyCode: a.agencyCode } : {}) };
};
const citizen = principal('citizen1');
const reception = principal('reception1');
const example = readFileSync(new URL('../catalogue/demo/examples/1.001193.json', import.meta.url), 'utf8');

/** Version 2 of the standard flow: the applicant can no longer withdraw (a change a province might make). */
const v2: WorkflowDefinition = { ...structuredClone(standardOneStop), version: 2, actions: standardOneStop.actions.filter((a) => a.name !== 'withdraw') };
const registry = (id: string, version: number) => [standardOneStop, v2].find((d) => d.id === id && d.version === version);

let db: Database;
let dir: string;
let fileId: string;
before(async () => {
  db = await freshDatabase();
  await seedDemo(db);
  dir = await mkdtemp(join(tmpdir(), 'motcua-svc-'));
  const files = createFileService(db, createFolderFileStore(dir));
  fileId = (await files.upload(citizen, Readable.from([handPdf()]), 'a.pdf')).file.id;
});
after(async () => {
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('workflow versions', () => {
  it('a dossier in flight keeps the definition version it started with; new dossiers take the new one', async () => {
    const service = createDossierService({ db, calendar: mondayToFridayCalendar, definitions: registry, clock: { now: () => new Date('2026-11-23T02:00:00Z') } });
    const form = JSON.parse(example.replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, fileId)) as Record<string, unknown>;
    const input = { procedureCode: '1.001193', agencyCode: '000.00.04.H12', form };

    const old = (await service.submit(citizen, input)).dossier;
    assert.deepEqual(old.workflow, { id: 'standard-one-stop', version: 1 });

    // The province publishes a new version of the procedure that runs on workflow version 2.
    const procedure = (await findCurrentProcedure(db, '1.001193'))!;
    await db.transaction((tx) => saveProcedureVersion(tx, { ...procedure, workflow: { id: 'standard-one-stop', version: 2 } }));

    const fresh = (await service.submit(citizen, input)).dossier;
    assert.deepEqual(fresh.workflow, { id: 'standard-one-stop', version: 2 });
    assert.deepEqual(fresh.procedure.version, procedure.version + 1);
    assert.ok(!fresh.allowedActions.some((a) => a.name === 'withdraw'));

    // The old dossier still runs on version 1: its applicant may still withdraw, through reception too.
    assert.ok((await service.get(citizen, old.code)).allowedActions.some((a) => a.name === 'withdraw'));
    await service.act(reception, old.code, 'receive', {});
    const withdrawn = await service.act(citizen, old.code, 'withdraw', { reason: 'Đổi ý' });
    assert.equal(withdrawn.status, 'withdrawn');
    assert.deepEqual(withdrawn.workflow, { id: 'standard-one-stop', version: 1 });
    await assert.rejects(service.act(citizen, fresh.code, 'withdraw', {}), (e: any) => statusOf(e) === 404);
  });
});

describe('cases (trường hợp)', () => {
  it('a dossier follows the case picked: its deadline and its workflow', async () => {
    const service = createDossierService({ db, calendar: mondayToFridayCalendar, definitions: registry, clock: { now: () => new Date('2026-11-23T02:00:00Z') } });
    const p = (await findCurrentProcedure(db, '1.004873'))!;
    await db.transaction((tx) =>
      saveProcedureVersion(tx, {
        ...p,
        variants: [
          { id: 'v1', name: 'Cấp lần đầu', legalProcessingDays: 3, channels: [], requiredDocuments: [] },
          { id: 'v2', name: 'Cấp lại khi giấy đã hết hạn', legalProcessingDays: 1, channels: [], requiredDocuments: [], workflow: { id: 'standard-one-stop', version: 2 } },
        ],
      }),
    );
    const form = JSON.parse(readFileSync(new URL('../catalogue/demo/examples/1.004873.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const base = { procedureCode: '1.004873', agencyCode: '000.00.04.H12', form };
    const first = (await service.submit(citizen, { ...base, variantId: 'v1' })).dossier;
    const again = (await service.submit(citizen, { ...base, variantId: 'v2' })).dossier;
    assert.deepEqual([first.variantId, first.workflow.version, first.history![0]!.data.legalProcessingDays], ['v1', 1, 3]);
    assert.deepEqual([again.variantId, again.workflow.version, again.history![0]!.data.legalProcessingDays], ['v2', 2, 1]);
  });
});

test('idShapedStrings finds every UUID-shaped string of a form, in lower case, and gives up past 200', () => {
  const a = 'AAAAAAAA-1111-4111-8111-111111111111';
  const b = '22222222-2222-4222-8222-222222222222';
  const form = { x: a, nested: { list: [b, 'not-an-id', 7, null, { deep: b }] }, y: 'aaaaaaaa-1111-4111-8111-111111111111x' };
  assert.deepEqual(new Set(idShapedStrings(form)), new Set([a.toLowerCase(), b]));
  assert.deepEqual(idShapedStrings('plain'), []);
  const many = Array.from({ length: 201 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  assert.equal(idShapedStrings({ many }), undefined);
  assert.equal(idShapedStrings({ many: many.slice(0, 200) })?.length, 200);
});

test('a revision clash (the dossier changed since it was read) is a conflict, 409, not a 500', async () => {
  const service = createDossierService({ db, calendar: mondayToFridayCalendar, definitions: registry, clock: { now: () => new Date('2026-11-23T02:00:00Z') } });
  const form = JSON.parse(example.replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, fileId)) as Record<string, unknown>;
  const { dossier } = await service.submit(citizen, { procedureCode: '1.001193', agencyCode: '000.00.04.H12', form });
  const read = (await findDossierByCode(db, dossier.code))!;
  await db.transaction((tx) => updateDossierState(tx, read));
  // The same (now stale) revision written again: another transaction got there first.
  await assert.rejects(db.transaction((tx) => updateDossierState(tx, read)), (e: unknown) => {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.kind, 'conflict');
    assert.equal(e.code, 'concurrent_update');
    assert.equal(statusOf(e), 409);
    assert.ok(e.messages.vi.length > 0 && e.messages.en.length > 0);
    return true;
  });
});
