/**
 * A bounded least-recently-used cache. Sheets pass the same assumptions range to hundreds of
 * cells; Excel calls each cell's function separately, so the adapter keys work by the content
 * of the arguments and does it once. The bound keeps memory flat however many distinct ranges
 * a session sees: the oldest entry goes when a new one would exceed it.
 */
export class LruCache<V> {
  readonly capacity: number;
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the oldest.
  private readonly entries = new Map<string, V>();

  constructor(capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`cache capacity must be a positive whole number, got ${capacity}`);
    this.capacity = capacity;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** The cached value for `key`, computing and storing it on a miss. */
  getOrCompute(key: string, compute: () => V): V {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const value = compute();
    this.set(key, value);
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
