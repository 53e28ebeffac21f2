/**
 * The organisation: units (agencies), staff, role grants and delegations; the names of agencies.
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { assigneeParticipant } from './assignees.ts';
export { organisationCommand } from './cli.ts';
export { seedDemoStaff } from './demo-staff.ts';
export { registerOrganisationRoutes } from './routes.ts';
export { createOrganisationService } from './service.ts';
export { agencyHeading, agencyNames, organisationStanding } from './store.ts';
export { loadVnUnits } from './vn-units.ts';
