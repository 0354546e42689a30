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
    expect(trail.next({ status: 200, location: undefined, hopHadBody: false })).toBeUndefined();
    expect(trail.next({ status: 302, location: undefined, hopHadBody: false })).toBeUndefined();
    expect(trail.next({ status: 304, location: '/b', hopHadBody: false })).toBeUndefined();
    expect(trail.next({ status: 302, location: 'http://[::1', hopHadBody: false })).toBeUndefined();
    expect(trail.url).toBe(start.url);
  });

  it('turns a 303 into a GET without the body headers, on the origin', () => {
    const trail = new RedirectTrail(start);
    expect(trail.next({ status: 303, location: '/b?x=1', hopHadBody: true })).toEqual({
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
    expect(
      trail.next({ status: 307, location: 'https://other.example/b', hopHadBody: true })?.omit,
    ).toEqual(start.sensitiveHeaders);
    expect(
      trail.next({ status: 307, location: 'https://api.example/c', hopHadBody: true })?.omit,
    ).toEqual(start.sensitiveHeaders);
    expect(trail.droppedAt).toBe('https://other.example/b');
  });

  it('lets a 307 of a body that cannot go again stand, but not one without a body', () => {
    const trail = new RedirectTrail({ ...start, replayableBody: false });
    expect(trail.next({ status: 307, location: '/b', hopHadBody: true })).toBeUndefined();
    expect(trail.next({ status: 307, location: '/b', hopHadBody: false })?.sendsBody).toBe(true);
    expect(trail.next({ status: 303, location: '/c', hopHadBody: true })?.sendsBody).toBe(false);
  });

  it('says when a redirect goes beyond maxRedirects', () => {
    const trail = new RedirectTrail(start);
    expect(trail.next({ status: 302, location: '/b', hopHadBody: false })?.beyondLimit).toBe(false);
    expect(trail.next({ status: 302, location: '/c', hopHadBody: false })?.beyondLimit).toBe(false);
    expect(trail.next({ status: 302, location: '/d', hopHadBody: false })?.beyondLimit).toBe(true);
  });

  it('asks onHop for the headers of each hop on the origin, with the redirect that sent it', async () => {
    const hops: RedirectHop[] = [];
    const onHop = async (hop: RedirectHop) => {
      hops.push(hop);
      return { DPoP: `proof for ${hop.method} ${hop.url}` };
    };
    const trail = new RedirectTrail({ ...start, onHop });
    trail.next({ status: 302, location: '/b', hopHadBody: true });
    const set = await trail.stepHeaders({ 'dpop-nonce': 'n1' });
    expect(set).toEqual({ DPoP: 'proof for GET https://api.example/b' });
    expect(hops[0]?.redirect?.url).toBe('https://api.example/a');
    expect(hops[0]?.redirect?.headers.get('dpop-nonce')).toBe('n1');
    trail.next({ status: 302, location: 'https://other.example/c', hopHadBody: false });
    expect(await trail.stepHeaders(new Headers())).toEqual({});
    trail.next({ status: 302, location: 'https://api.example/d', hopHadBody: false });
    expect(await trail.stepHeaders(new Headers())).toEqual({});
    expect(hops).toHaveLength(1);
  });

  it('throws as fetch does with throwsLikeFetch: past the limit before the Location, then an invalid Location', () => {
    const strict = new RedirectTrail({ ...start, throwsLikeFetch: true });
    expect(() => strict.next({ status: 302, location: 'http://[::1', hopHadBody: false })).toThrow(
      new TypeError('invalid redirect location: http://[::1'),
    );
    expect(strict.next({ status: 302, location: '/b', hopHadBody: false })?.beyondLimit).toBe(
      false,
    );
    expect(strict.next({ status: 302, location: '/c', hopHadBody: false })?.beyondLimit).toBe(
      false,
    );
    expect(() => strict.next({ status: 302, location: 'http://[::1', hopHadBody: false })).toThrow(
      new TypeError('more than 2 redirects from https://api.example/c'),
    );
    expect(strict.next({ status: 200, location: undefined, hopHadBody: false })).toBeUndefined();
  });

  it('resolves the Location against the URL that answered, when given', () => {
    const trail = new RedirectTrail(start);
    expect(
      trail.next({
        status: 302,
        location: 'c',
        hopHadBody: false,
        url: 'https://api.example/moved/b',
      })?.url,
    ).toBe('https://api.example/moved/c');
    expect(trail.next({ status: 302, location: 'd', hopHadBody: false, url: '' })?.url).toBe(
      'https://api.example/moved/d',
    );
  });

  it('drops nothing and says nothing was dropped without sensitive headers, yet stops onHop off the origin', async () => {
    let asked = 0;
    const onHop = async () => {
      asked++;
      return { DPoP: 'proof' };
    };
    const trail = new RedirectTrail({ ...start, sensitiveHeaders: [], onHop });
    expect(
      trail.next({ status: 302, location: 'https://other.example/b', hopHadBody: false })?.omit,
    ).toEqual(['content-type', 'content-length']);
    expect(trail.droppedAt).toBeUndefined();
    expect(await trail.stepHeaders(new Headers())).toEqual({});
    expect(asked).toBe(0);
  });

  it('makes no headers without onHop', async () => {
    const trail = new RedirectTrail(start);
    trail.next({ status: 302, location: '/b', hopHadBody: false });
    expect(await trail.stepHeaders({})).toEqual({});
  });
});
