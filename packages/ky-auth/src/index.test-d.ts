import { clientCredentials, createTokenManager } from '@tokenwise/core';
import ky, { type KyInstance, type Options } from 'ky';
import { describe, expectTypeOf, it } from 'vitest';
import { type KyAuthContext, type KyAuthDefaults, type KyAuthOptions, kyAuth } from './index.ts';

const tokens = createTokenManager({
  flow: clientCredentials({
    tokenUrl: 'https://auth.example.com/token',
    clientId: 'a',
    clientSecret: 'b',
  }),
});

describe('kyAuth types', () => {
  it('returns options ky.create and .extend accept', () => {
    expectTypeOf(kyAuth).parameter(0).toEqualTypeOf<KyAuthOptions>();
    expectTypeOf(kyAuth).returns.toEqualTypeOf<KyAuthDefaults>();
    expectTypeOf(ky.create(kyAuth({ tokens }))).toEqualTypeOf<KyInstance>();
    expectTypeOf(
      ky.create({ ...kyAuth({ tokens }), prefix: 'https://api.example.com' }),
    ).toEqualTypeOf<KyInstance>();
    expectTypeOf(ky.extend(kyAuth({ tokens }))).toEqualTypeOf<KyInstance>();
  });

  it('accepts every documented option', () => {
    kyAuth({
      tokens,
      origins: ['https://api.example.com', new URL('https://files.example.com')],
      headers: { 'X-Tenant-Id': 'acme' },
      retryOn401: false,
    });
    kyAuth({ tokens, headers: async (url) => ({ 'X-Tenant-Id': url.hostname }) });
    kyAuth({ tokens, headers: (url: URL) => ({ 'X-Region': url.host }) });
  });

  it('rejects wrong options', () => {
    // @ts-expect-error tokens is required
    kyAuth({});
    // @ts-expect-error tokens must be a token manager
    kyAuth({ tokens: 'secret' });
    // @ts-expect-error origins is an array
    kyAuth({ tokens, origins: 'https://api.example.com' });
    // @ts-expect-error header values are strings
    kyAuth({ tokens, headers: { 'X-Tenant-Id': 7 } });
    // @ts-expect-error retryOn401 is a boolean
    kyAuth({ tokens, retryOn401: 'yes' });
    // @ts-expect-error fetch belongs to ky (ky.create({ fetch })), not to kyAuth
    kyAuth({ tokens, fetch: globalThis.fetch });
  });

  it('types the skip flag on ky’s `context` (module augmentation)', () => {
    const api = ky.create(kyAuth({ tokens }));
    api.get('health', { context: { skipAuth: true } });
    api.get('health', { context: { skipAuth: false, requestId: 'r-1' } });
    expectTypeOf<NonNullable<Options['context']>['skipAuth']>().toEqualTypeOf<
      boolean | undefined
    >();
    const context: KyAuthContext = { skipAuth: true };
    api.get('health', { context: { ...context } });
    // @ts-expect-error skipAuth is a boolean
    api.get('health', { context: { skipAuth: 'yes' } });
  });
});
