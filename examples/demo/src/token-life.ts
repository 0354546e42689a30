import { createTokenManager, refreshToken, type TokenEvent } from '@tokenwise/core';
import { type DemoServer, demoClient } from './demo-server.ts';

/** How long the scene's tokens live, in seconds: short, so that the scene takes 5 s. */
const lifetimeSeconds = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One token's life, for `--events`: a refresh-token flow whose server rotates refresh tokens,
 * 4-second tokens renewed from 2 s before expiry. The token is obtained, served from the cache,
 * renewed ahead of expiry in the background (the refresh token rotated), then invalidated (as
 * after a 401) and obtained again. Every event goes to `onEvent`.
 *
 * @example
 * await tokenLife(server, (event) => console.log(event.type));
 */
export async function tokenLife(
  server: DemoServer,
  onEvent: (event: TokenEvent) => void,
): Promise<void> {
  const lifetimeBefore = server.tokenLifetimeSeconds;
  server.tokenLifetimeSeconds = lifetimeSeconds;
  const tokens = createTokenManager({
    flow: refreshToken({
      tokenUrl: `${server.url}/oauth/token`,
      clientId: demoClient.id,
      clientSecret: demoClient.secret,
      refreshToken: server.issueRefreshToken(),
    }),
    refreshAheadMs: 2_000,
    leewayMs: 500,
    onEvent,
  });
  try {
    await tokens.getToken(); // obtained
    for (let i = 0; i < 12; i++) {
      await sleep(250);
      await tokens.getToken(); // served; from 2 s on, stale: renewed ahead in the background
    }
    const current = await tokens.getToken();
    await tokens.invalidate(current.accessToken); // as after a 401
    await tokens.getToken(); // obtained again
  } finally {
    await tokens.close();
    server.tokenLifetimeSeconds = lifetimeBefore;
  }
}
