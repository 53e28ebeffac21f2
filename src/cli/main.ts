/**
 * The `motcua` command (the package's bin): the same environment and settings as the server.
 *   motcua serve                 start the server (npm start = serve with the demo data)
 *   motcua migrate               apply the database migrations
 *   motcua token --list [--json] the sandbox's demo accounts and their roles
 *   motcua token <account>       an access token for a demo account (sandbox only; the server must be running)
 *   motcua audit verify          check the hash chain of the audit log
 */
import { loadConfig, ConfigError, type Config } from '../config.ts';
import { connectDatabase } from '../db/connect.ts';
import { migrate } from '../db/migrate.ts';
import { DEMO_ACCOUNTS } from '../modules/identity/demo-accounts.ts';
import { issueSandboxToken } from '../modules/identity/issue-sandbox-token.ts';
import { sealAuditLog, verifyAuditLog } from '../modules/audit/audit.ts';

const USAGE = `Usage / Cách dùng:
  motcua serve                  start the server / khởi động máy chủ
  motcua migrate                apply database migrations / cập nhật cơ sở dữ liệu
  motcua token --list [--json]  demo accounts and roles / tài khoản thử nghiệm
  motcua token <account>        print an access token (sandbox only) / in mã truy cập
  motcua audit verify           verify the audit log's hash chain / kiểm tra nhật ký
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
    config = loadConfig(cmd === 'token' ? { MOTCUA_SANDBOX_IDP: '1', ...process.env } : process.env);
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
      const db = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const r = await migrate(db);
        console.log(r.applied.length > 0 ? `applied: ${r.applied.join(', ')}` : `up to date (${r.alreadyApplied} migrations)`);
        return 0;
      } finally {
        await db.close();
      }
    }
    case 'token':
      return token(config, rest);
    case 'audit': {
      if (rest[0] !== 'verify') break;
      const db = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        await sealAuditLog(db, { batchSize: 1000 });
        const r = await verifyAuditLog(db);
        for (const p of r.problems) console.log(`chain position ${p.chainPos}: ${p.kind}${p.detail ? ` (${p.detail})` : ''}`);
        console.log(`${r.ok ? 'OK' : 'BROKEN'}: ${r.checked} entries checked, ${r.unsealed} not yet sealed, ${r.problems.length} problems`);
        return r.ok ? 0 : 1;
      } finally {
        await db.close();
      }
    }
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
