import { defineProject } from 'vitest/config';

export default defineProject({
  // The NestJS recipe uses decorators as NestJS compiles them (legacy, as in tsconfig.json).
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    name: 'axios-auth',
    include: ['src/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
