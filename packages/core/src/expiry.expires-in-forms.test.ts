/**
 * `expires_in` through the whole path a token takes (the flow's parser, the token's creation and
 * the manager's cache), driven by an injected fetch: every wire form a server sends it in gives
 * `expiresAt = sentAt + expires_in` to the ms. (expiry.properties.test.ts checks the pure math.)
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { managersClosedAfterEach } from './test-support/manager-cleanup.ts';
import { offlineFlow, tokenOfAnswer } from './test-support/offline-token-endpoint.ts';

const tokenOf = tokenOfAnswer(managersClosedAfterEach());

/** Epoch ms on whole seconds, 2001 to 2096. */
const epochSeconds = fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }).map((s) => s * 1000);

describe('expires_in, in every form a server sends it', () => {
  /** Lifetimes in ms, from 1 ms to ~31 years, as `expires_in` seconds with up to 3 decimals. */
  const lifetimeMs = fc.integer({ min: 1, max: 1_000_000_000_000 });
  const json = 'application/json';
  const forms: Record<string, (seconds: number) => { body: string; type: string }> = {
    'a JSON number': (s) => ({ body: `{"access_token":"a","expires_in":${s}}`, type: json }),
    'a JSON string': (s) => ({ body: `{"access_token":"a","expires_in":"${s}"}`, type: json }),
    'a padded JSON string': (s) => ({
      body: `{"access_token":"a","expires_in":" ${s} "}`,
      type: json,
    }),
    'a form field': (s) => ({
      body: `access_token=a&expires_in=${s}`,
      type: 'application/x-www-form-urlencoded',
    }),
  };

  test.each(Object.entries(forms))(
    '%s: expiresAt = sentAt + expires_in, to the ms',
    async (_, form) => {
      await fc.assert(
        fc.asyncProperty(epochSeconds, lifetimeMs, async (sentAt, ms) => {
          const { body, type } = form(ms / 1000);
          const token = await tokenOf(offlineFlow(), sentAt, body, { 'content-type': type });
          expect(token.expiresAt).toBe(sentAt + ms);
          expect(token.issuedAt).toBe(sentAt);
        }),
        { numRuns: 40 },
      );
    },
  );

  test('is monotonic: a longer expires_in never gives an earlier expiresAt, whatever the forms', async () => {
    const formNames = Object.keys(forms);
    await fc.assert(
      fc.asyncProperty(
        epochSeconds,
        lifetimeMs,
        lifetimeMs,
        fc.constantFrom(...formNames),
        fc.constantFrom(...formNames),
        async (sentAt, a, b, formA, formB) => {
          const at = async (ms: number, name: string): Promise<number | undefined> => {
            const { body, type } = (forms[name] as (typeof forms)[string])(ms / 1000);
            return (await tokenOf(offlineFlow(), sentAt, body, { 'content-type': type })).expiresAt;
          };
          const [shorter, longer] = a <= b ? [a, b] : [b, a];
          expect(await at(shorter, formA)).toBeLessThanOrEqual((await at(longer, formB)) as number);
        },
      ),
      { numRuns: 40 },
    );
  });
});
