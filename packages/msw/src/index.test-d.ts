import { HttpResponse, http } from 'msw';
import { expectTypeOf, test } from 'vitest';
import {
  type AccessTokenClaims,
  type MockOAuthServer,
  mockOAuthServer,
  type OpaqueTokenKind,
  type TokenRequestRecord,
} from './index.ts';

const oauth: MockOAuthServer = mockOAuthServer({
  issuer: 'https://auth.test',
  clients: { app: 'secret' },
});

test('protect() keeps msw resolver arguments and adds the claims', () => {
  http.get(
    'https://api.test/users/:id',
    oauth.protect<{ id: string }>(
      ({ request, params, cookies, claims, accessToken }) => {
        expectTypeOf(request).toExtend<Request>();
        expectTypeOf(params).toEqualTypeOf<{ id: string }>();
        expectTypeOf(cookies).toEqualTypeOf<Record<string, string>>();
        expectTypeOf(claims).toEqualTypeOf<AccessTokenClaims>();
        expectTypeOf(accessToken).toBeString();
        return HttpResponse.json({ sub: claims.sub });
      },
      { scope: ['read'] },
    ),
  );
  http.get(
    'https://api.test/me',
    oauth.protect(() => HttpResponse.json({ ok: true })),
  );
  http.get(
    'https://api.test/any/:id',
    oauth.protect(({ params }) => {
      expectTypeOf(params.id).toEqualTypeOf<string | readonly string[] | undefined>();
      return new Response(null, { status: 204 });
    }),
  );
});

test('the contract surface', () => {
  expectTypeOf(oauth.tokenRequests).toEqualTypeOf<readonly TokenRequestRecord[]>();
  expectTypeOf(oauth.authorize).returns.resolves.toBeString();
  expectTypeOf<TokenRequestRecord>().toHaveProperty('grantType');
  expectTypeOf<TokenRequestRecord>().toHaveProperty('clientAuth');
  expectTypeOf(oauth.revoke).returns.toBeBoolean();
  mockOAuthServer({
    issuer: 'https://auth.test',
    clients: {},
    opaqueToken: (kind) => {
      expectTypeOf(kind).toEqualTypeOf<OpaqueTokenKind>();
      expectTypeOf<OpaqueTokenKind>().toEqualTypeOf<'access_token' | 'refresh_token' | 'code'>();
      return `${kind}-1`;
    },
  });
  // @ts-expect-error opaqueToken names with a string
  mockOAuthServer({ issuer: 'https://auth.test', clients: {}, opaqueToken: () => 1 });
  // @ts-expect-error accessTokenTtl is in seconds: a number
  mockOAuthServer({ issuer: 'https://auth.test', clients: {}, accessTokenTtl: '1h' });
});
