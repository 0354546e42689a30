/**
 * What the loopback server does to the mock's token answers: records the access tokens issued
 * and the refresh tokens refused, and changes the fields a test asked for (`token_type`,
 * `expires_in`, extra fields, no `refresh_token` on a refresh) in the JSON the mock produced.
 */
import type { RecordedRequest } from './node-bridge.ts';

/**
 * The knobs that change a token answer's fields.
 *
 * @example
 * server.expiresIn = undefined; // answers without expires_in
 */
export interface TokenAnswerKnobs {
  /** `token_type` of the answers. @default 'Bearer' */
  tokenType: string;
  /** `expires_in` of the answers, in seconds; `undefined` omits it. @default 3600 */
  expiresIn: number | undefined;
  /** Fields added to every successful answer. @default {} */
  extraFields: Record<string, unknown>;
  /** `'omit'`: an answer to a refresh carries no `refresh_token` (the old one stays valid). */
  readonly refreshTokens: 'rotate' | 'omit';
}

/**
 * What the server learns from token answers.
 *
 * @example
 * expect(server.rejectedRefreshTokens).toEqual([]);
 */
export interface TokenAnswerRecord {
  /** Access tokens issued, in order. */
  readonly issued: string[];
  /** Refresh tokens presented and refused with `invalid_grant` (used, revoked, never issued). */
  readonly rejectedRefreshTokens: string[];
}

/**
 * The mock's own `expires_in` (its `accessTokenTtl`), which the server leaves as is.
 *
 * @example
 * expect(answer.expires_in).toBe(mockAccessTokenTtl);
 */
export const mockAccessTokenTtl = 3600;

/**
 * Records what `response` (the mock's answer to `request`) issued or refused, and returns it
 * with the fields `knobs` change; the mock's bytes unchanged when the knobs change nothing.
 *
 * @example
 * const answer = await adjustTokenAnswer(await getResponse(oauth.handlers, fetchRequest), recorded, server, server);
 */
export async function adjustTokenAnswer(
  response: Response,
  request: RecordedRequest,
  knobs: TokenAnswerKnobs,
  record: TokenAnswerRecord,
): Promise<Response> {
  if (!response.headers.get('content-type')?.includes('json')) return response;
  const body = (await response.clone().json()) as Record<string, unknown>;
  const refreshing = request.params.grant_type === 'refresh_token';
  if (response.status === 400 && refreshing && body.error === 'invalid_grant')
    record.rejectedRefreshTokens.push(request.params.refresh_token ?? '');
  if (response.status !== 200 || typeof body.access_token !== 'string') return response;
  record.issued.push(body.access_token);
  const changed = { ...body, ...knobs.extraFields };
  if (knobs.tokenType !== body.token_type) changed.token_type = knobs.tokenType;
  if (knobs.expiresIn === undefined) delete changed.expires_in;
  else if (knobs.expiresIn !== mockAccessTokenTtl) changed.expires_in = knobs.expiresIn;
  if (knobs.refreshTokens === 'omit' && refreshing) delete changed.refresh_token;
  if (JSON.stringify(changed) === JSON.stringify(body)) return response;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(changed), { status: response.status, headers });
}
