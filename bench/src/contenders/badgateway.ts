import { OAuth2Client, OAuth2Fetch } from '@badgateway/oauth2-client';
import { benchClient } from '../server.ts';
import type { Contender } from './contender.ts';

/**
 * `@badgateway/oauth2-client`'s `OAuth2Fetch` with client credentials, as its README shows:
 * `getNewToken` asks the client for a token; default settings otherwise. In process, its
 * documented middleware form (`mw()`) is given the in-process fetch as `next`, which is what
 * `OAuth2Fetch.fetch` does with the global fetch.
 *
 * @example
 * ```ts
 * const session = badgateway.connect({ baseUrl: server.url, tokenUrl: server.tokenUrl });
 * ```
 */
export const badgateway: Contender = {
  name: '@badgateway/oauth2-client',
  client: 'fetch',
  kind: 'anchor',
  connect(target) {
    const client = new OAuth2Client({
      server: target.baseUrl,
      tokenEndpoint: target.tokenUrl,
      clientId: benchClient.id,
      clientSecret: benchClient.secret,
      ...(target.transport && { fetch: target.transport.tokenFetch }),
    });
    const wrapper = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() });
    const transport = target.transport;
    const middleware = wrapper.mw();
    const send = (url: string, init: RequestInit | undefined): Promise<Response> =>
      transport
        ? middleware(new Request(url, init), (request) => transport.fetch(request))
        : wrapper.fetch(url, init);
    return {
      async send(path, headers) {
        const res = await send(`${target.baseUrl}/${path}`, headers && { headers });
        await res.arrayBuffer();
        return res.status;
      },
      close: async () => {},
    };
  },
};
