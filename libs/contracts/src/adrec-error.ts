/**
 * An expected failure with a stable code (`INGEST.DATASET_MISSING`), a message
 * a person can act on, and the underlying cause. Codes are mapped to HTTP
 * statuses or run states at the edge, never parsed from messages.
 */
export class AdrecError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AdrecError';
    this.details = options.details ?? {};
  }

  readonly details: Record<string, unknown>;
}
