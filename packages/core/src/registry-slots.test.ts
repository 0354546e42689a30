/** Values by key in numbered slots: lookups, removal, and freed slots reused before new ones. */
import { describe, expect, it } from 'vitest';
import { RegistrySlots } from './registry-slots.ts';

describe('RegistrySlots', () => {
  it('holds a value per key in a slot, found by key', () => {
    const slots = new RegistrySlots<{ name: string }>();
    const acme = { name: 'acme' };
    const slot = slots.add('acme', acme);
    const other = slots.add('globex', { name: 'globex' });
    expect(other).not.toBe(slot);
    expect(slots.slotOf('acme')).toBe(slot);
    expect(slots.valueAt(slot)).toBe(acme);
    expect(slots.keyAt(slot)).toBe('acme');
    expect(slots.slotOf('initech')).toBeUndefined();
    expect(slots.size).toBe(2);
  });

  it('forgets a removed slot’s key and reuses the slot before making a new one', () => {
    const slots = new RegistrySlots<string>();
    const [a, b, c] = ['a', 'b', 'c'].map((key) => slots.add(key, `${key}-value`));
    slots.remove(b as number);
    expect(slots.slotOf('b')).toBeUndefined();
    expect(slots.size).toBe(2);
    expect(slots.add('d', 'd-value')).toBe(b);
    expect(slots.valueAt(b as number)).toBe('d-value');
    expect(slots.keyAt(b as number)).toBe('d');
    expect(slots.add('e', 'e-value')).toBe(Math.max(a as number, b as number, c as number) + 1);
    expect(slots.values().sort()).toEqual(['a-value', 'c-value', 'd-value', 'e-value']);
  });

  it('forgets every key on clear, and numbers slots from the start again', () => {
    const slots = new RegistrySlots<string>();
    const first = slots.add('a', 'a-value');
    slots.add('b', 'b-value');
    slots.remove(first);
    slots.clear();
    expect(slots.size).toBe(0);
    expect(slots.slotOf('b')).toBeUndefined();
    expect(slots.values()).toEqual([]);
    expect(slots.add('c', 'c-value')).toBe(first);
    expect(slots.add('d', 'd-value')).toBe(first + 1);
  });
});
