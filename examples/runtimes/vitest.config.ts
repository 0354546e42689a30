import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'runtimes', include: ['src/**/*.test.ts'], testTimeout: 60_000 },
});
