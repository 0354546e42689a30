/**
 * The `DPoP-Nonce` values servers handed out (RFC 9449 §8, §9), remembered per origin.
 *
 * @module
 */
import { setNewest } from '../internal/bounded-map.ts';

/** Origins remembered at most; past it the oldest is forgotten (a nonce is cheap to learn again). */
const maxOrigins = 256;

/**
 * One manager's DPoP nonces, one per origin: the token endpoint's and each API's. Updated from
 * every answer that carries `DPoP-Nonce`, read for every proof sent to that origin.
 *
 * @example
 * ```ts
 * const nonces = new DpopNonces();
 * nonces.remember('https://auth.example.com/token', response.headers);
 * nonces.for('https://auth.example.com/token'); // the server's nonce
 * ```
 */
export class DpopNonces {
  readonly #byOrigin = new Map<string, string>();

  /** The nonce last given by the origin of `url`, if any. */
  for(url: string | URL): string | undefined {
    return this.#byOrigin.get(originOf(url));
  }

  /** Keeps the `DPoP-Nonce` of an answer from `url`, if it has one. Returns the nonce. */
  remember(url: string | URL, headers: Headers): string | undefined {
    const nonce = headers.get('dpop-nonce')?.trim();
    // RFC 9449 §8.1: NQCHAR (printable ASCII but `"` and `\`); anything else is ignored.
    if (!nonce || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(nonce)) return undefined;
    const origin = originOf(url);
    if (this.#byOrigin.get(origin) !== nonce) setNewest(this.#byOrigin, origin, nonce, maxOrigins);
    return nonce;
  }
}

function originOf(url: string | URL): string {
  return (typeof url === 'string' ? new URL(url) : url).origin;
}
