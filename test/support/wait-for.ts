import type { ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { Client } from 'pg';
import type { QueueConsumer } from '@adrec/messaging';
import type { PublishedListsCache } from '../../apps/api/src/published-lists.cache';

/**
 * Something that happens when what a test waits for may have changed: a
 * consumer handled a message, a process wrote a line, PostgreSQL delivered a
 * notification. Subscribing returns the function that unsubscribes.
 */
export type Signal = (listener: () => void) => () => void;

export interface WaitOptions {
  /** The events after which `probe` is checked again. */
  signals: readonly Signal[];
  /** Fails the wait after this long (default 60 s). */
  timeoutMs?: number;
  /**
   * Also checks every this many milliseconds: only for state that changes
   * with no event the test can observe (a queue depth SQS changes on its
   * own, a threshold of elapsed time, another process's cache). Default: never.
   */
  pollMs?: number;
}

/**
 * Waits until `probe` returns a value other than undefined. The probe runs
 * once at once and again after each signal (one check at a time; signals
 * during a check cause one more check after it), so a test waits for the
 * event that produces the state it checks, not for a fixed time.
 */
export function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, options: WaitOptions): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise<T>((resolve, reject) => {
    let checking = false;
    let again = false;
    let finished = false;
    const unsubscribe = options.signals.map((signal) => signal(() => void check()));
    const poll = options.pollMs === undefined ? undefined : setInterval(() => void check(), options.pollMs);
    const deadline = setTimeout(
      () => finish(() => reject(new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`))),
      timeoutMs,
    );
    function finish(settle: () => void): void {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      if (poll) clearInterval(poll);
      for (const stop of unsubscribe) stop();
      settle();
    }
    async function check(): Promise<void> {
      if (finished) return;
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        do {
          again = false;
          const value = await probe();
          if (value !== undefined) return finish(() => resolve(value));
        } while (again && !finished);
      } catch (error) {
        finish(() => reject(error instanceof Error ? error : new Error(String(error))));
      } finally {
        checking = false;
      }
    }
    void check();
  });
}

/** Each message a consumer in this process is done with (processed, failed or dead-lettered). */
export function handledBy<T extends object>(consumer: QueueConsumer<T>): Signal {
  return (listener) => consumer.onHandled(listener);
}

/** Each change of the published state an in-process API's cache installs (it reloaded after a publication). */
export function changesOf(cache: PublishedListsCache): Signal {
  return (listener) => cache.onChange(listener);
}

/** Each `event` an emitter of the test's own emits. */
export function emitted(emitter: EventEmitter, event: string): Signal {
  return (listener) => {
    emitter.on(event, listener);
    return () => emitter.off(event, listener);
  };
}

/** Each chunk a child process writes to stdout or stderr (the apps log one JSON line per event). */
export function outputOf(child: ChildProcess): Signal {
  return (listener) => {
    const streams = [child.stdout, child.stderr].filter((stream) => stream !== null);
    for (const stream of streams) stream.on('data', listener);
    child.on('exit', listener);
    return () => {
      for (const stream of streams) stream.off('data', listener);
      child.off('exit', listener);
    };
  };
}

/** A PostgreSQL LISTEN connection: each notification on its channel is a signal. */
export class DatabaseNotifications {
  private constructor(private readonly client: Client) {}

  /** Listens on `channel`; notifications are delivered on commit of the transaction that sent them. */
  static async listen(databaseUrl: string, channel: string): Promise<DatabaseNotifications> {
    const client = new Client({ connectionString: databaseUrl, application_name: 'adrec-test-listener' });
    await client.connect();
    await client.query(`LISTEN ${channel}`);
    return new DatabaseNotifications(client);
  }

  readonly signal: Signal = (listener) => {
    this.client.on('notification', listener);
    return () => this.client.off('notification', listener);
  };

  close(): Promise<void> {
    return this.client.end();
  }
}
