import { describe, expect, it } from 'vitest';
import { setNewest } from './bounded-map.ts';

describe('setNewest', () => {
  it('keeps at most max entries, dropping the ones set longest ago', () => {
    const map = new Map<string, number>();
    for (let i = 0; i < 5; i++) setNewest(map, `k${i}`, i, 3);
    expect([...map]).toEqual([
      ['k2', 2],
      ['k3', 3],
      ['k4', 4],
    ]);
  });

  it('makes a key set again the newest, so it outlives the others', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
    ]);
    setNewest(map, 'a', 10, 2);
    setNewest(map, 'c', 3, 2);
    expect([...map]).toEqual([
      ['a', 10],
      ['c', 3],
    ]);
  });
});
