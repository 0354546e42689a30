/**
 * Every absolute form of an expiry (epoch s and ms, ISO with offsets or without seconds, a JWT
 * `exp`, a mapped vendor field) gives the same `expiresAt` as `expires_in`, through the flow's
 * parser and the manager, and a skewed Date header only ever makes it err early.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { TokenwiseError } from './errors.ts';
import type { Flow } from './flows/flow.ts';
import { tokenRequest } from './flows/token-request.ts';
import { managersClosedAfterEach } from './test-support/manager-cleanup.ts';
import {
  offlineFlow,
  offlineTokenUrl,
  tokenOfAnswer,
} from './test-support/offline-token-endpoint.ts';
import { unsignedJwt } from './test-support/unsigned-jwt.ts';
import type { Token } from './token.ts';

const manage = managersClosedAfterEach();
const tokenOf = tokenOfAnswer(manage);

/** Papaya-style: `{ token, valid_until }`. */
const vendor = (): Flow =>
  tokenRequest({
    url: offlineTokenUrl,
    body: {},
    response: { accessToken: 'token', expiresAt: 'until' },
  });

/** `ms` as an ISO 8601 local date-time at a UTC offset of `offsetMinutes`, written ±hh:mm. */
function isoWithOffset(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

describe('absolute and relative forms agree', () => {
  // Whole minutes, so that the Papaya form (no seconds) can say it exactly.
  const lifetimeMinutes = fc.integer({ min: 1, max: 60 * 24 * 365 * 5 });
  const sentAtMinute = fc.integer({ min: 17_000_000, max: 66_000_000 }).map((m) => m * 60_000);
  const offset = fc.integer({ min: -18 * 60, max: 18 * 60 });

  test('expires_in, expires_at (epoch s, epoch ms, ISO Z, ISO ±hh:mm, ISO without seconds), a vendor field and a JWT exp give the same expiry', async () => {
    await fc.assert(
      fc.asyncProperty(sentAtMinute, lifetimeMinutes, offset, async (sentAt, minutes, zone) => {
        const expected = sentAt + minutes * 60_000;
        const iso = new Date(expected).toISOString();
        const answers: [Flow, string][] = [
          [offlineFlow(), `{"access_token":"a","expires_in":${minutes * 60}}`],
          [offlineFlow(), `{"access_token":"a","expires_at":${expected / 1000}}`],
          [offlineFlow(), `{"access_token":"a","expires_at":${expected}}`],
          [offlineFlow(), `{"access_token":"a","expires_at":"${expected / 1000}"}`],
          [offlineFlow(), `{"access_token":"a","expires_at":"${iso}"}`],
          [offlineFlow(), `{"access_token":"a","expires_at":"${isoWithOffset(expected, zone)}"}`],
          [vendor(), `{"token":"a","until":"${iso.slice(0, 16)}Z"}`],
          [vendor(), `{"token":"a","until":"${iso.slice(0, 16)}+00:00"}`],
          [offlineFlow(), `{"access_token":"${unsignedJwt({ exp: expected / 1000, sub: 'x' })}"}`],
        ];
        for (const [flow, body] of answers)
          expect((await tokenOf(flow, sentAt, body)).expiresAt, body).toBe(expected);
      }),
      { numRuns: 40 },
    );
  });

  test('behind a Date header, an absolute expiry errs early, by less than a second plus the round trip', async () => {
    await fc.assert(
      fc.asyncProperty(
        sentAtMinute,
        lifetimeMinutes,
        // Within the 24 h a Date header is believed for (see maxClockOffsetMs).
        fc.integer({ min: -86_000, max: 86_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        async (sentAt, minutes, skewSeconds, roundTrip) => {
          // The server's clock is off by `skew`; its Date header (whole seconds) and its expiry
          // agree with each other. The answer arrives `roundTrip` ms after the request left.
          const skew = skewSeconds * 1000;
          const expected = sentAt + minutes * 60_000;
          const serverNow = sentAt + skew + Math.floor(roundTrip / 2);
          let clock = sentAt;
          const tokens = manage({
            flow: offlineFlow(),
            now: () => clock,
            retry: false,
            fetch: async () => {
              clock += roundTrip;
              return new Response(
                JSON.stringify({
                  access_token: 'a',
                  expires_at: new Date(expected + skew).toISOString(),
                }),
                {
                  headers: {
                    'content-type': 'application/json',
                    date: new Date(serverNow).toUTCString(),
                  },
                },
              );
            },
          });
          const token = await tokens.getToken().catch((error: unknown) => error);
          if (!(token instanceof Error)) {
            const expiresAt = (token as Token).expiresAt as number;
            expect(expiresAt).toBeLessThanOrEqual(expected);
            expect(expected - expiresAt).toBeLessThan(1000 + roundTrip);
          } else {
            // Only a lifetime shorter than the correction may come out already expired.
            expect(token instanceof TokenwiseError).toBe(true);
            expect(minutes * 60_000).toBeLessThan(1000 + roundTrip);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
