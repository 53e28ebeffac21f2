/**
 * Who is calling: access tokens from the OpenID provider, the principal, the identity sandbox and demo accounts.
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { type AssurancePolicy, meetsAssurance } from './assurance.ts';
export { DEMO_ACCOUNTS, type DemoAccount } from './demo-accounts.ts';
export { issueSandboxToken } from './issue-sandbox-token.ts';
export { isApplicant, isStaff, type Principal } from './principal.ts';
export { createSandboxProvider, registerSandboxProvider } from './sandbox-provider.ts';
export { createAccessTokenVerifier } from './token-verifier.ts';
