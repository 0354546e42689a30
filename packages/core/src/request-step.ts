/**
 * Per-attempt request preparation: the steps that complete a flow's request right before each
 * attempt is sent, and see each answer.
 *
 * @module
 */
import type { TokenHttpRequest, TokenHttpResponse } from './token-http.ts';

// Loaded by the exchange only when a flow has steps (see `internal/exchange.ts`): a flow without
// any sends its template as it is, and carries none of this.

/**
 * What a {@link RequestStep} knows about the attempt it prepares.
 *
 * @example
 * ```ts
 * const context: AttemptContext = { attempt: 0, now: Date.now, signal: AbortSignal.timeout(5_000) };
 * ```
 */
export interface AttemptContext {
  /** 0 for the first attempt of a token request, then 1, 2, … for each re-send. */
  readonly attempt: number;
  /** The manager's clock (epoch milliseconds): `iat` and `exp` of an assertion come from it. */
  readonly now: () => number;
  /** Aborted when the token request is given up (the manager closing). */
  readonly signal: AbortSignal;
}

/**
 * One step of per-attempt request preparation. A flow's request is a template; before each attempt
 * is sent (the first one, every retry, every re-send a step asks for) the steps run in order, each
 * completing the request the previous one returned: client authentication adds a fresh
 * `client_assertion`, a grant reads its `subject_token` again, a proof-of-possession step adds its
 * header. The request each attempt actually sent is what errors are redacted against.
 *
 * @example
 * ```ts
 * const tenantHeader: RequestStep = {
 *   prepare: (request) => ({ ...request, headers: { ...request.headers, 'X-Tenant': 'eu' } }),
 * };
 * ```
 */
export interface RequestStep {
  /** The request completed for one attempt. May be async (signing, reading a file). */
  prepare(
    request: TokenHttpRequest,
    context: AttemptContext,
  ): TokenHttpRequest | Promise<TokenHttpRequest>;
  /**
   * Sees every answer to an attempt (success or not) with the request that attempt sent. After an
   * error answer, `true` asks for the request to be prepared and sent again at once: at most once
   * per step and token request, and it does not use up one of the retries (e.g. `'auto'` client
   * authentication after `invalid_client`, a DPoP nonce challenge).
   */
  answered?(response: TokenHttpResponse, sent: TokenHttpRequest): boolean;
  /**
   * Values the step holds that must never appear in an error although they are not sent as such
   * (a private key, the secret behind an HMAC): added to the token request's redaction when an
   * error leaves it.
   */
  secrets?(): readonly string[];
}

/**
 * The steps of one token request: each attempt's request is the template completed by every step
 * in order, and every answer is shown to every step. A step may ask for a re-send once per token
 * request.
 *
 * @example
 * ```ts
 * const steps = new TokenRequestSteps(flow.requestSteps, (sent) => log(sent.url));
 * const sent = await steps.prepare(template, { attempt: 0, now: Date.now, signal });
 * const again = steps.askedAgain(response, sent);
 * ```
 */
export class TokenRequestSteps {
  readonly #steps: readonly RequestStep[];
  readonly #resentBy = new Set<RequestStep>();
  readonly #onPrepared: (request: TokenHttpRequest) => void;

  /** `onPrepared` sees each attempt's complete request (what it sends: a fresh assertion…). */
  constructor(steps: readonly RequestStep[], onPrepared: (request: TokenHttpRequest) => void) {
    this.#steps = steps;
    this.#onPrepared = onPrepared;
  }

  /** The request for one attempt: `template` completed by each step in order. */
  async prepare(template: TokenHttpRequest, context: AttemptContext): Promise<TokenHttpRequest> {
    let request = template;
    for (const step of this.#steps) request = await step.prepare(request, context);
    this.#onPrepared(request);
    return request;
  }

  /**
   * Shows the answer to every step; true when one that has not done so yet in this token request
   * asks for the request to be sent again.
   */
  askedAgain(response: TokenHttpResponse, sent: TokenHttpRequest): boolean {
    let again = false;
    for (const step of this.#steps) {
      if (step.answered?.(response, sent) !== true || this.#resentBy.has(step)) continue;
      this.#resentBy.add(step);
      again = true;
    }
    return again;
  }

  /** What the steps hold that must never show in an error (known once they have loaded). */
  secrets(): string[] {
    return this.#steps.flatMap((step) => step.secrets?.() ?? []);
  }
}
