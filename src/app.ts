import type { FastifyInstance } from 'fastify';
import { mkdir } from 'node:fs/promises';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { connectDatabase } from './db/connect.ts';
import { migrate, type MigrationReport } from './db/migrate.ts';
import { buildServer } from './http/server.ts';
import { handlersDone } from './http/in-flight.ts';
import { vietnamCalendar } from './modules/calendar/index.ts';
import { registerCatalogueRoutes } from './modules/catalogue/index.ts';
import { createCatalogueService } from './modules/catalogue/index.ts';
import { createProcedureSearch } from './modules/catalogue/index.ts';
import { defaultSynonyms, DEMO_OFFER_AT, importCatalogueFile } from './modules/catalogue/index.ts';
import { createDossierService } from './modules/dossiers/index.ts';
import { systemClock, type Clock } from './shared/clock.ts';
import { createRatingService } from './modules/ratings/index.ts';
import { createDraftStore } from './modules/drafts/index.ts';
import { registerDossierRoutes } from './modules/dossiers/index.ts';
import { openFileStore, verifyFileStore, type FileStore } from './modules/files/index.ts';
import { createFileService } from './modules/files/index.ts';
import { registerFileRoutes } from './modules/files/index.ts';
import { createWarehouseService, purgeExpired } from './modules/warehouse/index.ts';
import { registerWarehouseRoutes } from './modules/warehouse/index.ts';
import { createSandboxProvider, registerSandboxProvider } from './modules/identity/index.ts';
import { createAccessTokenVerifier } from './modules/identity/index.ts';
import { sealAuditLog, startAuditSealer, verifyAuditLog } from './modules/audit/index.ts';
import { startOutboxWorker } from './modules/outbox/index.ts';
import { createWebhookSink } from './modules/outbox/index.ts';
import { seedDemo } from './demo/seed.ts';
import { createOrganisationService } from './modules/organisation/index.ts';
import { registerOrganisationRoutes } from './modules/organisation/index.ts';
import { cookieNames } from './modules/sessions/index.ts';
import { cookieSessionAuth, registerSessionRoutes } from './modules/sessions/index.ts';
import { createSessionService } from './modules/sessions/index.ts';
import { registerPortal } from './web/citizen/routes.ts';
import { createAccessResolver } from './modules/authorization/index.ts';
import { seedDemoStaff } from './modules/organisation/index.ts';
import { createAuditReader, registerAuditRoutes } from './modules/audit/index.ts';
import { createDocumentService } from './modules/documents/index.ts';
import { registerDocumentRoutes } from './modules/documents/index.ts';
import { assigneeParticipant } from './modules/organisation/index.ts';
import type { EffectName } from './modules/workflow/index.ts';
import { configuredSigner } from './modules/signing/index.ts';
import { createVerificationService, trustAnchorsFrom } from './modules/verification/index.ts';
import { registerVerificationRoutes } from './modules/verification/index.ts';

/** Every service of the application, built once from the configuration, one database and one clock. */
export function buildServices(config: Config, db: Database, clock: Clock, fileStore: FileStore) {
  const calendar = vietnamCalendar();
  // The search ranks procedures by use: it asks the dossiers (made below) when it loads.
  const search = createProcedureSearch(db, { popularity: () => dossiers.submissionsPerProcedure() });
  const catalogue = createCatalogueService({ db, clock, onChange: () => search.invalidate() });
  const files = createFileService(db, fileStore, { maxBytes: config.fileMaxBytes });
  const warehouse = createWarehouseService({ db, store: fileStore, maxBytes: config.fileMaxBytes, clock });
  // Signed slips and results as dossiers move (src/modules/documents); verification for everyone.
  const signer = configuredSigner(config.signing, clock);
  const documents = config.signing.documents
    ? createDocumentService({ db, clock, store: fileStore, signerFor: () => signer(), publicUrl: config.publicUrl, place: config.signing.place })
    : undefined;
  const verification = createVerificationService({ db, store: fileStore, trustAnchors: trustAnchorsFrom(config.signing.trustAnchorsPath) });
  const dossiers = createDossierService({ db, calendar, assurance: config.assurance, clock });
  // Modules that take part in dossier actions, by workflow effect (src/modules/dossiers/participants.ts).
  dossiers.participate('assign', assigneeParticipant());
  for (const [effect, part] of Object.entries(documents?.participants ?? {})) dossiers.participate(effect as EffectName, part);
  const access = createAccessResolver({ db, clock });
  const organisation = createOrganisationService({ db, clock, onStaffChange: (sub) => access.invalidate(sub) });
  const ratings = createRatingService({ db, clock });
  const drafts = createDraftStore(db, clock);
  const audit = createAuditReader(db);
  /** What the operator runs from the console (`motcua audit verify`, `files verify|purge`, `catalogue import`). */
  const operations = {
    async sealAndVerifyAudit() {
      await sealAuditLog(db, { batchSize: 1000 });
      return verifyAuditLog(db);
    },
    verifyFileStore: () => verifyFileStore(db, fileStore),
    purgeExpired: (opts: { now: Date; dryRun: boolean }) => purgeExpired(db, fileStore, opts),
    fileStoreDescription: fileStore.description,
    /** Imports a catalogue file; with the demo, its agencies first (the demo offers what it imports there). */
    async importCatalogue(file: string, opts: Omit<Parameters<typeof importCatalogueFile>[2], 'offerAt'> & { demo: boolean }) {
      const { demo, ...rest } = opts;
      if (demo) await seedDemo(db);
      const r = await importCatalogueFile(db, file, { ...rest, ...(demo ? { offerAt: DEMO_OFFER_AT } : {}) });
      search.invalidate();
      return r;
    },
  };
  return { clock, calendar, search, catalogue, files, warehouse, documents, verification, dossiers, access, organisation, ratings, drafts, audit, operations };
}
export type Services = ReturnType<typeof buildServices>;

/**
 * The services without the HTTP server, for the command line: the database opened and
 * migrated (`migrated` says what was applied), the file store opened; `close` closes both.
 */
export async function openServices(config: Config, opts: { clock?: Clock } = {}): Promise<{ services: Services; migrated: MigrationReport; close(): Promise<void> }> {
  const db = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const migrated = await migrate(db);
    const fileStore = await openFileStore(config.fileStore);
    return {
      services: buildServices(config, db, opts.clock ?? systemClock, fileStore),
      migrated,
      async close() {
        fileStore.close?.();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

export interface Motcua {
  app: FastifyInstance;
  db: Database;
  config: Config;
  services: Services;
  /** Stops taking requests, lets workers finish their batch, closes the database. */
  close(): Promise<void>;
}

/** The composition root: config -> database -> services -> HTTP -> workers. */
export async function createMotcua(config: Config, opts: { db?: Database; clock?: Clock } = {}): Promise<Motcua> {
  const clock = opts.clock ?? systemClock;
  await mkdir(config.dataDir, { recursive: true });
  const db = opts.db ?? (await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize }));
  await migrate(db);
  if (config.demo) {
    await seedDemo(db);
    await seedDemoStaff(db, undefined, clock);
  }
  defaultSynonyms(); // a malformed synonyms.json stops the start, not the first search
  const fileStore = await openFileStore(config.fileStore);
  const services = buildServices(config, db, clock, fileStore);
  const { search, catalogue, files, warehouse, documents, verification, dossiers, access, organisation, ratings, drafts, audit } = services;

  const sandbox = config.sandboxIdp ? await createSandboxProvider({ publicBaseUrl: config.publicUrl, dataDir: config.dataDir }) : undefined;
  const verifier = createAccessTokenVerifier({
    issuer: config.oidcIssuer,
    audience: config.oidcAudience,
    claimMap: config.oidcClaimMap,
    ...(sandbox?.jwks ? { jwks: sandbox.jwks } : {}),
  });

  const sessions = createSessionService({
    db,
    publicUrl: config.publicUrl,
    issuer: config.oidcIssuer,
    clientId: config.oidcClientId,
    clientSecret: config.oidcClientSecret,
    scope: config.oidcScope,
    resource: config.oidcResource,
    maxAgeSec: config.sessionMaxAgeSec,
    idleSec: config.sessionIdleSec,
    verifyToken: (t) => verifier.verify(t),
  });
  const sessionCookies = cookieNames(config.publicUrl);

  const app = await buildServer({
    config,
    db,
    verifyToken: (t) => verifier.verify(t),
    session: cookieSessionAuth(sessions, sessionCookies, config.publicUrl),
    access,
    beforeAuth: sandbox ? [(a) => registerSandboxProvider(a, sandbox)] : [],
    routes: [
      (a) => registerCatalogueRoutes(a, { catalogue, search, agencyNames: organisation.agencyNames }),
      (a) => registerFileRoutes(a, files),
      (a) => registerWarehouseRoutes(a, warehouse),
      (a) => registerDossierRoutes(a, dossiers),
      (a) => registerDocumentRoutes(a, { dossiers, files, documents }),
      (a) => registerVerificationRoutes(a, verification),
      (a) => registerOrganisationRoutes(a, organisation),
      (a) => registerAuditRoutes(a, audit),
      (a) => registerSessionRoutes(a, sessions, sessionCookies, config.sessionMaxAgeSec, config.publicUrl),
      (a) =>
        registerPortal(a, {
          fileMaxBytes: config.fileMaxBytes, catalogue, search, dossiers, files, warehouse, drafts, ratings,
          agencyNames: organisation.agencyNames, sessions, sessionCookies,
        }),
    ],
  });

  const workers = config.workers
    ? [
        startAuditSealer(db, { intervalMs: 1000 }),
        startOutboxWorker(db, {
          sinks: config.webhookUrl && config.webhookSecret ? [createWebhookSink({ url: config.webhookUrl, secret: config.webhookSecret, timeoutMs: 10_000 })] : [],
          pollMs: 500,
        }),
      ]
    : [];

  let closed = false;
  return {
    app,
    db,
    config,
    services,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      // Handlers whose clients hung up still run: the database stays open until they finish.
      await handlersDone(app, 10_000);
      await Promise.all(workers.map((w) => w.stop()));
      fileStore.close?.();
      if (!opts.db) await db.close();
    },
  };
}
