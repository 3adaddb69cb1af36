/** What replaces a secret in a log line. */
export const REDACTED = '[REDACTED]';

/** Field names whose values are secrets whatever they hold. */
const SECRET_KEY = /(password|passwd|secret|token|authorization|cookie|api[-_]?key)$/i;
/** `scheme://user:password@host`: the password of a connection string. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@/?#\s]+@/gi;
/** Nested objects deeper than this are logged as they are (log fields are shallow). */
const MAX_DEPTH = 6;

const secretValues = new Set<string>();

/**
 * Registers values that must never appear in a log line, wherever they show
 * up (the console's bearer token); each entry point passes its configured
 * secrets once. Values shorter than 8 characters are ignored: replacing them
 * would mangle ordinary text.
 */
export function addLogSecrets(values: readonly (string | undefined)[]): void {
  for (const value of values) if (value && value.length >= 8) secretValues.add(value);
}

/**
 * A copy of `value` fit for a log: fields named like secrets (`password`,
 * `token`, `authorization`, …) replaced, passwords in URLs masked
 * (`postgres://adrec:***@db`), registered secret values replaced. Values
 * without anything to redact are returned as they are.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    let copy: unknown[] | undefined;
    items.forEach((item, index) => {
      const redacted = redactSecrets(item, depth + 1);
      if (redacted !== item) (copy ??= [...items])[index] = redacted;
    });
    return copy ?? value;
  }
  if (value instanceof Date) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const redacted = SECRET_KEY.test(key) && item !== undefined && item !== null && item !== '' ? REDACTED : redactSecrets(item, depth + 1);
    if (redacted !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = redacted;
  }
  return copy ?? value;
}

function redactString(text: string): string {
  let result = text.includes('://') ? text.replace(URL_PASSWORD, '$1***@') : text;
  for (const secret of secretValues) if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  return result;
}
