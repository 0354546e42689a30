/**
 * What a vendor module hands the simulator engine (internal/simulator-server.ts): its token
 * endpoint's path and judgement, its extra API rule, and what the engine lends it while judging.
 */
import type { RecordedRequest } from '@tokenwise/test-kit/server';
import type { SimulatorOptions, VendorName } from '../simulator.ts';
import type { ReadBody } from './http.ts';

/**
 * What the token endpoint answers; `grantType` and `error` go to the log.
 *
 * @example
 * ```ts
 * const refused: Answer = { status: 400, body: { error: 'invalid_client' }, error: 'invalid_client' };
 * ```
 */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly grantType?: string | undefined;
  readonly error?: string | undefined;
}

/**
 * What a vendor module can use while judging a request.
 *
 * @example
 * ```ts
 * engine.issue(accessToken, engine.now() + engine.lifetimeMs());
 * ```
 */
export interface Engine {
  /** The simulator's clock, skew included. */
  now(): number;
  /** The current token lifetime, in ms. */
  lifetimeMs(): number;
  /** Registers an access token the API accepts until `expiresAt` (simulator clock). */
  issue(accessToken: string, expiresAt: number): void;
}

/**
 * A vendor module's part: what its document says.
 *
 * @example
 * ```ts
 * const spec: VendorSpec = { vendor: 'pa', tokenPath: '/auth/connect/token', defaultLifetimeSeconds: 90_000,
 *   options, token: (request, body, engine) => judge(request, body, engine) };
 * ```
 */
export interface VendorSpec {
  readonly vendor: VendorName;
  readonly tokenPath: string;
  readonly defaultLifetimeSeconds: number;
  /** The shortest lifetime the vendor's answer can express, in seconds. @default 0 (any positive) */
  readonly minLifetimeSeconds?: number | undefined;
  readonly options: SimulatorOptions;
  /** Judges a POST to the token path. */
  token(request: RecordedRequest, body: ReadBody, engine: Engine): Answer | Promise<Answer>;
  /** An extra rule of the API, checked after the token was accepted; an answer refuses the call. */
  api?(request: RecordedRequest): Answer | undefined;
  /** Revokes a token the engine does not know (a refresh token); whether it was known. */
  revokeOther?(token: string): boolean;
  /** Revokes every such token; how many. */
  revokeAllOther?(): number;
}
