import { ConflictException, HttpException, Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { Pool } from 'pg';
import { AdrecError } from '@adrec/contracts';
import { PublicationOutcome, PublicationsRepository, WRITE_POOL } from '@adrec/database';

/** PostgreSQL's "insufficient privilege", and "read-only transaction" (the API's AWS login has default_transaction_read_only). */
const READ_ONLY_LOGIN_ERRORS = new Set(['42501', '25006']);

/**
 * The console's publish, rollback and unpin: the same PublicationsRepository
 * as `adrec publish|rollback|unpin`. They write, so they use DatabaseModule's
 * WRITE_POOL (DATABASE_URL) even when the API reads with
 * DATABASE_READONLY_URL; an API whose only login is the read-only role (as
 * deployed on AWS) answers 503 and the operator uses the CLI task instead.
 */
@Injectable()
export class ConsolePublications {
  private readonly repository: PublicationsRepository;

  constructor(@Inject(WRITE_POOL) writePool: Pool) {
    this.repository = new PublicationsRepository(writePool);
  }

  publish(runId: string, reason?: string): Promise<PublicationOutcome> {
    return this.mapped(() => this.repository.publish(runId, reason));
  }

  rollback(runDate: string, reason?: string): Promise<PublicationOutcome> {
    return this.mapped(() => this.repository.rollback(runDate, reason));
  }

  unpin(runDate: string, reason?: string): Promise<{ runId: string; changed: boolean }> {
    return this.mapped(() => this.repository.unpin(runDate, reason));
  }

  /** Expected refusals become HTTP answers naming what was wrong; anything else stays a 500. */
  private async mapped<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw toHttpError(error) ?? error;
    }
  }
}

function toHttpError(error: unknown): HttpException | undefined {
  if (error instanceof AdrecError) {
    if (error.code === 'PUBLICATION.RUN_NOT_FOUND') return new NotFoundException(error.message);
    if (error.code.startsWith('PUBLICATION.')) return new ConflictException(error.message);
  }
  if (READ_ONLY_LOGIN_ERRORS.has((error as { code?: string })?.code ?? '')) {
    return new ServiceUnavailableException(
      "this API's database login is read-only and may not publish; set DATABASE_URL to a login that may, or use adrec publish|rollback|unpin",
    );
  }
  return undefined;
}
