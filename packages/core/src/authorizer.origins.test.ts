/** Which URLs an authorizer attaches the token to: its `origins`, else its base URL's origin. */
import { describe, expect, it } from 'vitest';
import { createAuthorizer } from './authorizer.ts';
import { fakeManager } from './test-support/fake-manager.ts';

describe('appliesTo', () => {
  it('allows every URL without origins or base URL', () => {
    const authorizer = createAuthorizer({ tokens: fakeManager() });
    expect(authorizer.appliesTo('https://anything.example/x')).toBe(true);
    expect(authorizer.appliesTo('http://127.0.0.1:1/')).toBe(true);
  });

  it('defaults to the origin of the base URL', () => {
    const authorizer = createAuthorizer({ tokens: fakeManager() }, 'https://api.example.com/v1/');
    expect(authorizer.appliesTo('https://api.example.com/v2/members')).toBe(true);
    expect(authorizer.appliesTo(new URL('https://api.example.com:443/x'))).toBe(true);
    for (const other of [
      'https://api.example.com:8443/x',
      'http://api.example.com/x',
      'https://evil.example.com/x',
      'https://api.example.com.evil.com/x',
      '/relative/path',
      'not a url',
    ]) {
      expect(authorizer.appliesTo(other)).toBe(false);
    }
  });

  it('treats an empty base URL as none', () => {
    expect(createAuthorizer({ tokens: fakeManager() }, '').appliesTo('https://x.example')).toBe(
      true,
    );
  });

  it('uses origins instead of the base URL when given', () => {
    const authorizer = createAuthorizer(
      {
        tokens: fakeManager(),
        origins: ['https://a.example', new URL('https://b.example:8443/ignored/path')],
      },
      'https://base.example',
    );
    expect(authorizer.appliesTo('https://a.example/x')).toBe(true);
    expect(authorizer.appliesTo('https://b.example:8443/y')).toBe(true);
    expect(authorizer.appliesTo('https://b.example/y')).toBe(false);
    expect(authorizer.appliesTo('https://base.example/z')).toBe(false);
  });

  it('allows nothing with an empty origins list', () => {
    const authorizer = createAuthorizer({ tokens: fakeManager(), origins: [] });
    expect(authorizer.appliesTo('https://a.example/x')).toBe(false);
  });
});
