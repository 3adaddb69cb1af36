import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@adrec/config';
import { describeValidationErrors } from '@adrec/contracts';
import { JsonLogger } from '@adrec/logging';
import { ApiModule } from './api.module';
import { HttpErrorFilter } from './http-error.filter';

/** Builds the API application (not listening yet); used by main.ts, the local stack and tests. */
export async function createApi(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(config),
    new FastifyAdapter({ bodyLimit: 16 * 1024, maxParamLength: 256 }),
    { logger: new JsonLogger('api') },
  );
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: false,
      exceptionFactory: (errors) => new BadRequestException(describeValidationErrors(errors)),
    }),
  );
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  return app;
}
