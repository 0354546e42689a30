/**
 * The token requests of an OAuth client: templates built from the checked client options and a
 * grant's parameters. One object per flow, its methods on the prototype: an idle manager holds no
 * closure for them.
 *
 * @module
 */
import { type BodyFormat, type BodyParams, buildRequest } from '../internal/build-request.ts';
import type { RequestStep } from '../request-step.ts';
import type { TokenHttpRequest } from '../token-http.ts';
import type { ClientAuthentication } from './client-auth-options.ts';
import { requestKeyMaterial } from './flow.ts';
import type { OAuthClient } from './oauth-options.ts';

/**
 * What an OAuth client sends, apart from the grant: where, how encoded, the flow's extra
 * parameters and headers, and the client authentication.
 *
 * @example
 * ```ts
 * const sending: ClientSending = { tokenUrl, clientId: 'app', bodyFormat: 'form', params: undefined, headers: undefined, auth };
 * ```
 */
export interface ClientSending {
  readonly tokenUrl: string;
  readonly clientId: string | undefined;
  readonly bodyFormat: BodyFormat;
  readonly params: Readonly<BodyParams> | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly auth: ClientAuthentication;
}

/**
 * The {@link OAuthClient} of checked options: it keeps what it sends, not the options object.
 *
 * @example
 * ```ts
 * const client = new ClientRequests(sending);
 * const template = client.request({ grant_type: 'client_credentials' });
 * ```
 */
export class ClientRequests implements OAuthClient {
  readonly tokenUrl: string;
  readonly clientId: string | undefined;
  readonly steps: readonly RequestStep[] | undefined;
  readonly #bodyFormat: BodyFormat;
  readonly #params: Readonly<BodyParams> | undefined;
  readonly #headers: Readonly<Record<string, string>> | undefined;
  // The authentication's parts, not its object: one object less per idle manager.
  readonly #authParams: BodyParams;
  readonly #authHeaders: Readonly<Record<string, string>>;
  readonly #authKeyMaterial: readonly string[];

  constructor(sending: ClientSending) {
    this.tokenUrl = sending.tokenUrl;
    this.clientId = sending.clientId;
    this.#bodyFormat = sending.bodyFormat;
    this.#params = sending.params;
    this.#headers = sending.headers;
    const { auth } = sending;
    this.#authParams = auth.params;
    this.#authHeaders = auth.headers;
    this.#authKeyMaterial = auth.keyMaterial;
    this.steps = auth.steps.length === 0 ? undefined : auth.steps;
  }

  request(grantParams: BodyParams): TokenHttpRequest {
    // An absent grant parameter (no `scope` option) must not erase the same key in `params`.
    const grant = Object.fromEntries(
      Object.entries(grantParams).filter((entry) => entry[1] !== undefined),
    );
    return buildRequest(
      this.tokenUrl,
      { ...this.#params, ...grant, ...this.#authParams },
      this.#bodyFormat,
      { ...this.#authHeaders, ...this.#headers },
    );
  }

  keyMaterial(grantParams: BodyParams): string {
    const template = requestKeyMaterial(this.request(grantParams));
    const keyMaterial = this.#authKeyMaterial;
    return keyMaterial.length === 0 ? template : JSON.stringify([template, ...keyMaterial]);
  }
}
