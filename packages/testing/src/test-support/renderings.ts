import { renderings as each } from '@tokenwise/test-kit';

/**
 * Every string a value shows through the ways errors and objects get logged (the test kit's
 * `renderings`), in one text: `expect(renderings(error)).not.toContain(secret)` checks them all.
 *
 * @example
 * expect(renderings(error)).not.toContain(clientSecret);
 */
export function renderings(value: unknown): string {
  return each(value).join('\n');
}
