import { Readable } from 'node:stream';
import {
  type AxiosAdapter,
  AxiosError,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';

/** The token every in-process token endpoint hands out (valid for an hour). */
const tokenBody = JSON.stringify({
  access_token: 'in-process-token',
  token_type: 'Bearer',
  expires_in: 3600,
});

/**
 * Transports that answer inside the process, one per client's own seam, so that the per-request
 * cost of a client and its token layer is not drowned by the network. Each API transport does
 * what the real one must do and nothing more: fetch builds the `Request` (undici's fetch always
 * does), the API answers 200 when an `Authorization` header is present and 401 otherwise, with an
 * empty body.
 */
export interface InProcessTransport {
  /** A `fetch` for the API (fetch, ky, @badgateway/oauth2-client). */
  readonly fetch: typeof globalThis.fetch;
  /** A `fetch` for the token endpoint (tokenwise managers, @badgateway/oauth2-client). */
  readonly tokenFetch: typeof globalThis.fetch;
  /** An axios adapter for the API. */
  readonly axiosAdapter: AxiosAdapter;
  /** An axios adapter for the token endpoint (axios-oauth-client). */
  readonly tokenAxiosAdapter: AxiosAdapter;
  /** got's `request` option: returns a finished response instead of a `ClientRequest`. */
  readonly gotRequest: (url: URL, options: { headers?: Record<string, unknown> }) => Readable;
}

/**
 * The in-process transports; stateless, so one set serves every client.
 *
 * @example
 * ```ts
 * const transport = inProcessTransport();
 * const res = await transport.fetch('http://127.0.0.1:9/api/items', { headers: { authorization: 'Bearer x' } });
 * res.status; // 200
 * ```
 */
export function inProcessTransport(): InProcessTransport {
  return {
    fetch: async (input, init) => {
      const request = new Request(input, init);
      return new Response(null, { status: request.headers.has('authorization') ? 200 : 401 });
    },
    tokenFetch: async (input, init) => {
      await new Request(input, init).arrayBuffer();
      return new Response(tokenBody, { headers: { 'content-type': 'application/json' } });
    },
    axiosAdapter: async (config) =>
      settle(config, config.headers.has('authorization') ? 200 : 401, ''),
    tokenAxiosAdapter: async (config) => settle(config, 200, JSON.parse(tokenBody) as unknown),
    gotRequest: (_url, options) => {
      const authorized = options.headers?.authorization !== undefined;
      const response = Object.assign(Readable.from([]), {
        statusCode: authorized ? 200 : 401,
        statusMessage: authorized ? 'OK' : 'Unauthorized',
        headers: { 'content-length': '0' },
      });
      return response;
    },
  };
}

/** What axios's own adapters do with an answer: resolve, or reject per `validateStatus`. */
function settle(
  config: InternalAxiosRequestConfig,
  status: number,
  data: unknown,
): Promise<AxiosResponse> {
  const response: AxiosResponse = {
    data,
    status,
    statusText: status === 200 ? 'OK' : 'Unauthorized',
    headers: {},
    config,
    request: {},
  };
  if (!config.validateStatus || config.validateStatus(status)) return Promise.resolve(response);
  return Promise.reject(
    new AxiosError(
      `Request failed with status code ${status}`,
      AxiosError.ERR_BAD_REQUEST,
      config,
      {},
      response,
    ),
  );
}
