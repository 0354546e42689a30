/**
 * The table runner behind `options.bad-input.*.test.ts`: each case calls an entry point with an
 * option the types forbid, and must throw a TypeError or RangeError at once, naming the option.
 */
import { describe, expect, test } from 'vitest';
import { clientCredentials } from '../flows/client-credentials.ts';
import type { Flow } from '../flows/flow.ts';

export const tokenUrl = 'https://auth.example.com/token';
/** Valid client credentials options, for a case to spoil one field of. */
export const cc = { tokenUrl, clientId: 'c', clientSecret: 's' };
/** A valid flow. */
export const flow = (): Flow => clientCredentials(cc);

/** Calls with options typed loosely on purpose: these are the inputs the types forbid. */
export const loose =
  <T>(fn: (options: T) => unknown, options: unknown) =>
  (): unknown =>
    fn(options as T);

/** A case: its name, the call, and the error class and message it must throw. */
export type BadOption = readonly [
  name: string,
  call: () => unknown,
  error: typeof TypeError | typeof RangeError,
  message: RegExp,
];

/** Runs each case: the call throws the case's error class with a message that matches. */
export function describeBadOptions(cases: readonly BadOption[]): void {
  describe('a bad option throws at once, naming the option', () => {
    test.each(cases)('%s', (_, call, error, message) => {
      expect(call).toThrow(error);
      expect(call).toThrow(message);
    });
  });
}
