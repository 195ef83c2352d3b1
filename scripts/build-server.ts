import { build } from 'esbuild';
import { existsSync } from 'node:fs';

/**
 * Bundles server/main.ts into the standalone build as server.mjs, the entry `npm start` and the container
 * run. Next.js and the native better-sqlite3 stay outside: the standalone build already carries them.
 */
if (!existsSync('.next/standalone')) {
  console.error('error: no standalone build; run `next build` first');
  process.exit(1);
}
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
