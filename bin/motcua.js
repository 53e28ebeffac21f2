#!/usr/bin/env node
// The `motcua` command. Motcua runs on Node 24 LTS; when started by an older Node
// (a machine whose system Node is older), it re-runs itself with the Node 24 that
// the `node` devDependency installed in this checkout.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  const node24 = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(node24)) {
    console.error(`Motcua needs Node 24 or later (this is ${process.version}); run "npm install" first. / Motcua cần Node 24 trở lên.`);
    process.exit(1);
  }
  const r = spawnSync(node24, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
