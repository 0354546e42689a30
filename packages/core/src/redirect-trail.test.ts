import { describe, expect, it } from 'vitest';
import type { RedirectHop } from './redirect-hop.ts';
import { RedirectTrail, type RedirectTrailStart } from './redirect-trail.ts';

const start: RedirectTrailStart = {
  url: 'https://api.example/a',
  method: 'post',
  sensitiveHeaders: ['Authorization', 'X-Tenant-Id'],
  replayableBody: true,
  maxRedirects: 2,
};

describe('RedirectTrail', () => {
  it('lets an answer that is no redirect stand', () => {
    const trail = new RedirectTrail(start);
    expect(trail.next(200, undefined, false)).toBeUndefined();
    expect(trail.next(302, undefined, false)).toBeUndefined();
    expect(trail.next(304, '/b', false)).toBeUndefined();
    expect(trail.next(302, 'http://[::1', false)).toBeUndefined();
    expect(trail.url).toBe(start.url);
  });

  it('turns a 303 into a GET without the body headers, on the origin', () => {
    const trail = new RedirectTrail(start);
    expect(trail.next(303, '/b?x=1', true)).toEqual({
      url: 'https://api.example/b?x=1',
      method: 'GET',
      sendsBody: false,
      omit: ['content-type', 'content-length'],
      beyondLimit: false,
    });
    expect(trail.url).toBe('https://api.example/b?x=1');
    expect(trail.droppedAt).toBeUndefined();
  });

  it('drops the sensitive headers on the first hop to another origin, and remembers it', () => {
    const trail = new RedirectTrail(start);
    expect(trail.next(307, 'https://other.example/b', true)?.omit).toEqual(start.sensitiveHeaders);
    expect(trail.next(307, 'https://api.example/c', true)?.omit).toEqual(start.sensitiveHeaders);
    expect(trail.droppedAt).toBe('https://other.example/b');
  });

  it('lets a 307 of a body that cannot go again stand, but not one without a body', () => {
    const trail = new RedirectTrail({ ...start, replayableBody: false });
    expect(trail.next(307, '/b', true)).toBeUndefined();
    expect(trail.next(307, '/b', false)?.sendsBody).toBe(true);
    expect(trail.next(303, '/c', true)?.sendsBody).toBe(false);
  });

  it('says when a redirect goes beyond maxRedirects', () => {
    const trail = new RedirectTrail(start);
    expect(trail.next(302, '/b', false)?.beyondLimit).toBe(false);
    expect(trail.next(302, '/c', false)?.beyondLimit).toBe(false);
    expect(trail.next(302, '/d', false)?.beyondLimit).toBe(true);
  });

  it('asks onHop for the headers of each hop on the origin, with the redirect that sent it', async () => {
    const hops: RedirectHop[] = [];
    const onHop = async (hop: RedirectHop) => {
      hops.push(hop);
      return { DPoP: `proof for ${hop.method} ${hop.url}` };
    };
    const trail = new RedirectTrail({ ...start, onHop });
    trail.next(302, '/b', true);
    const set = await trail.stepHeaders({ 'dpop-nonce': 'n1' });
    expect(set).toEqual({ DPoP: 'proof for GET https://api.example/b' });
    expect(hops[0]?.redirect?.url).toBe('https://api.example/a');
    expect(hops[0]?.redirect?.headers.get('dpop-nonce')).toBe('n1');
    trail.next(302, 'https://other.example/c', false);
    expect(await trail.stepHeaders(new Headers())).toEqual({});
    trail.next(302, 'https://api.example/d', false);
    expect(await trail.stepHeaders(new Headers())).toEqual({});
    expect(hops).toHaveLength(1);
  });

  it('throws as fetch does with throwsLikeFetch: past the limit before the Location, then an invalid Location', () => {
    const strict = new RedirectTrail({ ...start, throwsLikeFetch: true });
    expect(() => strict.next(302, 'http://[::1', false)).toThrow(
      new TypeError('invalid redirect location: http://[::1'),
    );
    expect(strict.next(302, '/b', false)?.beyondLimit).toBe(false);
    expect(strict.next(302, '/c', false)?.beyondLimit).toBe(false);
    expect(() => strict.next(302, 'http://[::1', false)).toThrow(
      new TypeError('more than 2 redirects from https://api.example/c'),
    );
    expect(strict.next(200, undefined, false)).toBeUndefined();
  });

  it('resolves the Location against the URL that answered, when given', () => {
    const trail = new RedirectTrail(start);
    expect(trail.next(302, 'c', false, 'https://api.example/moved/b')?.url).toBe(
      'https://api.example/moved/c',
    );
    expect(trail.next(302, 'd', false, '')?.url).toBe('https://api.example/moved/d');
  });

  it('drops nothing and says nothing was dropped without sensitive headers, yet stops onHop off the origin', async () => {
    let asked = 0;
    const onHop = async () => {
      asked++;
      return { DPoP: 'proof' };
    };
    const trail = new RedirectTrail({ ...start, sensitiveHeaders: [], onHop });
    expect(trail.next(302, 'https://other.example/b', false)?.omit).toEqual([
      'content-type',
      'content-length',
    ]);
    expect(trail.droppedAt).toBeUndefined();
    expect(await trail.stepHeaders(new Headers())).toEqual({});
    expect(asked).toBe(0);
  });

  it('makes no headers without onHop', async () => {
    const trail = new RedirectTrail(start);
    trail.next(302, '/b', false);
    expect(await trail.stepHeaders({})).toEqual({});
  });
});
