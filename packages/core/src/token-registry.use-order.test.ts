/**
 * The registry's order of use is exact although `get` no longer reorders anything: the managers
 * dropped beyond `maxSize` and by the idle sweep are the least recently used, against a plain
 * reference list over thousands of seeded steps.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeManager } from './test-support/fake-manager.ts';
import { seeded } from './test-support/seeded.ts';
import { createTokenRegistry, type TokenRegistryOptions } from './token-registry.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** A registry whose managers report their closing, in order, to `closed`. */
function registry(options: Partial<TokenRegistryOptions> = {}) {
  const closed: string[] = [];
  const created: string[] = [];
  const clock = { now: 5_000_000 };
  const create = (key: string) => {
    created.push(key);
    return { ...fakeManager(), close: async () => void closed.push(key) };
  };
  const tenants = createTokenRegistry({ create, now: () => clock.now, ...options });
  return { tenants, closed, created, clock };
}

describe('createTokenRegistry: order of use', () => {
  it('drops the least recently used, not the first used again', () => {
    const { tenants, closed } = registry({ maxSize: 3 });
    for (const key of ['a', 'b', 'c', 'b', 'a', 'd']) tenants.get(key);
    expect(closed).toEqual(['c']);
    tenants.get('e'); // b was used before a: b goes
    expect(closed).toEqual(['c', 'b']);
    tenants.get('a');
    tenants.get('f'); // then d, the oldest left
    expect(closed).toEqual(['c', 'b', 'd']);
  });

  it.each([
    [1, 0.05, 15, 6],
    [7, 0.05, 15, 6],
    // Many deletes and few evictions: deleted keys' slots are reused at once, and more keys than
    // the order has room for at first.
    [42, 0.4, 40, 28],
  ])(
    'matches a reference list over seeded gets and deletes (seed %i, deletes %d, keys %i, maxSize %i)',
    (seed, deletes, keys, maxSize) => {
      const { tenants, closed, created } = registry({ maxSize });
      const random = seeded(seed);
      const model: string[] = []; // least recently used first
      const modelClosed: string[] = [];
      const modelCreated: string[] = [];
      for (let step = 0; step < 5_000; step++) {
        const key = `k${Math.floor(random() * keys)}`;
        const at = model.indexOf(key);
        if (random() < deletes) {
          void tenants.delete(key);
          if (at >= 0) modelClosed.push(...model.splice(at, 1));
          continue;
        }
        tenants.get(key);
        if (at >= 0) model.splice(at, 1);
        else modelCreated.push(key);
        model.push(key);
        if (model.length > maxSize) modelClosed.push(...model.splice(0, 1));
      }
      expect(created).toEqual(modelCreated);
      expect(closed).toEqual(modelClosed);
      expect(tenants.size).toBe(model.length);
    },
  );

  it('sweeps the managers idle by their last use, whatever the order they were made in', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { tenants, closed, clock } = registry({ idleTimeoutMs: 60_000 });
    const pass = (ms: number) => {
      clock.now += ms;
      vi.advanceTimersByTime(ms);
    };
    for (const key of ['a', 'b', 'c']) tenants.get(key);
    pass(20_000);
    tenants.get('a');
    pass(20_000);
    tenants.get('b');
    pass(20_000); // c: idle for 60 s
    expect(closed).toEqual(['c']);
    pass(20_000); // a
    expect(closed).toEqual(['c', 'a']);
    pass(19_999);
    expect(closed).toEqual(['c', 'a']);
    pass(1); // b
    expect(closed).toEqual(['c', 'a', 'b']);
    expect(tenants.size).toBe(0);
  });
});
