import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'got-auth',
    include: ['src/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
