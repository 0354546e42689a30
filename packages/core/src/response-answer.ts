import type { Answer } from './redirect-guard.ts';

/**
 * The value `answerOf` (redirect-guard.ts) gives every hop carried the token: `url` and `headers` are read from
 * the response only when something asks (most answers are judged by their status alone).
 *
 * @example
 * ```ts
 * const answer = new ResponseAnswer(response);
 * answer.status; // 401
 * ```
 */
export class ResponseAnswer implements Answer {
  readonly status: number;
  readonly #response: Response;

  constructor(response: Response) {
    this.status = response.status;
    this.#response = response;
  }

  get url(): string {
    return this.#response.url;
  }

  get headers(): Headers {
    return this.#response.headers;
  }
}
