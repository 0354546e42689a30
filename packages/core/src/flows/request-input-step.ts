/**
 * Reading the function-valued parts of a token request (`subjectToken`, `actorToken`,
 * `assertion`, `clientAssertion`) for each token request. Loaded on first use (see
 * `requestInputStep` in `request-input.ts` and `client-assertion-step.ts`), so that applications
 * whose flows have no such input never carry it.
 *
 * @module
 */
import { appendBodyParams } from '../internal/append-body-params.ts';
import type { BodyFormat } from '../internal/build-request.ts';
import type { RequestStep } from '../request-step.ts';
import { TokenRequestInputError } from '../token-request-input-error.ts';
import type { RequestInput, RequestInputParam } from './request-input.ts';

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

/**
 * The step of {@link requestInputStep}: for each attempt, reads every parameter whose input is a
 * function, in order, and adds the values to the body.
 *
 * @example
 * ```ts
 * const step = inputParamsStep({ subject_token: { label: 'tokenExchange: subjectToken', input: readSubjectToken } }, 'form');
 * ```
 */
export function inputParamsStep(
  params: Readonly<Record<string, RequestInputParam>>,
  bodyFormat: BodyFormat,
): RequestStep {
  return {
    async prepare(request) {
      const values: Record<string, string> = {};
      for (const [name, { label, input }] of Object.entries(params))
        if (typeof input === 'function') values[name] = await readRequestInput(label, input);
      return appendBodyParams(request, values, bodyFormat);
    },
  };
}
