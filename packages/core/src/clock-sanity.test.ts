import { afterEach, describe, expect, test } from 'vitest';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import { tokenRequest } from './flows/token-request.ts';
import { manualClock } from './test-support/async.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';

const hour = 3_600_000;
/** How far a Date header is believed (clock-offset.ts's maxClockOffsetMs). */
const day = 24 * hour;
const t0 = Date.UTC(2026, 0, 1);
const tokenUrl = 'https://auth.example.com/token';

/** An unsigned JWT with the given payload (the signature is never checked). */
function jwt(payload: unknown): string {
  return `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
}

/** Ways an answer states "expires an hour from now" on the true clock, each with its flow. */
const expiries: Record<string, { flow: () => Flow; body: Record<string, unknown> }> = {
  'expires_at (ISO 8601)': {
    flow: () => clientCredentials({ tokenUrl, clientId: 'c-1', clientSecret: 'secret-4e5f' }),
    body: { access_token: 'opaque-at-1', expires_at: new Date(t0 + hour).toISOString() },
  },
  'a mapped valid_until (Papaya, no seconds)': {
    flow: () =>
      tokenRequest({
        url: tokenUrl,
        body: { api_key: 'key-2b3c' },
        response: { accessToken: 'token', expiresAt: 'valid_until' },
      }),
    body: { token: 'opaque-at-2', valid_until: new Date(t0 + hour).toISOString().slice(0, 16) },
  },
  'a JWT exp': {
    flow: () => clientCredentials({ tokenUrl, clientId: 'c-1', clientSecret: 'secret-4e5f' }),
    body: { access_token: jwt({ sub: 'c-1', exp: (t0 + hour) / 1000 }) },
  },
};

/** `Date` headers no real clock drift explains. */
const brokenDates: Record<string, string> = {
  'decades behind (epoch 0)': 'Thu, 01 Jan 1970 00:00:00 GMT',
  'decades ahead': 'Sat, 01 Jan 2080 00:00:00 GMT',
  'just over 24 h behind': new Date(t0 - day - 1_000).toUTCString(),
  'just over 24 h ahead': new Date(t0 + day + 1_000).toUTCString(),
};

/** Server clocks far off, whose `Date` header and expiries are both written on them. */
const skewedServers: Record<string, number> = {
  'decades ahead': 54 * 365 * day,
  'decades behind': -56 * 365 * day,
  '25 h ahead': 25 * hour,
  '25 h behind': -25 * hour,
};

const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

describe.each(Object.entries(expiries))('%s', (_, { flow, body }) => {
  test.each(Object.entries(brokenDates))(
    'behind a Date header %s, the token expires when the answer says, on our clock',
    async (_, date) => {
      const tokens = createTokenManager({
        flow: flow(),
        now: manualClock(t0).now,
        retry: false,
        fetch: async () => Response.json(body, { headers: { date } }),
      });
      managers.push(tokens);
      // Neither "already expired" (a Date far ahead) nor alive for decades (a Date far behind).
      const token = await tokens.getToken();
      expect(token.expiresAt).toBe(t0 + hour);
    },
  );
});

describe.each(Object.entries(expiries))('%s on a server clock far off', (_, { flow, body }) => {
  test.each(Object.entries(skewedServers))(
    'from a server clock %s, Date and expiry both on it, the token lives its hour on ours',
    async (_, skew) => {
      // The same answer, every time on the server's own clock.
      const shifted = JSON.parse(
        JSON.stringify(body).replace(/"(\d{4}-\d\d-\d\dT[\d:.]+Z?)"/g, (_, iso: string) =>
          JSON.stringify(
            new Date(Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`) + skew)
              .toISOString()
              .slice(0, iso.length),
          ),
        ),
      ) as Record<string, unknown>;
      if (typeof shifted.access_token === 'string' && shifted.access_token.startsWith('eyJ'))
        shifted.access_token = jwt({ sub: 'c-1', exp: (t0 + hour + skew) / 1000 });
      const tokens = createTokenManager({
        flow: flow(),
        now: manualClock(t0).now,
        retry: false,
        fetch: async () =>
          Response.json(shifted, { headers: { date: new Date(t0 + skew).toUTCString() } }),
      });
      managers.push(tokens);
      const token = await tokens.getToken();
      // Corrected by the offset, rounded early by at most the Date header's second.
      expect(t0 + hour - token.expiresAt!).toBeGreaterThanOrEqual(0);
      expect(t0 + hour - token.expiresAt!).toBeLessThan(1_000);
    },
  );
});
