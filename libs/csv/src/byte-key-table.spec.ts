import { ByteKeyTable } from './byte-key-table';
import { hashBytes } from './csv-record';

function intern(table: ByteKeyTable, group: number, key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  return table.intern(group, bytes, 0, bytes.length, hashBytes(bytes, 0, bytes.length));
}

function find(table: ByteKeyTable, group: number, key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  return table.find(group, bytes, 0, bytes.length, hashBytes(bytes, 0, bytes.length));
}

describe('ByteKeyTable', () => {
  it('gives each new key the next id and the same id when it comes again', () => {
    const table = new ByteKeyTable();
    expect([intern(table, 0, 'p1'), intern(table, 0, 'p2'), intern(table, 0, 'p1')]).toEqual([0, 1, 0]);
    expect(table.size).toBe(2);
    expect(table.keyText(1)).toBe('p2');
  });

  it('keeps equal bytes in different groups apart', () => {
    const table = new ByteKeyTable();
    const a = intern(table, 0, 'p1');
    const b = intern(table, 1, 'p1');
    expect(a).not.toBe(b);
    expect([table.groupOf(a), table.groupOf(b)]).toEqual([0, 1]);
    expect(find(table, 2, 'p1')).toBe(-1);
  });

  it('finds a key inside a larger buffer by its byte range', () => {
    const table = new ByteKeyTable();
    intern(table, 0, 'ADV1');
    const line = Buffer.from('x,ADV1,y');
    expect(table.find(0, line, 2, 6, hashBytes(line, 2, 6))).toBe(0);
    expect(table.find(0, line, 2, 5, hashBytes(line, 2, 5))).toBe(-1);
  });

  it('tells apart keys whose hashes collide', () => {
    const table = new ByteKeyTable();
    const one = Buffer.from('aa');
    const other = Buffer.from('bb');
    // The same hash given for both: the bytes must decide.
    const first = table.intern(0, one, 0, 2, 42);
    const second = table.intern(0, other, 0, 2, 42);
    expect(first).not.toBe(second);
    expect(table.find(0, other, 0, 2, 42)).toBe(second);
  });

  it('keeps every key and id through growth far past its initial size', () => {
    const table = new ByteKeyTable(4);
    const keys = Array.from({ length: 50_000 }, (_, i) => `product-${i.toString(36)}-é`);
    keys.forEach((key, i) => expect(intern(table, i % 7, key)).toBe(i));
    expect(table.size).toBe(keys.length);
    keys.forEach((key, i) => {
      expect(find(table, i % 7, key)).toBe(i);
      expect(table.keyText(i)).toBe(key);
    });
  });

  it('rebuilds a table from its snapshot with the same ids, and keeps interning after', () => {
    const table = new ByteKeyTable();
    const keys = Array.from({ length: 3000 }, (_, i) => `k${i}`);
    keys.forEach((key, i) => intern(table, i % 3, key));
    const copy = ByteKeyTable.fromSnapshot(table.snapshot());
    keys.forEach((key, i) => expect(find(copy, i % 3, key)).toBe(i));
    expect(intern(copy, 0, 'new')).toBe(3000);
    expect(copy.keyText(3000)).toBe('new');
  });

  it('visits every key of a snapshot with what intern needs', () => {
    const table = new ByteKeyTable();
    intern(table, 4, 'a');
    intern(table, 5, 'bc');
    const seen: [number, number, string][] = [];
    ByteKeyTable.forEachKey(table.snapshot(), (id, group, data, start, end, hash) => {
      expect(hash).toBe(hashBytes(data, start, end));
      seen.push([id, group, Buffer.from(data.subarray(start, end)).toString()]);
    });
    expect(seen).toEqual([
      [0, 4, 'a'],
      [1, 5, 'bc'],
    ]);
  });

  it('keeps keys longer than a record holds, and values per key through growth and snapshots', () => {
    const table = new ByteKeyTable(4, 2);
    const keys = Array.from({ length: 5000 }, (_, i) => (i % 2 ? `short${i}` : `a-rather-long-product-identifier-${i}`));
    keys.forEach((key, i) => {
      const id = intern(table, 1, key);
      table.add(id, 0, i);
      table.add(id, 1, 1);
    });
    keys.forEach((key) => table.add(intern(table, 1, key), 1, 1));
    const copy = ByteKeyTable.fromSnapshot(table.snapshot());
    for (const t of [table, copy]) {
      keys.forEach((key, i) => {
        expect(t.keyText(i)).toBe(key);
        expect([t.value(i, 0), t.value(i, 1)]).toEqual([i, 2]);
      });
    }
    const visited: string[] = [];
    ByteKeyTable.forEachKey(table.snapshot(), (id, _group, data, start, end, _hash, values, at) => {
      visited.push(`${Buffer.from(data.subarray(start, end)).toString()}=${values[at]}`);
    });
    expect(visited).toEqual(keys.map((key, i) => `${key}=${i}`));
  });
});
