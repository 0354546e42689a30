/** `parseAbsoluteExpiry`: an ISO 8601 date-time, or epoch seconds or ms, to epoch ms. */
import { describe, expect, test } from 'vitest';
import { parseAbsoluteExpiry } from './expiry-fields.ts';

describe('parseAbsoluteExpiry', () => {
  const papayaValidUntil = Date.UTC(2024, 6, 11, 7, 48); // 1720684080000
  test.each([
    { value: '2024-07-11T07:48Z', ms: papayaValidUntil },
    { value: '2024-07-11T07:48:31Z', ms: papayaValidUntil + 31_000 },
    { value: '2024-07-11T07:48:31.5Z', ms: papayaValidUntil + 31_500 },
    { value: '2024-07-11T07:48:31,25Z', ms: papayaValidUntil + 31_250 },
    { value: '2024-07-11T07:48:31.123456789Z', ms: papayaValidUntil + 31_123 },
    { value: '2024-07-11t07:48z', ms: papayaValidUntil },
    { value: '2024-07-11 07:48:31Z', ms: papayaValidUntil + 31_000 },
    { value: '2024-07-11T09:48+02:00', ms: papayaValidUntil },
    { value: '2024-07-11T09:48:31+0200', ms: papayaValidUntil + 31_000 },
    { value: '2024-07-11T09:48+02', ms: papayaValidUntil },
    { value: '2024-07-11T02:18-0530', ms: papayaValidUntil },
    { value: '2024-07-11T02:18:00-05:30', ms: papayaValidUntil },
    { value: '2024-07-11T07:48', ms: papayaValidUntil },
    { value: '2024-07-11T07:48:31.5', ms: papayaValidUntil + 31_500 },
    { value: ' 2024-07-11T07:48Z ', ms: papayaValidUntil },
    { value: '2024-07-11', ms: Date.UTC(2024, 6, 11) },
    { value: '2024-02-29T00:00Z', ms: Date.UTC(2024, 1, 29) },
    { value: 1_720_684_080, ms: papayaValidUntil },
    { value: '1720684080', ms: papayaValidUntil },
    { value: 1_720_684_080.5, ms: papayaValidUntil + 500 },
    { value: 1_720_684_080_000, ms: papayaValidUntil },
    { value: '1720684080000', ms: papayaValidUntil },
    // Epoch seconds below 1e12, milliseconds from 1e12 on.
    { value: 999_999_999_999, ms: 999_999_999_999_000 },
    { value: 1e12, ms: 1e12 },
    { value: 1e12 + 1, ms: 1e12 + 1 },
  ])('$value is $ms', ({ value, ms }) => {
    expect(parseAbsoluteExpiry(value)).toBe(ms);
  });

  test.each([undefined, null, ''])('%j is absent', (value) => {
    expect(parseAbsoluteExpiry(value)).toBeUndefined();
  });

  test.each([
    '2024-02-30T00:00Z',
    '2023-02-29T00:00Z',
    '2024-13-01T00:00Z',
    '2024-00-10T00:00Z',
    '2024-07-32',
    '2024-07-11T24:00Z',
    '2024-07-11T07:60Z',
    '2024-07-11T07:48:60Z',
    '2024-07-11T07:48+19:00',
    '2024-07-11T07:48+02:75',
    '2024-07-11T07Z',
    '11/07/2024',
    'tomorrow',
    '-1720684080',
    '1e12',
    -1,
    0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1e15,
    true,
    {},
    [1_720_684_080],
  ])('rejects %j with a RangeError naming the field', (value) => {
    expect(() => parseAbsoluteExpiry(value)).toThrow(RangeError);
    expect(() => parseAbsoluteExpiry(value)).toThrow(/^expires_at must be an ISO 8601 date-time/);
    expect(() => parseAbsoluteExpiry(value, 'valid_until')).toThrow(/^valid_until /);
  });
});
