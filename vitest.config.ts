import { defineConfig } from 'vitest/config';

// One vitest project per workspace package: `pnpm vitest` at the root runs them all,
// `pnpm test` runs them through turbo (cached, dependency-ordered).
export default defineConfig({
  test: {
    projects: ['packages/*'],
  },
});
