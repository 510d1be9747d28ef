import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the full-size fault and security suites against the
// whole local runtime. One file at a time: the machine has two cores and each
// file drives both sites and the Forge emulation hard.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
