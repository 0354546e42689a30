/**
 * The order of use of a registry's entries, kept exactly but paid for only when the least
 * recently used one is asked for (an eviction, an idle sweep), not at every use.
 *
 * @module
 */

/** What {@link UseOrder} orders: an entry that counts its own uses. */
export interface UsedEntry {
  /** The use stamp of its last use, from {@link UseOrder.stamp}: larger is more recent. */
  lastUse: number;
  /** The use stamp it is filed under in the order: its `lastUse` at the time it was filed. */
  filedAt: number;
}

/**
 * Entries in order of last use. Marking a use ({@link UseOrder.use}) writes one number on the
 * entry: with thousands of entries used in turn, a request touches no shared structure beyond
 * the lookup that found the entry. The order is a binary min-heap on the stamp each entry was
 * filed under, a stamp never later than its last use: {@link UseOrder.leastRecent} refiles the
 * top entry under its last use while that moved on, so the entry it settles on is the least
 * recently used exactly (every other one was filed under, and so last used at, a later stamp).
 * Each refiling answers at least one use, so the cost is O(log n) per use at most, spent only
 * when the least recently used entry is asked for. An entry dropped from the registry is dropped
 * from the order by `isHeld`, lazily: when it is next met at the top, or when such entries
 * outnumber the held ones.
 *
 * @example
 * ```ts
 * const order = new UseOrder<Entry>((entry) => entries.get(entry.key) === entry);
 * order.add(entry);           // a new entry, used now
 * order.use(entry);           // at each get
 * const oldest = order.leastRecent(); // the entry to drop beyond the bound
 * ```
 */
export class UseOrder<T extends UsedEntry> {
  #heap: T[] = [];
  readonly #isHeld: (entry: T) => boolean;
  #stamp = 0;

  /** `isHeld(entry)`: whether the registry still holds `entry` (else it leaves the order). */
  constructor(isHeld: (entry: T) => boolean) {
    this.#isHeld = isHeld;
  }

  /** A new use stamp, later than every one before. */
  stamp(): number {
    this.#stamp++;
    return this.#stamp;
  }

  /** Marks `entry` used now. */
  use(entry: T): void {
    entry.lastUse = this.stamp();
  }

  /** Files a new `entry`, used now. `held` is how many entries the registry holds. */
  add(entry: T, held: number): void {
    entry.lastUse = entry.filedAt = this.stamp();
    // Entries dropped from the registry leave lazily: shed them before they outnumber the others
    // (an array sorted by stamp is a heap).
    if (this.#heap.length >= 2 * held + 16)
      this.#heap = this.#heap
        .filter((entry) => this.#isHeld(entry))
        .sort((a, b) => a.filedAt - b.filedAt);
    // Filed under the latest stamp, it belongs at the end: the heap stays a heap.
    this.#heap.push(entry);
  }

  /** The least recently used entry the registry holds, or `undefined` without any. */
  leastRecent(): T | undefined {
    const heap = this.#heap;
    for (;;) {
      const top = heap[0];
      if (top === undefined) return undefined;
      if (!this.#isHeld(top)) this.#removeTop();
      else if (top.lastUse === top.filedAt) return top;
      else {
        top.filedAt = top.lastUse;
        this.#siftDownTop();
      }
    }
  }

  /**
   * Takes the least recently used entry out of the order (see {@link UseOrder.leastRecent}) and
   * returns it; when `only(entry)` is false, leaves it there and returns `undefined`.
   */
  takeLeastRecent(only?: (entry: T) => boolean): T | undefined {
    const oldest = this.leastRecent();
    if (oldest === undefined || (only !== undefined && !only(oldest))) return undefined;
    this.#removeTop();
    return oldest;
  }

  /** Forgets every entry. */
  clear(): void {
    this.#heap = [];
  }

  #removeTop(): void {
    const last = this.#heap.pop();
    if (last === undefined || this.#heap.length === 0) return;
    this.#heap[0] = last;
    this.#siftDownTop();
  }

  /** Moves the top entry down to its place, after its stamp grew or it was replaced. */
  #siftDownTop(): void {
    const heap = this.#heap;
    const { length } = heap;
    const entry = heap[0] as T;
    let at = 0;
    for (;;) {
      let childAt = 2 * at + 1;
      if (childAt >= length) break;
      const right = childAt + 1;
      if (right < length && (heap[right] as T).filedAt < (heap[childAt] as T).filedAt)
        childAt = right;
      const child = heap[childAt] as T;
      if (child.filedAt >= entry.filedAt) break;
      heap[at] = child;
      at = childAt;
    }
    heap[at] = entry;
  }
}
