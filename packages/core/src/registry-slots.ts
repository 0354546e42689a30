/**
 * Values by key, each in a numbered slot: a lookup yields a small integer, and what a slot holds
 * sits in arrays indexed by it, not in an object of its own.
 *
 * @module
 */

/**
 * Values by key, each in a numbered slot that is reused once its value is removed (so arrays
 * indexed by slot grow only to the most values ever held at once). A lookup ({@link RegistrySlots.slotOf}) reads only the key's map entry, whose value is
 * an integer stored in place: with thousands of keys, reaching a key's value costs no per-key
 * object, and other per-slot facts (when it was last used) go into typed arrays indexed by the
 * same slot.
 *
 * @example
 * ```ts
 * const slots = new RegistrySlots<TokenManager>();
 * const slot = slots.add('acme', manager);
 * slots.slotOf('acme');     // slot
 * slots.valueAt(slot);      // manager
 * slots.remove(slot);       // 'acme' is gone; the slot is reused by the next add
 * ```
 */
export class RegistrySlots<T> {
  readonly #slots = new Map<string, number>();
  /** Per slot: its key, or `undefined` while the slot is free. */
  readonly #keys: (string | undefined)[] = [];
  /** Per slot: its value, or `undefined` while the slot is free. */
  readonly #values: (T | undefined)[] = [];
  /** The free slots, the last freed on top. */
  readonly #free: number[] = [];

  /** How many keys are held. */
  get size(): number {
    return this.#slots.size;
  }

  /** The slot of `key`, or `undefined` when it is not held. */
  slotOf(key: string): number | undefined {
    return this.#slots.get(key);
  }

  /** The value in `slot` (a slot held, from {@link RegistrySlots.slotOf} or `add`). */
  valueAt(slot: number): T {
    return this.#values[slot] as T;
  }

  /** The key of `slot` (a slot held). */
  keyAt(slot: number): string {
    return this.#keys[slot] as string;
  }

  /** Holds `value` for `key` (not held yet) in a free slot, or a new one; returns the slot. */
  add(key: string, value: T): number {
    const slot = this.#free.pop() ?? this.#values.length;
    this.#keys[slot] = key;
    this.#values[slot] = value;
    this.#slots.set(key, slot);
    return slot;
  }

  /** Forgets the key and value of `slot` (a slot held) and frees it for reuse. */
  remove(slot: number): void {
    this.#slots.delete(this.#keys[slot] as string);
    this.#keys[slot] = undefined;
    this.#values[slot] = undefined;
    this.#free.push(slot);
  }

  /** Every value held, in no particular order. */
  values(): T[] {
    return [...this.#slots.values()].map((slot) => this.#values[slot] as T);
  }

  /** Forgets every key and value. */
  clear(): void {
    this.#slots.clear();
    this.#keys.length = 0;
    this.#values.length = 0;
    this.#free.length = 0;
  }
}
