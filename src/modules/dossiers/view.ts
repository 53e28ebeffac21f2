/** The API's JSON view of a dossier, built at the HTTP edge from what the service returns. */
import type { DossierDetails } from './service.ts';

export function dossierView(d: DossierDetails) {
  return {
    code: d.code,
    status: d.status,
    procedure: d.procedure,
    variantId: d.variantId,
    workflow: d.workflow,
    agencyCode: d.agencyCode,
    currentAgencyCode: d.currentAgencyCode,
    applicant: d.applicant,
    form: d.form,
    assigneeSub: d.assigneeSub,
    submittedAt: d.submittedAt.toISOString(),
    receivedAt: d.receivedAt?.toISOString() ?? null,
    dueAt: d.dueAt?.toISOString() ?? null,
    stepDueAt: d.stepDueAt,
    apologyUsed: d.apologyUsed,
    supplementRequests: d.supplementRequests,
    transfers: d.transfers,
    resultFileId: d.resultFileId,
    refusalReasons: d.refusalReasons,
    ...(d.files ? { files: d.files } : {}),
    ...(d.history
      ? {
          history: d.history.map((e) => ({
            seq: e.seq,
            type: e.type,
            action: e.action,
            actorSub: e.actorSub,
            actorRoles: e.actorRoles,
            at: e.at.toISOString(),
            statusFrom: e.statusFrom,
            statusTo: e.statusTo,
            data: e.data,
          })),
        }
      : {}),
    allowedActions: d.allowedActions,
  };
}
