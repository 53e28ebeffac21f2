/**
 * The part of panva's oidc-provider 9 (plain JavaScript, no bundled types) that the
 * sandbox uses. Configuration stays loosely typed: it is checked by the provider
 * itself at construction.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type AnyObject = Record<string, unknown>;

  export interface InteractionDetails {
    uid: string;
    returnTo: string;
    prompt: { name: string; reasons: string[]; details: AnyObject };
    params: AnyObject;
    session?: { accountId?: string; uid?: string; cookie?: string };
    grantId?: string;
    lastSubmission?: AnyObject;
    exp: number;
  }

  export interface Grant {
    jti: string;
    accountId: string;
    clientId: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    getOIDCScope(): string;
    getResourceScope(resource: string): string;
    save(ttl?: number): Promise<string>;
  }

  export interface GrantConstructor {
    new (properties: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  export interface ClientInfo {
    clientId: string;
    clientName?: string;
  }

  export interface ProviderContext {
    oidc: {
      client?: ClientInfo;
      session?: { accountId?: string; grantIdFor(clientId: string): string | undefined; exp?: number };
      result?: AnyObject;
      requestParamOIDCScopes: Set<string>;
      requestParamScopes: Set<string>;
      resourceServers: Record<string, { scopes: Set<string>; scope: string; audience?: string }>;
      provider: Provider;
      [key: string]: unknown;
    };
    host: string;
    status: number;
    type: string;
    body: unknown;
    set(field: string, value: string): void;
    [key: string]: unknown;
  }

  export interface ErrorOut {
    error: string;
    error_description?: string;
    [key: string]: unknown;
  }

  export class Provider {
    constructor(issuer: string, configuration?: AnyObject);
    readonly issuer: string;
    proxy: boolean;
    Grant: GrantConstructor;
    Client: { find(id: string): Promise<ClientInfo | undefined> };
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: AnyObject, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    interactionResult(req: IncomingMessage, res: ServerResponse, result: AnyObject, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  export const errors: {
    InvalidTarget: new (description?: string) => Error;
    AccessDenied: new (description?: string) => Error;
    SessionNotFound: new (description?: string) => Error;
    [name: string]: new (description?: string) => Error;
  };

  export default Provider;
}
