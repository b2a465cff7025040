import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

/**
 * Fault drills (test/faults): real processes killed, servers restarted, sockets cut. One file at
 * a time (each starts a whole control plane and kills parts of it, which would disturb anything
 * running beside it), same SWC transform and source resolution as the main config.
 *
 *   npm exec -- vitest run --config test/faults/vitest.config.ts [test/faults/<drill>]
 */
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { conditions: ['@meshplane/source'] },
  ssr: { resolve: { conditions: ['@meshplane/source'] } },
  test: {
    include: ['test/faults/**/*.spec.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    globalSetup: ['libs/testing/src/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    reporters: ['default'],
  },
});
