const utf8 = new TextDecoder();

/**
 * Interns byte-string keys (CSV fields, found by `CsvRecord`'s byte ranges and
 * hashes) as dense ids 0, 1, 2, … without creating a string per lookup.
 *
 * A key is a `group` number plus bytes, so one table can hold, say, the
 * products of every advertiser (group = the advertiser's id). Callers keep
 * per-key values in arrays indexed by id. Open addressing with linear
 * probing over typed arrays: memory is a few bytes per key plus the key
 * bytes, with no object per entry.
 */
export class ByteKeyTable {
  /** Two ints per slot: the key's hash, then its id + 1 (0: empty). A probe reads one cache line. */
  private slots: Int32Array;
  private mask: number;
  private keyBytes: Uint8Array;
  private keyBytesUsed = 0;
  /** Four ints per id: group, key start, key end, hash. */
  private entries: Int32Array;
  private count = 0;

  /** `expectedKeys` sizes the table up front (default 1024); it grows by doubling past that. */
  constructor(expectedKeys = 1024) {
    let capacity = 16;
    while (capacity < expectedKeys * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
    this.entries = new Int32Array(capacity * 2);
    this.keyBytes = new Uint8Array(Math.max(1024, expectedKeys * 16));
  }

  /** Number of keys interned. */
  get size(): number {
    return this.count;
  }

  /** The id of (`group`, `data[start, end)`), or -1 when absent. `hash` is `hashBytes` of the bytes. */
  find(group: number, data: Uint8Array, start: number, end: number, hash: number): number {
    const slots = this.slots;
    let slot = slotHash(hash, group) & this.mask;
    for (;;) {
      const entry = slots[slot * 2 + 1];
      if (entry === 0) return -1;
      if (slots[slot * 2] === hash && this.keyEquals(entry - 1, group, data, start, end)) return entry - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The id of (`group`, `data[start, end)`), adding the key when it is new. */
  intern(group: number, data: Uint8Array, start: number, end: number, hash: number): number {
    const slots = this.slots;
    let slot = slotHash(hash, group) & this.mask;
    for (;;) {
      const entry = slots[slot * 2 + 1];
      if (entry === 0) break;
      if (slots[slot * 2] === hash && this.keyEquals(entry - 1, group, data, start, end)) return entry - 1;
      slot = (slot + 1) & this.mask;
    }
    const id = this.count++;
    if (id * 4 === this.entries.length) {
      const grown = new Int32Array(this.entries.length * 2);
      grown.set(this.entries);
      this.entries = grown;
    }
    const length = end - start;
    if (this.keyBytesUsed + length > this.keyBytes.length) {
      const grown = new Uint8Array(Math.max(this.keyBytes.length * 2, this.keyBytesUsed + length));
      grown.set(this.keyBytes.subarray(0, this.keyBytesUsed));
      this.keyBytes = grown;
    }
    this.keyBytes.set(data.subarray(start, end), this.keyBytesUsed);
    this.entries[id * 4] = group;
    this.entries[id * 4 + 1] = this.keyBytesUsed;
    this.entries[id * 4 + 2] = this.keyBytesUsed += length;
    this.entries[id * 4 + 3] = hash;
    slots[slot * 2] = hash;
    slots[slot * 2 + 1] = id + 1;
    if (this.count * 4 > slots.length) this.rehash();
    return id;
  }

  /** The key's bytes decoded as UTF-8. */
  keyText(id: number): string {
    return utf8.decode(this.keyBytes.subarray(this.entries[id * 4 + 1], this.entries[id * 4 + 2]));
  }

  groupOf(id: number): number {
    return this.entries[id * 4];
  }

  private keyEquals(id: number, group: number, data: Uint8Array, start: number, end: number): boolean {
    const entries = this.entries;
    if (entries[id * 4] !== group) return false;
    const keyStart = entries[id * 4 + 1];
    if (entries[id * 4 + 2] - keyStart !== end - start) return false;
    const keys = this.keyBytes;
    for (let i = start, k = keyStart; i < end; i++, k++) if (data[i] !== keys[k]) return false;
    return true;
  }

  /** Doubles the slots, keeping the load factor under one half. */
  private rehash(): void {
    const capacity = this.slots.length;
    this.slots = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
    for (let id = 0; id < this.count; id++) {
      const hash = this.entries[id * 4 + 3];
      let slot = slotHash(hash, this.entries[id * 4]) & this.mask;
      while (this.slots[slot * 2 + 1] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot * 2] = hash;
      this.slots[slot * 2 + 1] = id + 1;
    }
  }
}

/** Mixes the group into the hash and spreads high bits down (FNV's low bits alone cluster). */
function slotHash(hash: number, group: number): number {
  let h = Math.imul(hash ^ Math.imul(group, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  return h;
}
