/**
 * The map's rules (docs/ARCHITECTURE.md), checked by `npm test` with dependency-cruiser:
 * `npx depcruise --config .dependency-cruiser.cjs app components contracts crawler hdf5 lib server viewer scripts bench test e2e`.
 */
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

/** Files whose first statement is 'use client': the browser's entries into the React tree. */
function clientComponents(folder) {
  const found = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...clientComponents(path));
    else if (/\.tsx?$/.test(entry.name) && /^\s*['"]use client['"]/.test(readFileSync(path, 'utf8'))) found.push(path);
  }
  return found;
}

const escapeRegExp = (path) => path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const clientEntries = [...clientComponents('app'), ...clientComponents('components')].map((p) => `^${escapeRegExp(p)}$`);
// Everything that runs in a browser: the client components, and the viewer's page code and workers.
const BROWSER = [...clientEntries, '^viewer/'].join('|');

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module depends on itself through others, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-app',
      comment: 'app/ holds routing files; what they run lives in lib/ and components/ (its stylesheet aside).',
      severity: 'error',
      from: {},
      to: { path: '^app/', pathNot: '\\.css$' },
    },
    {
      name: 'contracts-stand-alone',
      comment: 'contracts/ (what crosses the wire) is read by the server and the browser: it imports nothing else of the project.',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { dependencyTypes: ['local', 'aliased-tsconfig', 'aliased-tsconfig-paths'], pathNot: '^contracts/' },
    },
    {
      name: 'hdf5-stand-alone',
      comment: 'hdf5/ (reading HDF5 through a range transport) is shared by the crawler and the viewer: it imports nothing else of the project.',
      severity: 'error',
      from: { path: '^hdf5/' },
      to: { dependencyTypes: ['local', 'aliased-tsconfig', 'aliased-tsconfig-paths'], pathNot: '^hdf5/' },
    },
    {
      name: 'lib-below-its-users',
      comment: 'lib/ is the server: data flows crawler → index → lib → routes → pages, never back. (Its tests are tools.)',
      severity: 'error',
      from: { path: '^lib/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(app|components|viewer|server|crawler|scripts|bench|test|e2e)/' },
    },
    {
      name: 'crawler-not-the-site',
      comment: 'The crawler writes the index through lib/; it runs none of the site.',
      severity: 'error',
      from: { path: '^crawler/' },
      to: { path: '^(app|components|viewer|server|scripts|bench|e2e)/' },
    },
    {
      name: 'server-not-the-browser',
      comment: 'server/ is the HTTP server: it calls lib/, never browser code or the crawler.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(components|viewer|crawler)/' },
    },
    {
      name: 'browser-code-never-reaches-the-server',
      comment: 'Nothing that runs in a browser reaches server code (lib/, the crawler, the server) or its runtime, not even through other modules.',
      severity: 'error',
      from: { path: BROWSER },
      to: { path: '^(lib|crawler|server|scripts)/|^node_modules/(better-sqlite3|@aws-sdk|drizzle-orm|server-only)/', reachable: true },
    },
    {
      name: 'browser-code-no-node-builtins',
      comment: "Node's built-in modules do not exist in a browser.",
      severity: 'error',
      from: { path: BROWSER },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'components-not-the-server-runtime',
      comment: 'components/ render what lib/ gives them: no crawler, no server process, no browser worker internals.',
      severity: 'error',
      from: { path: '^components/' },
      to: { path: '^(crawler|server|scripts)/' },
    },
    {
      name: 'resolvable',
      comment: 'Every import resolves.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.next|data|public|\\.scratch|test-results)/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
