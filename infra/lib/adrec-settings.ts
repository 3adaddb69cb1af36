import { Node } from 'constructs';

export const API_HOSTINGS = ['fargate', 'apprunner', 'none'] as const;
export type ApiHosting = (typeof API_HOSTINGS)[number];

/**
 * Every deployment choice, read once from CDK context (`cdk deploy -c name=value`
 * or the `context` block of cdk.json). Each option says its default.
 */
export interface AdrecSettings {
  /**
   * Where the API runs (default `fargate`). `apprunner` only works in accounts
   * that already used App Runner: it stopped accepting new customers on
   * 30 April 2026. `none` deploys the pipeline alone: the first deployment
   * needs it, since the API cannot start before its database login exists.
   */
  apiHosting: ApiHosting;
  /** Image tag deployed from every ECR repository (default `latest`); prefer the git SHA. */
  imageTag: string;
  /** ECR repository names are `<repositoryPrefix><app>` (default `adrec/`). */
  repositoryPrefix: string;
  /** Queue names are `<queuePrefix>trigger|jobs|results` plus `-dlq`, as ADREC_QUEUE_PREFIX (default `adrec-`). */
  queuePrefix: string;
  /** Five-field cron expression, UTC, of the nightly run, as NIGHTLY_CRON (default `0 2 * * *`). */
  nightlyCron: string;
  /** Hours without any published run before the "run not published" alarm fires (default 26). */
  runStaleHours: number;
  /**
   * Days after which run outputs under `runs/` move to S3 Standard-IA
   * (default 30, S3's minimum). They are deleted with their run by
   * retention (`adrec gc`), never by age. Raw logs are kept.
   */
  runsInfrequentAccessDays: number;
  /** Address subscribed to the alarm topic (default: none, subscribe later). */
  alarmEmail?: string;
  /** ACM certificate ARN: the ALB then serves HTTPS and redirects HTTP (fargate only; default plain HTTP). */
  certificateArn?: string;
  /** EC2 instance type of the worker fleets (default `t3.medium`; the images are linux/amd64). */
  workerInstanceType: string;
  /** Model worker instances when the jobs queue is empty (default 1). */
  modelsMinInstances: number;
  /** Model worker instances at most (default 10). */
  modelsMaxInstances: number;
  /** RDS instance class (default `t4g.small`). */
  databaseInstanceType: string;
  /** Standby in a second AZ (default false). */
  databaseMultiAz: boolean;
  /** Refuse to delete the database (default true; set false for a throwaway stack). */
  databaseDeletionProtection: boolean;
  /** NAT gateways (default 1; one per AZ survives an AZ outage and costs more). */
  natGateways: number;
}

export const DEFAULT_SETTINGS: AdrecSettings = {
  apiHosting: 'fargate',
  imageTag: 'latest',
  repositoryPrefix: 'adrec/',
  queuePrefix: 'adrec-',
  nightlyCron: '0 2 * * *',
  runStaleHours: 26,
  runsInfrequentAccessDays: 30,
  workerInstanceType: 't3.medium',
  modelsMinInstances: 1,
  modelsMaxInstances: 10,
  databaseInstanceType: 't4g.small',
  databaseMultiAz: false,
  databaseDeletionProtection: true,
  natGateways: 1,
};

/** Reads the settings from the construct tree's context; a bad value fails the synth with its name. */
export function readSettings(node: Node): AdrecSettings {
  const text = (name: keyof AdrecSettings): string | undefined => {
    const value: unknown = node.tryGetContext(name);
    if (value === undefined || value === null || value === '') return undefined;
    // -c flags give strings; cdk.json may give numbers or booleans, which JSON spells as the flag would.
    return typeof value === 'string' ? value : JSON.stringify(value);
  };
  const integer = (name: keyof AdrecSettings, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`context ${name}=${raw} must be an integer from ${min} to ${max}`);
    }
    return value;
  };
  const flag = (name: keyof AdrecSettings, fallback: boolean): boolean => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (raw !== 'true' && raw !== 'false') throw new Error(`context ${name}=${raw} must be true or false`);
    return raw === 'true';
  };

  const apiHosting = text('apiHosting') ?? DEFAULT_SETTINGS.apiHosting;
  if (!(API_HOSTINGS as readonly string[]).includes(apiHosting)) {
    throw new Error(`context apiHosting=${apiHosting} must be one of ${API_HOSTINGS.join(', ')}`);
  }
  const modelsMinInstances = integer('modelsMinInstances', DEFAULT_SETTINGS.modelsMinInstances, 0, 100);
  return {
    apiHosting: apiHosting as ApiHosting,
    imageTag: text('imageTag') ?? DEFAULT_SETTINGS.imageTag,
    repositoryPrefix: text('repositoryPrefix') ?? DEFAULT_SETTINGS.repositoryPrefix,
    queuePrefix: text('queuePrefix') ?? DEFAULT_SETTINGS.queuePrefix,
    nightlyCron: text('nightlyCron') ?? DEFAULT_SETTINGS.nightlyCron,
    runStaleHours: integer('runStaleHours', DEFAULT_SETTINGS.runStaleHours, 1, 168),
    runsInfrequentAccessDays: integer('runsInfrequentAccessDays', DEFAULT_SETTINGS.runsInfrequentAccessDays, 30, 3650),
    alarmEmail: text('alarmEmail'),
    certificateArn: text('certificateArn'),
    workerInstanceType: text('workerInstanceType') ?? DEFAULT_SETTINGS.workerInstanceType,
    modelsMinInstances,
    modelsMaxInstances: integer('modelsMaxInstances', DEFAULT_SETTINGS.modelsMaxInstances, Math.max(1, modelsMinInstances), 100),
    databaseInstanceType: text('databaseInstanceType') ?? DEFAULT_SETTINGS.databaseInstanceType,
    databaseMultiAz: flag('databaseMultiAz', DEFAULT_SETTINGS.databaseMultiAz),
    databaseDeletionProtection: flag('databaseDeletionProtection', DEFAULT_SETTINGS.databaseDeletionProtection),
    natGateways: integer('natGateways', DEFAULT_SETTINGS.natGateways, 1, 3),
  };
}
