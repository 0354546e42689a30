import { describe, expect, it, vi } from 'vitest';
import { createAuthorizer } from './authorizer.ts';
import type { Token } from './token.ts';
import type { TokenManager } from './token-manager.ts';
import { onUnauthorized } from './unauthorized.ts';

const sent: Token = { accessToken: 'sent-token', tokenType: 'Bearer', raw: {} };
const url = 'https://api.example.com/members';
const answer = { url };

function managerWith(invalidate: TokenManager['invalidate']): TokenManager {
  return {
    getToken: async () => sent,
    invalidate,
    close: async () => {},
    [Symbol.asyncDispose]: async () => {},
    cacheKey: async () => 'key',
  };
}

describe('onUnauthorized', () => {
  it('re-sends a first attempt’s 401 once the token it carried is dropped', async () => {
    const invalidate = vi.fn(async () => true);
    const authorizer = createAuthorizer({ tokens: managerWith(invalidate) });
    const unauthorized = { token: sent, url, answer, resent: false, replayable: true };
    expect(await onUnauthorized(authorizer, unauthorized)).toBe(true);
    expect(invalidate).toHaveBeenCalledWith('sent-token');
  });

  it('returns the 401 of a body that cannot be sent again, and keeps the token', async () => {
    const invalidate = vi.fn(async () => true);
    const authorizer = createAuthorizer({ tokens: managerWith(invalidate) });
    const unauthorized = { token: sent, url, answer, resent: false, replayable: false };
    expect(await onUnauthorized(authorizer, unauthorized)).toBe(false);
    expect(invalidate).not.toHaveBeenCalled();
  });

  it('returns the re-send’s 401 and cools re-authorization down for the manager', async () => {
    const invalidate = vi.fn(async () => true);
    const authorizer = createAuthorizer({ tokens: managerWith(invalidate) });
    const refused = { token: sent, url, answer, resent: true, replayable: true };
    expect(await onUnauthorized(authorizer, refused)).toBe(false);
    // Cooling down: even a first attempt's 401 is returned, and nothing is dropped.
    const next = { token: sent, url, answer, resent: false, replayable: true };
    expect(await onUnauthorized(authorizer, next)).toBe(false);
    expect(invalidate).not.toHaveBeenCalled();
  });
});
