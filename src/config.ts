import { resolve } from 'node:path';

/** Every setting of Motcua, read from the environment once and validated at start. */
export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  dbPoolSize: number;
  demo: boolean;
  fileStoreDir: string;
  fileMaxBytes: number;
  bodyLimitBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** The bundled sandbox identity provider: on in the demo, never in production unless asked. */
  sandboxIdp: boolean;
  oidcIssuer: string;
  oidcAudience: string;
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
  workers: boolean;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration / Cấu hình không hợp lệ:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${JSON.stringify(raw)}: must be an integer from ${min} to ${max} / phải là số nguyên từ ${min} đến ${max}`);
      return def;
    }
    return n;
  };
  const bool = (name: string, def: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
    problems.push(`${name}=${JSON.stringify(raw)}: must be 1/0, true/false, on/off / phải là 1 hoặc 0`);
    return def;
  };
  const url = (name: string, raw: string | undefined, protocols: string[]): string | undefined => {
    if (raw === undefined || raw === '') return undefined;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) throw new Error('protocol');
      return raw;
    } catch {
      problems.push(`${name}: not a valid ${protocols.join(' or ')} URL / không phải địa chỉ URL hợp lệ`);
      return undefined;
    }
  };

  const port = int('PORT', 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const publicUrl = (url('MOTCUA_PUBLIC_URL', env.MOTCUA_PUBLIC_URL, ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const dataDir = resolve(env.MOTCUA_DATA_DIR || './data');
  const demo = bool('MOTCUA_DEMO', false);
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL: one of ${LOG_LEVELS.join(', ')} / một trong các giá trị trên`);
  const sandboxIdp = bool('MOTCUA_SANDBOX_IDP', demo);
  const issuerRaw = url('MOTCUA_OIDC_ISSUER', env.MOTCUA_OIDC_ISSUER, ['http:', 'https:']);
  if (!sandboxIdp && issuerRaw === undefined) {
    problems.push('MOTCUA_OIDC_ISSUER: required when the sandbox identity provider is off (MOTCUA_SANDBOX_IDP=0) / bắt buộc khi tắt nhà cung cấp định danh thử nghiệm');
  }
  const webhookUrl = url('MOTCUA_WEBHOOK_URL', env.MOTCUA_WEBHOOK_URL, ['http:', 'https:']);
  const webhookSecret = env.MOTCUA_WEBHOOK_SECRET || undefined;
  if (webhookUrl !== undefined && (webhookSecret === undefined || webhookSecret.length < 16)) {
    problems.push('MOTCUA_WEBHOOK_SECRET: required with MOTCUA_WEBHOOK_URL, at least 16 characters / bắt buộc, tối thiểu 16 ký tự');
  }
  const databaseUrl = url('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:']);

  const config: Config = {
    port,
    host,
    publicUrl,
    dataDir,
    databaseUrl,
    dbPoolSize: int('MOTCUA_DB_POOL', 20, 1, 500),
    demo,
    fileStoreDir: resolve(env.MOTCUA_FILE_STORE_DIR || `${dataDir}/files`),
    fileMaxBytes: int('MOTCUA_FILE_MAX_BYTES', 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    bodyLimitBytes: int('MOTCUA_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    logLevel,
    sandboxIdp,
    oidcIssuer: issuerRaw ?? `${publicUrl}/oidc`,
    oidcAudience: env.MOTCUA_OIDC_AUDIENCE || 'motcua-api',
    webhookUrl,
    webhookSecret,
    workers: bool('MOTCUA_WORKERS', true),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
