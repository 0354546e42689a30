/**
 * The table runner behind `token-response.bad-input.*.test.ts`: each case is one malformed token
 * answer, sent through the real path (flow parser, token creation, manager), and the typed error
 * it must become, with a message that names the problem.
 */
import { describe, expect, test } from 'vitest';
import { TokenEndpointError, type TokenResponseError, type TokenwiseError } from '../errors.ts';
import { clientCredentials } from '../flows/client-credentials.ts';
import type { Flow } from '../flows/flow.ts';
import { refreshToken } from '../flows/refresh-token.ts';
import { tokenRequest } from '../flows/token-request.ts';
import type { ReauthorizationRequiredError } from '../manager-errors.ts';
import { manualClock } from './async.ts';
import { managersClosedAfterEach } from './manager-cleanup.ts';

const tokenUrl = 'https://auth.example.com/token';
const flows = {
  oauth: () => clientCredentials({ tokenUrl, clientId: 'c', clientSecret: 's' }),
  refresh: () => refreshToken({ tokenUrl, clientId: 'c', clientSecret: 's', refreshToken: 'rt' }),
  /** Papaya: `{ token, valid_until }` with 201. */
  vendor: () =>
    tokenRequest({
      url: tokenUrl,
      body: { api_key: 'k' },
      successStatus: 201,
      response: { accessToken: 'token', expiresAt: 'valid_until' },
    }),
  /** A parser function that turns the server's `ttl` into a number: `NaN` for garbage. */
  parser: () =>
    tokenRequest({
      url: tokenUrl,
      body: {},
      response: (json) => ({ accessToken: json.token, expiresIn: Number(json.ttl) }),
    }),
  throwingParser: () =>
    tokenRequest({
      url: tokenUrl,
      body: {},
      response: () => {
        throw new Error('vendor changed its format');
      },
    }),
} satisfies Record<string, () => Flow>;

/** One malformed answer and the error it must become. */
export interface MalformedAnswer {
  readonly name: string;
  readonly flow?: keyof typeof flows;
  readonly status?: number;
  /** A string is sent as is (JSON unless `contentType` says otherwise); bytes have no type. */
  readonly body: string | Uint8Array<ArrayBuffer>;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  readonly error:
    | typeof TokenResponseError
    | typeof TokenEndpointError
    | typeof ReauthorizationRequiredError;
  readonly code?: string;
  readonly message: RegExp;
}

export const json = (value: unknown): string => JSON.stringify(value);

/**
 * Runs each case: a manager whose token endpoint sends the case's answer must reject `getToken`
 * with the case's error class, code, status and message.
 */
export function describeMalformedAnswers(cases: readonly MalformedAnswer[]): void {
  describe('a malformed token answer becomes a typed error that names the problem', () => {
    const manage = managersClosedAfterEach();
    test.each(cases)('$name', async (c) => {
      const headers = new Headers(c.headers);
      if (typeof c.body === 'string')
        headers.set('content-type', c.contentType ?? 'application/json');
      const tokens = manage({
        flow: flows[c.flow ?? 'oauth'](),
        now: manualClock().now,
        retry: false,
        fetch: async () => new Response(c.body, { status: c.status ?? 200, headers }),
      });
      const error = (await tokens.getToken().then(
        () => expect.unreachable('getToken should reject'),
        (e: unknown) => e,
      )) as TokenwiseError & { status?: number };
      expect(error).toBeInstanceOf(c.error);
      expect(error.code).toBe(
        c.code ?? (c.error === TokenEndpointError ? 'ERR_TOKEN_ENDPOINT' : 'ERR_TOKEN_RESPONSE'),
      );
      expect(error.status).toBe(c.status ?? 200);
      expect(error.message).toMatch(c.message);
    });
  });
}
