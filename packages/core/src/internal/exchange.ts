import { TokenResponseError, TokenwiseError } from '../errors.ts';
import type { Flow } from '../flows/flow.ts';
import type { Token, TokenInput } from '../token.ts';
import type { TokenHttpRequest, TokenHttpResponse } from '../token-http.ts';
import { createToken } from './create-token.ts';
import { answerSecrets, type Redactor, requestRedactor, requestSecrets } from './redact.ts';
import { type SendOptions, sendTokenRequest } from './send-token-request.ts';

/**
 * Options of {@link exchangeToken}: how to send (see {@link SendOptions}) and what to read.
 *
 * @example
 * ```ts
 * const options: ExchangeOptions = { ...sendOptions, flow, defaultLifetimeMs: undefined };
 * ```
 */
export interface ExchangeOptions extends Omit<SendOptions, 'isSuccess' | 'steps'> {
  readonly flow: Flow;
  readonly defaultLifetimeMs: number | undefined;
  /** The request carried a DPoP proof: a `DPoP` token is accepted (RFC 9449 §5). */
  readonly dpop?: boolean | undefined;
}

/** The refresh token a refresh request sent, kept when the server does not rotate it. */
export interface SentRefreshToken {
  readonly refreshToken: string;
  readonly refreshTokenExpiresAt?: number | undefined;
}

/**
 * One token exchange: sends the request (with timeouts and retries), lets the flow read the
 * answer, and resolves the token. Every error that leaves it, whoever built it (the transport,
 * the flow, a user's response function, token validation), passes one redactor built from the
 * request, what each attempt's request steps added to it, and then the answer: no secret the request carried and no token the answer held
 * reaches a message, field, stack or `cause`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5
 * @example
 * ```ts
 * const token = await exchangeToken(flow.initialGrant.request(), { ...sendOptions, flow, defaultLifetimeMs });
 * ```
 */
export async function exchangeToken(
  request: TokenHttpRequest,
  options: ExchangeOptions,
  sentRefreshToken?: SentRefreshToken,
): Promise<Token> {
  let redactor: Redactor = requestRedactor(request);
  const flowSteps = options.flow.requestSteps;
  // Loaded only by flows with steps: the others send their template as it is. What each attempt
  // actually sends (a fresh assertion, a subject token) is redacted too.
  const steps = flowSteps?.length
    ? new (await import('../request-step.ts')).TokenRequestSteps(flowSteps, (sent) => {
        redactor = redactor.including(requestSecrets(sent));
      })
    : undefined;
  try {
    const sent = await sendTokenRequest(request, {
      ...options,
      steps,
      isSuccess: (status) => options.flow.isSuccess(status),
    });
    const { response } = sent;
    options.observer?.answered(response.status);
    redactor = redactor.including(answerSecrets(response.body, response.text));
    const input = readAnswer(options.flow, response);
    redactor = redactor.including([input.accessToken, input.refreshToken]);
    return createToken(
      input,
      response.body ?? {},
      {
        status: response.status,
        sentAt: sent.sentAt,
        receivedAt: sent.receivedAt,
        dateHeader: response.headers.get('date'),
        defaultLifetimeMs: options.defaultLifetimeMs,
        otherTokenTypes: options.flow.otherTokenTypes,
        dpop: options.dpop,
      },
      sentRefreshToken,
    );
  } catch (error) {
    // Asked now: a step's secrets may be known only once it has loaded (a private key's).
    throw redactor.including(steps?.secrets() ?? []).error(error);
  }
}

/** The flow's reading of a success answer; anything but token fields is a TokenResponseError. */
function readAnswer(flow: Flow, response: TokenHttpResponse): TokenInput {
  let input: unknown;
  try {
    input = flow.parse(response);
  } catch (error) {
    if (error instanceof TokenwiseError) throw error;
    throw new TokenResponseError(
      response.status,
      'The response parser threw while reading the token endpoint answer',
      {},
      error,
    );
  }
  if (
    typeof input !== 'object' ||
    input === null ||
    typeof (input as { then?: unknown }).then === 'function'
  ) {
    throw new TokenResponseError(
      response.status,
      'The response parser must return the token fields synchronously, as an object',
    );
  }
  return input as TokenInput;
}
