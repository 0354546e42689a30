import { Agent } from 'undici';

/** Your client's TLS identity, as PEM text (read it from files or your secret store). */
export interface ClientCertificate {
  readonly key: string;
  readonly cert: string;
  /** The CA of the servers' certificates, when it is not a public one. */
  readonly ca?: string;
}

/**
 * A fetch that presents `certificate` on every TLS connection it opens. Node's fetch takes an
 * undici `dispatcher`: install the undici major that your Node bundles (Node 24: undici 7).
 */
export function certificateFetch(certificate: ClientCertificate): typeof fetch {
  const dispatcher = new Agent({ connect: certificate });
  return (input, init) => {
    // The DOM typings of RequestInit do not list Node's `dispatcher`.
    const withCertificate: RequestInit & { dispatcher: Agent } = { ...init, dispatcher };
    return fetch(input, withCertificate);
  };
}
