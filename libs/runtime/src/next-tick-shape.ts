import { createHook } from 'node:async_hooks';

/**
 * One of `process.nextTick`'s queue entries, kept for the life of the
 * process (see `retainNextTickShape`).
 */
let retained: object | undefined;

/**
 * Keeps one entry of Node's nextTick queue alive for good, so that V8 never
 * drops the hidden classes ("maps") such entries are built with.
 *
 * Why: Node builds each entry as an object literal with computed symbol keys
 * (`{ [async_id_symbol]: …, [trigger_async_id_symbol]: …, … }` in
 * lib/internal/process/task_queues.js). V8 records one map per property
 * definition of that literal and goes straight from one map to "megamorphic"
 * as soon as it sees a second. Entries live for microseconds, so nothing
 * holds their maps: when a garbage collection drops them (in this API, after
 * minutes of load and idle), the next entry is built with new maps, the
 * definitions go megamorphic for the rest of the process, and the optimized
 * nextTick calls into the V8 runtime four times per call. The API makes
 * about six nextTick calls per request: such a process spent ~25,000 more
 * instructions per request and served 20–30 % fewer requests per second on
 * one core (README, Performance). One retained entry keeps the maps, and so
 * the definitions stay monomorphic.
 *
 * The entry is caught once (`catchNextTickEntry`), so there is no lasting
 * cost. Safe to call more than once. Returns the retained entry.
 */
export function retainNextTickShape(): object {
  retained ??= catchNextTickEntry();
  return retained;
}

/**
 * The entry Node queues for one `process.nextTick` call of a no-op, caught
 * by an async hook enabled only around that call (Node hands the hook the
 * entry itself).
 */
export function catchNextTickEntry(): object {
  let entry: object | undefined;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === 'TickObject') entry ??= resource;
    },
  });
  hook.enable();
  try {
    process.nextTick(() => undefined);
  } finally {
    hook.disable();
  }
  if (!entry) throw new Error('catchNextTickEntry: Node reported no TickObject for process.nextTick (has Node changed?)');
  return entry;
}
