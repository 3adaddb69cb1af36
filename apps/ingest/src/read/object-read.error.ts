import { AdrecError } from '@adrec/contracts';
import { StreamReadError } from '@adrec/csv';

/**
 * A raw object that cannot be read to its end fails the run, naming the
 * object and how far reading got: re-reading a corrupt or truncated gzip
 * fails the same way every time, so retrying the trigger only delays the
 * verdict. Other errors pass through unchanged.
 */
export function objectReadError(key: string, error: unknown, startOffset = 0): unknown {
  if (!(error instanceof StreamReadError)) return error;
  const at = startOffset + error.offset;
  return error.corrupt
    ? new AdrecError('INGEST.CORRUPT_OBJECT', `${key}: gzip data is corrupt or truncated (${error.message}) after ${at} compressed bytes`, {
        cause: error,
        details: { key, offset: at },
      })
    : new AdrecError('INGEST.OBJECT_READ_FAILED', `${key}: reading failed at byte ${at} (${error.message})`, {
        cause: error,
        details: { key, offset: at },
      });
}
