/** The cache key of a JWT-authenticated flow: stable, secret-free, and told apart by key id and method. */
import { describe, expect, test } from 'vitest';
import { testKeyPair } from '../test-support/signing-keys.ts';
import { clientCredentials } from './client-credentials.ts';

const tokenUrl = 'https://auth.example.com/oauth2/token';

describe('the cache key of a JWT-authenticated flow', () => {
  test('is stable across requests and holds neither the key nor an assertion; keyId and the method count', async () => {
    const keys = await testKeyPair('ES256');
    const flow = (keyId?: string) =>
      clientCredentials({ tokenUrl, clientId: 'app-1', privateKey: keys.jwk, keyId });
    const material = flow('k1').cacheKeyMaterial();
    expect(flow('k1').cacheKeyMaterial()).toBe(material);
    expect(material).not.toContain(String(keys.jwk.d));
    expect(material).not.toContain('client_assertion');
    expect(flow('k2').cacheKeyMaterial()).not.toBe(material);
    expect(
      clientCredentials({ tokenUrl, clientId: 'app-1', clientSecret: 's3cret' }).cacheKeyMaterial(),
    ).not.toBe(flow().cacheKeyMaterial());
  });
});
