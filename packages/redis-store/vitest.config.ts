import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'redis-store',
    include: ['src/**/*.test.ts'],
    testTimeout: 60000,
    // One file at a time: the fleet tests run up to 8 node processes against 1 s token lifetimes
    // and 150 ms store timeouts, which a second fleet (or a cluster start) beside them on a small
    // CI machine turns into spurious per-process fetches.
    fileParallelism: false,
    // The fleet tests' child processes import the built dist.
    globalSetup: ['./src/test-support/build-dist.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
