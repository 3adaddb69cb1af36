const utf8 = new TextDecoder();

/** A table's keys and values as plain typed arrays (see `ByteKeyTable.snapshot`). */
export interface ByteKeySnapshot {
  /** One record of `recordInts(valueSlots)` ints per key, in id order. */
  records: Int32Array;
  /** Bytes of the keys too long to be held in their record. */
  longKeyBytes: Uint8Array;
  valueSlots: number;
}

// A key's record: its group, byte length, where its bytes are in `longKeyBytes`
// (-1: in the record), its hash, then INLINE_BYTES of key bytes, then its values.
const GROUP = 0;
const LENGTH = 1;
const LONG_KEY_START = 2;
const HASH = 3;
const INLINE_KEY = 4;
const INLINE_INTS = 4;
const INLINE_BYTES = INLINE_INTS * 4;
const HEADER_INTS = INLINE_KEY + INLINE_INTS;

/** Byte offset, in the records' memory, of the inline key bytes of the record starting at int `record`. */
function inlineKeyOffset(record: number): number {
  return (record + INLINE_KEY) * 4;
}

function recordInts(valueSlots: number): number {
  return HEADER_INTS + valueSlots;
}

/**
 * Interns byte-string keys (CSV fields, found by `CsvRecord`'s byte ranges and
 * hashes) as dense ids 0, 1, 2, … without creating a string per lookup, and
 * keeps `valueSlots` integers per key (counters) next to it.
 *
 * A key is a `group` number plus bytes, so one table can hold, say, the
 * products of every advertiser (group = the advertiser's id). Open
 * addressing with linear probing over typed arrays. It is built for the
 * ingest loop, where nearly every lookup misses the CPU cache: a key of up to
 * 16 bytes and its values sit in one record, so a lookup and its counting
 * touch two places in memory (its slot and its record).
 */
export class ByteKeyTable {
  /** Two ints per slot: the key's hash, then its id + 1 (0: empty). */
  private slots: Int32Array;
  private mask: number;
  private records: Int32Array;
  /** The same memory as `records`, to read and write inline key bytes. */
  private recordBytes: Uint8Array;
  private longKeyBytes: Uint8Array;
  private longKeyBytesUsed = 0;
  private count = 0;
  private readonly stride: number;

  /**
   * @param expectedKeys sizes the table up front (default 1024); it grows by doubling past that.
   * @param valueSlots integers kept per key, starting at 0 (default 0).
   */
  constructor(
    expectedKeys = 1024,
    readonly valueSlots = 0,
  ) {
    let capacity = 16;
    while (capacity < expectedKeys * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
    this.stride = recordInts(valueSlots);
    this.records = new Int32Array((capacity / 2) * this.stride);
    this.recordBytes = new Uint8Array(this.records.buffer);
    this.longKeyBytes = new Uint8Array(1024);
  }

  /** Number of keys interned. */
  get size(): number {
    return this.count;
  }

  /** The id of (`group`, `data[start, end)`), or -1 when absent. `hash` is `hashBytes` of the bytes. */
  find(group: number, data: Uint8Array, start: number, end: number, hash: number): number {
    return this.slots[this.slotOf(group, data, start, end, hash) * 2 + 1] - 1;
  }

  /** The id of (`group`, `data[start, end)`), adding the key (its values 0) when it is new. */
  intern(group: number, data: Uint8Array, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const slot = this.slotOf(group, data, start, end, hash);
    if (slots[slot * 2 + 1] !== 0) return slots[slot * 2 + 1] - 1;
    const id = this.count++;
    if ((id + 1) * this.stride > this.records.length) this.growRecords(this.records.length * 2);
    const record = id * this.stride;
    const length = end - start;
    this.records[record + GROUP] = group;
    this.records[record + LENGTH] = length;
    this.records[record + HASH] = hash;
    if (length <= INLINE_BYTES) {
      this.records[record + LONG_KEY_START] = -1;
      this.recordBytes.set(data.subarray(start, end), inlineKeyOffset(record));
    } else {
      this.records[record + LONG_KEY_START] = this.storeLongKey(data, start, end);
    }
    slots[slot * 2] = hash;
    slots[slot * 2 + 1] = id + 1;
    if (this.count * 4 > slots.length) this.rehash();
    return id;
  }

  /** Adds `delta` to value `slot` of key `id`. */
  add(id: number, slot: number, delta: number): void {
    this.records[id * this.stride + HEADER_INTS + slot] += delta;
  }

  value(id: number, slot: number): number {
    return this.records[id * this.stride + HEADER_INTS + slot];
  }

  /** The key's bytes decoded as UTF-8. */
  keyText(id: number): string {
    const record = id * this.stride;
    const length = this.records[record + LENGTH];
    const longStart = this.records[record + LONG_KEY_START];
    const bytes =
      longStart === -1
        ? this.recordBytes.subarray(inlineKeyOffset(record), inlineKeyOffset(record) + length)
        : this.longKeyBytes.subarray(longStart, longStart + length);
    return utf8.decode(bytes);
  }

  groupOf(id: number): number {
    return this.records[id * this.stride + GROUP];
  }

  /** The table's keys and values in compact arrays that can be sent to another thread (transfer their buffers). */
  snapshot(): ByteKeySnapshot {
    return {
      records: this.records.slice(0, this.count * this.stride),
      longKeyBytes: this.longKeyBytes.slice(0, this.longKeyBytesUsed),
      valueSlots: this.valueSlots,
    };
  }

  /** Builds a table holding a snapshot's keys and values with the same ids, without comparing any key. */
  static fromSnapshot(snapshot: ByteKeySnapshot): ByteKeyTable {
    const count = snapshot.records.length / recordInts(snapshot.valueSlots);
    const table = new ByteKeyTable(count, snapshot.valueSlots);
    table.growRecords(Math.max(table.records.length, snapshot.records.length));
    table.records.set(snapshot.records);
    table.longKeyBytes = snapshot.longKeyBytes.length > 0 ? snapshot.longKeyBytes : table.longKeyBytes;
    table.longKeyBytesUsed = snapshot.longKeyBytes.length;
    table.count = count;
    table.rehash();
    return table;
  }

  /**
   * Calls `visit` with every key of a snapshot: its id, what `intern` needs,
   * and the snapshot's records with the index of its first value.
   */
  static forEachKey(
    snapshot: ByteKeySnapshot,
    visit: (id: number, group: number, data: Uint8Array, start: number, end: number, hash: number, values: Int32Array, at: number) => void,
  ): void {
    const { records, longKeyBytes } = snapshot;
    const stride = recordInts(snapshot.valueSlots);
    const bytes = new Uint8Array(records.buffer, records.byteOffset, records.byteLength);
    for (let id = 0, record = 0; record < records.length; id++, record += stride) {
      const length = records[record + LENGTH];
      const longStart = records[record + LONG_KEY_START];
      const data = longStart === -1 ? bytes : longKeyBytes;
      const start = longStart === -1 ? inlineKeyOffset(record) : longStart;
      visit(id, records[record + GROUP], data, start, start + length, records[record + HASH], records, record + HEADER_INTS);
    }
  }

  /** The slot holding the key, or the empty slot where it would go (linear probing). */
  private slotOf(group: number, data: Uint8Array, start: number, end: number, hash: number): number {
    const slots = this.slots;
    let slot = slotHash(hash, group) & this.mask;
    for (;;) {
      const entry = slots[slot * 2 + 1];
      if (entry === 0 || (slots[slot * 2] === hash && this.keyEquals(entry - 1, group, data, start, end))) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  private keyEquals(id: number, group: number, data: Uint8Array, start: number, end: number): boolean {
    const records = this.records;
    const record = id * this.stride;
    if (records[record + GROUP] !== group) return false;
    const length = records[record + LENGTH];
    if (length !== end - start) return false;
    const longStart = records[record + LONG_KEY_START];
    const keys = longStart === -1 ? this.recordBytes : this.longKeyBytes;
    for (let i = start, k = longStart === -1 ? inlineKeyOffset(record) : longStart; i < end; i++, k++)
      if (data[i] !== keys[k]) return false;
    return true;
  }

  private storeLongKey(data: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (this.longKeyBytesUsed + length > this.longKeyBytes.length) {
      const grown = new Uint8Array(Math.max(this.longKeyBytes.length * 2, this.longKeyBytesUsed + length));
      grown.set(this.longKeyBytes.subarray(0, this.longKeyBytesUsed));
      this.longKeyBytes = grown;
    }
    this.longKeyBytes.set(data.subarray(start, end), this.longKeyBytesUsed);
    const at = this.longKeyBytesUsed;
    this.longKeyBytesUsed += length;
    return at;
  }

  private growRecords(ints: number): void {
    if (ints === this.records.length) return;
    const grown = new Int32Array(ints);
    grown.set(this.records.subarray(0, Math.min(this.records.length, ints)));
    this.records = grown;
    this.recordBytes = new Uint8Array(grown.buffer);
  }

  /** Sizes the slots for the keys held (load factor under one half) and places every key. */
  private rehash(): void {
    let capacity = this.slots.length / 2;
    while (capacity < this.count * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
    for (let id = 0; id < this.count; id++) {
      const record = id * this.stride;
      const hash = this.records[record + HASH];
      let slot = slotHash(hash, this.records[record + GROUP]) & this.mask;
      while (this.slots[slot * 2 + 1] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot * 2] = hash;
      this.slots[slot * 2 + 1] = id + 1;
    }
  }
}

/** Mixes the group into the hash, then murmur3's finalizer: every input bit reaches the low bits the mask keeps. */
function slotHash(hash: number, group: number): number {
  let h = hash ^ Math.imul(group, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
