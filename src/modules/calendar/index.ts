/**
 * Working days in Vietnam: holidays, swapped days, local days, and adding working days to an instant.
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { type WorkingCalendar } from './types.ts';
export { vietnamCalendar } from './working-days.ts';
