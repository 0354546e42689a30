import { renderings as each } from '../../../core/src/test-support/renderings.ts';

/**
 * Every string a value shows through the ways errors and objects get logged (core's test helper),
 * in one text: `expect(renderings(error)).not.toContain(secret)` checks them all.
 */
export function renderings(value: unknown): string {
  return each(value).join('\n');
}
