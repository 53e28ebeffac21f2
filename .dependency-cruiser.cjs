/**
 * The boundaries of the modules (docs/decisions/0015-module-doors.md): a module under
 * src/modules/<name>/ shows one door, its index.ts. From outside a module (another module,
 * the web pages, the CLI, the HTTP edge, the composition root) only that door may be
 * imported. Tests may reach inside the module they test.
 */
module.exports = {
  forbidden: [
    {
      name: 'module-door',
      comment: 'Another module is reached through its index.ts only (src/modules/<name>/index.ts).',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'outside-through-doors',
      comment: 'Pages, the CLI, the HTTP edge and the composition root use a module through its index.ts only.',
      severity: 'error',
      from: { path: '^src/(?!modules/)', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'no-circular-doors',
      comment: 'Two modules that need each other are one module, or the dependency goes through a participant registered in the composition root.',
      severity: 'warn',
      from: { path: '^src/modules/' },
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
    reporterOptions: {
      dot: { collapsePattern: '^src/(modules/[^/]+|web/[^/]+|http|db|shared|cli|demo)' },
    },
  },
};
