import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC keeps decorator metadata, which Nest's dependency injection needs (esbuild drops it).
// The '@meshplane/source' condition makes workspace libraries resolve to their TypeScript
// sources, so unit tests need no build; end-to-end tests start the built processes.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { conditions: ['@meshplane/source'] },
  ssr: { resolve: { conditions: ['@meshplane/source'] } },
  test: {
    include: [
      '{libs,services,agent,migrations,infra}/**/*.spec.ts',
      'test/e2e/**/*.spec.ts',
      // Fault drills (README "Fault drills"); each has its own Redis or Postgres where it restarts
      // one, so they run beside the other tests. One at a time:
      // `npm exec -- vitest run --config test/faults/vitest.config.ts`.
      'test/faults/**/*.spec.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    globalSetup: ['libs/testing/src/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
