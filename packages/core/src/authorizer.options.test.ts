/** `createAuthorizer` refuses bad options with a TypeError that names the option. */
import { describe, expect, it } from 'vitest';
import type { AuthOptions } from './auth-options.ts';
import { createAuthorizer } from './authorizer.ts';
import { fakeManager } from './test-support/fake-manager.ts';

describe('option validation', () => {
  it.each([
    ['tokens', {}],
    ['tokens', { tokens: { getToken: 'no' } }],
    ['headers', { tokens: fakeManager(), headers: 42 }],
    ['headers', { tokens: fakeManager(), headers: null }],
    ['retryOn401', { tokens: fakeManager(), retryOn401: 'yes' }],
    ['origins', { tokens: fakeManager(), origins: 'https://a.example' }],
    ['origins', { tokens: fakeManager(), origins: ['not a url'] }],
    ['origins', { tokens: fakeManager(), origins: ['data:text/plain,hi'] }],
  ])('throws a TypeError naming %s', (name, options) => {
    const create = (): unknown => createAuthorizer(options as unknown as AuthOptions);
    expect(create).toThrow(TypeError);
    expect(create).toThrow(name);
  });
});
