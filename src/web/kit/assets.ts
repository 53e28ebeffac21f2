/**
 * The portal's static files (one stylesheet, one small script), read once at start,
 * compressed once (brotli 11 and gzip 9) and served with a year's cache: their URLs
 * carry the content's hash (`/assets/portal.css?v=…`), so a new version is a new URL.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { policy } from '../../modules/authorization/index.ts';

interface Asset {
  body: Buffer;
  br: Buffer;
  gzip: Buffer;
  type: string;
  hash: string;
}

const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };
const NAMES = ['portal.css', 'portal.js'] as const;
export type AssetName = (typeof NAMES)[number];

const assets = new Map<string, Asset>();
for (const name of NAMES) {
  const body = readFileSync(new URL(`./assets/${name}`, import.meta.url));
  assets.set(name, {
    body,
    br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
    gzip: gzipSync(body, { level: 9 }),
    type: TYPES[name.slice(name.lastIndexOf('.') + 1)]!,
    hash: createHash('sha256').update(body).digest('base64url').slice(0, 12),
  });
}

/** The versioned URL of an asset, e.g. `/assets/portal.css?v=Xy12…`. */
export function assetUrl(name: AssetName): string {
  return `/assets/${name}?v=${assets.get(name)!.hash}`;
}

/** Sizes for the budget report: raw, gzip and brotli bytes. */
export function assetSizes(): Record<string, { raw: number; gzip: number; br: number }> {
  return Object.fromEntries([...assets].map(([n, a]) => [n, { raw: a.body.length, gzip: a.gzip.length, br: a.br.length }]));
}

export function registerAssets(app: FastifyInstance): void {
  app.get<{ Params: { name: string } }>(
    '/assets/:name',
    { config: { policy: policy.public('portal stylesheet and script') }, schema: { hide: true } },
    async (req, reply) => {
      const a = assets.get(req.params.name);
      if (a === undefined) return reply.callNotFound();
      const accept = String(req.headers['accept-encoding'] ?? '');
      const [body, encoding] = /\bbr\b/.test(accept) ? [a.br, 'br'] : /\bgzip\b/.test(accept) ? [a.gzip, 'gzip'] : [a.body, undefined];
      void reply.header('content-type', a.type);
      void reply.header('cache-control', 'public, max-age=31536000, immutable');
      void reply.header('vary', 'Accept-Encoding');
      void reply.header('etag', `"${a.hash}${encoding ? `-${encoding}` : ''}"`);
      if (encoding !== undefined) void reply.header('content-encoding', encoding);
      return reply.send(body);
    },
  );
}
