export { createPool, dedicatedConnection, inTransaction, poolFromConfig } from './database.pool';
export type { DatabaseLogin, PoolOptions, PoolUse } from './database.pool';
export { DatabaseModule, LISTENER_CONNECTION, WRITE_POOL } from './database.module';
export type { DatabaseModuleOptions } from './database.module';
export { migrate } from './migrate';
export { FINISHED_STATUSES, RunsRepository } from './runs.repository';
export { reportedStatus, runProblem } from './run-status';
export type { ReportedRunStatus } from './run-status';
export type { IngestOutcome, PendingJob, RunRecord, RunStatus } from './runs.repository';
export { PUBLICATION_CHANNEL } from './publication-channel';
export type { PublicationNotice } from './publication-channel';
export { COMPLETE_STATUSES, listOverlap, lockPublicationDate, PublicationsRepository, publishRun } from './publication';
export type { ListComparison, PublicationEvent, PublicationHow, PublicationOutcome, PublicationRequest } from './publication';
export { RetentionRepository } from './retention.repository';
export type { DeletedRun, RetentionCandidate } from './retention.repository';
export { EvaluationRepository, evaluateDates } from './evaluation.repository';
export type { DayEventsRow } from './evaluation.repository';
export { RunInputsRepository } from './run-inputs.repository';
export type { AdvertiserInput, PublishedRunInput, RunWarning } from './run-inputs.repository';
export { DEFAULT_EVALUATION_DATES, EvaluationReadRepository, MAX_EVALUATION_DATES } from './evaluation-read.repository';
export type {
  AdvertiserEvaluation,
  AdvertiserEvaluationMiss,
  DateEvaluation,
  DateModelEvaluation,
  EvaluationStatus,
  ModelEvaluation,
} from './evaluation-read.repository';
export { databaseRepositories } from './database.repositories';
export type { DatabaseRepositories } from './database.repositories';
