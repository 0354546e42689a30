/**
 * A grant's parameters given as a string or as a function read for each token request
 * (`subject_token`, `actor_token`, `assertion`): what token exchange and JWT bearer share.
 *
 * @module
 */
import type { BodyFormat, BodyParams } from '../internal/build-request.ts';
import { requireNonEmptyString } from '../internal/options.ts';
import type { RequestStep } from '../request-step.ts';
import type { OAuthClient } from './oauth-options.ts';
import { type RequestInputParam, requestInputStep } from './request-input.ts';

/**
 * A grant whose parameters may be given as functions: its request, its per-request step and its
 * cache key.
 *
 * @example
 * ```ts
 * const inputs = new GrantInputs(client, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' },
 *   { assertion: { label: 'jwtBearer: assertion', input: options.assertion } }, 'jwtBearer', options);
 * const steps = inputs.steps; // reads `assertion()` for each token request, if a function
 * ```
 */
export class GrantInputs {
  /** The grant's parameters, with the inputs given as strings (those given as functions absent). */
  readonly grant: BodyParams;
  /** The per-request steps: the inputs' step (when one is a function), then the client's. */
  readonly steps: readonly RequestStep[] | undefined;
  readonly #client: OAuthClient;
  readonly #inputNames: readonly string[];
  readonly #cacheKey: string | undefined;

  /**
   * `params`: the grant's parameters, the inputs' names among them where the body has them
   * (their values are ignored); `inputs`: the parameters given as strings or functions, by
   * name. `options.cacheKey`, when given, replaces the inputs in the cache key (TypeError naming
   * `<flowName>: cacheKey` unless a non-empty string).
   */
  constructor(
    client: OAuthClient,
    params: BodyParams,
    inputs: Readonly<Record<string, RequestInputParam>>,
    flowName: string,
    options: {
      readonly cacheKey?: string | undefined;
      readonly bodyFormat?: BodyFormat | undefined;
    },
  ) {
    if (options.cacheKey !== undefined)
      requireNonEmptyString(`${flowName}: cacheKey`, options.cacheKey);
    this.#client = client;
    this.#cacheKey = options.cacheKey;
    const entries = Object.entries(inputs);
    this.#inputNames = entries.map(([name]) => name);
    const fixed = entries.map(([name, { input }]) => [
      name,
      typeof input === 'string' ? input : undefined,
    ]);
    this.grant = { ...params, ...Object.fromEntries(fixed) };
    const readsPerRequest = entries.some(([, { input }]) => typeof input === 'function');
    const inputStep = readsPerRequest
      ? [requestInputStep(inputs, options.bodyFormat ?? 'form')]
      : [];
    const steps = [...inputStep, ...(client.steps ?? [])];
    this.steps = steps.length === 0 ? undefined : steps;
  }

  /**
   * The cache key material: the grant's (a string input counts, digested with the rest), or with
   * a `cacheKey` the grant without its inputs plus that key.
   */
  keyMaterial(): string {
    if (this.#cacheKey === undefined) return this.#client.keyMaterial(this.grant);
    const withoutInputs = Object.fromEntries(this.#inputNames.map((name) => [name, undefined]));
    return JSON.stringify([
      this.#client.keyMaterial({ ...this.grant, ...withoutInputs }),
      this.#cacheKey,
    ]);
  }
}
