/**
 * A bounded least-recently-used cache. Sheets pass the same assumptions range to hundreds of
 * cells; Excel calls each cell's function separately, so the adapter keys work by the content
 * of the arguments and does it once. Two bounds keep memory flat however many distinct ranges
 * a session sees: a number of entries and a number of bytes (keys and values, estimated). The
 * oldest entries go when a new one would exceed either; an entry larger than the byte bound
 * alone is not kept at all.
 */
interface Entry<V> {
  readonly value: V;
  readonly bytes: number;
}

export class LruCache<V> {
  readonly capacity: number;
  readonly maxBytes: number;
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the oldest.
  private readonly entries = new Map<string, Entry<V>>();
  private totalBytes = 0;

  /** `sizeOf` estimates a value's bytes; keys count two bytes a character (UTF-16). */
  constructor(
    capacity: number,
    maxBytes = Infinity,
    private readonly sizeOf: (value: V) => number = () => 0,
  ) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`cache capacity must be a positive whole number, got ${capacity}`);
    if (!(maxBytes > 0)) throw new RangeError(`cache byte bound must be positive, got ${maxBytes}`);
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Estimated bytes held, keys included. */
  get bytes(): number {
    return this.totalBytes;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry?.value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    const bytes = key.length * 2 + this.sizeOf(value);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.totalBytes += bytes;
    while (this.entries.size > this.capacity || this.totalBytes > this.maxBytes) this.delete(this.entries.keys().next().value as string);
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
    this.totalBytes = 0;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }
}
