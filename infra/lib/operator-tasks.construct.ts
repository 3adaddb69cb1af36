import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AdrecDatabase, READER_ROLE, READONLY_USER } from './adrec-database.construct';
import { toSchedulerCron } from './nightly-cron';

export interface OperatorTasksProps {
  vpc: ec2.IVpc;
  cluster: ecs.ICluster;
  repository: ecr.IRepository;
  imageTag: string;
  database: AdrecDatabase;
  /** The apps' plain environment variables (queues, bucket, region). */
  environment: Record<string, string>;
  triggerQueue: sqs.IQueue;
  /** Every pipeline queue with its DLQ: what `adrec dlq list|redrive` reads and moves. */
  queues: { queue: sqs.IQueue; deadLetter: sqs.IQueue }[];
  /** Five-field cron, UTC, of the nightly run. */
  nightlyCron: string;
  queuePrefix: string;
  /** The data bucket: retention deletes deleted runs' outputs under `runsPrefix`. */
  bucket: s3.IBucket;
  runsPrefix: string;
}

const CLI = 'dist/apps/cli/src/main.js';

/**
 * One-off and scheduled Fargate tasks for operating the pipeline:
 *
 * - Cli: the `adrec` CLI with the owner's database credentials and leave to
 *   send triggers: `migrate`, `trigger`, `backfill`, `rerun`, `runs`
 *   (command given as a container override, see docs/DEPLOY.md);
 * - NightlyTrigger: what EventBridge Scheduler starts every night;
 * - NightlyRetention: `adrec gc`, started by a second schedule at the same
 *   time (retention never touches a run in progress, so they may overlap);
 *   run it by hand with the command `gc --dry-run` to see what it would delete;
 * - DbAdmin: creates or updates the API's read-only PostgreSQL login.
 */
export class OperatorTasks extends Construct {
  readonly cli: ecs.FargateTaskDefinition;
  readonly nightlyTrigger: ecs.FargateTaskDefinition;
  readonly nightlyRetention: ecs.FargateTaskDefinition;
  readonly retentionSchedule: scheduler.Schedule;
  readonly dbAdmin: ecs.FargateTaskDefinition;
  /** Security group of Cli and DbAdmin tasks, which the database admits. */
  readonly securityGroup: ec2.SecurityGroup;
  readonly schedule: scheduler.Schedule;
  /** Nightly trigger invocations Scheduler gave up on. */
  readonly scheduleDeadLetter: sqs.Queue;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: OperatorTasksProps) {
    super(scope, id);
    const { database } = props;
    const image = ecs.ContainerImage.fromEcrRepository(props.repository, props.imageTag);
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS });
    const logging = (prefix: string) => ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: prefix });
    const databaseEnvironment = { DATABASE_URL: database.url, DATABASE_SSL: 'true' };
    const ownerCredentials = {
      PGUSER: ecs.Secret.fromSecretsManager(database.ownerSecret, 'username'),
      PGPASSWORD: ecs.Secret.fromSecretsManager(database.ownerSecret, 'password'),
    };

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'adrec operator tasks (CLI, database admin)',
    });
    database.allowFrom(this.securityGroup, 'adrec operator tasks');

    this.cli = new ecs.FargateTaskDefinition(this, 'Cli', { family: 'adrec-cli', cpu: 512, memoryLimitMiB: 1024 });
    this.cli.addContainer('cli', {
      image,
      command: ['runs'],
      environment: { ...props.environment, ...databaseEnvironment },
      secrets: ownerCredentials,
      logging: logging('cli'),
    });
    // The CLI's commands on AWS: trigger/backfill/rerun send to the trigger
    // queue; `dlq list` reads every queue's depth and peeks at the DLQs;
    // `dlq redrive` starts a message move task from each DLQ, which acts with
    // the caller's permissions (receive and delete at the DLQ, send to its
    // queue), or falls back to moving the messages itself with the same calls.
    for (const { queue, deadLetter } of props.queues) {
      queue.grantSendMessages(this.cli.taskRole);
      deadLetter.grant(
        this.cli.taskRole,
        'sqs:GetQueueUrl',
        'sqs:GetQueueAttributes',
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:StartMessageMoveTask',
      );
    }

    // Scheduler cannot compute "yesterday", so it starts this task and the
    // CLI does, the same way `adrec schedule` does in the local stack. The
    // task only sends the trigger (no --wait), so it needs no database access.
    this.nightlyTrigger = new ecs.FargateTaskDefinition(this, 'NightlyTrigger', {
      family: 'adrec-nightly-trigger',
      cpu: 256,
      memoryLimitMiB: 512,
    });
    this.nightlyTrigger.addContainer('trigger', {
      image,
      entryPoint: ['/bin/sh', '-c'],
      command: [`exec node ${CLI} trigger --date "$(date -u -d yesterday +%F)"`],
      environment: props.environment,
      logging: logging('nightly-trigger'),
    });
    props.triggerQueue.grantSendMessages(this.nightlyTrigger.taskRole);

    // Retention needs the owner's login (it deletes rows) and may delete run
    // outputs, nothing else in the bucket; it sends no message.
    this.nightlyRetention = new ecs.FargateTaskDefinition(this, 'NightlyRetention', {
      family: 'adrec-nightly-retention',
      cpu: 256,
      memoryLimitMiB: 512,
    });
    // Named cli like the CLI task's, so docs/DEPLOY.md's run_task can override its command (gc --dry-run).
    this.nightlyRetention.addContainer('cli', {
      image,
      command: ['gc'],
      environment: { ...props.environment, ...databaseEnvironment },
      secrets: ownerCredentials,
      logging: logging('nightly-retention'),
    });
    this.nightlyRetention.addToTaskRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: [props.bucket.arnForObjects(`${props.runsPrefix}*`)] }),
    );
    this.nightlyRetention.addToTaskRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${props.runsPrefix}*`] } },
      }),
    );

    this.dbAdmin = new ecs.FargateTaskDefinition(this, 'DbAdmin', { family: 'adrec-db-admin', cpu: 256, memoryLimitMiB: 512 });
    this.dbAdmin.addContainer('psql', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/postgres:16'),
      entryPoint: ['/bin/sh', '-c'],
      command: [grantReadOnlyScript()],
      environment: {
        PGHOST: database.instance.dbInstanceEndpointAddress,
        PGPORT: database.instance.dbInstanceEndpointPort,
        PGDATABASE: 'adrec',
        PGSSLMODE: 'require',
        READONLY_USER,
        READER_ROLE,
      },
      secrets: { ...ownerCredentials, READONLY_PASSWORD: ecs.Secret.fromSecretsManager(database.readOnlyPassword) },
      logging: logging('db-admin'),
    });

    const nightlySecurityGroup = new ec2.SecurityGroup(this, 'NightlyTriggerSecurityGroup', {
      vpc: props.vpc,
      description: 'adrec nightly trigger task (SQS only)',
    });
    this.scheduleDeadLetter = new sqs.Queue(this, 'ScheduleDeadLetter', {
      queueName: `${props.queuePrefix}schedule-dlq`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.schedule = new scheduler.Schedule(this, 'NightlyRun', {
      description: `adrec nightly run of yesterday's date (${props.nightlyCron} UTC)`,
      schedule: scheduler.ScheduleExpression.expression(toSchedulerCron(props.nightlyCron)),
      target: new schedulerTargets.EcsRunFargateTask(props.cluster, {
        taskDefinition: this.nightlyTrigger,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [nightlySecurityGroup],
        retryAttempts: 5,
        maxEventAge: Duration.hours(2),
        deadLetterQueue: this.scheduleDeadLetter,
      }),
    });
    this.retentionSchedule = new scheduler.Schedule(this, 'NightlyRetentionSchedule', {
      description: `adrec nightly retention: adrec gc (${props.nightlyCron} UTC)`,
      schedule: scheduler.ScheduleExpression.expression(toSchedulerCron(props.nightlyCron)),
      target: new schedulerTargets.EcsRunFargateTask(props.cluster, {
        taskDefinition: this.nightlyRetention,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [this.securityGroup],
        retryAttempts: 5,
        maxEventAge: Duration.hours(2),
        deadLetterQueue: this.scheduleDeadLetter,
      }),
    });
  }
}

/**
 * Creates the READONLY_USER login if missing, (re)sets its password from the
 * secret, and makes it a member of READER_ROLE, whose SELECT grants the
 * migrations own. Safe to run again, e.g. after rotating the password; fails
 * with "role adrec_reader does not exist" until the migrations have run.
 */
function grantReadOnlyScript(): string {
  return [
    'set -eu',
    'psql -v ON_ERROR_STOP=1 -v ro_user="$READONLY_USER" -v ro_password="$READONLY_PASSWORD" -v reader="$READER_ROLE" <<\'SQL\'',
    "SELECT format('CREATE ROLE %I LOGIN', :'ro_user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'ro_user') \\gexec",
    'ALTER ROLE :"ro_user" WITH LOGIN PASSWORD :\'ro_password\';',
    // A second guard besides the grants: even a mistaken grant cannot make the API write.
    'ALTER ROLE :"ro_user" SET default_transaction_read_only = on;',
    'GRANT :"reader" TO :"ro_user";',
    'SQL',
    'echo "login $READONLY_USER is ready, member of $READER_ROLE"',
  ].join('\n');
}
