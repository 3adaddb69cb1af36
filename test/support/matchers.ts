/**
 * jest's asymmetric matchers, typed `unknown` instead of jest's `any`: they
 * stand in a value an assertion compares, and nothing reads them.
 */
export function anyInstanceOf(type: unknown): unknown {
  const matcher: unknown = expect.any(type);
  return matcher;
}

export function stringContaining(text: string): unknown {
  const matcher: unknown = expect.stringContaining(text);
  return matcher;
}

export function stringMatching(pattern: string | RegExp): unknown {
  const matcher: unknown = expect.stringMatching(pattern);
  return matcher;
}

export function objectContaining(shape: object): unknown {
  const matcher: unknown = expect.objectContaining(shape);
  return matcher;
}

export function arrayContaining(items: readonly unknown[]): unknown {
  const matcher: unknown = expect.arrayContaining(items);
  return matcher;
}
