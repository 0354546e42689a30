// One process of a fleet, for the fleet tests: a node-redis client (redis 6 or 5), a
// RedisTokenStore from the built dist, and a token manager from core's dist. The parent drives it
// over IPC: { id, type: 'burst' | 'redis-ready' | 'close', ... } -> { id, ...result }.
// Not part of the build; plain JavaScript so that `node` runs it as is.
import { clientCredentials, createTokenManager, refreshToken } from '@tokenwise/core';
import { RedisTokenStore } from '../../dist/index.js';

const config = JSON.parse(process.env.FLEET_MEMBER ?? '{}');
const { createClient } = await import(config.redisModule);
const client = createClient({
  url: config.redisUrl,
  // Reconnect quickly after a Redis restart; the default backs off to 2 s.
  socket: { reconnectStrategy: () => 50 },
});
client.on('error', () => {}); // node-redis reconnects by itself; an unheard 'error' would crash us
await client.connect();

const storeErrors = [];
const flow =
  config.flow === 'refresh_token'
    ? refreshToken({
        tokenUrl: config.tokenUrl,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        refreshToken: config.refreshToken,
        subject: 'user-1',
      })
    : clientCredentials({
        tokenUrl: config.tokenUrl,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
      });
const tokens = createTokenManager({
  flow,
  store: new RedisTokenStore({
    client,
    prefix: config.prefix,
    timeoutMs: config.timeoutMs,
    ...(config.encryptionKey && { encryptionKey: Buffer.from(config.encryptionKey, 'base64') }),
  }),
  lockTtlMs: config.lockTtlMs,
  // Tells the token server which member sent a request (a flow header would change the cache key).
  fetch: (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('x-fleet-member', config.member);
    return fetch(input, { ...init, headers });
  },
  onError: (error) => storeErrors.push(error.code ?? error.name),
});

const handlers = {
  async burst({ n, forceRefresh = false }) {
    const settled = await Promise.allSettled(
      Array.from({ length: n }, () => tokens.getToken({ forceRefresh })),
    );
    const ok = settled.filter((result) => result.status === 'fulfilled').map((r) => r.value);
    return {
      accessTokens: [...new Set(ok.map((token) => token.accessToken))],
      refreshTokens: [...new Set(ok.map((token) => token.refreshToken))],
      expiresAt: Math.max(...ok.map((token) => token.expiresAt ?? 0)),
      fulfilled: ok.length,
      failures: settled
        .filter((result) => result.status === 'rejected')
        .map((result) => String(result.reason?.code ?? result.reason)),
      storeErrors: storeErrors.splice(0),
    };
  },
  async 'redis-ready'() {
    while (!client.isReady) await new Promise((resolve) => setTimeout(resolve, 10));
    await client.ping();
    return {};
  },
  async close() {
    await tokens.close();
    await client.close();
    return {};
  },
};

process.on('message', async (message) => {
  const reply = await handlers[message.type](message).catch((error) => ({ error: String(error) }));
  process.send?.({ id: message.id, ...reply });
  if (message.type === 'close') process.disconnect();
});
process.send?.({ id: 0, ready: true });
