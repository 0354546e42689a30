/**
 * `clientAuth: 'auto'`: HTTP Basic first, the request body after an `invalid_client`, and the
 * method that worked remembered per token URL and client id, as golang.org/x/oauth2 does.
 *
 * @module
 */
import { appendBodyParams } from '../internal/append-body-params.ts';
import { setNewest } from '../internal/bounded-map.ts';
import {
  type BasicEncoding,
  type BodyFormat,
  basicCredentials,
  mergeHeaders,
} from '../internal/build-request.ts';
import { errorFields } from '../internal/token-answer.ts';
import type { RequestStep } from '../request-step.ts';
import { is2xx } from './flow.ts';

type SecretPlacement = 'basic' | 'body';

/**
 * Which method each token URL (and client id) took, for this process: module-level, so that every
 * manager and every tenant's flow for the same server skips the probe once one has learnt it.
 * Bounded: the oldest entry goes when it is full.
 */
const learnt = new Map<string, SecretPlacement>();
const learntLimit = 1_000;

/**
 * What `'auto'` needs: the client's id and secret, how to spell Basic credentials, and the body
 * format of the flow's requests.
 *
 * @example
 * ```ts
 * const auto: AutoClientAuth = { tokenUrl, clientId, clientSecret, basicEncoding: 'form', bodyFormat: 'form' };
 * ```
 */
export interface AutoClientAuth {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly basicEncoding: BasicEncoding;
  readonly bodyFormat: BodyFormat;
}

/**
 * The request step of `'auto'`: sends the secret by Basic unless the body is known to work for
 * this token URL; after a 400 or 401 `invalid_client` it switches to the other placement and asks
 * for the request to be sent again at once (once per token request); a success remembers the
 * placement that worked.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @example
 * ```ts
 * const steps = [autoClientAuthStep({ tokenUrl, clientId, clientSecret, basicEncoding: 'form', bodyFormat: 'form' })];
 * ```
 */
export function autoClientAuthStep(auto: AutoClientAuth): RequestStep {
  const key = `${auto.tokenUrl} ${auto.clientId}`;
  const authorization = basicCredentials(auto.clientId, auto.clientSecret, auto.basicEncoding);
  const placementOf = (sent: { headers: Readonly<Record<string, string>> }): SecretPlacement =>
    sent.headers.Authorization === authorization ? 'basic' : 'body';
  return {
    prepare(request) {
      return learnt.get(key) === 'body'
        ? appendBodyParams(request, { client_secret: auto.clientSecret }, auto.bodyFormat)
        : { ...request, headers: mergeHeaders(request.headers, { Authorization: authorization }) };
    },
    answered(response, sent) {
      const placement = placementOf(sent);
      if (is2xx(response.status)) {
        setNewest(learnt, key, placement, learntLimit);
        return false;
      }
      const refused =
        (response.status === 400 || response.status === 401) &&
        errorFields(response.body).error === 'invalid_client';
      if (refused) setNewest(learnt, key, placement === 'basic' ? 'body' : 'basic', learntLimit);
      return refused;
    },
  };
}
