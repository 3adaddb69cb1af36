import { Pool } from 'pg';
import { AppConfig } from '@adrec/config';
import { EvaluationReadRepository } from './evaluation-read.repository';
import { EvaluationRepository } from './evaluation.repository';
import { PublicationsRepository } from './publication';
import { RetentionRepository } from './retention.repository';
import { RunInputsRepository } from './run-inputs.repository';
import { RunsRepository } from './runs.repository';

/** Every repository of libs/database, on one pool. */
export interface DatabaseRepositories {
  runs: RunsRepository;
  retention: RetentionRepository;
  publications: PublicationsRepository;
  runInputs: RunInputsRepository;
  evaluation: EvaluationRepository;
  evaluationRead: EvaluationReadRepository;
}

/**
 * The repositories as the configuration sets them up (RUN_STUCK_AFTER_SECONDS,
 * RETAIN_RUNS_PER_DATE): DatabaseModule provides these to the Nest apps, and
 * the CLI, which is not one, calls it with its own pool.
 */
export function databaseRepositories(pool: Pool, config: AppConfig): DatabaseRepositories {
  return {
    runs: new RunsRepository(pool, config.runs.stuckAfterSeconds),
    retention: new RetentionRepository(pool, config.runs.retainPerDate),
    publications: new PublicationsRepository(pool),
    runInputs: new RunInputsRepository(pool),
    evaluation: new EvaluationRepository(pool),
    evaluationRead: new EvaluationReadRepository(pool),
  };
}
