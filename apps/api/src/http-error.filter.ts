import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JsonLogger, serializeError } from '@adrec/logging';
import { INTERNAL_ERROR_MESSAGE, sendError } from './json-reply';

/**
 * Errors thrown by the Nest routes, written by `sendError` like every other
 * error of the API. Client errors keep their message; anything unexpected is logged with its
 * stack and answered with a plain 500, never a stack trace or SQL text.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new JsonLogger('api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest | undefined>();
    let statusCode: number = HttpStatus.INTERNAL_SERVER_ERROR;
    let message = INTERNAL_ERROR_MESSAGE;
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
    sendError(reply, statusCode, message);
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
