import { describe, expect, it } from 'vitest';
import type { RedirectHop } from './redirect-hop.ts';
import {
  RedirectTrail,
  type RedirectTrailStart,
  type TrailHop,
  type TrailStep,
} from './redirect-trail.ts';

const start: RedirectTrailStart = {
  url: 'https://api.example/a',
  method: 'post',
  sensitiveHeaders: ['Authorization', 'X-Tenant-Id'],
  replayableBody: true,
  maxRedirects: 2,
};

const done: TrailStep = { type: 'done' };
const tooMany: TrailStep = { type: 'tooMany' };

/** The hop `step` is, or the test fails. */
function hopOf(step: TrailStep): TrailHop {
  if (step.type !== 'hop') throw new Error(`expected a hop, got ${step.type}`);
  return step;
}

describe('RedirectTrail', () => {
  it('lets an answer that is no redirect stand', () => {
    const trail = new RedirectTrail(start);
    expect(trail.next({ status: 200, location: undefined, hopHadBody: false })).toEqual(done);
    expect(trail.next({ status: 302, location: undefined, hopHadBody: false })).toEqual(done);
    expect(trail.next({ status: 304, location: '/b', hopHadBody: false })).toEqual(done);
    expect(trail.next({ status: 302, location: 42, hopHadBody: false })).toEqual(done);
    expect(trail.url).toBe(start.url);
  });

  it('says when a Location makes no URL, and stays where it was', () => {
    const trail = new RedirectTrail(start);
    expect(trail.next({ status: 302, location: 'http://[::1', hopHadBody: false })).toEqual({
      type: 'invalidLocation',
      location: 'http://[::1',
    });
    expect(trail.url).toBe(start.url);
    expect(trail.next({ status: 302, location: '/b', hopHadBody: false })).toMatchObject({
      type: 'hop',
      url: 'https://api.example/b',
    });
  });

  it('turns a 303 into a GET without the body headers, on the origin', () => {
    const trail = new RedirectTrail(start);
    expect(trail.next({ status: 303, location: '/b?x=1', hopHadBody: true })).toEqual({
      type: 'hop',
      url: 'https://api.example/b?x=1',
      method: 'GET',
      sendsBody: false,
      omit: ['content-type', 'content-length'],
    });
    expect(trail.url).toBe('https://api.example/b?x=1');
    expect(trail.droppedAt).toBeUndefined();
  });

  it('drops the sensitive headers on the first hop to another origin, and remembers it', () => {
    const trail = new RedirectTrail(start);
    expect(
      hopOf(trail.next({ status: 307, location: 'https://other.example/b', hopHadBody: true }))
        .omit,
    ).toEqual(start.sensitiveHeaders);
    expect(
      hopOf(trail.next({ status: 307, location: 'https://api.example/c', hopHadBody: true })).omit,
    ).toEqual(start.sensitiveHeaders);
    expect(trail.droppedAt).toBe('https://other.example/b');
  });

  it('lets a 307 of a body that cannot go again stand, but not one without a body', () => {
    const trail = new RedirectTrail({ ...start, replayableBody: false });
    expect(trail.next({ status: 307, location: '/b', hopHadBody: true })).toEqual(done);
    expect(trail.url).toBe(start.url);
    expect(hopOf(trail.next({ status: 307, location: '/b', hopHadBody: false })).sendsBody).toBe(
      true,
    );
    expect(hopOf(trail.next({ status: 303, location: '/c', hopHadBody: true })).sendsBody).toBe(
      false,
    );
  });

  it('says when a redirect goes beyond maxRedirects, before reading its Location', () => {
    const trail = new RedirectTrail(start);
    expect(trail.next({ status: 302, location: '/b', hopHadBody: false }).type).toBe('hop');
    expect(trail.next({ status: 302, location: '/c', hopHadBody: false }).type).toBe('hop');
    expect(trail.next({ status: 302, location: '/d', hopHadBody: false })).toEqual(tooMany);
    expect(trail.next({ status: 302, location: 'http://[::1', hopHadBody: false })).toEqual(
      tooMany,
    );
    expect(trail.next({ status: 200, location: undefined, hopHadBody: false })).toEqual(done);
  });

  it('stays where it was past the limit: no URL, method, dropped headers or onHop of a hop never sent', async () => {
    const hops: RedirectHop[] = [];
    const onHop = async (hop: RedirectHop) => {
      hops.push(hop);
      return { DPoP: 'proof' };
    };
    const trail = new RedirectTrail({ ...start, maxRedirects: 1, onHop });
    expect(trail.next({ status: 302, location: '/b', hopHadBody: true }).type).toBe('hop');
    expect(await trail.stepHeaders(new Headers())).toEqual({ DPoP: 'proof' });
    const past = { status: 303, location: 'https://other.example/c', hopHadBody: false };
    expect(trail.next(past)).toEqual(tooMany);
    expect(trail.next(past)).toEqual(tooMany);
    expect(trail.url).toBe('https://api.example/b');
    expect(trail.droppedAt).toBeUndefined();
    // The hop's headers are still those of the last hop sent, on the origin.
    expect(await trail.stepHeaders(new Headers())).toEqual({ DPoP: 'proof' });
    expect(hops.map((hop) => [hop.method, hop.url, hop.redirect?.url])).toEqual([
      ['GET', 'https://api.example/b', 'https://api.example/a'],
      ['GET', 'https://api.example/b', 'https://api.example/a'],
    ]);
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

  it('resolves the Location against the URL that answered, when given', () => {
    const trail = new RedirectTrail(start);
    expect(
      hopOf(
        trail.next({
          status: 302,
          location: 'c',
          hopHadBody: false,
          url: 'https://api.example/moved/b',
        }),
      ).url,
    ).toBe('https://api.example/moved/c');
    expect(hopOf(trail.next({ status: 302, location: 'd', hopHadBody: false, url: '' })).url).toBe(
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
      hopOf(trail.next({ status: 302, location: 'https://other.example/b', hopHadBody: false }))
        .omit,
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
