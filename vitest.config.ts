import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // two cores: one worker per core, files in parallel
    pool: 'forks',
    maxWorkers: 2,
  },
});
