/**
 * `npm test`: every *.test.ts under src/ and test/, with Node's own test runner, on
 * PGlite by default, or on a PostgreSQL server when TEST_DATABASE_URL is set (each
 * test file then creates and drops its own database there).
 * Extra arguments are passed to `node --test` (e.g. --test-name-pattern=...), and
 * paths narrow the run: `npm test -- src/modules/calendar`.
 */
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';

const args = process.argv.slice(2);
const paths = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));
const roots = paths.length > 0 ? paths : ['src', 'test'];
const files = roots
  .flatMap((r) => (r.endsWith('.ts') ? [r] : globSync(`${r.replace(/\/$/, '')}/**/*.test.ts`)))
  .filter((f) => !f.includes('node_modules') && !f.startsWith('test/browser/'))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
console.log(`Node ${process.version}; database: ${process.env.TEST_DATABASE_URL ? 'PostgreSQL server' : 'PGlite (embedded)'}; ${files.length} test files`);
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-timeout=240000', ...flags, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
