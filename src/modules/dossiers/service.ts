import { createHash, randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../db/database.ts';
import { isAlreadyExists } from '../../db/errors.ts';
import { AppError, notFound, type FieldError } from '../../shared/errors.ts';
import { systemClock, type Clock } from '../../shared/clock.ts';
import type { Principal } from '../identity/index.ts';
import { isApplicant } from '../identity/index.ts';
import { meetsAssurance, type AssurancePolicy } from '../identity/index.ts';
import type { Procedure, ProcedureVariant } from '../catalogue/index.ts';
import { findProcedureVersion } from '../catalogue/index.ts';
import { applyOffering, chooseReceivingOffering } from '../catalogue/index.ts';
import { toOffering } from '../catalogue/index.ts';
import type { WorkingCalendar } from '../calendar/index.ts';
import { collectFileIds, createFormValidator, type FileReference } from '../eforms/index.ts';
import { allowedActions, decide, startDossier } from '../workflow/index.ts';
import { getDefinition } from '../workflow/index.ts';
import { SUBMISSION, type Actor, type DossierSnapshot, type EffectName, type JsonSchema, type WorkflowDefinition, type WorkflowEvent } from '../workflow/index.ts';
import { appendAudit } from '../audit/index.ts';
import { enqueue } from '../outbox/index.ts';
import { findForeignFiles } from '../files/index.ts';
import { actorFor, canSeeDossier, canSeeDossierFile, type DossierFacts } from './access.ts';
import { allocateDossierCode } from './code-allocator.ts';
import {
  appendDossierEvents,
  findDossierByCode,
  findDossierByIdempotencyKey,
  loadSubmissionContext,
  insertDossier,
  linkDossierFiles,
  listDossierEvents,
  listDossierFiles,
  listVisibleDossiers,
  nextEventSeq,
  updateDossierState,
  type DossierEventRecord,
  type DossierRecord,
} from './store.ts';
import { isDossierCode } from './dossier-code.ts';
import type { OnBehalfOf, SubmitDossierInput } from './inputs.ts';
import { notificationsFor, publicLookup, submissionsPerProcedure } from './reads.ts';
import { createParticipantRegistry, type ActionParticipant, type Produced } from './participants.ts';

export type { ActionDossier, ActionParticipant, DescribeContext, ParticipantContext, ProduceContext, Produced } from './participants.ts';

export type { OnBehalfOf, SubmitDossierInput } from './inputs.ts';

export type { Clock } from '../../shared/clock.ts';

const dossierNotFound = (code: string): AppError => notFound({ vi: `Không tìm thấy hồ sơ ${code}`, en: `No dossier ${code}` }, 'code');

/** What the access rules look at in a dossier. */
const factsOf = (d: DossierRecord): DossierFacts => ({
  applicantSub: d.applicantSub,
  applicantTaxCode: typeof d.applicant.taxCode === 'string' ? d.applicant.taxCode : null,
  agencyCode: d.agencyCode,
  currentAgencyCode: d.currentAgencyCode,
});

/** The caller as the workflow sees them on this dossier: the roles they hold in the unit that holds it (authorization module). */
const toActor = (p: Principal, d: DossierRecord): Actor => actorFor(p, factsOf(d));

/**
 * The applicant as the dossier keeps it: from the verified identity, never from the form.
 * A business keeps the person who acted for it; a dossier submitted under a power of
 * attorney is the represented person's, and keeps who submitted it.
 */
function applicantOf(p: Principal, onBehalfOf: OnBehalfOf | undefined): Record<string, unknown> {
  const self = {
    sub: p.sub,
    name: p.name ?? null,
    personalId: p.personalId ?? null,
    taxCode: p.taxCode ?? null,
    birthdate: p.birthdate ?? null,
    type: p.roles.includes('business') ? 'business' : 'citizen',
    ...(p.representative !== undefined ? { representative: { ...p.representative } } : {}),
  };
  if (onBehalfOf === undefined) return self;
  return {
    sub: p.sub,
    name: onBehalfOf.fullName,
    personalId: onBehalfOf.personalId,
    taxCode: null,
    birthdate: null,
    type: 'citizen',
    submittedBy: { name: self.name, personalId: self.personalId, taxCode: self.taxCode, type: self.type },
    powerOfAttorneyFileId: onBehalfOf.powerOfAttorneyFileId,
  };
}

function requestHash(input: SubmitDossierInput): string {
  const who = input.onBehalfOf ? [input.onBehalfOf.personalId, input.onBehalfOf.fullName, input.onBehalfOf.powerOfAttorneyFileId.toLowerCase()] : null;
  return createHash('sha256').update(JSON.stringify([input.procedureCode, input.agencyCode ?? null, input.variantId ?? null, input.form, ...(who ? [who] : [])])).digest('hex');
}

const POWER_OF_ATTORNEY_POINTER = '/onBehalfOf/powerOfAttorneyFileId';

/** A power of attorney names someone else: not the caller themself. */
function onBehalfOfErrors(p: Principal, o: OnBehalfOf | undefined): FieldError[] {
  if (o === undefined) return [];
  if (p.personalId !== undefined && o.personalId === p.personalId) {
    return [{ field: '/onBehalfOf/personalId', code: 'self', message: { vi: 'Không thể nộp theo ủy quyền cho chính mình', en: 'You cannot submit under a power of attorney for yourself' } }];
  }
  return [];
}

/** Looks up a workflow definition by (id, version): the shipped registry unless a caller (a test) gives another. */
export type DefinitionLookup = (id: string, version: number) => WorkflowDefinition | undefined;

/** The use cases of a dossier: submit, read, list, act. Each write is one transaction. */
/** The action with this effect the actor may take now; else one from the dossier's state or anywhere in the flow, for the engine to refuse with its reason. */
function nameForEffect(def: WorkflowDefinition, snap: DossierSnapshot, actor: Actor, effect: EffectName): string {
  return (
    allowedActions(def, snap, actor).find((a) => a.effect === effect)?.name ??
    def.actions.find((a) => a.effect === effect && a.from.includes(snap.status))?.name ??
    def.actions.find((a) => a.effect === effect)?.name ??
    effect
  );
}

export function createDossierService(deps: {
  db: Database;
  calendar: WorkingCalendar;
  clock?: Clock;
  definitions?: DefinitionLookup;
  /** The identity assurance a submission needs (the server always sets it from its configuration). */
  assurance?: AssurancePolicy;
}) {
  const assurance = deps.assurance;
  const { db, calendar } = deps;
  const lookup = deps.definitions ?? getDefinition;
  // A dossier is always driven by the definition version it started with, never the latest.
  const definitionFor = (id: string, version: number): WorkflowDefinition => {
    const def = lookup(id, version);
    if (!def) throw new Error(`workflow definition ${id}@${version} is not installed`);
    return def;
  };
  const clock = deps.clock ?? systemClock;
  const forms = createFormValidator();
  const participants = createParticipantRegistry();

  /** The actions the caller may take now, each input schema as its participants describe it (e.g. the valid choices). */
  async function describedActions(q: Queryable, d: DossierRecord, p: Principal) {
    const def = definitionFor(d.workflowId, d.workflowVersion);
    const snap = d.snapshot as unknown as DossierSnapshot;
    const at = clock.now();
    return Promise.all(
      allowedActions(def, snap, toActor(p, d)).map(async (a) => {
        let input: JsonSchema = a.input;
        for (const part of participants.of(a.effect)) {
          if (part.describe) input = await part.describe(q, { principal: p, dossier: d, at }, input);
        }
        return { name: a.name, effect: a.effect, label: a.label, input };
      }),
    );
  }
  // What a submission uses of a catalogue version (form, deadline, documents, cases) never changes
  // once written (an import changes only wording in place): kept in process, the same object each
  // time (which also keeps the eForm validator's cache hit by identity).
  const procedures = new Map<string, Procedure>();
  async function procedureVersion(code: string, version: number): Promise<Procedure | undefined> {
    const key = `${code}@${version}`;
    let p = procedures.get(key);
    if (p === undefined) {
      p = await findProcedureVersion(db, code, version);
      if (p === undefined) return undefined;
      if (procedures.size >= 5000) procedures.delete(procedures.keys().next().value as string);
      procedures.set(key, p);
    }
    return p;
  }

  /** `q` is the caller's transaction when there is one: on the embedded engine a second connection would wait for it forever. */
  async function fileErrors(q: Queryable, ownerSub: string, refs: FileReference[], pointerPrefix: string): Promise<FieldError[]> {
    const foreign = await findForeignFiles(q, ownerSub, [...new Set(refs.map((r) => r.fileId))]);
    return refs.filter((r) => foreign.has(r.fileId)).map((r) => fileNotFound(pointerPrefix, r));
  }

  /** A dossier as the caller may see it: its files filtered by the access rule, the actions they may take now. The edge builds its JSON view. */
  async function view(d: DossierRecord, p: Principal, extra: { history?: DossierEventRecord[]; files?: Awaited<ReturnType<typeof listDossierFiles>> } = {}) {
    const snap = d.snapshot as unknown as DossierSnapshot;
    const actions = await describedActions(db, d, p);
    return {
      code: d.code,
      status: d.status,
      procedure: { code: d.procedureCode, version: d.procedureVersion },
      variantId: d.variantId ?? null,
      workflow: { id: d.workflowId, version: d.workflowVersion },
      agencyCode: d.agencyCode,
      currentAgencyCode: d.currentAgencyCode,
      applicant: d.applicant,
      form: d.form,
      assigneeSub: d.assigneeSub,
      submittedAt: d.submittedAt,
      receivedAt: d.receivedAt ?? null,
      dueAt: d.dueAt ?? null,
      stepDueAt: snap.stepDueAt,
      apologyUsed: snap.apologyUsed,
      supplementRequests: snap.supplementRequests,
      transfers: snap.transfers,
      resultFileId: snap.resultFileId,
      refusalReasons: snap.refusalReasons,
      ...(extra.files ? { files: extra.files.filter((f) => canSeeDossierFile(p, factsOf(d), f.role)) } : {}),
      ...(extra.history ? { history: extra.history } : {}),
      allowedActions: actions,
    };
  }
  type DossierDetails = Awaited<ReturnType<typeof view>>;

  async function loadVisible(p: Principal, code: string): Promise<DossierRecord> {
    if (!isDossierCode(code)) throw dossierNotFound(code);
    const d = await findDossierByCode(db, code);
    if (!d || !canSeeDossier(p, factsOf(d))) throw dossierNotFound(code);
    return d;
  }

  return {
    async submit(p: Principal, input: SubmitDossierInput, idempotencyKey?: string, requestId?: string): Promise<{ dossier: DossierDetails; created: boolean }> {
      if (!isApplicant(p)) {
        throw new AppError('forbidden', 'forbidden', { vi: 'Chỉ công dân hoặc doanh nghiệp được nộp hồ sơ', en: 'Only citizens and businesses submit dossiers' }, { extra: { requiredRoles: ['citizen', 'business'] } });
      }
      if (assurance !== undefined && !meetsAssurance(p.acr, assurance.levels, assurance.submitMin)) {
        throw new AppError(
          'forbidden',
          'assurance_too_low',
          {
            vi: `Cần đăng nhập bằng định danh điện tử mức ${assurance.submitMin} trở lên để nộp hồ sơ`,
            en: `Submitting a dossier needs an electronic identity login at level ${assurance.submitMin} or higher`,
          },
          { field: 'authorization', extra: { required: assurance.submitMin, actual: p.acr ?? null } },
        );
      }
      const behalfProblems = onBehalfOfErrors(p, input.onBehalfOf);
      if (behalfProblems.length > 0) throw invalidForm(behalfProblems);
      const hash = requestHash(input);
      const formIds = idShapedStrings(input.form);
      const candidates = formIds && input.onBehalfOf ? [...formIds, input.onBehalfOf.powerOfAttorneyFileId.toLowerCase()] : formIds;
      const ctx = await loadSubmissionContext(db, input.procedureCode, p.sub, idempotencyKey, candidates ?? []);
      if (idempotencyKey !== undefined && ctx.existingCode !== null) {
        const existing = await findDossierByIdempotencyKey(db, p.sub, idempotencyKey);
        if (existing) return replay(existing, hash, idempotencyKey, p);
      }
      const procedure = ctx.version === null ? undefined : await procedureVersion(input.procedureCode, ctx.version);
      if (!procedure) throw notFound({ vi: `Không tìm thấy thủ tục ${input.procedureCode}`, en: `No procedure ${input.procedureCode}` }, '/procedureCode');
      const applicantType = p.roles.includes('business') ? 'business' : 'citizen';
      if (procedure.applicantTypes && !procedure.applicantTypes.includes(applicantType)) {
        throw new AppError('forbidden', 'applicant_type_not_allowed', { vi: 'Thủ tục này không dành cho loại người nộp của bạn', en: 'This procedure is not for your kind of applicant' }, { field: '/procedureCode' });
      }
      const chosen = chooseReceivingOffering(ctx.offerings.map(toOffering), input.agencyCode);
      if (!chosen.ok) throw invalidForm([chosen.problem]);
      const agencyCode = chosen.offering.agencyCode;
      const variant = chooseVariant(procedure, input.variantId);
      // The case's own deadline, unless the province shortened the procedure's further.
      const offered = applyOffering(variant ? { ...procedure, legalProcessingDays: variant.legalProcessingDays } : procedure, chosen.offering);
      const legalProcessingDays = Math.min(offered.legalProcessingDays, variant?.legalProcessingDays ?? Infinity);
      const schema = (variant?.form ?? procedure.form).schema;
      const result = forms.validate(schema, input.form);
      if (!result.ok) throw invalidForm(result.errors.map((e) => ({ ...e, field: `/form${e.field}` })));
      const refs = collectFileIds(schema, result.value);
      const attorney: FileReference[] = input.onBehalfOf ? [{ pointer: POWER_OF_ATTORNEY_POINTER, fileId: input.onBehalfOf.powerOfAttorneyFileId.toLowerCase() }] : [];
      // Ownership was read with the context; a form too large for that is checked on its own.
      const missingFiles = [
        ...(candidates === undefined ? await fileErrors(db, p.sub, refs, '/form') : foreignFileErrors(refs, ctx.ownedFileIds, '/form')),
        ...(candidates === undefined ? await fileErrors(db, p.sub, attorney, '') : foreignFileErrors(attorney, ctx.ownedFileIds, '')),
      ];
      if (missingFiles.length > 0) throw invalidForm(missingFiles);

      const now = clock.now();
      const code = await allocateDossierCode(db, agencyCode, now);
      const workflow = variant?.workflow ?? procedure.workflow;
      const def = definitionFor(workflow.id, workflow.version);
      const { dossier: snapshot, events: startEvents } = startDossier(def, { applicantSub: p.sub, agencyCode, legalProcessingDays }, now);
      const record: DossierRecord = {
        id: randomUUID(),
        code,
        procedureCode: procedure.code,
        procedureVersion: procedure.version,
        workflowId: def.id,
        workflowVersion: def.version,
        agencyCode,
        currentAgencyCode: agencyCode,
        applicantSub: p.sub,
        applicant: applicantOf(p, input.onBehalfOf),
        form: result.value as Record<string, unknown>,
        status: def.initial,
        assigneeSub: null,
        submittedAt: now,
        receivedAt: null,
        dueAt: null,
        snapshot: snapshot as unknown as Record<string, unknown>,
        revision: 1,
        idempotencyKey: idempotencyKey ?? null,
        requestHash: hash,
        variantId: variant?.id ?? null,
      };
      const events = startEvents.map((e, i) => ({
        seq: i + 1, type: e.type, action: 'submit', actorSub: p.sub, actorRoles: p.roles, at: now, statusFrom: null, statusTo: e.to,
        data: { ...e.data, procedureCode: procedure.code, procedureVersion: procedure.version, ...(variant ? { variantId: variant.id, variantName: variant.name } : {}) } as Record<string, unknown>,
      }));
      try {
        await db.transaction(async (tx) => {
          // Started without waiting for each other: the statements go to the server in order, in one
          // round trip where the adapter pipelines; the transaction waits for all and fails with the first error.
          await Promise.all([
            insertDossier(tx, record),
            linkDossierFiles(tx, record.id, [
              ...refs.map((r) => ({ fileId: r.fileId, role: 'form', pointer: r.pointer })),
              ...attorney.map((r) => ({ fileId: r.fileId, role: 'power-of-attorney', pointer: r.pointer })),
            ]),
            appendDossierEvents(tx, record.id, 1, events),
            appendAudit(tx, { actorSub: p.sub, actorRoles: p.roles, action: 'dossier.submit', entityType: 'dossier', entityId: code, before: null, after: { status: def.initial, procedureCode: procedure.code, procedureVersion: procedure.version, agencyCode, form: record.form, ...(input.onBehalfOf ? { applicant: record.applicant } : {}) }, at: now, requestId }),
            enqueue(tx, [{ topic: SUBMISSION.event, key: code, payload: { code, procedureCode: procedure.code, agencyCode, status: def.initial, at: now.toISOString() } }]),
          ]);
        });
      } catch (err) {
        // Two requests with the same Idempotency-Key raced: the other one won; answer as it did.
        if (idempotencyKey !== undefined && isAlreadyExists(err)) {
          const existing = await findDossierByIdempotencyKey(db, p.sub, idempotencyKey);
          if (existing) return replay(existing, hash, idempotencyKey, p);
        }
        throw err;
      }
      // The history is what was just written: no need to read it back.
      return { dossier: await view(record, p, { history: events }), created: true };
    },

    async get(p: Principal, code: string): Promise<DossierDetails> {
      const d = await loadVisible(p, code);
      const [history, files] = await Promise.all([listDossierEvents(db, d.id), listDossierFiles(db, d.id)]);
      return view(d, p, { history, files });
    },

    async list(p: Principal, f: { status?: string; limit: number; cursor?: string }) {
      const after = f.cursor !== undefined ? decodeCursor(f.cursor) : undefined;
      const rows = await listVisibleDossiers(db, p, { status: f.status, limit: f.limit + 1, after });
      const page = rows.slice(0, f.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((d) => ({
          code: d.code,
          status: d.status,
          procedureCode: d.procedureCode,
          workflow: { id: d.workflowId, version: d.workflowVersion },
          agencyCode: d.agencyCode,
          currentAgencyCode: d.currentAgencyCode,
          assigneeSub: d.assigneeSub,
          submittedAt: d.submittedAt.toISOString(),
          dueAt: d.dueAt?.toISOString() ?? null,
        })),
        nextCursor: rows.length > f.limit && last ? encodeCursor(last) : null,
      };
    },

    /**
     * Takes an action on a dossier: by its name (the API), or by its effect (pages that
     * offer one kind of action whatever the flow names it, e.g. the portal's withdraw).
     */
    async act(p: Principal, code: string, which: string | { effect: EffectName }, input: unknown, requestId?: string): Promise<DossierDetails> {
      if (!isDossierCode(code)) throw dossierNotFound(code);
      const now = clock.now();
      const out = await db.transaction(async (tx) => {
        const d = await findDossierByCode(tx, code, { forUpdate: true });
        if (!d || !canSeeDossier(p, factsOf(d))) throw dossierNotFound(code);
        const def = definitionFor(d.workflowId, d.workflowVersion);
        const snap = d.snapshot as unknown as DossierSnapshot;
        const actor = toActor(p, d);
        const actionName = typeof which === 'string' ? which : nameForEffect(def, snap, actor, which.effect);
        const candidates = def.actions.filter((a) => a.name === actionName);
        const action = candidates.find((a) => a.from.includes(snap.status)) ?? candidates[0];
        let value: unknown = input ?? {};
        let fileRefs: { pointer: string; fileId: string }[] = [];
        const parts = action && allowedActions(def, snap, actor).some((a) => a.name === actionName) ? participants.of(action.effect) : [];
        const context = (v: unknown) => ({ principal: p, dossier: d, definition: def, action: actionName, effect: action?.effect as EffectName, input: v as Record<string, unknown>, at: now, prev: snap });
        if (action) {
          // Validate the input only for an action that could apply; the engine names the refusal otherwise.
          const allowedNow = allowedActions(def, snap, actor).some((a) => a.name === actionName);
          if (allowedNow) {
            // What the server makes when the caller leaves it out (the result drafted for approval), made before validation.
            if (value !== null && typeof value === 'object' && !Array.isArray(value)) for (const part of parts) if (part.prepare) value = await part.prepare(tx, context(value));
            const r = forms.validate(action.input, value);
            if (!r.ok) throw invalidForm(r.errors.map((e) => ({ ...e, field: `/input${e.field}` })));
            value = r.value;
            fileRefs = collectFileIds(action.input, value);
            const missing = await fileErrors(tx, p.sub, fileRefs, '/input');
            if (missing.length > 0) throw invalidForm(missing);
            const problems: FieldError[] = [];
            for (const part of parts) if (part.check) problems.push(...(await part.check(tx, context(value))));
            if (problems.length > 0) throw invalidForm(problems.map((e) => ({ ...e, field: `/input${e.field}` })));
          }
        }
        const decision = decide(def, snap, actor, actionName, value, now, calendar);
        if (!decision.ok) throw refusalToError(decision.refusal);
        // What the participants make of the action (receipt, slips, the signed result), in this transaction.
        const produced: Produced = { links: [] };
        for (const part of parts) {
          if (!part.produce) continue;
          const made = await part.produce(tx, { ...context(value), actorRole: decision.events[0]!.actorRole, next: decision.dossier, events: decision.events });
          produced.links.push(...made.links);
          if (made.resultFileId !== undefined) produced.resultFileId = made.resultFileId;
          if (made.draftResultFileId !== undefined) produced.draftResultFileId = made.draftResultFileId;
        }
        const next = {
          ...decision.dossier,
          ...(produced.resultFileId !== undefined ? { resultFileId: produced.resultFileId } : {}),
          ...(produced.draftResultFileId !== undefined ? { draftResultFileId: produced.draftResultFileId } : {}),
        };
        // The history and the outbox name the files that became the result or the draft.
        for (const e of decision.events) {
          if (produced.resultFileId !== undefined && 'resultFileId' in e.data) e.data = { ...e.data, resultFileId: produced.resultFileId };
          if (produced.draftResultFileId !== undefined && 'draftResultFileId' in e.data) e.data = { ...e.data, draftResultFileId: produced.draftResultFileId };
        }
        const before = { status: d.status, currentAgencyCode: d.currentAgencyCode, assigneeSub: d.assigneeSub, dueAt: d.dueAt?.toISOString() ?? null };
        const updated: DossierRecord = {
          ...d,
          status: next.status,
          currentAgencyCode: next.currentAgencyCode,
          assigneeSub: next.assigneeSub,
          receivedAt: next.receivedAt !== null ? new Date(next.receivedAt) : null,
          dueAt: next.dueAt !== null ? new Date(next.dueAt) : null,
          snapshot: next as unknown as Record<string, unknown>,
        };
        await updateDossierState(tx, updated);
        updated.revision = d.revision + 1;
        const seq = await nextEventSeq(tx, d.id);
        await appendDossierEvents(tx, d.id, seq, decision.events.map((e: WorkflowEvent) => ({
          type: e.type, action: e.action, actorSub: e.actorSub, actorRoles: p.roles, at: new Date(e.at), statusFrom: e.from, statusTo: e.to,
          data: { ...e.data, dueAt: e.dueAt, stepDueAt: e.stepDueAt, actorRole: e.actorRole },
        })));
        // The approved result is what the applicant receives: linked under its own role so they may open it
        // (first: a file given in the input under the same pointer keeps this role).
        const links: { fileId: string; role: string; pointer: string }[] = [];
        if (next.resultFileId !== null && next.resultFileId !== snap.resultFileId) links.push({ fileId: next.resultFileId, role: 'result', pointer: '/resultFileId' });
        if (produced.draftResultFileId !== undefined) links.push({ fileId: produced.draftResultFileId, role: actionName, pointer: '/draftResultFileId' });
        links.push(...fileRefs.map((r) => ({ fileId: r.fileId, role: actionName, pointer: r.pointer })));
        links.push(...produced.links);
        await linkDossierFiles(tx, d.id, links);
        await appendAudit(tx, {
          actorSub: p.sub, actorRoles: p.roles, action: `dossier.${actionName}`, entityType: 'dossier', entityId: code, at: now, requestId,
          before, after: { status: updated.status, currentAgencyCode: updated.currentAgencyCode, assigneeSub: updated.assigneeSub, dueAt: updated.dueAt?.toISOString() ?? null, input: value },
        });
        await enqueue(tx, decision.events.map((e) => ({ topic: e.type, key: code, payload: { code, ...e } })));
        return updated;
      });
      const [history, files] = await Promise.all([listDossierEvents(db, out.id), listDossierFiles(db, out.id)]);
      return view(out, p, { history, files });
    },

    /** Registers a participant in every action of this effect (see ./participants.ts). */
    /** How many dossiers each procedure received in the last 365 days (for ranking search results). */
    submissionsPerProcedure() {
      return submissionsPerProcedure(db, new Date(clock.now().getTime() - 365 * 86_400_000));
    },

    /** What happened lately to the applicant's dossiers, newest first (the portal's notifications). */
    notifications(p: Principal) {
      return notificationsFor(db, p.sub);
    },

    /** The status of a dossier for anyone who knows its code and the last four digits of the applicant's number. */
    publicLookup(code: string, last4: string) {
      return publicLookup(db, code, last4);
    },

    participate(effect: EffectName, participant: ActionParticipant): void {
      participants.add(effect, participant);
    },
  };

  function replay(existing: DossierRecord, hash: string, key: string, p: Principal) {
    if (existing.requestHash !== hash) {
      throw new AppError('invalid', 'idempotency_key_reused', { vi: 'Idempotency-Key đã được dùng cho một yêu cầu khác', en: 'This Idempotency-Key was used for a different request' }, { field: 'Idempotency-Key', extra: { key } });
    }
    return listDossierEvents(db, existing.id).then(async (history) => ({ dossier: await view(existing, p, { history }), created: false }));
  }
}
export type DossierService = ReturnType<typeof createDossierService>;
/** A dossier as a caller may see it (domain values: dates as Date); the API's JSON is built from it by `dossierView`. */
export type DossierDetails = Awaited<ReturnType<DossierService['get']>>;

const fileNotFound = (pointerPrefix: string, r: FileReference): FieldError => ({
  field: `${pointerPrefix}${r.pointer}`,
  code: 'file_not_found',
  message: { vi: 'Không tìm thấy tệp đã tải lên (hoặc tệp không phải của bạn)', en: 'No such uploaded file (or it is not yours)' },
});

function foreignFileErrors(refs: FileReference[], owned: ReadonlySet<string>, pointerPrefix: string): FieldError[] {
  return refs.filter((r) => !owned.has(r.fileId)).map((r) => fileNotFound(pointerPrefix, r));
}

/** At most this many id-shaped strings are checked together with the submission's first read. */
const MAX_CANDIDATE_FILE_IDS = 200;
const ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every UUID-shaped string in a submitted form, in lower case: a superset of its file ids,
 * known before the form is validated. Undefined when there are too many to send along.
 */
export function idShapedStrings(form: unknown): string[] | undefined {
  const found = new Set<string>();
  const stack: unknown[] = [form];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.length === 36 && ID_SHAPE.test(v)) {
        found.add(v.toLowerCase());
        if (found.size > MAX_CANDIDATE_FILE_IDS) return undefined;
      }
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (typeof v === 'object' && v !== null) {
      for (const x of Object.values(v)) stack.push(x);
    }
  }
  return [...found];
}

/** The case a dossier follows: required when the procedure has several, refused when it has none. */
function chooseVariant(procedure: Procedure, requested: string | undefined): ProcedureVariant | undefined {
  const variants = procedure.variants ?? [];
  if (variants.length === 0) {
    if (requested !== undefined) throw invalidForm([{ field: '/variantId', code: 'no_variants', message: { vi: 'Thủ tục này không có các trường hợp riêng', en: 'This procedure has no separate cases' } }]);
    return undefined;
  }
  if (requested === undefined) {
    const list = variants.map((v) => `${v.id}: ${v.name}`).join('; ');
    throw invalidForm([{ field: '/variantId', code: 'required', message: { vi: `Chọn trường hợp của bạn — ${list}`, en: `Choose your case — ${list}` } }]);
  }
  const v = variants.find((x) => x.id === requested);
  if (!v) throw invalidForm([{ field: '/variantId', code: 'unknown_variant', message: { vi: `Không có trường hợp ${requested}`, en: `No case ${requested}` } }]);
  return v;
}

function invalidForm(details: FieldError[]): AppError {
  return new AppError('invalid', 'invalid_form', { vi: 'Thông tin chưa hợp lệ, xem từng trường', en: 'Some fields are invalid, see each field' }, { details, ...(details[0] ? { field: details[0].field } : {}) });
}

function refusalToError(r: { kind: string; message: { vi: string; en: string }; field?: string; allowedActions: string[] }): AppError {
  const kind = r.kind === 'unknown_action' ? 'not_found' : r.kind === 'not_allowed_in_state' ? 'conflict' : r.kind === 'invalid_input' ? 'invalid' : 'forbidden';
  const extra = { allowedActions: r.allowedActions };
  return new AppError(kind, r.kind, r.message, { extra, ...(r.field !== undefined ? { field: `/input${r.field}` } : {}) });
}

function encodeCursor(d: DossierRecord): string {
  return Buffer.from(JSON.stringify([d.submittedAt.toISOString(), d.id])).toString('base64url');
}

function decodeCursor(c: string): { submittedAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as [string, string];
    const submittedAt = new Date(at);
    if (Number.isNaN(submittedAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad');
    return { submittedAt, id };
  } catch {
    throw new AppError('bad_request', 'invalid_cursor', { vi: 'Con trỏ phân trang không hợp lệ', en: 'Invalid page cursor' }, { field: 'cursor' });
  }
}
