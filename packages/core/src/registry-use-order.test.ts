/**
 * The order of use on its own: the slot it gives as least recently used is exactly the one a plain
 * reference list gives, over long seeded sequences of adds, uses, removals and takes that reuse
 * freed slots and outgrow the first arrays; and the idle bound is inclusive.
 */
import { describe, expect, it } from 'vitest';
import { UseOrder } from './registry-use-order.ts';
import { seeded } from './test-support/seeded.ts';

/** The reference: slots least recently used first, each with the time of its last use. */
type Model = { slot: number; usedAt: number }[];

describe('UseOrder', () => {
  it('gives the least recently used slot, not the first filed', () => {
    const order = new UseOrder();
    for (const slot of [0, 1, 2]) order.add(slot, 1_000);
    order.use(0, 1_000); // the same ms: the order of uses still tells them apart
    order.use(1, 1_000);
    expect(order.leastRecent()).toBe(2);
    expect(order.takeLeastRecent()).toBe(2);
    expect(order.takeLeastRecent()).toBe(0);
    expect(order.takeLeastRecent()).toBe(1);
    expect(order.takeLeastRecent()).toBeUndefined();
    expect(order.leastRecent()).toBeUndefined();
  });

  it('takes a removed slot out at once: reused for a new key, it is the most recent', () => {
    const order = new UseOrder();
    for (const slot of [0, 1, 2]) order.add(slot, 1_000);
    order.remove(0);
    order.remove(0); // not filed any more: nothing
    order.add(0, 2_000);
    expect([order.takeLeastRecent(), order.takeLeastRecent(), order.takeLeastRecent()]).toEqual([
      1, 2, 0,
    ]);
    expect(order.usedAt(0)).toBe(2_000);
  });

  it('takes the least recently used only when it was used by the given time (inclusive)', () => {
    const order = new UseOrder();
    order.add(0, 1_000);
    order.add(1, 1_500);
    expect(order.takeLeastRecent(999)).toBeUndefined();
    expect(order.takeLeastRecent(1_000)).toBe(0);
    expect(order.takeLeastRecent(1_499)).toBeUndefined();
    order.use(1, 3_000);
    expect(order.takeLeastRecent(2_999)).toBeUndefined();
    expect(order.usedAt(1)).toBe(3_000);
    expect(order.takeLeastRecent(3_000)).toBe(1);
  });

  it('forgets every slot on clear, and files slots anew after', () => {
    const order = new UseOrder();
    for (const slot of [0, 1, 2]) order.add(slot, 1_000);
    order.clear();
    expect(order.leastRecent()).toBeUndefined();
    order.remove(1); // not filed: nothing
    order.add(1, 2_000);
    expect(order.takeLeastRecent()).toBe(1);
    expect(order.leastRecent()).toBeUndefined();
  });

  it.each([
    [1, 20],
    [7, 20],
    [42, 300], // many slots, the arrays growing while slots are filed
  ])('matches a reference list over seeded steps (seed %i, up to %i slots)', (seed, most) => {
    const random = seeded(seed);
    const order = new UseOrder();
    const model: Model = [];
    const free: number[] = [];
    let slots = 0; // slots ever made
    let now = 1_000_000;
    const pick = () => model[Math.floor(random() * model.length)] as Model[number];
    const take = (usedBy?: number) => {
      const oldest = model[0];
      const expected =
        oldest === undefined || (usedBy !== undefined && oldest.usedAt > usedBy)
          ? undefined
          : oldest;
      expect(order.takeLeastRecent(usedBy)).toBe(expected?.slot);
      if (expected !== undefined) free.push(...model.splice(0, 1).map(({ slot }) => slot));
    };
    for (let step = 0; step < 20_000; step++) {
      now += Math.floor(random() * 3); // often the same ms
      const choice = random();
      if (model.length === 0 || (choice < 0.3 && model.length < most)) {
        const slot = free.pop() ?? slots++;
        order.add(slot, now);
        model.push({ slot, usedAt: now });
      } else if (choice < 0.8) {
        const used = pick();
        order.use(used.slot, now);
        model.splice(model.indexOf(used), 1);
        model.push({ slot: used.slot, usedAt: now });
      } else if (choice < 0.9) {
        const removed = pick();
        order.remove(removed.slot);
        model.splice(model.indexOf(removed), 1);
        free.push(removed.slot);
      } else if (choice < 0.95) take();
      else take(now - Math.floor(random() * 40));
      expect(order.leastRecent()).toBe(model[0]?.slot);
    }
    expect(slots).toBeGreaterThan(16); // past the room the arrays have at first
    for (const { slot, usedAt } of model) expect(order.usedAt(slot)).toBe(usedAt);
    const drained: number[] = [];
    for (let slot = order.takeLeastRecent(); slot !== undefined; slot = order.takeLeastRecent())
      drained.push(slot);
    expect(drained).toEqual(model.map(({ slot }) => slot));
  });
});
