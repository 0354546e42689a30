/**
 * Parts of a token request given as a string or as a function called for each token request
 * (`subjectToken`, `actorToken`, `assertion`, `clientAssertion`).
 *
 * @module
 */
import type { BodyFormat } from '../internal/build-request.ts';
import type { RequestStep } from '../request-step.ts';
import { lazyStep } from '../request-step-lazy.ts';

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
 * The step that reads the function-valued inputs of a grant again for every token request and adds
 * them to the body, each under its parameter name (string inputs are already in the request
 * template and are left alone). Its code loads on the first token request (see
 * `request-input-step.ts`), so that applications whose flows have no such input do not carry it.
 *
 * @example
 * ```ts
 * const step = requestInputStep({ assertion: { label: 'jwtBearer: assertion', input: options.assertion } }, 'form');
 * ```
 */
export function requestInputStep(
  params: Readonly<Record<string, RequestInputParam>>,
  bodyFormat: BodyFormat,
): RequestStep {
  return lazyStep(() =>
    import('./request-input-step.ts').then((step) => step.inputParamsStep(params, bodyFormat)),
  );
}

/**
 * One body parameter given as a {@link RequestInput}, with the option that names it in errors.
 *
 * @example
 * ```ts
 * const subject: RequestInputParam = { label: 'tokenExchange: subjectToken', input: () => readFile(path, 'utf8') };
 * ```
 */
export interface RequestInputParam {
  readonly label: string;
  readonly input: RequestInput | undefined;
}
