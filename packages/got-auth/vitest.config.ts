import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  // Recipes in src/test-support import the package by name, as users do: the source, not dist.
  resolve: {
    alias: { '@tokenwise/got-auth': fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  test: {
    name: 'got-auth',
    include: ['src/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
