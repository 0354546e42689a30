/**
 * The chaos API: each request draws an {@link ApiFault}, then answers 200 to a bearer token the
 * chaos server issued, that the test kit's mock has not revoked (its own RFC 6750 check) and that
 * has not expired by the lifetime the chaos gave it; else 401.
 *
 * Not part of the build (see tsconfig.build.json).
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import {
  type LoopbackServer,
  type RecordedRequest,
  type Waits,
  writeResponse,
} from '@tokenwise/test-kit/server';
import { bearerToken } from '../internal/http.ts';
import type { ChaosLedger } from './chaos-ledger.ts';
import type { ApiFault, ChaosRandom, FaultDraw } from './faults.ts';

/**
 * What the chaos API works with.
 *
 * @example
 * ```ts
 * new ChaosApi({ kit, faults, ledger, waits, random, delayMs: [0, 3] });
 * ```
 */
export interface ChaosApiParts {
  /** The kit's server: its mock revokes tokens and checks them. */
  readonly kit: Pick<LoopbackServer, 'authorized' | 'revoke'>;
  readonly faults: FaultDraw<ApiFault>;
  readonly ledger: ChaosLedger;
  /** The chaos server's delays, ended by its close(). */
  readonly waits: Waits;
  readonly random: ChaosRandom;
  /** Delay range of an answer, in ms. */
  readonly delayMs: readonly [number, number];
}

/**
 * The API of the chaos server.
 *
 * @example
 * ```ts
 * kit.route('/api', (request, res) => api.handle(request, res));
 * ```
 */
export class ChaosApi {
  readonly #parts: ChaosApiParts;

  constructor(parts: ChaosApiParts) {
    this.#parts = parts;
  }

  /** Answers one API request. */
  async handle(request: RecordedRequest, res: ServerResponse): Promise<void> {
    const { kit, faults, ledger, waits, random, delayMs } = this.#parts;
    const fault = faults.next();
    await waits.sleep(random.int(...delayMs));
    if (fault === '503') {
      ledger.apiAnswer('503');
      return writeResponse(res, Response.json({ error: 'unavailable' }, { status: 503 }));
    }
    const token = bearerToken(request);
    const issued = token === undefined ? undefined : ledger.token(token);
    if (token === undefined || issued === undefined) return this.#refuse(res, token, 'unknown');
    if (fault === 'revoke') {
      kit.revoke(token);
      return this.#refuse(res, token, 'revoked now');
    }
    if (fault === 'spurious-401') return this.#refuse(res, token, 'spurious');
    if (!(await kit.authorized(request))) return this.#refuse(res, token, 'revoked');
    if (Date.now() >= issued.expiresAt) return this.#refuse(res, token, 'expired');
    ledger.apiAnswer('200');
    await writeResponse(res, Response.json({ ok: true }));
  }

  #refuse(res: ServerResponse, token: string | undefined, reason: string): Promise<void> {
    this.#parts.ledger.apiAnswer(`401 ${reason}`, token);
    const headers = { 'www-authenticate': 'Bearer' };
    return writeResponse(res, Response.json({ error: 'invalid_token' }, { status: 401, headers }));
  }
}
