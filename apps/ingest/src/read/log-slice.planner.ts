import { HeaderColumns, LogDatasetName, ObjectStore } from '@adrec/storage';
import { readLogHeader } from './log-header.reader';
import { RawObject } from './raw-datasets.locator';

/**
 * A part of one raw log object that one thread reads. Uncompressed objects
 * larger than the slice size are cut at byte offsets; a slice owns the lines
 * that start inside it, so the slices of an object read each line once.
 * A gzipped object is one slice (it can only be read from its start).
 */
export interface LogSlice {
  /** Place in the plan: an object's slices are consecutive and in byte order. */
  index: number;
  key: string;
  dataset: LogDatasetName;
  gzip: boolean;
  /** Byte offset of the slice; 0 for the slice holding the header line. */
  start: number;
  /** Byte offset it ends at (exclusive); undefined: the end of the object. */
  end?: number;
  /** The object's columns, read from its header by the planner, for slices after the first. */
  columns?: HeaderColumns;
}

/** Cuts the window's log objects into slices of about `sliceBytes`. */
export async function planLogSlices(
  store: ObjectStore,
  objects: { object: RawObject; dataset: LogDatasetName }[],
  sliceBytes: number,
): Promise<LogSlice[]> {
  const slices: LogSlice[] = [];
  for (const { object, dataset } of objects) {
    const whole = { key: object.key, dataset, gzip: object.gzip, start: 0 };
    const { size } = object;
    if (object.gzip || size <= sliceBytes) {
      slices.push({ index: slices.length, ...whole });
      continue;
    }
    const columns = await readLogHeader(store, object.key, dataset, size);
    const count = Math.ceil(size / sliceBytes);
    for (let i = 0; i < count; i++) {
      const start = Math.floor((size * i) / count);
      const end = i === count - 1 ? undefined : Math.floor((size * (i + 1)) / count);
      slices.push({ index: slices.length, ...whole, start, end, columns: i === 0 ? undefined : columns });
    }
  }
  return slices;
}
