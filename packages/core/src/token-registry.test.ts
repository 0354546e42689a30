/**
 * The registry's bounds: created on first use, least recently used dropped beyond `maxSize`, idle
 * ones dropped by the sweep (an injected clock and vitest's timers, never sleeps), closing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManagerClosedError } from './manager-errors.ts';
import { type FakeManager, fakeManager } from './test-support/fake-manager.ts';
import { createTokenRegistry, type TokenRegistryOptions } from './token-registry.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** A registry whose managers are fakes with a spied `close`, on a clock the test moves. */
function registry(options: Partial<TokenRegistryOptions> = {}) {
  const made = new Map<string, FakeManager & { close: ReturnType<typeof vi.fn> }>();
  const clock = { now: 1_000_000 };
  const create = vi.fn((key: string) => {
    const manager = {
      ...fakeManager({ accessToken: `${key}-token` }),
      close: vi.fn(async () => {}),
    };
    made.set(key, manager);
    return manager;
  });
  const tenants = createTokenRegistry({ create, now: () => clock.now, ...options });
  return { tenants, create, made, clock };
}

describe('createTokenRegistry', () => {
  it('creates a key’s manager on first use and returns the same one after', async () => {
    const { tenants, create } = registry();
    const acme = tenants.get('acme');
    expect(tenants.get('acme')).toBe(acme);
    expect(tenants.get('globex')).not.toBe(acme);
    expect(create.mock.calls).toEqual([['acme'], ['globex']]);
    expect(tenants.size).toBe(2);
    expect((await acme.getToken()).accessToken).toBe('acme-token');
    await tenants.close();
  });

  it('closes and drops the least recently used manager beyond maxSize; its key gets a new one', async () => {
    const { tenants, made, create } = registry({ maxSize: 2 });
    const a = tenants.get('a');
    tenants.get('b');
    tenants.get('a'); // a is used again: b is now the least recently used
    tenants.get('c');
    expect(tenants.size).toBe(2);
    expect(made.get('b')?.close).toHaveBeenCalledOnce();
    expect(made.get('a')?.close).not.toHaveBeenCalled();
    expect(tenants.get('a')).toBe(a);
    tenants.get('b'); // made again, and c (least recently used now) goes
    expect(create.mock.calls.map(([key]) => key)).toEqual(['a', 'b', 'c', 'b']);
    expect(made.get('c')?.close).toHaveBeenCalledOnce();
    await tenants.close();
  });

  it('drops managers idle for idleTimeoutMs without traffic, and only those', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { tenants, made, clock } = registry({ idleTimeoutMs: 60_000 });
    /** Time passes: the injected clock and the timers together. */
    const pass = (ms: number) => {
      clock.now += ms;
      vi.advanceTimersByTime(ms);
    };
    tenants.get('a');
    pass(30_000);
    tenants.get('b');
    pass(29_999);
    expect(tenants.size).toBe(2);
    pass(1); // a: idle for exactly 60 s
    expect(tenants.size).toBe(1);
    expect(made.get('a')?.close).toHaveBeenCalledOnce();
    // The next sweep is due when b turns idle (60 s after its use); b is used in between.
    pass(20_000);
    tenants.get('b');
    pass(10_000);
    expect(tenants.size).toBe(1);
    pass(49_999);
    expect(tenants.size).toBe(1);
    pass(1);
    expect(tenants.size).toBe(0);
    expect(made.get('b')?.close).toHaveBeenCalledOnce();
    expect(vi.getTimerCount()).toBe(0); // no managers, no timer
  });

  it('starts no timer until it holds a manager, and none with idleTimeoutMs: Infinity', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { tenants } = registry();
    expect(vi.getTimerCount()).toBe(0);
    tenants.get('a');
    tenants.get('b');
    expect(vi.getTimerCount()).toBe(1); // one sweep for all
    await tenants.delete('a');
    await tenants.delete('b');
    expect(vi.getTimerCount()).toBe(0);
    const forever = registry({ idleTimeoutMs: Number.POSITIVE_INFINITY }).tenants;
    forever.get('a');
    expect(vi.getTimerCount()).toBe(0);
    await forever.close();
  });

  it('delete(key) closes that manager and says whether there was one', async () => {
    const { tenants, made } = registry();
    tenants.get('a');
    expect(await tenants.delete('a')).toBe(true);
    expect(await tenants.delete('a')).toBe(false);
    expect(made.get('a')?.close).toHaveBeenCalledOnce();
    expect(tenants.size).toBe(0);
  });

  it('close() closes every manager, then get throws a ManagerClosedError', async () => {
    const { tenants, made } = registry();
    tenants.get('a');
    tenants.get('b');
    await tenants.close();
    await tenants.close(); // again: nothing more
    expect(made.get('a')?.close).toHaveBeenCalledOnce();
    expect(made.get('b')?.close).toHaveBeenCalledOnce();
    expect(tenants.size).toBe(0);
    expect(() => tenants.get('a')).toThrow(ManagerClosedError);
    expect(() => tenants.get('a')).toThrow('The token registry is closed');
  });

  it('closes with await using', async () => {
    const { tenants, made } = registry();
    {
      await using scoped = tenants;
      scoped.get('a');
    }
    expect(made.get('a')?.close).toHaveBeenCalledOnce();
  });

  it('rejects close() with an AggregateError of the managers that failed to close', async () => {
    const { tenants, made } = registry();
    tenants.get('a');
    tenants.get('b');
    made.get('b')?.close.mockRejectedValueOnce(new Error('store down'));
    await expect(tenants.close()).rejects.toThrow(AggregateError);
    expect(made.get('a')?.close).toHaveBeenCalledOnce();
  });

  it('reports a failed close of a manager it dropped by itself to onError, with the key', async () => {
    const onError = vi.fn();
    const { tenants, made } = registry({ maxSize: 1, onError });
    tenants.get('a');
    made.get('a')?.close.mockRejectedValueOnce(new Error('store down'));
    tenants.get('b');
    await vi.waitFor(() => expect(onError).toHaveBeenCalledOnce());
    expect(onError.mock.calls[0]?.[1]).toBe('a');
    await tenants.close();
  });

  it('refuses what create returns when it is no token manager, and bad options', () => {
    const tenants = createTokenRegistry({ create: () => ({}) as never });
    expect(() => tenants.get('a')).toThrow(
      /^createTokenRegistry: create must return a token manager$/,
    );
    expect(tenants.size).toBe(0);
    expect(() => tenants.get(1 as never)).toThrow(/key must be a string, got number$/);
    expect(() => createTokenRegistry({} as never)).toThrow(
      /^createTokenRegistry: create must be a function$/,
    );
    const create = () => fakeManager();
    expect(() => createTokenRegistry({ create, maxSize: 0 })).toThrow(
      /^createTokenRegistry: maxSize/,
    );
    expect(() => createTokenRegistry({ create, maxSize: 1.5 })).toThrow(
      /maxSize must be an integer/,
    );
    expect(() => createTokenRegistry({ create, idleTimeoutMs: -1 })).toThrow(/idleTimeoutMs/);
    expect(() => createTokenRegistry({ create, now: 5 as never })).toThrow(
      /now must be a function/,
    );
  });

  it('lets create’s own error through, keeping nothing for the key', () => {
    const error = new Error('unknown tenant');
    const tenants = createTokenRegistry({
      create: () => {
        throw error;
      },
    });
    expect(() => tenants.get('x')).toThrow(error);
    expect(tenants.size).toBe(0);
  });

  it('sweeps on the next get when its timer was lost (a runtime that drops timers)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { tenants, made, clock } = registry({ idleTimeoutMs: 60_000 });
    tenants.get('a');
    vi.clearAllTimers(); // the sweep timer is gone, as when a Worker's request ends
    clock.now += 60_000;
    tenants.get('b');
    expect(made.get('a')?.close).toHaveBeenCalledOnce();
    expect(tenants.size).toBe(1);
    expect(vi.getTimerCount()).toBe(1); // a new sweep, due when b turns idle
    await tenants.close();
  });
});
