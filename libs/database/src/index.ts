export { createPool, inTransaction, postgresTls } from './database.pool';
export type { PoolOptions } from './database.pool';
export { DatabaseModule } from './database.module';
export { migrate } from './migrate';
export { RunsRepository } from './runs.repository';
export type { IngestOutcome, PendingJob, RunRecord, RunStatus } from './runs.repository';
export { PUBLICATION_CHANNEL } from './publication-channel';
export type { PublicationNotice } from './publication-channel';
