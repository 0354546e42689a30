/**
 * What the flow tests share: the options they start from, a way to read the request a flow
 * builds, and a way to make the answer a flow's parser reads. No network: a flow only builds
 * requests and reads answers.
 */
import { expect } from 'vitest';
import type { Flow } from '../flows/flow.ts';
import type { TokenHttpRequest, TokenHttpResponse } from '../token-http.ts';

/**
 * The token URL of the client-credentials, refresh-token and end-to-end tests.
 *
 * @example
 * clientCredentials({ tokenUrl, clientId: 'client-1', clientSecret: 'secret-1' });
 */
export const tokenUrl = 'https://auth.example.com/connect/token';

/**
 * The default `Content-Type` of a form body.
 *
 * @example
 * expect(request.headers['Content-Type']).toBe(formType);
 */
export const formType = 'application/x-www-form-urlencoded';

/**
 * Client-credentials options on another token URL, for tests that compare flows.
 *
 * @example
 * clientCredentials({ ...ccBase(), headers: { TenantRegion: 'EU' } });
 */
export const ccBase = () => ({
  tokenUrl: 'https://auth.example.com/token',
  clientId: 'client-1',
  clientSecret: 'secret-1',
});

/**
 * The URL of the `tokenRequest` tests (Papaya Global's staging token endpoint).
 *
 * @example
 * tokenRequest({ ...tokenRequestBase, url: `${tokenRequestUrl}?v=1`, method: 'GET' });
 */
export const tokenRequestUrl = 'https://authentication-service.staging.pay.papayaglobal.work/token';

/**
 * The `tokenRequest` options the tests start from: a JSON body and a field map.
 *
 * @example
 * tokenRequest({ ...tokenRequestBase, successStatus: 201 });
 */
export const tokenRequestBase = {
  url: tokenRequestUrl,
  body: { api_key: 'k', client_secret: 's' },
  response: { accessToken: 'token' },
};

/**
 * The form body as sorted [name, value] pairs (repeated names stay repeated); fails the test
 * unless the request says it is a form.
 *
 * @example
 * expect(formOf(initial(flow))).toEqual([['grant_type', 'client_credentials']]);
 */
export function formOf(request: TokenHttpRequest): [string, string][] {
  expect(request.headers['Content-Type']).toMatch(/^application\/x-www-form-urlencoded/);
  return [...new URLSearchParams(request.body)].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * The JSON body, parsed; fails the test unless the request says it is JSON.
 *
 * @example
 * expect(jsonOf(initial(flow))).toEqual({ api_key: 'k', client_secret: 's' });
 */
export function jsonOf(request: TokenHttpRequest): unknown {
  expect(request.headers['Content-Type']).toBe('application/json');
  return JSON.parse(request.body ?? '');
}

/**
 * The request of a flow's initial grant (throws for a flow without one).
 *
 * @example
 * expect(initial(flow)).toMatchObject({ url: tokenUrl, method: 'POST' });
 */
export function initial(flow: Flow): TokenHttpRequest {
  if (!flow.initialGrant) throw new Error(`${flow.kind} has no initial grant`);
  return flow.initialGrant.request();
}

/**
 * The request of a flow's refresh with `token` (throws for a flow that cannot refresh).
 *
 * @example
 * expect(formOf(refresh(flow, 'rt-1'))).toContainEqual(['refresh_token', 'rt-1']);
 */
export function refresh(flow: Flow, token: string): TokenHttpRequest {
  if (!flow.refreshGrant) throw new Error(`${flow.kind} cannot refresh`);
  return flow.refreshGrant(token);
}

/**
 * A token endpoint answer as a flow's parser gets it: `body` as JSON text and parsed, or no
 * body at all when `body` is undefined.
 *
 * @example
 * flow.parse(response({ jwt: 'j' }, { status: 201, headers: { 'x-expires-in': '90' } }));
 */
export function response(
  body: Record<string, unknown> | undefined,
  init: { status?: number; headers?: Record<string, string> } = {},
): TokenHttpResponse {
  return {
    status: init.status ?? 200,
    headers: new Headers(init.headers),
    text: body === undefined ? '' : JSON.stringify(body),
    body,
  };
}
