/**
 * The `motcua` command (the package's bin): the same environment and settings as the server.
 *   motcua serve                 start the server (npm start = serve with the demo data)
 *   motcua migrate               apply the database migrations
 *   motcua token --list [--json] the sandbox's demo accounts and their roles
 *   motcua token <account>       an access token for a demo account (sandbox only; the server must be running)
 *   motcua audit verify          check the hash chain of the audit log
 *   motcua catalogue import <file> [--format national|template] [--report <file.json>]
 *   motcua setup --province <code> [--code-suffix <Hxx>]
 *   motcua units add|rename|merge ...   motcua staff import|grant|revoke ...
 */
import { loadConfig, ConfigError, type Config } from '../config.ts';
import { openServices, type Services } from '../app.ts';
import { DEMO_ACCOUNTS } from '../modules/identity/index.ts';
import { issueSandboxToken } from '../modules/identity/index.ts';

const USAGE = `Usage / Cách dùng:
  motcua serve                  start the server / khởi động máy chủ
  motcua migrate                apply database migrations / cập nhật cơ sở dữ liệu
  motcua token --list [--json]  demo accounts and roles / tài khoản thử nghiệm
  motcua token <account>        print an access token (sandbox only) / in mã truy cập
  motcua audit verify           verify the audit log's hash chain / kiểm tra nhật ký
  motcua catalogue import <file> [--format national|template] [--report <file.json>]
                                import the national catalogue (JSON lines) or the province's template (CSV)
                                / nhập danh mục thủ tục hành chính
  motcua catalogue offer <code> <agencyCode> [--online full|partial] [--reason <text>] [--days <n>] [--inactive]
                                offer a procedure at an agency / cấu hình cung cấp thủ tục
  motcua setup --province <code> [--code-suffix <Hxx>]
                                the province, its agencies, communes and wards from the national list (e.g. 04 = Cao Bằng)
                                / thiết lập tỉnh, các sở, ngành và xã, phường
  motcua units add <name> --kind <kind> [--parent <code>] [--admin-code <n>] [--code <code>]
  motcua units rename <code> <name>
  motcua units merge <code> --into <code>
                                add, rename or merge a unit / thêm, đổi tên, sáp nhập đơn vị
  motcua staff import <file.csv>  staff and roles (sub,name,email,unit_code,roles), all or nothing / nhập cán bộ
  motcua staff grant <sub> <unitCode> <role> [--name <name>] [--from <ISO>] [--until <ISO>]
  motcua staff revoke <grantId>  grant or revoke a role / cấp, thu hồi quyền
  motcua pki init [--force]     development root CA and agency PKCS#12 (not for production) / tạo chứng thư thử nghiệm
  motcua verify <file.pdf> [--json]
                                verify the signatures of a PDF / kiểm tra chữ ký số của tệp PDF
  motcua files verify           re-hash every stored file; exit 1 when one changed or is missing / kiểm tra tệp
  motcua files purge [--dry-run] [--now <ISO>]
                                delete documents past retention, audited / xóa giấy tờ hết hạn lưu trữ
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  let config: Config;
  try {
    // `token` talks to a running sandbox: it needs only the address, so the sandbox is assumed unless turned off.
    // `verify` and `pki` read only the signing settings; `pki init` makes a development PKI (its password defaults to the demo's).
    config = loadConfig(
      cmd === 'token' || cmd === 'verify' ? { MOTCUA_SANDBOX_IDP: '1', ...process.env }
      : cmd === 'pki' ? { MOTCUA_SANDBOX_IDP: '1', MOTCUA_SIGNING_DEV_PKI: '1', ...process.env }
      : process.env,
    );
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  switch (cmd) {
    case 'serve': {
      const { serve } = await import('../main.ts');
      await serve();
      return 0;
    }
    case 'migrate': {
      const { migrated: r, close } = await openServices(config);
      try {
        console.log(r.applied.length > 0 ? `applied: ${r.applied.join(', ')}` : `up to date (${r.alreadyApplied} migrations)`);
        return 0;
      } finally {
        await close();
      }
    }
    case 'token':
      return token(config, rest);
    case 'audit': {
      if (rest[0] !== 'verify') break;
      return withServices(config, async ({ operations }) => {
        const r = await operations.sealAndVerifyAudit();
        for (const p of r.problems) console.log(`chain position ${p.chainPos}: ${p.kind}${p.detail ? ` (${p.detail})` : ''}`);
        console.log(`${r.ok ? 'OK' : 'BROKEN'}: ${r.checked} entries checked, ${r.unsealed} not yet sealed, ${r.problems.length} problems`);
        return r.ok ? 0 : 1;
      });
    }
  }
  if (cmd === 'catalogue' && rest[0] === 'import') return catalogueImport(config, rest.slice(1));
  if (cmd === 'catalogue' && rest[0] === 'offer') return catalogueOffer(config, rest.slice(1));
  if (cmd === 'setup' || cmd === 'units' || cmd === 'staff') {
    const { organisationCommand } = await import('../modules/organisation/index.ts');
    const code = await organisationCommand((fn) => withServices(config, (s) => fn(s.organisation)), cmd, rest);
    if (code !== undefined) return code;
  }
  if (cmd === 'pki') {
    const { pkiCommand } = await import('../modules/signing/index.ts');
    const code = await pkiCommand(config.signing, rest);
    if (code !== undefined) return code;
  }
  if (cmd === 'verify') {
    const { verifyCommand } = await import('../modules/verification/index.ts');
    return verifyCommand(config.signing.trustAnchorsPath, rest);
  }
  if (cmd === 'files') {
    const { filesCommand } = await import('../modules/warehouse/index.ts');
    const code = await filesCommand((fn) => withServices(config, (s) => fn(s.operations)), rest);
    if (code !== undefined) return code;
  }
  process.stderr.write(`Unknown command / Lệnh không hợp lệ: ${argv.join(' ')}\n${USAGE}`);
  return 2;
}

async function token(config: Config, args: string[]): Promise<number> {
  if (!config.sandboxIdp) {
    console.error('The sandbox identity provider is off (MOTCUA_SANDBOX_IDP=0): no demo tokens. / Nhà cung cấp định danh thử nghiệm đang tắt.');
    return 2;
  }
  if (args.includes('--list')) {
    const list = DEMO_ACCOUNTS.map((a) => ({ account: a.account, roles: a.roles }));
    if (args.includes('--json')) console.log(JSON.stringify(list));
    else for (const a of DEMO_ACCOUNTS) console.log(`${a.account.padEnd(14)} ${a.roles.join(',').padEnd(12)} ${a.name}${a.agencyCode ? ` (${a.agencyCode})` : ''}`);
    return 0;
  }
  const account = args[0];
  if (!account || !DEMO_ACCOUNTS.some((a) => a.account === account)) {
    console.error(`Unknown demo account / Không có tài khoản: ${account ?? '(none)'}; see: motcua token --list`);
    return 2;
  }
  try {
    const t = await issueSandboxToken(config.publicUrl, account);
    console.log(t.accessToken);
    return 0;
  } catch (err) {
    console.error(`Could not get a token from ${config.publicUrl}/oidc: is Motcua running (npm start)? / Không lấy được mã truy cập: máy chủ đã chạy chưa?\n${(err as Error).message}`);
    return 1;
  }
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** A progress bar on a terminal; a line every 10 % otherwise (logs of a script). */
function progress(label: string): (done: number, total: number) => void {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  return (done, total) => {
    if (tty) {
      const width = 30;
      const filled = Math.round((done / Math.max(total, 1)) * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
    } else {
      const tenth = Math.floor((done / Math.max(total, 1)) * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        process.stderr.write(`${label}: ${done}/${total}\n`);
      }
    }
  };
}

async function catalogueImport(config: Config, args: string[]): Promise<number> {
  const file = args.find((a, i) => !a.startsWith('--') && !['--format', '--report'].includes(args[i - 1] ?? ''));
  if (!file) {
    console.error('Usage / Cách dùng: motcua catalogue import <file> [--format national|template] [--report <file.json>]');
    return 2;
  }
  const format = option(args, '--format');
  if (format !== undefined && format !== 'national' && format !== 'template') {
    console.error(`--format: national or template / định dạng không hợp lệ: ${format}`);
    return 2;
  }
  const opened = await openServices(config);
  try {
    const r = await opened.services.operations.importCatalogue(file, {
      ...(format ? { format } : {}),
      actorSub: 'system:cli',
      demo: config.demo,
      onProgress: progress('Nhập / Importing'),
    });
    for (const m of r.malformed) console.log(`line ${m.line}: SKIPPED / BỎ QUA — ${m.message.en} / ${m.message.vi}${m.excerpt ? ` [${m.excerpt}]` : ''}`);
    for (const p of r.report) {
      const parts = [...new Set(p.problems.map((x) => x.part))];
      console.log(`${p.code} (line ${p.line}): not parsed / chưa đọc được: ${parts.join(', ')}`);
    }
    const s = r.summary;
    console.log(
      `Imported ${s.created + s.updated + s.versioned + s.unchanged} procedures from ${file}: ${s.created} new, ${s.versioned} new versions, ${s.updated} updated in place, ${s.unchanged} unchanged, ${s.skipped} lines skipped, ${s.offered} offerings created; ` +
        `${r.report.length} procedures with parts not parsed (kept as text). Parse ${(r.parseMs / 1000).toFixed(1)} s, import ${(r.importMs / 1000).toFixed(1)} s.`,
    );
    const reportFile = option(args, '--report');
    if (reportFile) {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(reportFile, `${JSON.stringify({ summary: s, malformed: r.malformed, procedures: r.report }, null, 2)}\n`);
      console.log(`Report / Báo cáo: ${reportFile}`);
    }
    return 0;
  } catch (err) {
    console.error(`Import failed, nothing was imported / Nhập thất bại, không có thay đổi: ${(err as Error).message}`);
    return 1;
  } finally {
    await opened.close();
  }
}

async function catalogueOffer(config: Config, args: string[]): Promise<number> {
  const [code, agencyCode] = args.filter((a, i) => !a.startsWith('--') && !['--online', '--reason', '--days'].includes(args[i - 1] ?? ''));
  const online = option(args, '--online') ?? 'full';
  const days = option(args, '--days');
  const reason = option(args, '--reason');
  if (!code || !agencyCode || (online !== 'full' && online !== 'partial') || (days !== undefined && !/^[1-9]\d{0,3}$/.test(days))) {
    console.error('Usage / Cách dùng: motcua catalogue offer <code> <agencyCode> [--online full|partial] [--reason <text>] [--days <n>] [--inactive]');
    return 2;
  }
  const { AppError } = await import('../shared/errors.ts');
  const opened = await openServices(config);
  try {
    const service = opened.services.catalogue;
    // The operator at the console acts as the system administrator; the audit log says so.
    const o = await service.setOffering({ sub: 'system:cli', roles: ['admin'] }, code, agencyCode, {
      onlineLevel: online,
      ...(reason !== undefined ? { onlineLevelReason: reason } : {}),
      ...(days !== undefined ? { processingDays: Number(days) } : {}),
      active: !args.includes('--inactive'),
    });
    console.log(JSON.stringify(o));
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      console.error(`${err.messages.en} / ${err.messages.vi}`);
      for (const d of err.details ?? []) console.error(`  ${d.field}: ${d.message.en} / ${d.message.vi}`);
      return err.kind === 'not_found' ? 3 : 2;
    }
    throw err;
  } finally {
    await opened.close();
  }
}

/** Opens the services of the composition root, runs `fn` with them, closes them. */
async function withServices<T>(config: Config, fn: (s: Services) => Promise<T>): Promise<T> {
  const opened = await openServices(config);
  try {
    return await fn(opened.services);
  } finally {
    await opened.close();
  }
}
