/**
 * Parts of a token request given as a string or as a function called for each token request
 * (`subjectToken`, `actorToken`, `assertion`, `clientAssertion`).
 *
 * @module
 */
import { TokenRequestInputError } from '../token-request-input-error.ts';

/**
 * A string, or a function returning one (possibly async), called again for every token request:
 * a Kubernetes projected token read from its file, a CI job's OIDC token fetched anew.
 *
 * @example
 * ```ts
 * const subjectToken: RequestInput = () => readFile('/var/run/secrets/tokens/token', 'utf8');
 * ```
 */
export type RequestInput = string | (() => string | Promise<string>);

/**
 * Checks a {@link RequestInput} option at creation: a non-empty string or a function (TypeError
 * naming the option otherwise).
 *
 * @example
 * ```ts
 * requireRequestInput('tokenExchange: subjectToken', options.subjectToken);
 * ```
 */
export function requireRequestInput(label: string, value: unknown): asserts value is RequestInput {
  if (typeof value === 'function') return;
  if (typeof value !== 'string' || value.trim() === '')
    throw new TypeError(`${label} must be a non-empty string or a function returning one`);
}

/**
 * The value of a {@link RequestInput} for one token request: the string, or what the function
 * returns. A function that throws, or returns anything but a non-empty string, is a
 * {@link TokenRequestInputError} naming the option (its error as `cause`; the exchange redacts it).
 *
 * @example
 * ```ts
 * const token = await readRequestInput('tokenExchange: subjectToken', options.subjectToken);
 * ```
 */
export async function readRequestInput(label: string, input: RequestInput): Promise<string> {
  if (typeof input === 'string') return input;
  let value: unknown;
  try {
    value = await input();
  } catch (error) {
    throw new TokenRequestInputError(label, 'threw', error);
  }
  if (typeof value !== 'string' || value.trim() === '') {
    const got =
      value === null ? 'null' : typeof value === 'string' ? 'an empty string' : typeof value;
    throw new TokenRequestInputError(label, `returned ${got} instead of a non-empty string`);
  }
  return value.trim();
}
