/**
 * The media type of an upload, read from its first bytes (magic numbers), never from
 * its name or the client's declared type. Only what a dossier may carry: PDF, JPEG, PNG.
 */
export type AcceptedMediaType = 'application/pdf' | 'image/jpeg' | 'image/png';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function sniffMediaType(head: Uint8Array): AcceptedMediaType | undefined {
  // PDF: "%PDF-" within the first 1024 bytes (readers tolerate a short preamble; we require it at 0).
  if (head.length >= 5 && head[0] === 0x25 && head[1] === 0x50 && head[2] === 0x44 && head[3] === 0x46 && head[4] === 0x2d) return 'application/pdf';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 8 && PNG.every((b, i) => head[i] === b)) return 'image/png';
  return undefined;
}

export const EXTENSION: Record<AcceptedMediaType, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};
