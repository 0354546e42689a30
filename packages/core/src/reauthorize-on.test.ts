import { describe, expect, it } from 'vitest';
import { createAuthorizer } from './authorizer.ts';
import { isTokenRejection } from './reauthorize-on.ts';
import type { Answer } from './redirect-guard.ts';
import { fakeManager } from './test-support/fake-manager.ts';

const url = 'https://api.example.com/x';
const answer = (status: number, challenge?: string): Answer => ({
  url,
  status,
  headers: new Headers(challenge === undefined ? {} : { 'WWW-Authenticate': challenge }),
});

describe('isTokenRejection (the default reauthorizeOn)', () => {
  it.each([
    [401, undefined, true],
    [401, 'Bearer', true],
    [401, 'Bearer error="invalid_token", error_description="expired"', true],
    [401, 'Bearer realm="api", error="insufficient_scope", scope="admin"', false],
    [401, 'Basic realm="x", Bearer error=insufficient_scope', false],
    [401, 'DPoP error="use_dpop_nonce"', true],
    [401, 'Bearer error_description="not insufficient_scope"', true],
    [403, undefined, false],
    [403, 'Bearer error="insufficient_scope"', false],
    [200, undefined, false],
    [400, 'Bearer error="invalid_request"', false],
  ])('%i with %s → %s', (status, challenge, expected) => {
    expect(isTokenRejection(answer(status, challenge))).toBe(expected);
  });
});

describe('authorizer.wantsResend', () => {
  const tokens = fakeManager();

  it('follows the default without reauthorizeOn, and says no to everything with retryOn401: false', () => {
    const byDefault = createAuthorizer({ tokens });
    expect(byDefault.wantsResend(answer(401))).toBe(true);
    expect(byDefault.wantsResend(answer(401, 'Bearer error="insufficient_scope"'))).toBe(false);
    const off = createAuthorizer({ tokens, retryOn401: false, reauthorizeOn: () => true });
    expect(off.wantsResend(answer(401))).toBe(false);
  });

  it('asks a custom reauthorizeOn instead, with the status, headers and final URL as a string', () => {
    const seen: unknown[] = [];
    const authorizer = createAuthorizer({
      tokens,
      reauthorizeOn: (response) => {
        seen.push([response.status, response.headers.get('x-reason'), response.url]);
        return response.status === 403;
      },
    });
    const forbidden: Answer = {
      url: new URL(url),
      status: 403,
      headers: new Headers({ 'X-Reason': 'expired' }),
    };
    expect(authorizer.wantsResend(forbidden)).toBe(true);
    expect(authorizer.wantsResend(answer(401))).toBe(false); // replaced, not added to
    expect(seen).toEqual([
      [403, 'expired', url],
      [401, null, url],
    ]);
  });
});
