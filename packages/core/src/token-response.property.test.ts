/**
 * Property tests of the real parse path: whatever a token endpoint answers (any status, any
 * content type, any body: JSON of any shape, token-like objects with fields of every type, form
 * bodies, arbitrary text and bytes, over-size bodies; any Date and Retry-After header), a
 * manager built on each flow either hands out a well-formed token or rejects with a typed
 * tokenwise error. Nothing else escapes.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { errorCodes, TokenEndpointError, TokenResponseError, TokenwiseError } from './errors.ts';
import { authorizationCode } from './flows/authorization-code.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import { refreshToken } from './flows/refresh-token.ts';
import { tokenRequest } from './flows/token-request.ts';
import { manualClock } from './test-support/async.ts';
import { managersClosedAfterEach } from './test-support/manager-cleanup.ts';
import { answer, respond } from './test-support/token-endpoint-answers.ts';
import type { Token } from './token.ts';

const tokenUrl = 'https://auth.example.com/token';
const client = { tokenUrl, clientId: 'client-1', clientSecret: 'secret-1' };

/** Every flow, each with its own way to read an answer. */
const flows: Record<string, () => Flow> = {
  clientCredentials: () => clientCredentials(client),
  refreshToken: () => refreshToken({ ...client, refreshToken: 'rt-0' }),
  authorizationCode: () =>
    authorizationCode({ ...client, code: 'code-1', redirectUri: 'https://app.example/cb' }),
  'tokenRequest (field map)': () =>
    tokenRequest({
      url: tokenUrl,
      body: { api_key: 'k' },
      response: {
        accessToken: 'token',
        expiresAt: 'valid_until',
        tokenType: 'type',
        refreshToken: 'data.refresh',
        scope: 'data.scope',
      },
    }),
  'tokenRequest (201 only, nested fields)': () =>
    tokenRequest({
      url: tokenUrl,
      body: { api_key: 'k' },
      successStatus: [201],
      response: { accessToken: 'data.access_token', expiresIn: 'data.expires_in' },
    }),
  'tokenRequest (parser function)': () =>
    tokenRequest({
      url: tokenUrl,
      body: { api_key: 'k' },
      response: (json) => ({ accessToken: json.token, expiresIn: json.ttl, scope: json.scopes }),
    }),
};

const manage = managersClosedAfterEach();

/** Every property a token handed out by the manager must have. */
function expectWellFormed(token: Token, now: number): void {
  expect(typeof token.accessToken).toBe('string');
  expect(token.accessToken.trim()).not.toBe('');
  expect(typeof token.tokenType).toBe('string');
  expect(token.tokenType.trim()).not.toBe('');
  if (/^bearer$/i.test(token.tokenType)) expect(token.tokenType).toBe('Bearer');
  expect(token.issuedAt).toBe(now);
  if (token.expiresAt !== undefined) {
    expect(Number.isSafeInteger(token.expiresAt)).toBe(true);
    expect(token.expiresAt).toBeGreaterThan(now);
  }
  if (token.refreshToken !== undefined) {
    expect(typeof token.refreshToken).toBe('string');
    expect(token.refreshToken).not.toBe('');
  }
  if (token.refreshTokenExpiresAt !== undefined)
    expect(token.refreshTokenExpiresAt).toBeGreaterThan(now);
  if (token.scope !== undefined) {
    expect(typeof token.scope).toBe('string');
    expect(token.scope).toBe(token.scope.trim());
    expect(token.scope).not.toBe('');
  }
  expect(typeof token.raw).toBe('object');
  expect(() => JSON.stringify(token)).not.toThrow();
}

describe.each(Object.entries(flows))('%s: any answer', (_, makeFlow) => {
  test('gives a well-formed token or a typed error, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(answer, async (a) => {
        const clock = manualClock();
        const tokens = manage({
          flow: makeFlow(),
          fetch: async () => respond(a),
          now: clock.now,
          retry: false,
        });
        const outcome = await tokens.getToken().then(
          (token) => ({ token }),
          (error: unknown) => ({ error }),
        );
        await tokens.close();
        if ('token' in outcome) {
          expectWellFormed(outcome.token, clock.now());
          return;
        }
        const { error } = outcome;
        expect(error instanceof TokenwiseError, String(error)).toBe(true);
        const typed = error as Error & { code: string; status?: number };
        expect(errorCodes).toContain(typed.code);
        expect(typed.message.length).toBeGreaterThan(0);
        // A non-success status is always the endpoint's error, with that status; a success
        // status that carries no usable token is always a response error.
        if (error instanceof TokenEndpointError) expect(error.status).toBe(a.status);
        else expect(error instanceof TokenResponseError, String(error)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
