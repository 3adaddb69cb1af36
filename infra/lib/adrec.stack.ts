import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AdrecDatabase, READONLY_USER } from './adrec-database.construct';
import { AdrecSettings } from './adrec-settings';
import { ApiEndpoint } from './api-hosting';
import { ApiOnAppRunner } from './api-on-app-runner.construct';
import { ApiOnFargate } from './api-on-fargate.construct';
import { ImageName } from './image-repositories.stack';
import { OperatorTasks } from './operator-tasks.construct';
import { PipelineAlarms } from './pipeline-alarms.construct';
import { PipelineDashboard } from './pipeline-dashboard.construct';
import { PipelineQueues } from './pipeline-queues.construct';
import { WorkerFleet } from './worker-fleet.construct';

/** Prefixes inside the bucket, as ADREC_RAW_PREFIX and ADREC_RUNS_PREFIX; IAM grants are scoped to them. */
export const RAW_PREFIX = 'raw/';
export const RUNS_PREFIX = 'runs/';
/** As VISIBILITY_TIMEOUT_SECONDS: the queues' default and the workers' stop grace period. */
const VISIBILITY_TIMEOUT_SECONDS = 60;

export interface AdrecStackProps extends StackProps {
  settings: AdrecSettings;
}

/**
 * adrec on AWS: raw logs and run outputs in S3, the three queues with their
 * DLQs, PostgreSQL on RDS, the three workers on EC2 Auto Scaling groups, the
 * API on Fargate or App Runner, the nightly schedule, and the alarms.
 * Every process gets the same environment variables as in the local stack;
 * only the values differ.
 */
export class AdrecStack extends Stack {
  constructor(scope: Construct, id: string, props: AdrecStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const repository = (name: ImageName) =>
      ecr.Repository.fromRepositoryName(this, `Repository-${name}`, `${settings.repositoryPrefix}${name}`);

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: settings.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'database', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });
    // S3 traffic (raw logs, partitions, results) is the bulk of the pipeline's; keep it off the NAT gateway.
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });

    const bucket = new s3.Bucket(this, 'Data', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        // A run's outputs live exactly as long as the run: retention (`adrec gc`,
        // nightly) deletes them with its rows and never touches the published
        // run's, so no age-based expiry here. Kept runs are rarely read: cheaper storage.
        {
          id: 'retained-run-outputs-infrequent-access',
          prefix: RUNS_PREFIX,
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(settings.runsInfrequentAccessDays) },
          ],
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });

    const queues = new PipelineQueues(this, 'Queues', {
      prefix: settings.queuePrefix,
      visibilityTimeout: Duration.seconds(VISIBILITY_TIMEOUT_SECONDS),
    });
    const { trigger, jobs, results } = queues.byName;

    const database = new AdrecDatabase(this, 'Database', {
      vpc,
      instanceType: settings.databaseInstanceType,
      multiAz: settings.databaseMultiAz,
      deletionProtection: settings.databaseDeletionProtection,
    });

    const pipelineEnvironment: Record<string, string> = {
      AWS_REGION: this.region,
      ADREC_BUCKET: bucket.bucketName,
      ADREC_RAW_PREFIX: RAW_PREFIX,
      ADREC_RUNS_PREFIX: RUNS_PREFIX,
      ADREC_QUEUE_PREFIX: settings.queuePrefix,
      VISIBILITY_TIMEOUT_SECONDS: String(VISIBILITY_TIMEOUT_SECONDS),
      LOG_LEVEL: 'info',
    };
    const databaseEnvironment = { DATABASE_URL: database.url, DATABASE_SSL: 'true' };

    const workerFleet = (service: 'ingest' | 'models' | 'writer', options: { database: boolean; min: number; max: number }) =>
      new WorkerFleet(this, `Worker-${service}`, {
        service,
        vpc,
        repository: repository(service),
        imageTag: settings.imageTag,
        environment: options.database ? { ...pipelineEnvironment, ...databaseEnvironment } : pipelineEnvironment,
        databaseSecret: options.database ? database.ownerSecret : undefined,
        instanceType: settings.workerInstanceType,
        minCapacity: options.min,
        maxCapacity: options.max,
        containers: service === 'models' ? 'per-vcpu' : 'one',
        stopTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
      });
    // ingest and writer do minutes of work a night; one instance each, which
    // the group replaces if it fails, is enough. Only models work scales out.
    const ingest = workerFleet('ingest', { database: true, min: 1, max: 1 });
    const models = workerFleet('models', { database: false, min: settings.modelsMinInstances, max: settings.modelsMaxInstances });
    const writer = workerFleet('writer', { database: true, min: 1, max: 1 });

    // Each worker may consume its own queue, dead-letter an invalid message
    // to that queue's DLQ, and send to the next queue; nothing else.
    trigger.queue.grantConsumeMessages(ingest.role);
    trigger.deadLetter.grantSendMessages(ingest.role);
    jobs.queue.grantSendMessages(ingest.role);
    jobs.queue.grantConsumeMessages(models.role);
    jobs.deadLetter.grantSendMessages(models.role);
    results.queue.grantSendMessages(models.role);
    results.queue.grantConsumeMessages(writer.role);
    results.deadLetter.grantSendMessages(writer.role);

    grantObjects(ingest.role, bucket, ['s3:GetObject'], RAW_PREFIX);
    grantObjects(ingest.role, bucket, ['s3:GetObject', 's3:PutObject'], RUNS_PREFIX);
    grantList(ingest.role, bucket, [RAW_PREFIX, RUNS_PREFIX]);
    grantObjects(models.role, bucket, ['s3:GetObject', 's3:PutObject'], RUNS_PREFIX);
    grantList(models.role, bucket, [RUNS_PREFIX]);

    for (const fleet of [ingest, writer]) database.allowFrom(fleet, `adrec ${fleet.node.id}`);

    // Models workers follow the jobs backlog. Counting in-flight jobs too
    // means scale-in waits until the last job is done, not merely received.
    const backlog = new cloudwatch.MathExpression({
      label: 'jobs waiting or in progress',
      expression: 'visible + inFlight',
      usingMetrics: {
        visible: jobs.queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' }),
        inFlight: jobs.queue.metricApproximateNumberOfMessagesNotVisible({ statistic: 'Maximum' }),
      },
      period: Duration.minutes(1),
    });
    models.autoScalingGroup.scaleOnMetric('ScaleOnJobsBacklog', {
      metric: backlog,
      adjustmentType: autoscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      scalingSteps: [
        { upper: 0, change: -1 },
        { lower: 1, change: +1 },
        { lower: 500, change: +2 },
        { lower: 5000, change: +4 },
      ],
      evaluationPeriods: 3,
      estimatedInstanceWarmup: Duration.minutes(3),
    });

    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

    const apiEnvironment = {
      AWS_REGION: this.region,
      DATABASE_URL: database.url,
      DATABASE_READONLY_URL: database.url,
      DATABASE_SSL: 'true',
      PGUSER: READONLY_USER,
      // Whose X-Forwarded-For the rate limiter believes: the load balancer's
      // nodes (addresses in the VPC), or App Runner's one proxy hop.
      TRUST_PROXY: settings.apiHosting === 'apprunner' ? '1' : vpc.vpcCidrBlock,
      LOG_LEVEL: 'info',
    };
    const apiProps = {
      vpc,
      repository: repository('api'),
      imageTag: settings.imageTag,
      environment: apiEnvironment,
      readOnlyPassword: database.readOnlyPassword,
    };
    const api: ApiEndpoint | undefined =
      settings.apiHosting === 'apprunner'
        ? new ApiOnAppRunner(this, 'ApiOnAppRunner', apiProps)
        : settings.apiHosting === 'fargate'
          ? new ApiOnFargate(this, 'ApiOnFargate', { ...apiProps, cluster, certificateArn: settings.certificateArn })
          : undefined;
    if (api) database.allowFrom(api, 'adrec API');

    const operator = new OperatorTasks(this, 'Operator', {
      vpc,
      cluster,
      repository: repository('cli'),
      imageTag: settings.imageTag,
      database,
      environment: pipelineEnvironment,
      triggerQueue: trigger.queue,
      queues: queues.all,
      nightlyCron: settings.nightlyCron,
      queuePrefix: settings.queuePrefix,
      bucket,
      runsPrefix: RUNS_PREFIX,
    });

    const alarms = new PipelineAlarms(this, 'Alarms', {
      queues: queues.byName,
      scheduleDeadLetter: operator.scheduleDeadLetter,
      ingestLogs: ingest.logGroup,
      runStaleHours: settings.runStaleHours,
      alarmEmail: settings.alarmEmail,
    });

    new PipelineDashboard(this, 'Dashboard', { queues: queues.byName, api: api && apiMetrics(api) });

    const privateSubnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds;
    new CfnOutput(this, 'ApiHosting', { value: settings.apiHosting });
    if (api) {
      new CfnOutput(this, 'ApiUrl', { value: api.url });
      new CfnOutput(this, 'ApiLogGroup', { value: api.logGroupName });
    }
    new CfnOutput(this, 'Bucket', { value: bucket.bucketName });
    new CfnOutput(this, 'ClusterName', { value: cluster.clusterName });
    new CfnOutput(this, 'CliTaskDefinition', { value: operator.cli.family });
    new CfnOutput(this, 'DbAdminTaskDefinition', { value: operator.dbAdmin.family });
    new CfnOutput(this, 'OperatorSecurityGroup', { value: operator.securityGroup.securityGroupId });
    new CfnOutput(this, 'PrivateSubnets', { value: privateSubnets.join(',') });
    new CfnOutput(this, 'OperatorLogGroup', { value: operator.logGroup.logGroupName });
    new CfnOutput(this, 'WorkerLogGroups', {
      value: [ingest, models, writer].map((fleet) => fleet.logGroup.logGroupName).join(','),
    });
    new CfnOutput(this, 'AlarmTopic', { value: alarms.topic.topicArn });
  }
}

/** Object actions limited to one prefix of the bucket. */
function grantObjects(role: iam.IRole, bucket: s3.IBucket, actions: string[], prefix: string): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [bucket.arnForObjects(`${prefix}*`)] }));
}

/** ListBucket, but only for keys under the given prefixes. */
function grantList(role: iam.IRole, bucket: s3.IBucket, prefixes: string[]): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': prefixes.map((prefix) => `${prefix}*`) } },
    }),
  );
}

/** The API's p99 latency and 5xx answers, from its load balancer (Fargate) or from App Runner. */
function apiMetrics(api: ApiEndpoint): { latency: cloudwatch.IMetric; errors: cloudwatch.IMetric } | undefined {
  const period = Duration.minutes(5);
  if (api instanceof ApiOnFargate) {
    const metrics = api.service.loadBalancer.metrics;
    return {
      latency: metrics.targetResponseTime({ statistic: 'p99', period, label: 'p99 (s)' }),
      errors: metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum', period, label: '5xx' }),
    };
  }
  if (api instanceof ApiOnAppRunner) {
    const dimensionsMap = { ServiceName: api.service.serviceName!, ServiceID: api.service.attrServiceId };
    return {
      latency: new cloudwatch.Metric({
        namespace: 'AWS/AppRunner',
        metricName: 'RequestLatency',
        dimensionsMap,
        statistic: 'p99',
        period,
        label: 'p99 (ms)',
      }),
      errors: new cloudwatch.Metric({
        namespace: 'AWS/AppRunner',
        metricName: '5xxStatusResponses',
        dimensionsMap,
        statistic: 'Sum',
        period,
        label: '5xx',
      }),
    };
  }
  return undefined;
}
