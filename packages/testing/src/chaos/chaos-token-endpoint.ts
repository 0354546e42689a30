/**
 * The chaos token endpoint: a misbehaving front of the test kit's token server. Each request
 * draws a {@link TokenFault}; the faults that answer by themselves (503, 429, a stall, a reset,
 * junk with 200) never reach the kit; the others are passed to it as sent, and its answer (an RFC
 * 6749 token, or error, from the mock authorization server) goes back to the client with a
 * lifetime of the chaos's choosing, late or cut half-way when the fault says so. Refresh tokens
 * get a grace of one on the way ({@link RefreshGrace}).
 *
 * Not part of the build (see tsconfig.build.json).
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import { type RecordedRequest, type Waits, writeResponse } from '@tokenwise/test-kit/server';
import type { ChaosLedger } from './chaos-ledger.ts';
import type { ChaosRandom, FaultDraw, TokenFault } from './faults.ts';
import { RefreshGrace } from './refresh-grace.ts';

/** The kit's answer to a token request, and the refresh token it issued, if any. */
interface Exchanged {
  readonly answer: Response;
  readonly refreshToken: string | undefined;
}

/**
 * What the chaos token endpoint works with.
 *
 * @example
 * ```ts
 * new ChaosTokenEndpoint({ tokenUrl: kit.tokenUrl, faults, ledger, waits, random,
 *   lifetimesSeconds: [2, 3, 4], slowMs: [100, 600], retryAfterSeconds: 1 });
 * ```
 */
export interface ChaosTokenEndpointParts {
  /** The strict token endpoint behind the chaos: the kit's. */
  readonly tokenUrl: string;
  readonly faults: FaultDraw<TokenFault>;
  readonly ledger: ChaosLedger;
  /** The chaos server's delays and holds, ended by its close(). */
  readonly waits: Waits;
  readonly random: ChaosRandom;
  /** Token lifetimes (`expires_in`, seconds), one drawn per token. */
  readonly lifetimesSeconds: readonly number[];
  /** Delay range of a `slow` answer, in ms. */
  readonly slowMs: readonly [number, number];
  /** `Retry-After` of a `429`, in seconds. */
  readonly retryAfterSeconds: number;
}

/**
 * The token endpoint of the chaos server.
 *
 * @example
 * ```ts
 * kit.route('/chaos/token', (request, res) => endpoint.handle(request, res));
 * ```
 */
export class ChaosTokenEndpoint {
  readonly #parts: ChaosTokenEndpointParts;
  readonly #grace = new RefreshGrace();
  /** Refresh grants run one at a time: the grace's bookkeeping follows each answer. */
  #refreshing: Promise<unknown> = Promise.resolve();
  /** Passed once the latest hold is released (or the server closed). */
  #hold: Promise<void> = Promise.resolve();

  constructor(parts: ChaosTokenEndpointParts) {
    this.#parts = parts;
  }

  /** Holds answers (faults are drawn on release) until the returned function is called. */
  hold(): () => void {
    const gate = this.#parts.waits.gate();
    this.#hold = gate.passed;
    return gate.open;
  }

  /** Answers one token request. */
  async handle(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const clientId = clientIdOf(request);
    const { ledger, faults, waits, random, slowMs, retryAfterSeconds } = this.#parts;
    ledger.tokenRequest(clientId);
    await this.#hold;
    const fault = faults.next();
    const faulty = faultAnswer(fault, retryAfterSeconds);
    if (faulty) return writeResponse(res, faulty);
    if (fault === 'stall') return; // the client's timeout closes the connection (or close() does)
    if (fault === 'reset') return void res.destroy();
    if (fault === 'slow') await waits.sleep(random.int(...slowMs));
    if (res.destroyed) return; // the client gave up waiting: nothing is issued
    const { answer } = await this.#exchange(request, clientId);
    if (fault === 'lost-answer') return writeHalf(res, answer);
    await writeResponse(res, answer);
  }

  /** The kit's answer to `request`, through the refresh grace, recorded in the ledger. */
  #exchange(request: RecordedRequest, clientId: string | undefined): Promise<Exchanged> {
    if (request.params.grant_type !== 'refresh_token') return this.#forward(request, clientId);
    const turn = this.#refreshing.then(async () => {
      const presented = request.params.refresh_token ?? '';
      const sent = this.#grace.standIn(presented);
      const exchanged = await this.#forward(request, clientId, sent);
      if (exchanged.refreshToken !== undefined)
        this.#grace.rotated(presented, sent, exchanged.refreshToken);
      return exchanged;
    });
    this.#refreshing = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Sends `request` on to the kit (with `refreshToken` as its refresh token), records what the
   * kit issued or refused, and gives the token a lifetime of the chaos's choosing.
   */
  async #forward(
    request: RecordedRequest,
    clientId: string | undefined,
    refreshToken?: string,
  ): Promise<Exchanged> {
    const { ledger, random, lifetimesSeconds, tokenUrl } = this.#parts;
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: forwardedHeaders(request),
      body: new Uint8Array(withRefreshToken(request, refreshToken)),
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? 'application/json';
    const fields = (contentType.includes('json') ? JSON.parse(text) : {}) as Record<
      string,
      unknown
    >;
    if (response.status === 400 && fields.error === 'invalid_grant') ledger.invalidGrant(clientId);
    if (response.status !== 200 || typeof fields.access_token !== 'string') {
      const answer = new Response(text, {
        status: response.status,
        headers: { 'content-type': contentType },
      });
      return { answer, refreshToken: undefined };
    }
    const issuedRefreshToken =
      typeof fields.refresh_token === 'string' ? fields.refresh_token : undefined;
    const lifetime = random.pick(lifetimesSeconds);
    ledger.issue(
      { clientId: clientId ?? '', expiresAt: Date.now() + lifetime * 1000 },
      fields.access_token,
      issuedRefreshToken,
    );
    const answer = Response.json(
      { ...fields, expires_in: lifetime },
      { headers: { 'cache-control': 'no-store' } },
    );
    return { answer, refreshToken: issuedRefreshToken };
  }
}

/** The answer of a fault that answers by itself, made afresh (a body is read once). */
function faultAnswer(fault: TokenFault, retryAfterSeconds: number): Response | undefined {
  const html = { 'content-type': 'text/html' };
  const json = { 'content-type': 'application/json' };
  switch (fault) {
    case '503':
      return new Response('<html><body>Service Unavailable</body></html>', {
        status: 503,
        headers: html,
      });
    case '429':
      return Response.json(
        { error: 'slow_down' },
        { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } },
      );
    case 'malformed-json':
      return new Response('{"access_token":"at.truncated","expires_in":', { headers: json });
    case 'html':
      return new Response('<!doctype html><title>Sign in</title><form></form>', { headers: html });
    case 'error-200':
      return Response.json({ error: 'server_error', error_description: 'try again later' });
    default:
      return undefined;
  }
}

/** The client of a token request: `client_id` in the body, or the user of HTTP Basic. */
function clientIdOf(request: RecordedRequest): string | undefined {
  if (request.params.client_id !== undefined) return request.params.client_id;
  const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (basic === undefined) return undefined;
  const [id = ''] = Buffer.from(basic, 'base64').toString().split(':');
  return decodeURIComponent(id.replace(/\+/g, ' ')); // RFC 6749 §2.3.1: form-encoded
}

/** The headers the kit's token endpoint reads: the body's type and client authentication. */
function forwardedHeaders(request: RecordedRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'authorization']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** The request's body, with `refresh_token` set to `refreshToken` (in the body's own format). */
function withRefreshToken(request: RecordedRequest, refreshToken: string | undefined): Buffer {
  if (refreshToken === undefined || refreshToken === request.params.refresh_token)
    return request.bytes;
  if (request.headers['content-type']?.includes('application/json'))
    return Buffer.from(
      JSON.stringify({ ...JSON.parse(request.body), refresh_token: refreshToken }),
    );
  const form = new URLSearchParams(request.body);
  form.set('refresh_token', refreshToken);
  return Buffer.from(form.toString());
}

/** Announces the whole body, sends half of it, and destroys the connection. */
async function writeHalf(res: ServerResponse, answer: Response): Promise<void> {
  const bytes = Buffer.from(await answer.arrayBuffer());
  if (res.destroyed) return;
  const headers = { ...Object.fromEntries(answer.headers), 'content-length': String(bytes.length) };
  res.writeHead(answer.status, headers);
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
}
