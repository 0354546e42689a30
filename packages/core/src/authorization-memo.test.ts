/** The memo of an authorizer: the authorization itself once made, keyed by the token promise. */
import { describe, expect, it } from 'vitest';
import { type Authorization, frozenAuthorization } from './authorization.ts';
import { AuthorizationMemo } from './authorization-memo.ts';
import type { Token } from './token.ts';

const token = (accessToken: string): Token => ({ accessToken, tokenType: 'Bearer', raw: {} });
const authorizationOf = (held: Token): Authorization =>
  frozenAuthorization(held, { Authorization: `Bearer ${held.accessToken}` });

describe('AuthorizationMemo', () => {
  it('knows nothing of a promise it was not given', () => {
    const memo = new AuthorizationMemo();
    const pending = Promise.resolve(token('tok-1'));
    expect(memo.lookup(pending)).toBeUndefined();
    memo.remember(pending, pending.then(authorizationOf));
    expect(memo.lookup(Promise.resolve(token('tok-1')))).toBeUndefined();
  });

  it('hands out the promise until it fulfils, then the authorization itself', async () => {
    const memo = new AuthorizationMemo();
    const pending = Promise.resolve(token('tok-1'));
    const made = memo.remember(pending, pending.then(authorizationOf));
    expect(memo.lookup(pending)).toBe(made);
    const authorization = await made;
    expect(memo.lookup(pending)).toBe(authorization);
    expect(authorization.headers).toEqual({ Authorization: 'Bearer tok-1' });
  });

  it('keeps a rejected promise as it is, for the callers to handle', async () => {
    const memo = new AuthorizationMemo();
    const failure = new Error('token endpoint down');
    const pending = Promise.reject(failure);
    const made = memo.remember(pending, pending.then(authorizationOf));
    await expect(made).rejects.toBe(failure);
    expect(memo.lookup(pending)).toBe(made);
  });

  it('lets a newer token win over an older one that fulfils later', async () => {
    const memo = new AuthorizationMemo();
    let arrive: (value: Token) => void = () => {};
    const older = new Promise<Token>((resolve) => {
      arrive = resolve;
    });
    const olderMade = memo.remember(older, older.then(authorizationOf));
    const newer = Promise.resolve(token('tok-2'));
    const renewed = await memo.remember(newer, newer.then(authorizationOf));
    arrive(token('tok-1'));
    await olderMade; // its settling ran before this resumes
    expect(memo.lookup(newer)).toBe(renewed);
    expect(memo.lookup(older)).toBeUndefined();
  });
});
