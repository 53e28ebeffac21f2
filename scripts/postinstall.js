// After `npm install`: keep an initialised, migrated PGlite data folder in
// node_modules/.cache/motcua, so the first `npm start` on an empty data folder copies
// it instead of running PGlite's initdb and the migrations (see docs/decisions/0007-pglite-initdb-template.md).
// Plain JavaScript, and it never fails the install: without the template the first
// start is only slower (and makes the template itself).
const major = Number(process.versions.node.split('.')[0]);
if (process.env.MOTCUA_SKIP_PGLITE_TEMPLATE === '1') {
  // nothing to do
} else if (major < 24) {
  console.log(`motcua: Node ${process.versions.node} runs this install script; the PGlite template is made at the first start instead.`);
} else {
  try {
    const { buildTemplate, readTemplate, templateFile } = await import('../src/db/pglite-template.ts');
    if ((await readTemplate(templateFile())) === undefined) {
      const t0 = performance.now();
      const r = await buildTemplate();
      console.log(`motcua: PGlite template ready (${(r.bytes / 1e6).toFixed(1)} MB, ${Math.round(performance.now() - t0)} ms): ${r.file}`);
    }
  } catch (err) {
    console.log(`motcua: no PGlite template (${err instanceof Error ? err.message : String(err)}); the first start makes it.`);
  }
}
