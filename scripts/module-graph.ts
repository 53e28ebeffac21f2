/**
 * The picture of the module graph in docs/module-graph.md, drawn from the code by
 * dependency-cruiser (each module, web area and top-level folder of src/ one box, an arrow
 * for each import between them). `node scripts/module-graph.ts` writes it;
 * `--check` (run by `npm run lint`, so by CI) fails when the file is not what the code draws.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const OUT = 'docs/module-graph.md';
const mermaid = execFileSync(
  'node_modules/.bin/depcruise',
  ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'mermaid', '--include-only', '^src', '--collapse', '^src/(modules|web)/[^/]+|^src/[^/]+', '--exclude', '\\.test\\.ts$'],
  { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
);
const text = `# The module graph

Drawn from the code by \`node scripts/module-graph.ts\` (dependency-cruiser); \`npm run lint\`
fails when it is out of date. One box for each module under \`src/modules/\`, each area of
\`src/web/\` and each top-level part of \`src/\`; an arrow from a box to what it imports. Read
with [architecture.md](architecture.md).

\`\`\`mermaid
${mermaid.trim()}
\`\`\`
`;

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(OUT, 'utf8');
  } catch {
    /* missing: out of date */
  }
  if (current !== text) {
    console.error(`${OUT} is out of date with the code: run \`node scripts/module-graph.ts\` and commit it.`);
    process.exit(1);
  }
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}`);
}
