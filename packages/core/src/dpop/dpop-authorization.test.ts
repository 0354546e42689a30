import { verifyDpopProof } from '@tokenwise/test-kit';
import { afterEach, describe, expect, test } from 'vitest';
import { createAuthFetch } from '../auth-fetch.ts';
import { describeRequest } from '../auth-request.ts';
import { createAuthorizer } from '../authorizer.ts';
import { clientCredentials } from '../flows/client-credentials.ts';
import { createTokenManager, type TokenManager } from '../token-manager.ts';

const tokenUrl = 'https://auth.example.com/token';
const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

/** A DPoP manager whose token endpoint answers `at-<n>` DPoP tokens, counting requests. */
function dpopManager(tokenType = 'DPoP') {
  const issued: string[] = [];
  const tokens = createTokenManager({
    flow: clientCredentials({ tokenUrl, clientId: 'app', clientSecret: 'secret-41c2' }),
    dpop: true,
    fetch: async () => {
      issued.push(`at-${issued.length + 1}`);
      return Response.json({ access_token: issued.at(-1), token_type: tokenType, expires_in: 600 });
    },
  });
  managers.push(tokens);
  return { tokens, issued };
}

interface Seen {
  readonly authorization: string | null;
  readonly proof: string | null;
  readonly url: string;
  readonly method: string;
}

/** An API answering each request with the next of `answers` (then 200), recording what came. */
function api(...answers: (() => Response)[]) {
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({
      authorization: request.headers.get('authorization'),
      proof: request.headers.get('dpop'),
      url: request.url,
      method: request.method,
    });
    return answers.shift()?.() ?? new Response('ok');
  };
  return { seen, fetch };
}

/** `response` as if `url` had answered it (a stub's responses have no URL). */
function answeredFrom(url: string, response: Response): Response {
  Object.defineProperty(response, 'url', { value: url });
  return response;
}

const nonceChallenge = (nonce: string) => () =>
  new Response(null, {
    status: 401,
    headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': nonce },
  });

describe('DPoP through a tokens function', () => {
  test('the chosen manager proves each request; its nonce challenge is re-sent once, with retryOn401: false', async () => {
    const { tokens, issued } = dpopManager();
    const { seen, fetch } = api(nonceChallenge('n-7'));
    const authedFetch = createAuthFetch({ tokens: () => tokens, fetch, retryOn401: false });
    const response = await authedFetch('https://api.example.com/items?x=1', {
      method: 'PUT',
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(seen.map((request) => request.authorization)).toEqual(['DPoP at-1', 'DPoP at-1']);
    const seenJtis = new Set<string>();
    const proofs = seen.map((request) =>
      verifyDpopProof(request.proof, {
        method: 'PUT',
        url: request.url,
        accessToken: 'at-1',
        seenJtis,
      }),
    );
    expect(proofs.map((proof) => proof.claims.nonce)).toEqual([undefined, 'n-7']);
    expect(issued).toEqual(['at-1']);
  });
});

describe('DPoP through a tokens function: nonces of every answer', () => {
  test("a 200's DPoP-Nonce goes to the manager that proved the last request to that origin", async () => {
    const first = dpopManager();
    const second = dpopManager();
    const { seen, fetch } = api(
      () =>
        answeredFrom(
          'https://api.example.com/a',
          new Response('ok', { headers: { 'DPoP-Nonce': 'n-a' } }),
        ),
      () => new Response('ok'),
      () => new Response('ok'),
    );
    const chosen = (request: { readonly url: string }) =>
      request.url.endsWith('/b2') ? second.tokens : first.tokens;
    const authedFetch = createAuthFetch({ tokens: chosen, fetch });
    for (const path of ['/a', '/b1', '/b2']) await authedFetch(`https://api.example.com${path}`);
    const nonces = seen.map(
      (request) =>
        verifyDpopProof(request.proof, {
          method: 'GET',
          url: request.url,
          accessToken: 'at-1',
          seenJtis: new Set(),
        }).claims.nonce,
    );
    // The first manager learnt the nonce from the 200; the second one never heard of it.
    expect(nonces).toEqual([undefined, 'n-a', undefined]);
  });
});

describe('the authorizer with DPoP', () => {
  test('a withParameters view of a DPoP manager proves its requests with the same key', async () => {
    const { tokens } = dpopManager();
    const view = tokens.withParameters({ scope: 'invoices:read' });
    const { seen, fetch } = api();
    expect(
      (await createAuthFetch({ tokens: view, fetch })('https://api.example.com/i')).status,
    ).toBe(200);
    const { jkt } = verifyDpopProof(seen[0]?.proof, {
      method: 'GET',
      url: 'https://api.example.com/i',
      accessToken: 'at-1',
      seenJtis: new Set(),
    });
    expect(await view.cacheKey()).toMatch(new RegExp(`:dpop:${jkt}$`));
  });

  test('maxResends: a re-authorization, plus a nonce re-send where tokens may be DPoP-bound', () => {
    const dpop = dpopManager().tokens;
    const bearer = createTokenManager({
      flow: clientCredentials({ tokenUrl, clientId: 'app', clientSecret: 'secret-41c2' }),
    });
    managers.push(bearer);
    expect(createAuthorizer({ tokens: bearer }).maxResends).toBe(1);
    expect(createAuthorizer({ tokens: bearer, retryOn401: false }).maxResends).toBe(0);
    expect(createAuthorizer({ tokens: dpop }).maxResends).toBe(2);
    expect(createAuthorizer({ tokens: dpop, retryOn401: false }).maxResends).toBe(1);
    expect(createAuthorizer({ tokens: () => bearer }).maxResends).toBe(2);
  });

  test('a proof names the method and URL of a described request, its headers left unread', async () => {
    const { tokens } = dpopManager();
    const own = () => {
      throw new Error('a DPoP proof needs no headers');
    };
    const request = describeRequest(() => 'https://api.example.com/i?q=1', 'patch', own);
    const { headers } = await createAuthorizer({ tokens }).authorize(request);
    expect(headers.Authorization).toBe('DPoP at-1');
    const { claims } = verifyDpopProof(headers.DPoP, {
      method: 'PATCH',
      url: 'https://api.example.com/i?q=1',
      accessToken: 'at-1',
      seenJtis: new Set(),
    });
    expect([claims.htm, claims.htu]).toEqual(['PATCH', 'https://api.example.com/i']);
  });

  test('a Bearer token of a DPoP manager carries no proof; DPoP becomes a sensitive header with the first proof', async () => {
    const bearerAnswer = dpopManager('Bearer');
    const authorizer = createAuthorizer({ tokens: bearerAnswer.tokens });
    const plain = await authorizer.authorize({
      url: 'https://api.example.com/',
      method: 'GET',
      headers: new Headers(),
    });
    expect(plain.headers).toEqual({ Authorization: 'Bearer at-1' });
    expect([...authorizer.sensitiveHeaders()]).not.toContain('dpop');
    const bound = createAuthorizer({ tokens: dpopManager().tokens });
    const proven = await bound.authorize({
      url: 'https://api.example.com/',
      method: 'GET',
      headers: new Headers(),
    });
    expect(Object.keys(proven.headers)).toEqual(['Authorization', 'DPoP']);
    expect([...bound.sensitiveHeaders()]).toContain('dpop');
    // Authorizers without extra headers share their names until DPoP adds one to a copy.
    expect([...createAuthorizer({ tokens: bearerAnswer.tokens }).sensitiveHeaders()]).toEqual([
      'authorization',
    ]);
  });

  test('a nonce from any answer is kept for the next proof to that origin; a challenge from elsewhere is not re-sent', async () => {
    const { tokens } = dpopManager();
    const { seen, fetch } = api(
      () =>
        answeredFrom(
          'https://api.example.com/a',
          new Response('ok', { headers: { 'DPoP-Nonce': 'n-from-200' } }),
        ),
      () => new Response('ok'),
      () => answeredFrom('https://elsewhere.example/', nonceChallenge('n-x')()),
    );
    const authedFetch = createAuthFetch({ tokens, fetch });
    await authedFetch('https://api.example.com/a');
    await authedFetch('https://api.example.com/b');
    expect((await authedFetch('https://api.example.com/c')).status).toBe(401);
    expect(seen).toHaveLength(3);
    const nonceOf = (request: Seen | undefined) =>
      verifyDpopProof(request?.proof, {
        method: 'GET',
        url: request?.url ?? '',
        accessToken: 'at-1',
        seenJtis: new Set(),
      }).claims.nonce;
    expect([nonceOf(seen[0]), nonceOf(seen[1])]).toEqual([undefined, 'n-from-200']);
  });

  test('a nonce challenge without a DPoP-Nonce, or a second one in a call, is the answer', async () => {
    const { tokens, issued } = dpopManager();
    const noNonce = api(
      () =>
        new Response(null, {
          status: 401,
          headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"' },
        }),
    );
    expect(
      (await createAuthFetch({ tokens, fetch: noNonce.fetch })('https://api.example.com/')).status,
    ).toBe(401);
    expect(noNonce.seen).toHaveLength(1);
    const twice = api(nonceChallenge('n-1'), nonceChallenge('n-2'));
    expect(
      (await createAuthFetch({ tokens, fetch: twice.fetch })('https://api.example.com/')).status,
    ).toBe(401);
    expect(twice.seen).toHaveLength(2);
    expect(issued).toEqual(['at-1']);
  });
});
