/**
 * Reading a page's form when it is sent as multipart (it carries documents): the fields
 * as a urlencoded form would give them, and each chosen file stored through the file
 * service as soon as it arrives. A refused file (too large, not a PDF/JPEG/PNG, empty) is
 * reported for its field and the rest of the form is still read. The `_csrf` field must
 * come first: no file is stored before the token is checked.
 */
import { fieldsOf } from '../../shared/records.ts';
import type { FastifyRequest } from 'fastify';
import { assertFormCsrf } from '../../http/auth.ts';
import type { Principal } from '../../modules/identity/index.ts';
import type { FileRecord, FileService } from '../../modules/files/index.ts';
import { AppError, type Message } from '../../shared/errors.ts';
import type { Posted } from './form-model.ts';

export interface UploadOutcome {
  field: string;
  file?: FileRecord;
  error?: Message;
}

export interface ReadForm {
  posted: Posted;
  uploads: UploadOutcome[];
}

function add(posted: Posted, name: string, value: string): void {
  const prev = posted[name];
  if (prev === undefined) posted[name] = value;
  else if (Array.isArray(prev)) prev.push(value);
  else posted[name] = [prev, value];
}

const tooLarge = (maxBytes: number): Message => ({
  vi: `Tệp lớn hơn mức cho phép (${(maxBytes / 1048576).toFixed(0)} MB). Hãy chụp lại với độ phân giải thấp hơn hoặc chọn tệp khác.`,
  en: `The file is larger than allowed (${(maxBytes / 1048576).toFixed(0)} MB). Take the picture again at a lower resolution or choose another file.`,
});

/** The form of a POST: urlencoded (already parsed) or multipart (files uploaded as they come). */
export async function readForm(req: FastifyRequest, principal: Principal, files: FileService, maxBytes: number): Promise<ReadForm> {
  if (!req.isMultipart()) {
    const body = fieldsOf(req.body);
    const posted: Posted = {};
    for (const [k, v] of Object.entries(body)) {
      if (typeof v === 'string') posted[k] = v;
      else if (Array.isArray(v)) posted[k] = v.map(String);
    }
    return { posted, uploads: [] };
  }
  const posted: Posted = {};
  const uploads: UploadOutcome[] = [];
  let csrfChecked = false;
  // throwFileSizeLimit false: a file over the limit arrives cut short (truncated) and the
  // file service refuses it by name, while the parts after it are still read.
  const options = { limits: { fileSize: maxBytes, files: 30, fields: 400, parts: 430, fieldSize: 100_000 }, throwFileSizeLimit: false };
  const parts = req.parts(options as Parameters<typeof req.parts>[0]);
  for await (const part of parts) {
    if (part.type === 'field') {
      if (part.fieldname === '_csrf' && !csrfChecked) {
        assertFormCsrf(req, part.value);
        csrfChecked = true;
      }
      add(posted, part.fieldname, typeof part.value === 'string' ? part.value : String(part.value));
      continue;
    }
    if (!csrfChecked) {
      assertFormCsrf(req, undefined); // files before the token: refused (when a session cookie came)
      csrfChecked = true;
    }
    if (part.filename === undefined || part.filename === '') {
      for await (const _chunk of part.file) void _chunk; // an empty file input: drained
      continue;
    }
    try {
      const { file } = await files.upload(principal, part.file, part.filename);
      uploads.push({ field: part.fieldname, file });
    } catch (err) {
      if (!part.file.readableEnded && !part.file.destroyed) for await (const _chunk of part.file) void _chunk;
      const e = err instanceof AppError ? err : undefined;
      uploads.push({
        field: part.fieldname,
        error: e?.code === 'file_too_large' ? tooLarge(maxBytes) : e !== undefined ? e.messages : { vi: 'Không tải được tệp lên, hãy thử lại', en: 'The file could not be uploaded; try again' },
      });
    }
  }
  if (!csrfChecked) assertFormCsrf(req, posted._csrf);
  return { posted, uploads };
}
