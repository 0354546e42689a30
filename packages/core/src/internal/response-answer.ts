import type { Answer } from '../redirect-guard.ts';

/**
 * What `answerOf` (redirect-guard.ts) gives: `url` and `headers` are read from the response only
 * when something asks (most answers are judged by their status alone), and a class keeps those
 * getters on the prototype, so that an answer costs one small object.
 *
 * @example
 * ```ts
 * const answer = new ResponseAnswer(response, undefined);
 * answer.status; // 401
 * ```
 */
export class ResponseAnswer implements Answer {
  readonly status: number;
  readonly tokenDroppedAt: string | undefined;
  readonly #response: Response;

  constructor(response: Response, tokenDroppedAt: string | undefined) {
    this.status = response.status;
    this.tokenDroppedAt = tokenDroppedAt;
    this.#response = response;
  }

  get url(): string {
    return this.#response.url;
  }

  get headers(): Headers {
    return this.#response.headers;
  }
}
