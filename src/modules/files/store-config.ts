/**
 * Where uploaded and generated files are kept: a folder (default) or an S3-compatible
 * object store (MOTCUA_FILE_STORE=s3). Read from the environment with the rest of the
 * configuration; the secret key is never part of a message, a log line or JSON.
 */
export type FileStoreConfig =
  | { kind: 'folder'; dir: string }
  | {
      kind: 's3';
      /** An S3-compatible service's address (MinIO, Ceph, a province's cloud); absent for AWS itself. */
      endpoint: string | undefined;
      region: string;
      bucket: string;
      /** Prepended to every key, e.g. `motcua/` to share a bucket. */
      prefix: string;
      forcePathStyle: boolean;
      accessKeyId: string;
      /** Not enumerable: JSON.stringify and console.log of the configuration do not show it. */
      readonly secretAccessKey: string;
      /** Where uploads are spooled and checked before they go to the bucket. */
      tmpDir: string;
    };

const BUCKET = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseFileStoreConfig(env: Record<string, string | undefined>, folderDir: string, problems: string[]): FileStoreConfig {
  const kind = env.MOTCUA_FILE_STORE || 'folder';
  if (kind === 'folder') return { kind: 'folder', dir: folderDir };
  if (kind !== 's3') {
    problems.push(`MOTCUA_FILE_STORE=${JSON.stringify(kind)}: folder or s3 / phải là folder hoặc s3`);
    return { kind: 'folder', dir: folderDir };
  }
  let endpoint: string | undefined;
  const rawEndpoint = env.MOTCUA_S3_ENDPOINT;
  if (rawEndpoint !== undefined && rawEndpoint !== '') {
    try {
      const u = new URL(rawEndpoint);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      if (u.username !== '' || u.password !== '') {
        problems.push('MOTCUA_S3_ENDPOINT: put the keys in MOTCUA_S3_ACCESS_KEY_ID / MOTCUA_S3_SECRET_ACCESS_KEY, not in the address / không ghi khóa vào địa chỉ');
      } else endpoint = rawEndpoint.replace(/\/+$/, '');
    } catch {
      problems.push('MOTCUA_S3_ENDPOINT: not a valid http or https URL / không phải địa chỉ URL hợp lệ');
    }
  }
  const bucket = env.MOTCUA_S3_BUCKET ?? '';
  if (!BUCKET.test(bucket)) problems.push('MOTCUA_S3_BUCKET: required, 3-63 lower-case letters, digits, dots and hyphens / bắt buộc, tên bucket hợp lệ');
  const region = env.MOTCUA_S3_REGION || 'us-east-1';
  if (!/^[a-z0-9-]{2,32}$/.test(region)) problems.push('MOTCUA_S3_REGION: e.g. us-east-1 / vùng không hợp lệ');
  const prefix = env.MOTCUA_S3_PREFIX ?? '';
  if (prefix !== '' && !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/$/.test(prefix)) problems.push('MOTCUA_S3_PREFIX: path segments ending in / (e.g. motcua/) / phải kết thúc bằng /');
  const accessKeyId = env.MOTCUA_S3_ACCESS_KEY_ID ?? '';
  const secret = env.MOTCUA_S3_SECRET_ACCESS_KEY ?? '';
  if (accessKeyId === '') problems.push('MOTCUA_S3_ACCESS_KEY_ID: required with MOTCUA_FILE_STORE=s3 / bắt buộc');
  if (secret === '') problems.push('MOTCUA_S3_SECRET_ACCESS_KEY: required with MOTCUA_FILE_STORE=s3 / bắt buộc');
  else if (secret.length < 8) problems.push('MOTCUA_S3_SECRET_ACCESS_KEY: too short (at least 8 characters) / quá ngắn');
  const pathStyle = (env.MOTCUA_S3_FORCE_PATH_STYLE || (endpoint !== undefined ? 'true' : 'false')).toLowerCase();
  if (!['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'].includes(pathStyle)) problems.push('MOTCUA_S3_FORCE_PATH_STYLE: true or false / phải là true hoặc false');
  const out = {
    kind: 's3' as const,
    endpoint,
    region,
    bucket,
    prefix,
    forcePathStyle: ['1', 'true', 'on', 'yes'].includes(pathStyle),
    accessKeyId,
    tmpDir: `${folderDir}/tmp`,
  };
  Object.defineProperty(out, 'secretAccessKey', { value: secret, enumerable: false, writable: false });
  return out as FileStoreConfig;
}
