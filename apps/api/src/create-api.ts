import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@adrec/config';
import { describeValidationErrors, MAX_LIST_ITEMS } from '@adrec/contracts';
import { JsonLogger } from '@adrec/logging';
import { tracingEnabled } from '@adrec/observability';
import { retainNextTickShape } from '@adrec/runtime';
import { ApiMetrics } from './api-metrics';
import { ApiModule } from './api.module';
import { HttpErrorFilter } from './http-error.filter';
import { installEdgeHooks } from './edge-hooks';
import { PublishedListsCache } from './published-lists.cache';
import { ResponseHeaders } from './response-headers';
import { RECOMMENDATIONS_OPENAPI_PATH, registerRecommendationsRoute } from './recommendations.route';
import { requestIdGenerator } from './request-id';
import { installRequestTracing } from './request-tracing';
import { RunVersionsReader } from './run-versions.reader';

/** Requests carry no body worth more than this; anything larger is refused (413). */
const BODY_LIMIT_BYTES = 16 * 1024;

/** Fastify's trustProxy; a hop count as the function Fastify itself makes of one (Nest's type has no number). */
function trustedProxies(config: AppConfig): boolean | string[] | ((address: string, hop: number) => boolean) {
  const trust = config.http.trustProxy;
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

/** Builds the API application (not listening yet); used by main.ts, the local stack, tests and the benchmark. */
export async function createApi(config: AppConfig): Promise<NestFastifyApplication> {
  // Without it, a process serves 20–30 % fewer requests once V8 has dropped
  // the maps of Node's nextTick entries (next-tick-shape.ts).
  retainNextTickShape();
  // Path parameters up to 1024 characters reach validation, so an over-long
  // advertiser id is answered 400 naming the id rule rather than 414.
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(config),
    // trustProxy: behind a load balancer every client would otherwise share
    // the proxy's address, and so one rate-limit bucket.
    new FastifyAdapter({
      bodyLimit: BODY_LIMIT_BYTES,
      routerOptions: { maxParamLength: 1024 },
      trustProxy: trustedProxies(config),
      // A request id for the logs: the caller's (or load balancer's) X-Request-Id, else this process's next.
      requestIdHeader: 'x-request-id',
      genReqId: requestIdGenerator(),
    }),
    { logger: new JsonLogger('api') },
  );
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(ApiMetrics);
  if (tracingEnabled()) installRequestTracing(fastify);
  const headers = new ResponseHeaders(config);
  installEdgeHooks(fastify, config, metrics, headers);
  registerRecommendationsRoute(fastify, app.get(PublishedListsCache), metrics, app.get(RunVersionsReader), headers);

  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      whitelist: true,
      exceptionFactory: (errors) => new BadRequestException(describeValidationErrors(errors)),
    }),
  );
  app.useGlobalFilters(new HttpErrorFilter());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('adrec API')
      .setDescription(
        'Ad recommendations computed nightly: top_ctr (best click-through rate) and top_product (most viewed), ' +
          `top ${MAX_LIST_ITEMS} per active advertiser. Errors are {"statusCode","error","message"}.`,
      )
      .setVersion('1')
      .build(),
  );
  document.paths['/recommendations/{advertiserId}/{model}'] = RECOMMENDATIONS_OPENAPI_PATH as never;
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });

  app.enableShutdownHooks();
  return app;
}
