/** `expiryWindows`: the leeway and refresh-ahead windows a policy gives a token of a lifetime. */
import { describe, expect, test } from 'vitest';
import { defaultExpiryPolicy, expiryWindows } from './expiry.ts';

const hour = 3_600_000;

describe('expiryWindows', () => {
  test.each([
    { lifetime: 2_000, policy: defaultExpiryPolicy, leewayMs: 200, refreshAheadMs: 1_000 },
    { lifetime: 100, policy: defaultExpiryPolicy, leewayMs: 10, refreshAheadMs: 50 },
    { lifetime: 0, policy: defaultExpiryPolicy, leewayMs: 0, refreshAheadMs: 0 },
    { lifetime: 10_000, policy: defaultExpiryPolicy, leewayMs: 1_000, refreshAheadMs: 5_000 },
    { lifetime: 300_000, policy: defaultExpiryPolicy, leewayMs: 30_000, refreshAheadMs: 150_000 },
    { lifetime: 3_600_000, policy: defaultExpiryPolicy, leewayMs: 30_000, refreshAheadMs: 300_000 },
    {
      lifetime: Number.POSITIVE_INFINITY,
      policy: defaultExpiryPolicy,
      leewayMs: 30_000,
      refreshAheadMs: 300_000,
    },
    {
      lifetime: 25 * hour,
      policy: { leewayMs: 30_000, refreshAheadMs: hour },
      leewayMs: 30_000,
      refreshAheadMs: hour,
    },
    {
      lifetime: Number.POSITIVE_INFINITY,
      policy: { leewayMs: 30_000, refreshAheadMs: 10_000 },
      leewayMs: 30_000,
      refreshAheadMs: 30_000,
    },
    {
      lifetime: 60_000,
      policy: { leewayMs: 0, refreshAheadMs: 0 },
      leewayMs: 0,
      refreshAheadMs: 0,
    },
  ])('lifetime $lifetime: leeway $leewayMs, refresh-ahead $refreshAheadMs', (row) => {
    expect(expiryWindows(row.lifetime, row.policy)).toEqual({
      leewayMs: row.leewayMs,
      refreshAheadMs: row.refreshAheadMs,
    });
  });
});
