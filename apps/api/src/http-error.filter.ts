import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JsonLogger, serializeError } from '@adrec/logging';

/**
 * Every error leaves as `{"statusCode","error","message"}` (SPEC section 4).
 * Client errors keep their message; anything unexpected is logged with its
 * stack and answered with a plain 500, never a stack trace or SQL text.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new JsonLogger('api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest | undefined>();
    let statusCode: number = HttpStatus.INTERNAL_SERVER_ERROR;
    let message = 'internal error';
    if (exception instanceof HttpException) {
      statusCode = exception.getStatus();
      message = messageOf(exception.getResponse());
    } else if (isFastifyClientError(exception)) {
      statusCode = exception.statusCode;
      message = exception.message;
    } else {
      this.logger.error('unhandled error', {
        requestId: request?.id,
        method: request?.method,
        url: request?.url,
        err: serializeError(exception),
      });
    }
    const error = STATUS_CODES[statusCode] ?? 'Error';
    void reply.status(statusCode).header('content-type', 'application/json; charset=utf-8').send({ statusCode, error, message });
  }
}

function messageOf(response: string | object): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : 'error';
}

function isFastifyClientError(error: unknown): error is { statusCode: number; message: string } {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}
