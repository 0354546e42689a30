/**
 * The token endpoint (RFC 6749 §3.2): body parsing, failure injection, client authentication,
 * the grant, and a record of every request.
 *
 * @module
 */
import {
  authenticateClient,
  type ClientAuthMethod,
  clientAuthMethod,
  parseBasic,
} from './client-auth.ts';
import type { Clock } from './clock.ts';
import { delayOf, type FailureQueue, injectedResponse } from './failures.ts';
import { type GrantContext, runGrant } from './grants.ts';
import { failure, outcomeResponse, type TokenOutcome } from './internal/responses.ts';

/**
 * One token request the mock saw, failed ones and injected failures included.
 *
 * @example
 * ```ts
 * expect(oauth.tokenRequests).toMatchObject([
 *   { grantType: 'client_credentials', clientId: 'app', clientAuth: 'client_secret_basic', status: 200 },
 * ]);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2
 */
export interface TokenRequestRecord {
  /** The `grant_type` parameter, if any. */
  readonly grantType: string | undefined;
  /** The client id from the Basic credentials or the body, if any (authenticated or not). */
  readonly clientId: string | undefined;
  /** How the client tried to authenticate, if it did. */
  readonly clientAuth: ClientAuthMethod | undefined;
  readonly scope?: string;
  readonly refreshToken?: string;
  readonly code?: string;
  /** The answer's status; 0 for an injected network error. */
  readonly status: number;
  /** The `error` code of a failed answer. */
  readonly error?: string;
  /** Whether the answer came from `failNext()`. */
  readonly injected?: true;
  /** When the request arrived, epoch milliseconds on the mock clock. */
  readonly at: number;
}

const formType = 'application/x-www-form-urlencoded';

/** The request's parameters (RFC 6749 §3.2), or why they cannot be read. */
async function readParams(
  request: Request,
  acceptJson: boolean,
): Promise<Map<string, string> | TokenOutcome> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const text = await request.text();
  let pairs: [string, unknown][];
  if (type === formType) {
    pairs = [...new URLSearchParams(text)];
  } else if (type === 'application/json' && acceptJson) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return failure(400, 'invalid_request', 'The body is not valid JSON');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      return failure(400, 'invalid_request', 'The body must be a JSON object');
    pairs = Object.entries(json);
  } else {
    const accepted = acceptJson ? `${formType} or application/json` : formType;
    return failure(400, 'invalid_request', `The body must be ${accepted}`);
  }
  const params = new Map<string, string>();
  for (const [name, value] of pairs) {
    if (typeof value !== 'string')
      return failure(400, 'invalid_request', `Parameter ${name} must be a string`);
    if (params.has(name)) return failure(400, 'invalid_request', `Repeated parameter ${name}`);
    if (value !== '') params.set(name, value); // RFC 6749 §3.1: empty means omitted
  }
  return params;
}

/** Handles token requests and records each one. */
export class TokenEndpoint {
  /** Every token request seen, in order. */
  readonly requests: TokenRequestRecord[] = [];
  readonly #context: GrantContext;
  readonly #clock: Clock;
  readonly #failures: FailureQueue;

  constructor(context: GrantContext, clock: Clock, failures: FailureQueue) {
    this.#context = context;
    this.#clock = clock;
    this.#failures = failures;
  }

  /** Answers one `POST /token`. */
  async handle(request: Request): Promise<Response> {
    const at = this.#clock.now();
    const authorization = request.headers.get('authorization');
    const parsed = await readParams(request, this.#context.options.acceptJsonBodies);
    const params = parsed instanceof Map ? parsed : new Map<string, string>();
    const basicId = authorization === null ? undefined : parseBasic(authorization)?.id;
    const seen = {
      grantType: params.get('grant_type'),
      clientId: basicId ?? params.get('client_id'),
      clientAuth: clientAuthMethod(authorization, params),
      ...optional('scope', params.get('scope')),
      ...optional('refreshToken', params.get('refresh_token')),
      ...optional('code', params.get('code')),
      at,
    };
    const injected = this.#failures.take();
    if (injected !== undefined) {
      await delayOf(injected);
      const response = injectedResponse(injected, this.#clock);
      if (response !== undefined) {
        const status = response.type === 'error' ? 0 : response.status;
        this.requests.push({ ...seen, status, injected: true });
        return response;
      }
    }
    const outcome = parsed instanceof Map ? await this.#answer(authorization, params) : parsed;
    this.requests.push({
      ...seen,
      status: outcome.ok ? 200 : outcome.status,
      ...(outcome.ok ? {} : { error: outcome.error }),
      ...(injected === undefined ? {} : { injected: true as const }),
    });
    return outcomeResponse(this.#clock, outcome);
  }

  async #answer(authorization: string | null, params: Map<string, string>): Promise<TokenOutcome> {
    const grantType = params.get('grant_type');
    if (grantType === undefined) return failure(400, 'invalid_request', 'Missing grant_type');
    const { clients, issuer } = this.#context.options;
    const auth = authenticateClient(authorization, params, clients, issuer);
    if (!auth.ok) return auth.outcome;
    return runGrant(this.#context, grantType, auth.client, params);
  }

  /** Forgets the recorded requests. */
  clear(): void {
    this.requests.length = 0;
  }
}

function optional<Name extends string>(
  name: Name,
  value: string | undefined,
): { [key in Name]?: string } {
  return (value === undefined ? {} : { [name]: value }) as { [key in Name]?: string };
}
