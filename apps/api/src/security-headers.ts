import helmet, { HelmetOptions } from 'helmet';

/**
 * The headers helmet sets, computed once. helmet's options never change
 * while the API runs, so rebuilding them on every request (as the Fastify
 * plugin does) only costs throughput; the hot path just copies this object.
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: Error | undefined;
  helmet(options)({} as never, response as never, (error?: unknown) => {
    if (error) failure = error instanceof Error ? error : new Error('helmet rejected its options', { cause: error });
  });
  if (failure) throw failure;
  return headers;
}
