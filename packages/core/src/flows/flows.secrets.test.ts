/**
 * A flow shows no client secret or refresh token when logged or serialised.
 */
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { tokenRequestBase as base, ccBase } from '../test-support/flow-fixtures.ts';
import { clientCredentials } from './client-credentials.ts';
import { refreshToken } from './refresh-token.ts';
import { tokenRequest } from './token-request.ts';

describe('tokenRequest', () => {
  test('a flow shows no secret when logged or serialised', () => {
    const flows = [
      clientCredentials({ ...ccBase(), clientSecret: 'cc-secret-value' }),
      refreshToken({
        tokenUrl: 'https://auth.example.com/token',
        clientId: 'c',
        clientSecret: 'rt-secret-value',
        refreshToken: 'rt-value-123',
      }),
      tokenRequest({ ...base, body: { api_key: 'k', client_secret: 'tr-secret-value' } }),
    ];
    for (const flow of flows) {
      const shown = `${inspect(flow, { depth: 5 })} ${JSON.stringify(flow)}`;
      for (const secret of [
        'cc-secret-value',
        'rt-secret-value',
        'rt-value-123',
        'tr-secret-value',
      ]) {
        expect(shown).not.toContain(secret);
      }
    }
  });
});
