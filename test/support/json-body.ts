/**
 * The body of a JSON answer, typed as the test expects it. A test states the
 * shape it relies on here once, and its assertions check the values.
 */
export async function jsonBody<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Parses JSON text (an app's log line, an injected response's body) into the shape the test expects. */
export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}
