import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// The differential tests (enforcement ≡ intent) are pure CPU for a minute each; they run as a
// second group, after everything else, so they never starve an end-to-end test's processes of
// the machine's cores while it waits on a reconnect or a restart.
const DIFFERENTIAL = '**/*.differential.spec.ts';

// SWC keeps decorator metadata, which Nest's dependency injection needs (esbuild drops it).
// The '@meshplane/source' condition makes workspace libraries resolve to their TypeScript
// sources, so unit tests need no build; end-to-end tests start the built processes.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { conditions: ['@meshplane/source'] },
  ssr: { resolve: { conditions: ['@meshplane/source'] } },
  test: {
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // expect.poll waits on real processes (a login's argon2, a page's next poll): 1 s, Vitest's
    // default, is not enough while the other worker loads both cores.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: [
            '{libs,services,agent,migrations,infra}/**/*.spec.ts',
            'test/e2e/**/*.spec.ts',
            // The console in real Chromium (README "The console").
            'test/browser/**/*.spec.ts',
            // Fault drills (README "Fault drills"); each has its own Redis or Postgres where it
            // restarts one, so they run beside the other tests. One at a time:
            // `npm exec -- vitest run --config test/faults/vitest.config.ts`.
            'test/faults/**/*.spec.ts',
          ],
          exclude: [DIFFERENTIAL],
          globalSetup: ['libs/testing/src/global-setup.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'differential', include: [DIFFERENTIAL], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
