import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@adrec/config';

/**
 * Lets an operator action through only with `Authorization: Bearer <CONSOLE_TOKEN>`.
 * Without CONSOLE_TOKEN the actions do not exist (404). Both sides are hashed
 * first so the comparison takes the same time whatever the length or content
 * of the presented token.
 */
@Injectable()
export class ConsoleTokenGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.console.token === undefined ? undefined : digest(config.console.token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) throw new NotFoundException('operator actions are off: the API has no CONSOLE_TOKEN');
    const http = context.switchToHttp();
    const header = http.getRequest<FastifyRequest>().headers.authorization ?? '';
    const presented = /^Bearer +(\S+)$/i.exec(header)?.[1];
    if (presented === undefined) {
      void http.getResponse<FastifyReply>().header('www-authenticate', 'Bearer realm="adrec-console"');
      throw new UnauthorizedException('operator actions need the header Authorization: Bearer <CONSOLE_TOKEN>');
    }
    if (!timingSafeEqual(digest(presented), this.expected))
      throw new ForbiddenException('the console token is not the configured CONSOLE_TOKEN');
    return true;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
