/**
 * The secrets the error hygiene tests plant (and the ones the server issues), the flows that
 * carry them to a token endpoint, and the check that no rendering of an error holds one.
 */
import { clientId, clientSecret, type LoopbackServer, renderings } from '@tokenwise/test-kit';
import { expect } from 'vitest';
import { authorizationCode } from '../flows/authorization-code.ts';
import { clientCredentials } from '../flows/client-credentials.ts';
import type { Flow } from '../flows/flow.ts';
import { refreshToken } from '../flows/refresh-token.ts';
import { tokenRequest } from '../flows/token-request.ts';

// Secrets of our own making, distinct enough that a hit cannot be a coincidence.

/**
 * The refresh token the refresh-token flow starts from.
 *
 * @example
 * await server.acceptRefreshToken(startRefreshToken);
 */
export const startRefreshToken = 'rt-HYG-start-7a2c91';

/**
 * The authorization code the authorization-code flow redeems.
 *
 * @example
 * await server.acceptCode(code, { redirectUri, codeVerifier });
 */
export const code = 'code-HYG-5d1e08';

/**
 * The PKCE code verifier sent with {@link code}.
 *
 * @example
 * authorizationCode({ tokenUrl, clientId, clientSecret, code, codeVerifier, redirectUri });
 */
export const codeVerifier = `verifier-HYG-${'v'.repeat(40)}`;

/**
 * A vendor API key, sent in the body or the query string.
 *
 * @example
 * tokenRequest({ url, body: { api_key: apiKey }, response });
 */
export const apiKey = 'ak-HYG-key-33f0b7';

/**
 * An access token inside an answer the manager rejects.
 *
 * @example
 * server.script({ body: { access_token: bodyAccessToken, expires_in: 'soon' } });
 */
export const bodyAccessToken = 'at-HYG-in-body-c4e2';

/**
 * A refresh token inside an answer the manager rejects.
 *
 * @example
 * server.script({ body: { error: 'invalid_scope', refresh_token: bodyRefreshToken } });
 */
export const bodyRefreshToken = 'rt-HYG-in-body-91aa';

/** Everything a secret could hide in: every server-issued token so far, and ours. */
function secrets(server: LoopbackServer): string[] {
  return [
    clientSecret,
    startRefreshToken,
    code,
    codeVerifier,
    apiKey,
    bodyAccessToken,
    bodyRefreshToken,
    ...server.issued,
    ...server.tokenRequests.flatMap((request) =>
      [request.params.refresh_token].filter((t): t is string => t !== undefined),
    ),
  ];
}

/**
 * Fails unless every rendering of `error` (message, String, JSON, inspect, stack, causes) is free
 * of our secrets and of every token `server` issued or was sent.
 *
 * @example
 * const error = await tokens.getToken().catch((e: unknown) => e);
 * expectNoSecret(error, server);
 */
export function expectNoSecret(error: unknown, server: LoopbackServer): void {
  const texts = renderings(error);
  expect(texts.length).toBeGreaterThan(4);
  for (const secret of secrets(server)) {
    const leaks = texts.filter((text) => text.includes(secret));
    expect(leaks, `"${secret}" leaks`).toEqual([]);
  }
}

/**
 * A refresh-token flow starting from {@link startRefreshToken}, which `server` is made to accept.
 *
 * @example
 * const tokens = createTokenManager({ flow: await refreshTokenFlow(server.tokenUrl, server) });
 */
export async function refreshTokenFlow(tokenUrl: string, server: LoopbackServer): Promise<Flow> {
  await server.acceptRefreshToken(startRefreshToken);
  return refreshToken({ tokenUrl, clientId, clientSecret, refreshToken: startRefreshToken });
}

/** The vendor flows read the OAuth field names, so the same answers fail the same way. */
const oauthFields = {
  accessToken: 'access_token',
  tokenType: 'token_type',
  expiresIn: 'expires_in',
  expiresAt: 'expires_at',
  refreshToken: 'refresh_token',
};

/** A flow on a token URL, seeded on `server` when it needs a refresh token or a code. */
export type HygieneFlow = (url: string, server: LoopbackServer) => Flow | Promise<Flow>;

/**
 * Each flow, by name, with every secret it sends.
 *
 * @example
 * describe.each(Object.entries(hygieneFlows))('%s', (_, makeFlow) => { … });
 */
export const hygieneFlows: Record<string, HygieneFlow> = {
  'client credentials (form, client_secret_post)': (tokenUrl) =>
    clientCredentials({ tokenUrl, clientId, clientSecret }),
  'client credentials (client_secret_basic)': (tokenUrl) =>
    clientCredentials({ tokenUrl, clientId, clientSecret, clientAuth: 'client_secret_basic' }),
  'client credentials (JSON)': (tokenUrl) =>
    clientCredentials({ tokenUrl, clientId, clientSecret, bodyFormat: 'json' }),
  'refresh token': refreshTokenFlow,
  'authorization code + PKCE': async (tokenUrl, server) => {
    const redirectUri = 'https://app.example/cb';
    await server.acceptCode(code, { redirectUri, codeVerifier });
    return authorizationCode({ tokenUrl, clientId, clientSecret, code, codeVerifier, redirectUri });
  },
  'vendor JSON body': (url) =>
    tokenRequest({
      url,
      body: {
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        api_key: apiKey,
      },
      response: oauthFields,
    }),
  'vendor GET, key in the query string': (url) =>
    tokenRequest({
      url,
      method: 'GET',
      body: { api_key: apiKey, client_secret: clientSecret },
      response: oauthFields,
    }),
};
