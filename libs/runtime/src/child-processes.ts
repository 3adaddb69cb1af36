import { ChildProcess } from 'node:child_process';

/**
 * SIGTERM, then SIGKILL if the process has not exited after `graceMs`;
 * resolves once it is gone. A process that already exited resolves at once.
 */
export async function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** How long one poll of `waitForHttpOk` waits for an answer before trying again. */
const POLL_TIMEOUT_MS = 2000;

/**
 * Polls `url` until it answers 2xx. Fails after `timeoutMs`, or as soon as
 * `child` (the process that should answer) exits. Each poll gives up after
 * POLL_TIMEOUT_MS, or when the child exits, so something else listening on
 * the port without answering cannot hold the wait.
 */
export async function waitForHttpOk(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const childExited = new AbortController();
  const onExit = () => childExited.abort();
  child?.once('exit', onExit);
  try {
    for (;;) {
      if (child && (child.exitCode !== null || child.signalCode !== null)) {
        throw new Error(`the process behind ${url} exited (${child.exitCode ?? child.signalCode})`);
      }
      const pollTimeout = AbortSignal.timeout(Math.min(POLL_TIMEOUT_MS, Math.max(1, deadline - Date.now())));
      try {
        if ((await fetch(url, { signal: AbortSignal.any([pollTimeout, childExited.signal]) })).ok) return;
      } catch {
        // not listening yet, not answering, or the child exited (checked above)
      }
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    child?.off('exit', onExit);
  }
}
