import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import got, { type ExtendOptions } from 'got';
import got14, { type ExtendOptions as ExtendOptions14 } from 'got14';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type GotAuthContext,
  type GotAuthExtendOptions,
  type GotAuthOptions,
  gotAuth,
} from './index.ts';

const tokens: TokenManager = createTokenManager({
  flow: clientCredentials({
    tokenUrl: 'https://auth.example.com/token',
    clientId: 'id',
    clientSecret: 'secret',
  }),
});

describe('gotAuth types', () => {
  it('returns extend options that got 14 and got 16 accept', () => {
    expectTypeOf(gotAuth({ tokens })).toEqualTypeOf<GotAuthExtendOptions>();
    expectTypeOf<GotAuthExtendOptions>().toExtend<ExtendOptions>();
    expectTypeOf<GotAuthExtendOptions>().toExtend<ExtendOptions14>();
    got.extend({ prefixUrl: 'https://api.example.com' }, gotAuth({ tokens }));
    got14.extend({ prefixUrl: 'https://api.example.com' }, gotAuth({ tokens }));
  });

  it('accepts every option', () => {
    const options: GotAuthOptions = {
      tokens,
      origins: ['https://api.example.com', new URL('https://other.example.com')],
      headers: async (url: URL) => ({ 'X-Tenant-Id': url.hostname }),
      retryOn401: false,
    };
    gotAuth(options);
    gotAuth({ tokens, headers: { 'X-Tenant-Id': 'tenant-1' } });
    expectTypeOf(gotAuth).parameter(0).toEqualTypeOf<GotAuthOptions>();
  });

  it('rejects wrong options', () => {
    // @ts-expect-error tokens is required
    gotAuth({});
    // @ts-expect-error tokens must be a token manager
    gotAuth({ tokens: 'token' });
    // @ts-expect-error retryOn401 is a boolean
    gotAuth({ tokens, retryOn401: 'yes' });
    // @ts-expect-error origins is an array
    gotAuth({ tokens, origins: 'https://api.example.com' });
    // @ts-expect-error header values are strings
    gotAuth({ tokens, headers: { 'X-Tenant-Id': 42 } });
    // @ts-expect-error the headers function receives a URL and returns headers
    gotAuth({ tokens, headers: (url: string) => url });
    // @ts-expect-error unknown option
    gotAuth({ tokens, prefix: 'https://api.example.com' });
  });

  it('types the skip flag', () => {
    const api = got.extend(gotAuth({ tokens }));
    void api('health', { context: { skipAuth: true } satisfies GotAuthContext });
    const api14 = got14.extend(gotAuth({ tokens }));
    void api14('health', { context: { skipAuth: true } satisfies GotAuthContext });
    expectTypeOf<GotAuthContext['skipAuth']>().toEqualTypeOf<boolean | undefined>();
    // @ts-expect-error skipAuth is a boolean
    void ({ skipAuth: 'yes' } satisfies GotAuthContext);
  });
});
