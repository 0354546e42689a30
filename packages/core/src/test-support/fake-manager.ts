/** A token manager made of spies, for tests of what sits on top of a manager. */
import { vi } from 'vitest';
import type { Token } from '../token.ts';
import type { TokenManager } from '../token-manager.ts';

/** A {@link TokenManager} whose `getToken` and `invalidate` are spies the test can inspect. */
export type FakeManager = TokenManager & {
  getToken: ReturnType<typeof vi.fn<TokenManager['getToken']>>;
  invalidate: ReturnType<typeof vi.fn<TokenManager['invalidate']>>;
};

/**
 * A manager that hands out `access-1` (a Bearer token, with `token`'s fields on top) and whose
 * `invalidate` says it dropped the token.
 *
 * @example
 * const tokens = fakeManager({ tokenType: 'DPoP' });
 * tokens.getToken.mockRejectedValueOnce(new Error('down'));
 * expect(tokens.invalidate).not.toHaveBeenCalled();
 */
export function fakeManager(token: Partial<Token> = {}): FakeManager {
  return {
    getToken: vi.fn<TokenManager['getToken']>(async () => ({
      accessToken: 'access-1',
      tokenType: 'Bearer',
      raw: {},
      ...token,
    })),
    invalidate: vi.fn<TokenManager['invalidate']>(async () => true),
    close: async () => {},
    [Symbol.asyncDispose]: async () => {},
    cacheKey: async () => 'key',
    withParameters() {
      return this;
    },
  };
}
