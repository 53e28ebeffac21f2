/**
 * The organisation's console commands (`motcua setup`, `motcua units …`, `motcua staff …`).
 * The operator at the console acts as the system administrator (`system:cli`, role
 * admin), through the same use cases and rules as the admin API; the audit log says so.
 * Exit codes: 0 done, 2 bad input or refused, 3 not found, 4 conflict.
 */
import { readFile } from 'node:fs/promises';
import { AppError } from '../../shared/errors.ts';
import type { OrganisationService } from './service.ts';

/** Opens the services, runs `fn` with the organisation service, closes them. */
export type UseOrganisation = (fn: (org: OrganisationService) => Promise<void>) => Promise<void>;
import { UNIT_KINDS, type UnitKind } from './units.ts';

const CLI = { sub: 'system:cli', roles: ['admin'] };

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** The arguments that are neither options nor their values. */
function positional(args: string[], valued: readonly string[]): string[] {
  return args.filter((a, i) => !a.startsWith('--') && !valued.includes(args[i - 1] ?? ''));
}

function usage(text: string): number {
  console.error(`Usage / Cách dùng: ${text}`);
  return 2;
}

async function withService(use: UseOrganisation, fn: (org: OrganisationService) => Promise<void>): Promise<number> {
  try {
    await use(fn);
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      console.error(`${err.field !== undefined ? `${err.field}: ` : ''}${err.messages.en} / ${err.messages.vi}`);
      for (const d of err.details ?? []) console.error(`  ${d.field}: ${d.message.en} / ${d.message.vi}`);
      return err.kind === 'not_found' ? 3 : err.kind === 'conflict' ? 4 : 2;
    }
    throw err;
  }
}

/** Runs an organisation command; undefined when the words are not one. */
export async function organisationCommand(use: UseOrganisation, cmd: string, args: string[]): Promise<number | undefined> {
  if (cmd === 'setup') {
    const province = option(args, '--province');
    const suffix = option(args, '--code-suffix');
    if (!province) return usage('motcua setup --province <code> [--code-suffix <Hxx>]   (codes: 01 Hà Nội, 04 Cao Bằng, … 96 Cà Mau)');
    return withService(use, async (org) => {
      const t0 = performance.now();
      const r = await org.setupProvince(CLI, province, { codeSuffix: suffix });
      console.log(
        `${r.province} (${r.codeSuffix}): ${r.units} units / đơn vị — ${r.created} created / tạo mới, ${r.updated} completed / bổ sung, ${r.unchanged} unchanged / không đổi (${Math.round(performance.now() - t0)} ms)`,
      );
      if (/^X/.test(r.codeSuffix)) console.log(`Note / Lưu ý: ${r.codeSuffix} is a placeholder level-1 code; pass --code-suffix with the province's real code / mã cấp 1 tạm thời, hãy dùng --code-suffix với mã thật.`);
    });
  }
  if (cmd === 'units') {
    const [sub, ...rest] = args;
    if (sub === 'add') {
      const [name] = positional(rest, ['--kind', '--parent', '--admin-code', '--code']);
      const kind = option(rest, '--kind');
      if (!name || !kind) return usage(`motcua units add <name> --kind ${UNIT_KINDS.join('|')} [--parent <code>] [--admin-code <n>] [--code <code>]`);
      const parentCode = option(rest, '--parent');
      const adminUnitCode = option(rest, '--admin-code');
      const code = option(rest, '--code');
      return withService(use, async (org) => {
        const u = await org.addUnit(CLI, { name, kind: kind as UnitKind, ...(parentCode ? { parentCode } : {}), ...(adminUnitCode ? { adminUnitCode } : {}), ...(code ? { code } : {}) });
        console.log(JSON.stringify(u));
      });
    }
    if (sub === 'rename') {
      const [code, name] = positional(rest, []);
      if (!code || !name) return usage('motcua units rename <code> <name>');
      return withService(use, async (org) => console.log(JSON.stringify(await org.renameUnit(CLI, code, { name }))));
    }
    if (sub === 'merge') {
      const [code] = positional(rest, ['--into']);
      const into = option(rest, '--into');
      if (!code || !into) return usage('motcua units merge <code> --into <code>');
      return withService(use, async (org) => console.log(JSON.stringify(await org.mergeUnit(CLI, code, into))));
    }
    return undefined;
  }
  if (cmd === 'staff') {
    const [sub, ...rest] = args;
    if (sub === 'import') {
      const [file] = positional(rest, []);
      if (!file) return usage('motcua staff import <file.csv>   (columns: sub,name,email,unit_code,roles)');
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        console.error(`Cannot read / Không đọc được ${file}: ${(err as Error).message}`);
        return 2;
      }
      return withService(use, async (org) => {
        try {
          const r = await org.importStaff(CLI, text);
          console.log(`Imported / Đã nhập: ${r.staff} staff (${r.staffCreated} new / mới), ${r.grantsCreated} roles granted / quyền được cấp, ${r.grantsUnchanged} already held / đã có`);
        } catch (err) {
          if (err instanceof AppError && err.code === 'invalid_staff_file') {
            const problems = (err.extra?.problems ?? []) as { line: number; field: string; message: { vi: string; en: string } }[];
            for (const p of problems) console.error(`line ${p.line}: ${p.field}: ${p.message.en} / ${p.message.vi}`);
            throw new AppError('invalid', err.code, err.messages);
          }
          throw err;
        }
      });
    }
    if (sub === 'grant') {
      const [who, unitCode, role] = positional(rest, ['--name', '--from', '--until']);
      if (!who || !unitCode || !role) return usage('motcua staff grant <sub> <unitCode> <role> [--name <name>] [--from <ISO>] [--until <ISO>]');
      const name = option(rest, '--name');
      const validFrom = option(rest, '--from');
      const validUntil = option(rest, '--until');
      return withService(use, async (org) => {
        if (name) await org.putStaff(CLI, { sub: who, name, active: true });
        const r = await org.grant(CLI, who, { unitCode, role, ...(validFrom ? { validFrom } : {}), ...(validUntil ? { validUntil } : {}) });
        console.log(JSON.stringify(r.grant));
        if (!r.created) console.error('Already held, nothing changed / Đã có quyền này, không thay đổi');
      });
    }
    if (sub === 'revoke') {
      const [id] = positional(rest, []);
      if (!id || !/^[0-9a-f-]{36}$/i.test(id)) return usage('motcua staff revoke <grantId>');
      return withService(use, async (org) => console.log(JSON.stringify(await org.revoke(CLI, id))));
    }
    return undefined;
  }
  return undefined;
}
