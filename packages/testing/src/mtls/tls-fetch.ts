/**
 * The tests' own TLS client: a fetch whose connections present a given client certificate, or
 * none (only the CA to trust the server), through an undici `Agent` as Node's fetch `dispatcher`.
 * The recipe's `certificateFetch` is what users write; this one can also present nothing, and
 * closes its connections.
 *
 * @module
 */
import { Agent } from 'undici';

/**
 * A fetch and the way to close its connections.
 *
 * @example
 * ```ts
 * const tls = defer(tlsFetch({ ca: pki.ca })); // presents no certificate
 * await tls.fetch(server.tokenUrl, { method: 'POST', body });
 * ```
 */
export interface TlsFetch {
  readonly fetch: typeof globalThis.fetch;
  close(): Promise<void>;
}

/**
 * A fetch that trusts `ca` and presents `key` and `cert` when given.
 *
 * @example
 * ```ts
 * const asClient = defer(tlsFetch(pki.clients['cc-mtls'])).fetch;
 * ```
 */
export function tlsFetch(tls: {
  readonly ca: string;
  readonly key?: string;
  readonly cert?: string;
}): TlsFetch {
  const dispatcher = new Agent({ connect: tls });
  return {
    fetch: (input, init) => {
      // The DOM typings of RequestInit do not list Node's `dispatcher`.
      const withDispatcher: RequestInit & { dispatcher: Agent } = { ...init, dispatcher };
      return fetch(input, withDispatcher);
    },
    close: () => dispatcher.close(),
  };
}
