/**
 * The catalogue of administrative procedures: versions, search, offerings per agency, import of the national export.
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { loadDemoCatalogue } from './demo/index.ts';
export { DEMO_OFFER_AT, importCatalogueFile } from './import-file.ts';
export { findOfferings, type OfferingRow, saveOffering, toOffering } from './offering-store.ts';
export { applyOffering, chooseReceivingOffering, type Offering } from './offering.ts';
export { createProcedureSearch, type ProcedureSearch } from './procedure-search.ts';
export { registerCatalogueRoutes } from './routes.ts';
export { defaultSynonyms } from './search/synonyms.ts';
export { type CatalogueService, createCatalogueService, PROCEDURE_CODE } from './service.ts';
export { findCurrentProcedure, findProcedureVersion, procedureNames, saveAgency, saveProcedureVersion } from './store.ts';
export { type Procedure, type ProcedureFee, type ProcedureForm, type ProcedureVariant } from './types.ts';
/** A filled-in form of the demo birth registration (1.001193): the budgets bench and browser tests submit it. */
export { default as demoBirthRegistrationForm } from './demo/examples/1.001193.json' with { type: 'json' };
