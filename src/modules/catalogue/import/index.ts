/**
 * Catalogue import: the national catalogue export and a province's own
 * template, parsed into entries with line-numbered problems. Pure functions;
 * see docs/decisions/0005-catalogue-import-parser.md and docs/catalogue-template.md.
 */
export { parseNationalFile, parseNationalLine } from './national.ts';
export { parseTemplateCsv, TEMPLATE_COLUMNS } from './template.ts';
export { formatRateReport, parseRateReport, type PartRate, type RatePart, type RateReport } from './report.ts';
export type * from './types.ts';
