import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Benchmarks: same SWC transform and '@meshplane/source' resolution as the main config, one file
// at a time (maxWorkers 1) so measurements do not compete for the CPU.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { conditions: ['@meshplane/source'] },
  ssr: { resolve: { conditions: ['@meshplane/source'] } },
  test: {
    include: ['test/bench/**/*.bench.ts'],
    // The push and ingest benchmarks clone the migrated template database, as the tests do.
    globalSetup: ['libs/testing/src/global-setup.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
    // The default output, then one table of every DESIGN §5 bar (test/bench/report.ts).
    reporters: ['default', './test/bench/report.ts'],
  },
});
