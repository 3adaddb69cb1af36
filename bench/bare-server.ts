import fastify from 'fastify';
import { readFileSync } from 'node:fs';
import { retainNextTickShape } from '@adrec/runtime';
import { requestIdGenerator } from '../apps/api/src/request-id';

/**
 * The baseline of `npm run bench:api`, in a process of its own like the API:
 * a bare Fastify server answering GET /recommendations/:advertiserId/:model
 * with the API's own bodies from a Map, and nothing else (no hooks, no
 * validation, no headers but content-type).
 *
 *   node dist-bench/bench/bare-server.js BODIES_FILE PORT [HEADERS_FILE]
 *
 * BODIES_FILE is a JSON object of path to body, written by api.bench.ts from
 * the API's answers. With HEADERS_FILE (a JSON object of header to value: the
 * security and CORS headers the API sent) the server also sends those on
 * every answer, in Fastify's own way (`reply.headers` in an onRequest hook),
 * and gives every request an id the API's way (`requestIdGenerator`): what
 * the API's headers and request ids cost on their own, with nothing else of
 * the API.
 *
 * Like the API, it keeps one of Node's nextTick queue entries alive
 * (`retainNextTickShape`): without it, a bare Fastify process too can end up
 * with nextTick calling the V8 runtime on every call, 20–30 % slower, and the
 * baseline would move with it.
 */
const [bodiesFile, port, headersFile] = process.argv.slice(2);
if (!bodiesFile || !port) throw new Error('usage: bare-server.js BODIES_FILE PORT [HEADERS_FILE]');

retainNextTickShape();

const byKey = new Map<string, Buffer>();
for (const [path, body] of Object.entries(JSON.parse(readFileSync(bodiesFile, 'utf8')) as Record<string, string>)) {
  const [, , advertiserId, model] = path.split('/');
  byKey.set(`${advertiserId}\u0000${model}`, Buffer.from(body));
}

const server = fastify({
  routerOptions: { maxParamLength: 256 },
  ...(headersFile ? { requestIdHeader: 'x-request-id', genReqId: requestIdGenerator() } : {}),
});
if (headersFile) {
  const headers = JSON.parse(readFileSync(headersFile, 'utf8')) as Record<string, string>;
  server.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
// Synchronous and returning the body, Fastify's cheapest way to answer
// (returning the reply, a thenable, would make Fastify wait for its end).
server.get<{ Params: { advertiserId: string; model: string } }>('/recommendations/:advertiserId/:model', (request, reply) => {
  reply.header('content-type', 'application/json; charset=utf-8');
  const body = byKey.get(`${request.params.advertiserId}\u0000${request.params.model}`);
  if (body) return body;
  reply.code(404);
  return '{"statusCode":404,"error":"Not Found","message":"unknown"}';
});
server.listen({ port: Number(port), host: '127.0.0.1' }).then(
  () => process.stdout.write(`bare Fastify server${headersFile ? ' with headers' : ''} listening on ${port}\n`),
  (error) => {
    process.stderr.write(`bare Fastify server failed to start: ${(error as Error).stack}\n`);
    process.exit(1);
  },
);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
