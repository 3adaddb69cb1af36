import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';

/** The content type of every JSON answer. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** What a client is told about a failure it cannot act on; the details go to the log, never into the answer. */
export const INTERNAL_ERROR_MESSAGE = 'internal error';

/** An error answer's body, `{"statusCode","error","message"}` (SPEC section 4); `error` is the status's standard text. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

export function errorBody(statusCode: number, message: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/**
 * Sends an error answer. Every error of the API leaves through here: the hot
 * route, the rate limit and the Nest exception filter alike.
 */
export function sendError(reply: FastifyReply, statusCode: number, message: string): void {
  void reply
    .status(statusCode)
    .header('content-type', JSON_CONTENT_TYPE)
    .send(JSON.stringify(errorBody(statusCode, message)));
}
