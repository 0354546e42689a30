/** `parseExpiresIn`: an `expires_in` in seconds, as a number or a numeric string, to ms. */
import { describe, expect, test } from 'vitest';
import { parseExpiresIn } from './expiry-fields.ts';

describe('parseExpiresIn', () => {
  test.each([
    { value: 3600, ms: 3_600_000 },
    { value: '3600', ms: 3_600_000 },
    { value: ' 3600 ', ms: 3_600_000 },
    { value: 90_000, ms: 90_000_000 },
    { value: 0, ms: 0 },
    { value: '0', ms: 0 },
    { value: 1.5, ms: 1_500 },
    { value: '1.5', ms: 1_500 },
    { value: 0.0004, ms: 0 },
    { value: 9_007_199_254_740, ms: 9_007_199_254_740_000 },
  ])('$value s is $ms ms', ({ value, ms }) => {
    expect(parseExpiresIn(value)).toBe(ms);
  });

  test.each([undefined, null, ''])('%j is absent', (value) => {
    expect(parseExpiresIn(value)).toBeUndefined();
  });

  test.each([
    { name: 'a negative number', value: -1 },
    { name: 'a negative numeric string', value: '-1' },
    { name: 'NaN', value: Number.NaN },
    { name: 'Infinity', value: Number.POSITIVE_INFINITY },
    { name: '-Infinity', value: Number.NEGATIVE_INFINITY },
    { name: '1e300', value: 1e300 },
    { name: 'one second past the safe-integer range', value: 9_007_199_254_741 },
    { name: 'a 401-digit string', value: `1${'0'.repeat(400)}` },
    { name: 'an exponent string', value: '1e3' },
    { name: 'a unit suffix', value: '3600s' },
    { name: 'a word', value: 'soon' },
    { name: 'an object', value: { seconds: 3600 } },
    { name: 'an array', value: [3600] },
    { name: 'a boolean', value: true },
  ])('rejects $name with a RangeError naming the field', ({ value }) => {
    expect(() => parseExpiresIn(value)).toThrow(RangeError);
    expect(() => parseExpiresIn(value)).toThrow(/^expires_in must be a non-negative number/);
    expect(() => parseExpiresIn(value, 'refresh_expires_in')).toThrow(/^refresh_expires_in /);
  });

  test('describes a long string by its length instead of quoting it', () => {
    const secretish = 'x'.repeat(64);
    expect(() => parseExpiresIn(secretish)).toThrow('got a 64-character string');
    expect(() => parseExpiresIn(secretish)).not.toThrow(secretish);
  });
});
