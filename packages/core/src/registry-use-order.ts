/**
 * When each of a registry's slots was last used, and their order of use, kept exactly but paid
 * for only when the least recently used one is asked for (an eviction, an idle sweep), not at
 * every use.
 *
 * @module
 */

/**
 * The slots of a registry (small integers, see `RegistrySlots`) in order of last use, with the
 * time of that use. Marking a use ({@link UseOrder.use}) writes two numbers side by side in an
 * array of numbers indexed by slot (the time and a use stamp: one cache line, no object per slot,
 * no boxed number), and nothing else.
 *
 * The order is a binary min-heap of slots on the stamp each was filed under, a stamp never later
 * than its last use: {@link UseOrder.leastRecent} refiles the top slot under its last use while
 * that moved on, so the slot it settles on is the least recently used exactly (every other one
 * was filed under, and so last used at, a later stamp). Each refiling answers at least one use,
 * so the cost is O(log n) per use at most, spent only when the least recently used slot is asked
 * for. Each slot knows its place in the heap, so a slot removed ({@link UseOrder.remove}) leaves
 * at once and can be reused for a new key right away.
 *
 * @example
 * ```ts
 * const order = new UseOrder();
 * order.add(slot, now);           // a new slot, used now
 * order.use(slot, now);           // at each get
 * const oldest = order.takeLeastRecent(); // the slot to drop beyond the bound
 * const idle = order.takeLeastRecent(now - idleTimeoutMs); // the oldest, if unused since then
 * ```
 */
export class UseOrder {
  /**
   * Per slot, side by side: the time of its last use (epoch ms) and the stamp of that use. Plain
   * arrays of numbers keep them unboxed, and grow by themselves: a new slot is at most one past
   * the largest so far (see `RegistrySlots`), so they stay without holes.
   */
  readonly #uses: number[] = [];
  /** Per slot: its position in the heap, `-1` when not filed. */
  readonly #positions: number[] = [];
  /** The heap, per position: the stamp the slot there is filed under, and the slot. */
  readonly #filedAt: number[] = [];
  readonly #heap: number[] = [];
  #length = 0;
  /** The latest use stamp: each use takes the next one. */
  #stamp = 0;

  /** Marks `slot` (filed with {@link UseOrder.add}) used at `now` (epoch ms). */
  use(slot: number, now: number): void {
    const uses = this.#uses;
    uses[2 * slot] = now;
    uses[2 * slot + 1] = ++this.#stamp;
  }

  /** When `slot` was last used (epoch ms). */
  usedAt(slot: number): number {
    return this.#uses[2 * slot] as number;
  }

  /** Files `slot` (not filed yet), used at `now`. */
  add(slot: number, now: number): void {
    // Not through `use`: its writes stay within the array, which keeps them cheap where they are
    // made at every get; these may lengthen it.
    const stamp = ++this.#stamp;
    this.#uses[2 * slot] = now;
    this.#uses[2 * slot + 1] = stamp;
    // Filed under the latest stamp, it belongs at the end: the heap stays a heap.
    const at = this.#length++;
    this.#filedAt[at] = stamp;
    this.#heap[at] = slot;
    this.#positions[slot] = at;
  }

  /** Takes `slot` out of the order at once (nothing when it is not filed). */
  remove(slot: number): void {
    const at = this.#positions[slot] ?? -1;
    if (at >= 0) this.#removeAt(at);
  }

  /** The least recently used slot, or `undefined` without any. */
  leastRecent(): number | undefined {
    const uses = this.#uses;
    for (;;) {
      if (this.#length === 0) return undefined;
      const top = this.#heap[0] as number;
      const lastUse = uses[2 * top + 1] as number;
      if (lastUse === this.#filedAt[0]) return top;
      this.#siftDown(0, lastUse, top);
    }
  }

  /**
   * Takes the least recently used slot out of the order (see {@link UseOrder.leastRecent}) and
   * returns it; when it was used after `usedBy` (epoch ms), leaves it there and returns
   * `undefined`.
   */
  takeLeastRecent(usedBy: number = Number.POSITIVE_INFINITY): number | undefined {
    const oldest = this.leastRecent();
    if (oldest === undefined || this.usedAt(oldest) > usedBy) return undefined;
    this.#removeAt(0);
    return oldest;
  }

  /** Forgets every slot. */
  clear(): void {
    this.#positions.length = 0;
    this.#length = 0;
  }

  /** Takes the slot at heap position `at` out, the last one filling its place. */
  #removeAt(at: number): void {
    this.#positions[this.#heap[at] as number] = -1;
    const last = --this.#length;
    if (at === last) return;
    const stamp = this.#filedAt[last] as number;
    const slot = this.#heap[last] as number;
    if (at > 0 && (this.#filedAt[(at - 1) >> 1] as number) > stamp) this.#siftUp(at, stamp, slot);
    else this.#siftDown(at, stamp, slot);
  }

  /** Files `slot` under `stamp` at position `at` or above, where the heap wants it. */
  #siftUp(at: number, stamp: number, slot: number): void {
    const filedAt = this.#filedAt;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if ((filedAt[parent] as number) <= stamp) break;
      this.#place(at, filedAt[parent] as number, this.#heap[parent] as number);
      at = parent;
    }
    this.#place(at, stamp, slot);
  }

  /** Files `slot` under `stamp` at position `at` or below, where the heap wants it. */
  #siftDown(at: number, stamp: number, slot: number): void {
    const filedAt = this.#filedAt;
    const length = this.#length;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= length) break;
      if (child + 1 < length && (filedAt[child + 1] as number) < (filedAt[child] as number))
        child++;
      if ((filedAt[child] as number) >= stamp) break;
      this.#place(at, filedAt[child] as number, this.#heap[child] as number);
      at = child;
    }
    this.#place(at, stamp, slot);
  }

  #place(at: number, stamp: number, slot: number): void {
    this.#filedAt[at] = stamp;
    this.#heap[at] = slot;
    this.#positions[slot] = at;
  }
}
