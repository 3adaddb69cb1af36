import type { FastifyInstance, FastifyReply } from 'fastify';
import { ADVERTISER_ID_PATTERN, isCalendarDate, ModelName, RUN_ID_PATTERN } from '@adrec/contracts';
import { JsonLogger, serializeError } from '@adrec/logging';
import { parseModelName } from '@adrec/ranking';
import { ApiMetrics } from './api-metrics';
import { INVALID_INPUT, unknownModelMessage } from './api-request.dto';
import { rateLimitMessage } from './edge-hooks';
import { errorBody, INTERNAL_ERROR_MESSAGE, sendError } from './json-reply';
import { ERROR_EXAMPLE, TOP_CTR_EXAMPLE, TOP_PRODUCT_EXAMPLE } from './openapi-examples';
import { Lookup, PublishedListsCache } from './published-lists.cache';
import { ResponseHeaders } from './response-headers';
import { RunVersionsReader } from './run-versions.reader';

/**
 * The inputs of GET /recommendations, validated at the edge by Fastify's
 * compiled schema (the rules live here and only here; `parseModelName` and
 * `isCalendarDate` finish what a pattern cannot say). The model has no
 * pattern: `parseModelName` alone decides it, so a bad model always gets the
 * same message.
 */
export const RECOMMENDATION_PARAMS_SCHEMA = {
  type: 'object',
  required: ['advertiserId', 'model'],
  properties: {
    advertiserId: { type: 'string', pattern: ADVERTISER_ID_PATTERN.source },
    model: { type: 'string' },
  },
} as const;

export const RECOMMENDATION_QUERY_SCHEMA = {
  type: 'object',
  properties: {
    date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    runId: { type: 'string', pattern: RUN_ID_PATTERN.source },
  },
} as const;

interface RecommendationRequest {
  Params: { advertiserId: string; model: string };
  Querystring: { date?: string; runId?: string };
}

/**
 * GET /recommendations/{advertiserId}/{model}: the route ad servers call on
 * every page view. It is a plain Fastify route rather than a Nest controller
 * so that a warm request costs a schema check, one map lookup and a write of
 * a body serialized when the run was published — no DI, pipes or guards on
 * the way (the rate limit and metrics hooks still apply). A 200 is written
 * straight to Node with the precomputed header list (`sendList`); the
 * errors go through `reply.send`, where the edge hooks add the headers.
 *
 * The handler is synchronous: a warm lookup answers at once, and only a date
 * not yet in memory is awaited. It sends and returns nothing, as Fastify
 * expects of a synchronous handler: returning the reply (a thenable) would
 * make Fastify wait for the response's end on every request.
 */
export function registerRecommendationsRoute(
  fastify: FastifyInstance,
  cache: PublishedListsCache,
  metrics: ApiMetrics,
  versions: RunVersionsReader,
  headers: ResponseHeaders,
): void {
  const logger = new JsonLogger('api');
  const lookupFailed = (reply: FastifyReply, error: unknown): void => {
    logger.error('recommendation lookup failed', { requestId: reply.request.id, err: serializeError(error) });
    sendError(reply, 500, INTERNAL_ERROR_MESSAGE);
  };
  fastify.get<RecommendationRequest>(
    '/recommendations/:advertiserId/:model',
    { schema: { params: RECOMMENDATION_PARAMS_SCHEMA, querystring: RECOMMENDATION_QUERY_SCHEMA }, attachValidation: true },
    (request, reply): Promise<void> | undefined => {
      if (request.validationError) {
        // Fastify types `validation` as any: it is Ajv's list of errors.
        const issues = request.validationError.validation as readonly { instancePath?: string }[] | undefined;
        const field = issues?.[0]?.instancePath?.replace('/', '') ?? '';
        sendError(reply, 400, INVALID_INPUT[field as keyof typeof INVALID_INPUT] ?? request.validationError.message);
        return;
      }
      const { advertiserId } = request.params;
      const model = parseModelName(request.params.model);
      if (!model) {
        sendError(reply, 400, unknownModelMessage(request.params.model));
        return;
      }
      const date = request.query.date;
      if (date !== undefined && !isCalendarDate(date)) {
        sendError(reply, 400, INVALID_INPUT.date);
        return;
      }
      let found: Lookup | Promise<Lookup>;
      try {
        // A specific version (?runId=): rare, off the cached path of published runs.
        if (request.query.runId !== undefined) {
          return sendVersion(reply, versions, headers, advertiserId, model, request.query.runId, date).catch((error) => {
            lookupFailed(reply, error);
          });
        }
        found = cache.lookup(advertiserId, model, date);
      } catch (error) {
        lookupFailed(reply, error);
        return;
      }
      if (!(found instanceof Promise)) {
        answer(reply, found, metrics, headers, advertiserId, date);
        return;
      }
      return found.then(
        (loaded) => answer(reply, loaded, metrics, headers, advertiserId, date),
        (error) => lookupFailed(reply, error),
      );
    },
  );
}

async function sendVersion(
  reply: FastifyReply,
  versions: RunVersionsReader,
  headers: ResponseHeaders,
  advertiserId: string,
  model: ModelName,
  runId: string,
  date: string | undefined,
): Promise<void> {
  const found = await versions.recommendation(advertiserId, model, runId, date);
  switch (found.kind) {
    case 'found':
      return sendList(reply, headers, found.body);
    case 'no_run':
      return sendError(reply, 404, found.message);
    case 'unknown_advertiser':
      return sendError(reply, 404, `advertiser ${advertiserId} has never been active`);
    case 'wrong_date':
      return sendError(reply, 400, `run ${runId} is of ${found.runDate}, not ${date}: give runId or date, or both that agree`);
  }
}

function answer(
  reply: FastifyReply,
  found: Lookup,
  metrics: ApiMetrics,
  headers: ResponseHeaders,
  advertiserId: string,
  date: string | undefined,
): void {
  if (found.kind === 'unknown_advertiser') return sendError(reply, 404, `advertiser ${advertiserId} has never been active`);
  if (found.kind === 'no_published_run') {
    return sendError(reply, 404, date ? `no published run for ${date}` : 'no run has been published yet');
  }
  metrics.recordCacheLookup(found.fromCache);
  sendList(reply, headers, found.body);
}

/**
 * A 200 with a list's ready body, written straight to Node with the
 * precomputed header list (see ResponseHeaders). The reply is hijacked, so
 * Fastify's send path and onSend hooks are skipped; its onResponse hooks
 * (metrics, tracing) still run when the answer is finished. An answer to
 * HEAD carries the GET's headers, content-length included, and no body.
 */
function sendList(reply: FastifyReply, headers: ResponseHeaders, body: Buffer): void {
  reply.hijack();
  reply.raw.writeHead(200, headers.jsonHeaderList(reply.request.headers.origin, body.length));
  reply.raw.end(reply.request.method === 'HEAD' ? undefined : body);
}

/** The route's entry in the OpenAPI document (Nest's generator only sees controllers). */
export const RECOMMENDATIONS_OPENAPI_PATH = {
  get: {
    tags: ['recommendations'],
    summary: "An advertiser's list for the latest published date, or for ?date=",
    operationId: 'getRecommendations',
    parameters: [
      {
        name: 'advertiserId',
        in: 'path',
        required: true,
        description: 'The advertiser id',
        schema: { ...RECOMMENDATION_PARAMS_SCHEMA.properties.advertiserId, example: 'VQ4YGSJW5RI50LHSYVAQ' },
      },
      {
        name: 'model',
        in: 'path',
        required: true,
        description: 'top_ctr or top_product, any case; TopCTR and TopProduct are accepted too',
        schema: { type: 'string', example: 'top_ctr' },
      },
      {
        name: 'date',
        in: 'query',
        required: false,
        description: 'A published date; the latest when omitted',
        schema: { type: 'string', format: 'date', example: '2022-04-14' },
      },
      {
        name: 'runId',
        in: 'query',
        required: false,
        description:
          "A specific run (version) still retained, published or not: staged, superseded or published; with date, date must be the run's",
        schema: { type: 'string', example: '2022-04-14-3f9c2a1b' },
      },
    ],
    responses: {
      200: {
        description: 'The ranked list (empty for a known advertiser with nothing to recommend)',
        content: { 'application/json': { examples: { top_ctr: { value: TOP_CTR_EXAMPLE }, top_product: { value: TOP_PRODUCT_EXAMPLE } } } },
      },
      400: {
        description: "Malformed advertiser id, unknown model, bad date or runId, or a date that is not the run's",
        content: { 'application/json': { example: ERROR_EXAMPLE(400) } },
      },
      404: {
        description: 'Advertiser never active, no published run for the date, or no retained complete run runId',
        content: { 'application/json': { example: ERROR_EXAMPLE(404) } },
      },
      429: {
        description: 'Rate limit exceeded',
        content: {
          'application/json': { example: errorBody(429, rateLimitMessage(12)) },
        },
      },
    },
  },
};
