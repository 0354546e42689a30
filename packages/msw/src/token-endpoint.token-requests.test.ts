/** The token endpoint's record of requests (`tokenRequests`): failed ones too, as sent. */
import { describe, expect, test } from 'vitest';
import { basic, postToken } from './test-support/http.ts';
import { serveTokenEndpointMock } from './test-support/token-endpoint-mock.ts';

const { oauth } = serveTokenEndpointMock();

describe('tokenRequests', () => {
  test('records failed requests too, with what the client sent', async () => {
    await postToken(
      { grant_type: 'refresh_token', refresh_token: 'rt-1', scope: 'a' },
      {
        Authorization: basic('app', 'secret'),
      },
    );
    expect(oauth.tokenRequests).toEqual([
      {
        grantType: 'refresh_token',
        clientId: 'app',
        clientAuth: 'client_secret_basic',
        scope: 'a',
        refreshToken: 'rt-1',
        status: 400,
        error: 'invalid_grant',
        at: expect.any(Number),
      },
    ]);
  });
});
