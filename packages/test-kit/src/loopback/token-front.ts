/**
 * What stands in front of the mock's token endpoint on the socket: every request recorded, then
 * held (`holdTokens`), delayed, handed to `beforeAnswer` (which may drop it) and answered by a
 * scripted answer when one is queued, else by the mock's handlers.
 */
import type { ServerResponse } from 'node:http';
import type { MockHandlers } from './mock-handlers.ts';
import { type RecordedRequest, writeResponse } from './node-bridge.ts';
import {
  adjustTokenAnswer,
  type TokenAnswerKnobs,
  type TokenAnswerRecord,
} from './token-answer.ts';
import type { Waits } from './waits.ts';

/**
 * An answer of the token endpoint, used once, in order. `status` or `body` make it a scripted
 * answer instead of the mock's; `write` takes over the response (chunked bodies, destroyed
 * sockets…); `delayMs` alone answers as the mock does, that much later.
 *
 * @example
 * server.script(
 *   { status: 503, body: { error: 'temporarily_unavailable' }, headers: { 'retry-after': '2' } },
 *   { status: 502, body: '<html>Bad gateway</html>' },
 *   { write: (res) => res.socket?.destroy() },
 *   { delayMs: 5_000 },
 * );
 */
export interface ScriptedAnswer {
  /** @default 200 */
  readonly status?: number;
  /** A string is sent as is (`text/html` unless `headers` say otherwise); anything else as JSON. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait this long before answering. */
  readonly delayMs?: number;
  /** Writes the whole response itself. */
  readonly write?: (res: ServerResponse) => void;
}

/**
 * The knobs of the token endpoint's front.
 *
 * @example
 * server.tokenDelayMs = 200;
 * server.beforeAnswer = async (request) => (request.headers['x-fleet-member'] === 'a' ? 'drop' : undefined);
 */
export interface TokenFrontKnobs extends TokenAnswerKnobs {
  /** Delay of every token answer, in ms. @default 0 */
  tokenDelayMs: number;
  /** Awaited before a token request is answered; `'drop'` destroys the connection instead. */
  beforeAnswer: ((request: RecordedRequest) => unknown) | undefined;
}

/**
 * What the front works with.
 *
 * @example
 * new TokenFront({ mock, waits, knobs: server, record: server });
 */
export interface TokenFrontParts {
  readonly mock: MockHandlers;
  readonly waits: Waits;
  readonly knobs: TokenFrontKnobs;
  readonly record: TokenAnswerRecord;
}

/**
 * The token endpoint as the socket sees it.
 *
 * @example
 * if (request.path === '/token') await front.handle(request, res);
 */
export class TokenFront {
  /** Token requests, in arrival order (answered or not). */
  readonly requests: RecordedRequest[] = [];
  readonly #scripted: ScriptedAnswer[] = [];
  readonly #waiters: { n: number; resolve: (request: RecordedRequest) => void }[] = [];
  readonly #parts: TokenFrontParts;
  #hold: Promise<void> | undefined;

  constructor(parts: TokenFrontParts) {
    this.#parts = parts;
  }

  /** Queues answers for the next token requests, one each. */
  script(answers: readonly ScriptedAnswer[]): void {
    this.#scripted.push(...answers);
  }

  /** Holds token answers (those waiting and those to come) until the returned function runs. */
  hold(): () => void {
    const gate = this.#parts.waits.gate();
    const hold = gate.passed.then(() => {
      if (this.#hold === hold) this.#hold = undefined;
    });
    this.#hold = hold;
    return gate.open;
  }

  /** Resolves with the `n`th token request once it arrived. */
  reached(n: number): Promise<RecordedRequest> {
    const arrived = this.requests[n - 1];
    if (arrived) return Promise.resolve(arrived);
    return new Promise((resolve) => void this.#waiters.push({ n, resolve }));
  }

  /** Answers one token request. */
  async handle(request: RecordedRequest, res: ServerResponse): Promise<void> {
    this.requests.push(request);
    for (const waiter of this.#waiters.filter((w) => w.n === this.requests.length)) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve(request);
    }
    const { waits, knobs } = this.#parts;
    await this.#hold;
    await waits.sleep(knobs.tokenDelayMs);
    if ((await knobs.beforeAnswer?.(request)) === 'drop') {
      res.destroy();
      return;
    }
    const answer = this.#scripted.shift();
    await waits.sleep(answer?.delayMs ?? 0);
    if (res.destroyed) return;
    if (answer?.write) return answer.write(res);
    if (answer?.status !== undefined || answer?.body !== undefined)
      return writeScripted(res, answer);
    const { mock, record } = this.#parts;
    await writeResponse(
      res,
      await adjustTokenAnswer(await mock.answer(request), request, knobs, record),
    );
  }
}

function writeScripted(res: ServerResponse, answer: ScriptedAnswer): void {
  const { status = 200, body = {}, headers = {} } = answer;
  const text = typeof body === 'string';
  res.writeHead(status, { 'content-type': text ? 'text/html' : 'application/json', ...headers });
  res.end(text ? body : JSON.stringify(body));
}
