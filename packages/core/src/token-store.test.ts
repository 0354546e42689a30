import { beforeEach, describe, expect, it } from 'vitest';
import { type ManualClock, manualClock } from './test-support/async.ts';
import type { Token } from './token.ts';
import { MemoryTokenStore, type TokenStore } from './token-store.ts';

const token = (accessToken: string): Token => ({ accessToken, tokenType: 'Bearer', raw: {} });

describe('MemoryTokenStore', () => {
  let clock: ManualClock;
  let store: MemoryTokenStore;
  beforeEach(() => {
    clock = manualClock();
    store = new MemoryTokenStore({ now: clock.now });
  });

  it('returns what was set, per key, and undefined for unknown keys', async () => {
    const a = token('a');
    const b = token('b');
    await store.set('k1', a);
    await store.set('k2', b);
    expect(await store.get('k1')).toBe(a);
    expect(await store.get('k2')).toBe(b);
    expect(await store.get('k3')).toBeUndefined();
  });

  it('keeps an entry until its TTL, to the millisecond, and drops it on read after', async () => {
    await store.set('k', token('a'), 1_000);
    clock.advance(999);
    expect(await store.get('k')).toBeDefined();
    clock.advance(1);
    expect(await store.get('k')).toBeUndefined();
    clock.advance(-1); // dropped, not just hidden
    expect(await store.get('k')).toBeUndefined();
  });

  it('keeps an entry without TTL for ever', async () => {
    await store.set('k', token('a'));
    clock.advance(100 * 365 * 24 * 3_600_000);
    expect((await store.get('k'))?.accessToken).toBe('a');
  });

  it('replaces an entry and its TTL on set', async () => {
    await store.set('k', token('a'), 1_000);
    clock.advance(900);
    await store.set('k', token('b'), 1_000);
    clock.advance(900);
    expect((await store.get('k'))?.accessToken).toBe('b');
    await store.set('k', token('c'));
    clock.advance(10_000);
    expect((await store.get('k'))?.accessToken).toBe('c');
  });

  it('deletes one key only', async () => {
    await store.set('k1', token('a'));
    await store.set('k2', token('b'));
    await store.delete('k1');
    await store.delete('missing');
    expect(await store.get('k1')).toBeUndefined();
    expect((await store.get('k2'))?.accessToken).toBe('b');
  });

  it('uses Date.now by default', async () => {
    const real: TokenStore = new MemoryTokenStore();
    await real.set('gone', token('a'), 0);
    await real.set('kept', token('b'), 60_000);
    expect(await real.get('gone')).toBeUndefined();
    expect((await real.get('kept'))?.accessToken).toBe('b');
  });

  it('has no lock: one process needs none', () => {
    expect((store as TokenStore).lock).toBeUndefined();
  });
});
