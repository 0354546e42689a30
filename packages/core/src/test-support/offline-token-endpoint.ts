/**
 * A token endpoint no request ever reaches: the managers of these tests get their answers from a
 * `fetch` the test injects. Flows on it, and the token a manager makes of one such answer.
 */
import { clientCredentials } from '../flows/client-credentials.ts';
import type { Flow } from '../flows/flow.ts';
import type { Token } from '../token.ts';
import type { TokenManager, TokenManagerOptions } from '../token-manager.ts';

/**
 * The token URL of the flows here; only an injected `fetch` ever sees it.
 *
 * @example
 * const flow = refreshToken({ tokenUrl: offlineTokenUrl, clientId: 'c', clientSecret: 's', refreshToken: 'rt' });
 */
export const offlineTokenUrl = 'https://auth.example.com/token';

/**
 * A client-credentials flow (client `c`, secret `s`) on {@link offlineTokenUrl}.
 *
 * @example
 * const tokens = createTokenManager({ flow: offlineFlow(), fetch: async () => Response.json(body) });
 */
export function offlineFlow(): Flow {
  return clientCredentials({ tokenUrl: offlineTokenUrl, clientId: 'c', clientSecret: 's' });
}

/** The token a fresh manager makes of one answer (see {@link tokenOfAnswer}). */
export type TokenOfAnswer = (
  flow: Flow,
  sentAt: number,
  body: string,
  headers?: Record<string, string>,
) => Promise<Token>;

/**
 * A function that makes, with `manage`, a manager whose clock stands at `sentAt` and whose fetch
 * answers `body` (JSON unless `headers` say otherwise), and returns the token it gets.
 *
 * @example
 * const tokenOf = tokenOfAnswer(managersClosedAfterEach());
 * const token = await tokenOf(offlineFlow(), 1_000, '{"access_token":"a","expires_in":60}');
 * expect(token.expiresAt).toBe(61_000);
 */
export function tokenOfAnswer(
  manage: (options: TokenManagerOptions) => TokenManager,
): TokenOfAnswer {
  return (flow, sentAt, body, headers = { 'content-type': 'application/json' }) =>
    manage({
      flow,
      now: () => sentAt,
      retry: false,
      fetch: async () => new Response(body, { headers }),
    }).getToken();
}
