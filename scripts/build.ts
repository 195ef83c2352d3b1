import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

/**
 * `npm run build`, in order:
 * 1. the viewer's browser assets (viewer/) into public/viewer/, so Next.js serves them as static files;
 * 2. `next build` (standalone output);
 * 3. server/main.ts bundled into the standalone build as server.mjs, the entry `npm start` and the
 *    container run. Next.js and the native better-sqlite3 stay outside: the standalone build carries them.
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
console.log('built public/viewer/');

const next = spawnSync('npx', ['next', 'build'], { stdio: 'inherit' });
if (next.status !== 0) process.exit(next.status ?? 1);

await build({
  entryPoints: ['server/main.ts'],
  outfile: '.next/standalone/server.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['next', 'better-sqlite3'],
  // Bundled CommonJS packages call require() for Node's built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
console.log('built .next/standalone/server.mjs');
