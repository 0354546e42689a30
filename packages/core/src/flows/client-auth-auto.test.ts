/**
 * `clientAuth: 'auto'`: Basic first (RFC 6749 §2.3.1 encoding, or raw), the body after a 400 or
 * 401 `invalid_client`, in the same getToken(), and the method that worked remembered per token URL.
 */
import { describe, expect, test } from 'vitest';
import { managersClosedAfterEach } from '../test-support/manager-cleanup.ts';
import { clientCredentials } from './client-credentials.ts';

/** A server that takes the secret in one place only; counts what it saw. */
function server(accepts: 'basic' | 'body', refusal: 400 | 401 = 401) {
  const seen: ('basic' | 'body')[] = [];
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    const basic = new Headers(init?.headers).get('authorization')?.startsWith('Basic ') === true;
    const body = new URLSearchParams(String(init?.body)).has('client_secret');
    seen.push(basic ? 'basic' : 'body');
    if (basic && body) return Response.json({ error: 'invalid_request' }, { status: 400 });
    if ((basic && accepts === 'basic') || (body && accepts === 'body'))
      return Response.json({ access_token: 'at', expires_in: 3600 });
    return Response.json({ error: 'invalid_client' }, { status: refusal });
  };
  return { fetch, seen };
}

let port = 0;
/** A token URL of its own, as the memory is per token URL. */
const freshTokenUrl = () => `https://auth${++port}.example.com/token`;

describe("clientAuth: 'auto'", () => {
  const manage = managersClosedAfterEach();
  const options = (tokenUrl: string) => ({
    tokenUrl,
    clientId: 'app',
    clientSecret: 'p+ss:w%rd',
    clientAuth: 'auto' as const,
  });

  test('a server that takes Basic: Basic only', async () => {
    const { fetch, seen } = server('basic');
    const tokens = manage({
      flow: clientCredentials(options(freshTokenUrl())),
      fetch,
      retry: false,
    });
    await tokens.getToken();
    await tokens.getToken({ forceRefresh: true });
    expect(seen).toEqual(['basic', 'basic']);
  });

  test.each([401, 400] as const)(
    'a server that answers Basic with %i invalid_client: the body in the same getToken(), then the body only, for every manager of that URL',
    async (refusal) => {
      const tokenUrl = freshTokenUrl();
      const { fetch, seen } = server('body', refusal);
      const first = manage({ flow: clientCredentials(options(tokenUrl)), fetch, retry: false });
      expect((await first.getToken()).accessToken).toBe('at');
      await first.getToken({ forceRefresh: true });
      const second = manage({ flow: clientCredentials(options(tokenUrl)), fetch, retry: false });
      await second.getToken();
      expect(seen).toEqual(['basic', 'body', 'body', 'body']);
    },
  );

  test('another token URL probes again', async () => {
    const { fetch, seen } = server('body');
    await manage({
      flow: clientCredentials(options(freshTokenUrl())),
      fetch,
      retry: false,
    }).getToken();
    await manage({
      flow: clientCredentials(options(freshTokenUrl())),
      fetch,
      retry: false,
    }).getToken();
    expect(seen).toEqual(['basic', 'body', 'basic', 'body']);
  });

  test('wrong credentials: one try each way, then the invalid_client error', async () => {
    const seen: string[] = [];
    const tokens = manage({
      flow: clientCredentials(options(freshTokenUrl())),
      fetch: async (_input, init) => {
        seen.push(new Headers(init?.headers).has('authorization') ? 'basic' : 'body');
        return Response.json({ error: 'invalid_client' }, { status: 401 });
      },
      retry: false,
    });
    await expect(tokens.getToken()).rejects.toMatchObject({ status: 401, error: 'invalid_client' });
    expect(seen).toEqual(['basic', 'body']);
  });

  test('another error (invalid_scope) does not switch', async () => {
    const seen: string[] = [];
    const tokens = manage({
      flow: clientCredentials(options(freshTokenUrl())),
      fetch: async (_input, init) => {
        seen.push(new Headers(init?.headers).has('authorization') ? 'basic' : 'body');
        return Response.json({ error: 'invalid_scope' }, { status: 400 });
      },
      retry: false,
    });
    await expect(tokens.getToken()).rejects.toMatchObject({ error: 'invalid_scope' });
    expect(seen).toEqual(['basic']);
  });
});

describe('Basic credentials encoding', () => {
  const manage = managersClosedAfterEach();
  const sentAuthorization = async (basicEncoding?: 'form' | 'raw') => {
    let authorization: string | null = null;
    const tokens = manage({
      flow: clientCredentials({
        tokenUrl: 'https://auth.example.com/token',
        clientId: 'app id',
        clientSecret: 'p+ss:w%rd é',
        clientAuth: 'client_secret_basic',
        basicEncoding,
      }),
      fetch: async (_input, init) => {
        authorization = new Headers(init?.headers).get('authorization');
        return Response.json({ access_token: 'at' });
      },
    });
    await tokens.getToken();
    const decoded = new TextDecoder().decode(
      Uint8Array.from(atob(String(authorization).slice('Basic '.length)), (c) => c.charCodeAt(0)),
    );
    return decoded;
  };

  test("'form' (the default, RFC 6749 §2.3.1): each part form-encoded before Base64", async () => {
    expect(await sentAuthorization()).toBe('app+id:p%2Bss%3Aw%25rd+%C3%A9');
  });

  test("'raw': the id and secret as they are (UTF-8), for servers that do not decode them", async () => {
    expect(await sentAuthorization('raw')).toBe('app id:p+ss:w%rd é');
  });
});
