import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@adrec/config';
import { describeValidationErrors } from '@adrec/contracts';
import { JsonLogger } from '@adrec/logging';
import { ApiMetrics } from './api-metrics';
import { ApiModule } from './api.module';
import { CachedValidationPipe } from './cached-validation.pipe';
import { HttpErrorFilter } from './http-error.filter';
import { securityHeaders } from './security-headers';

/** Requests carry no body worth more than this; anything larger is refused (413). */
const BODY_LIMIT_BYTES = 16 * 1024;

/** Builds the API application (not listening yet); used by main.ts, the local stack, tests and the benchmark. */
export async function createApi(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(config),
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, routerOptions: { maxParamLength: 256 } }),
    { logger: new JsonLogger('api') },
  );
  const headers = securityHeaders({
    // The OpenAPI UI at /docs runs inline scripts and styles of its own.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  app.enableCors({ origin: config.http.corsOrigins === '*' ? '*' : config.http.corsOrigins, methods: ['GET', 'HEAD'] });

  const metrics = app.get(ApiMetrics);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', (request, reply, done) => {
    // Label by route pattern, never by raw URL, so the label set stays small.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.recordRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  app.useGlobalPipes(
    new CachedValidationPipe(
      new ValidationPipe({
        transform: true,
        whitelist: true,
        exceptionFactory: (errors) => new BadRequestException(describeValidationErrors(errors)),
      }),
    ),
  );
  app.useGlobalFilters(new HttpErrorFilter());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('adrec API')
      .setDescription(
        'Ad recommendations computed nightly: top_ctr (best click-through rate) and top_product (most viewed), ' +
          'top 20 per active advertiser. Errors are {"statusCode","error","message"}.',
      )
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });

  app.enableShutdownHooks();
  return app;
}
