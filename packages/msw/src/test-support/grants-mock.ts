/**
 * The mock the grants' tests run against (PKCE required, refresh tokens rotated), RFC 7636's
 * example verifier and challenge, and the code exchange as a client sends it.
 *
 * Not part of the build (see tsconfig.build.json).
 */
import type { MockOAuthServer } from '../mock-oauth-server.ts';
import { basic, issuer, json, postToken } from './http.ts';
import { type ServedMock, serveMock } from './serve-mock.ts';

/**
 * RFC 7636 Appendix B's code verifier.
 *
 * @example
 * ```ts
 * await exchange(code, { code_verifier: `${verifier.slice(0, -1)}A` }); // invalid_grant
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7636#appendix-B
 */
export const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

/**
 * RFC 7636 Appendix B's S256 challenge of {@link verifier}.
 *
 * @example
 * ```ts
 * const code = await oauth.authorize({ clientId: 'app', redirectUri, codeChallenge: challenge });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7636#appendix-B
 */
export const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

/**
 * The redirect URI every authorization of these tests uses.
 *
 * @example
 * ```ts
 * await oauth.authorize({ clientId: 'app', redirectUri, codeChallenge: challenge });
 * ```
 */
export const redirectUri = 'https://app.test/callback';

/**
 * The headers of client `app` (client_secret_basic).
 *
 * @example
 * ```ts
 * await postToken({ grant_type: 'refresh_token', refresh_token }, app);
 * ```
 */
export const app: Record<string, string> = { Authorization: basic('app', 'secret') };

/**
 * The served mock, and the code exchange against it.
 *
 * @example
 * ```ts
 * const { oauth, exchange, tokensFor }: GrantsMock = serveGrantsMock();
 * ```
 */
export interface GrantsMock extends ServedMock {
  /** Exchanges `code` with {@link verifier} and {@link redirectUri}, as `app` unless `headers`. */
  exchange(
    code: string,
    extra?: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<Response>;
  /** Authorizes `clientId` for `scope` and exchanges the code: the token answer's JSON. */
  tokensFor(clientId?: string, scope?: string): Promise<Record<string, unknown>>;
}

/**
 * Serves, for the calling file, a mock with clients `app`, `other` (confidential) and `spa`
 * (public), rotating refresh tokens.
 *
 * @example
 * ```ts
 * const { oauth, exchange } = serveGrantsMock();
 * test('redeems a code', async () => {
 *   const code = await oauth.authorize({ clientId: 'app', redirectUri, codeChallenge: challenge });
 *   expect((await exchange(code)).status).toBe(200);
 * });
 * ```
 */
export function serveGrantsMock(): GrantsMock {
  const served = serveMock({
    issuer,
    clients: { app: 'secret', other: 'secret2', spa: null },
    rotateRefreshTokens: true,
  });
  const oauth: MockOAuthServer = served.oauth;
  const exchange: GrantsMock['exchange'] = (code, extra = {}, headers = app) =>
    postToken(
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
        ...extra,
      },
      headers,
    );
  const tokensFor: GrantsMock['tokensFor'] = async (clientId = 'app', scope = 'read write') => {
    const code = await oauth.authorize({ clientId, redirectUri, codeChallenge: challenge, scope });
    return json(await exchange(code));
  };
  return { ...served, exchange, tokensFor };
}
