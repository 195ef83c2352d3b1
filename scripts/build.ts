import { build } from 'esbuild';
import { h5webShapeFormat } from './h5web-shape-format';
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/**
 * `npm run build`, in order:
 * 1. the viewer's browser assets (viewer/) into public/viewer/, so Next.js serves them as static files,
 *    among them the H5Web island (viewer/h5web/, React 18) as h5web.js and h5web.css;
 * 2. `next build` (standalone output);
 * 3. server/main.ts bundled into the standalone build as server.mjs, the entry `npm start` and the
 *    container run, with the crawler (crawler.mjs, its manifest worker) and its scheduler (crawl-schedule.mjs). Next.js and the
 *    native better-sqlite3 and sharp (the crawler's previews) stay outside: the standalone build carries them.
 */

await build({
  entryPoints: { 'lazy-file-reader': 'viewer/workers/lazy-file-reader.ts', 'h5-worker': 'viewer/workers/h5-worker.ts' },
  outdir: 'public/viewer',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  logLevel: 'warning',
});

// The H5Web island: @h5web/app 17 needs React 18, the App Router renders with React 19, so H5Web is bundled
// alone with its own React (the npm workspace viewer/h5web) and loaded by the page as a separate module.
// Some of H5Web's dependencies are hoisted to the root node_modules, where `react` is 19: the alias makes
// every import of react and react-dom in the bundle the island's single React 18.
const island = createRequire(new URL('../viewer/h5web/package.json', import.meta.url));
const islandPackage = (name: string) => dirname(island.resolve(`${name}/package.json`));
await build({
  entryPoints: { h5web: 'viewer/h5web/index.tsx' },
  outdir: 'public/viewer',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  jsx: 'automatic',
  minify: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: { react: islandPackage('react'), 'react-dom': islandPackage('react-dom') },
  plugins: [h5webShapeFormat],
  logLevel: 'warning',
});
copyFileSync(island.resolve('@h5web/app/styles.css'), 'public/viewer/h5web.css');
console.log('built public/viewer/');

const next = spawnSync('npx', ['next', 'build'], { stdio: 'inherit' });
if (next.status !== 0) process.exit(next.status ?? 1);

await build({
  // The server, and the crawler and its scheduler for the crawler container, which uses the same image.
  entryPoints: {
    server: 'server/main.ts',
    crawler: 'crawler/cli.ts',
    'crawl-schedule': 'crawler/schedule.ts',
    // Started by the crawler as a worker thread (crawler/manifest-pool.ts), found next to it.
    'manifest-worker': 'crawler/manifest-worker.ts',
    // Started by the server's front process for its searches (lib/search/pool.ts).
    'search-worker': 'lib/search/worker.ts',
  },
  outdir: '.next/standalone',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  external: ['next', 'better-sqlite3', 'sharp'],
  // `import 'server-only'` marks the site's modules for Next.js (it fails a build that puts them in client
  // code); in this bundle, which is the server, it is the package's empty module, as Next.js resolves it.
  alias: { 'server-only': './node_modules/server-only/empty.js' },
  // Bundled CommonJS packages call require() for Node's built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
console.log('built .next/standalone/{server,crawler,crawl-schedule,manifest-worker,search-worker}.mjs');
