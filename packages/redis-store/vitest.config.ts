import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'redis-store',
    include: ['src/**/*.test.ts'],
    testTimeout: 60000,
    // The fleet tests' child processes import the built dist.
    globalSetup: ['./src/test-support/build-dist.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
