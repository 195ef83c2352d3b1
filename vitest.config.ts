import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('.', import.meta.url)),
      // The site's modules say `import 'server-only'`, which throws outside a React Server environment (it is
      // how Next.js refuses them in client code); the tests import them as the server does.
      'server-only': fileURLToPath(new URL('node_modules/server-only/empty.js', import.meta.url)),
    },
  },
  test: {
    include: [
      'test/**/*.test.ts',
      'crawler/**/*.test.ts',
      'lib/**/*.test.ts',
      'server/**/*.test.ts',
      'viewer/**/*.test.ts',
      'components/**/*.test.ts',
      'hdf5/**/*.test.ts',
      'contracts/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: integration files share one S3 server and would only fight over the CPU in parallel.
    fileParallelism: false,
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-env.ts'],
  },
});
