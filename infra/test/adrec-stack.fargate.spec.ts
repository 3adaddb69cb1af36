import { Match } from 'aws-cdk-lib/assertions';
import { ApiOnFargate } from '../lib/api-on-fargate.construct';
import { OperatorTasks } from '../lib/operator-tasks.construct';
import { WorkerFleet } from '../lib/worker-fleet.construct';
import { actionsOf, AdrecTemplate, flatten, referencedIds } from './adrec-template';

describe('adrec stack, API on Fargate (the default)', () => {
  let t: AdrecTemplate;
  const roleOf = (service: 'ingest' | 'models' | 'writer') => t.logicalId((t.find(`Worker-${service}`) as WorkerFleet).role);

  beforeAll(() => {
    t = new AdrecTemplate();
  });

  describe('storage and queues', () => {
    it('keeps the data bucket encrypted, private and TLS-only, and leaves deleting run outputs to retention', () => {
      t.main.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: 'runs/', Status: 'Enabled', Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }] }),
          ]),
        },
      });
      t.main.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    });

    it.each(['trigger', 'jobs', 'results'])('gives the %s queue a DLQ after 5 receives, both SQS-encrypted', (name) => {
      const deadLetterId = t.queueId(`adrec-${name}-dlq`);
      t.main.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `adrec-${name}`,
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] }, maxReceiveCount: 5 },
      });
      t.main.hasResourceProperties('AWS::SQS::Queue', { QueueName: `adrec-${name}-dlq`, SqsManagedSseEnabled: true });
    });

    it('refuses plain-HTTP access to every queue', () => {
      const queues = Object.keys(t.main.findResources('AWS::SQS::Queue'));
      const guarded = Object.values(
        t.main.findResources('AWS::SQS::QueuePolicy', {
          Properties: {
            PolicyDocument: {
              Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
            },
          },
        }),
      ).flatMap((policy) => referencedIds(policy.Properties.Queues));
      expect(guarded.sort()).toEqual(queues.sort());
    });

    it('runs PostgreSQL 16 in isolated subnets, encrypted, with generated credentials', () => {
      t.main.hasResourceProperties('AWS::RDS::DBInstance', {
        Engine: 'postgres',
        EngineVersion: Match.stringLikeRegexp('^16'),
        StorageEncrypted: true,
        PubliclyAccessible: false,
        DBName: 'adrec',
        DeletionProtection: true,
      });
      // The owner's secret (RDS-generated) and the API's read-only password.
      t.main.resourceCountIs('AWS::SecretsManager::Secret', 2);
      t.main.resourceCountIs('AWS::SecretsManager::SecretTargetAttachment', 1);
    });
  });

  describe('workers on EC2', () => {
    it.each(['ingest', 'models', 'writer'] as const)('runs %s from its own ECR image in its own Auto Scaling group', (service) => {
      const fleet = t.find(`Worker-${service}`) as WorkerFleet;
      const template = t.main.findResources('AWS::EC2::LaunchTemplate')[t.logicalId(fleet.node.findChild('LaunchTemplate'))];
      const data = template.Properties.LaunchTemplateData;
      // Containers need a second IMDS hop for the instance role's credentials.
      expect(data.MetadataOptions).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 2 });
      const userData = flatten(data.UserData);
      expect(userData).toContain(`/adrec/${service}:latest`);
      expect(userData).toMatch(new RegExp(`docker run .*--name adrec-${service}-\\$i .*--log-driver awslogs`));
      expect(userData).not.toMatch(/PGPASSWORD=\w/);
    });

    it.each(['ingest', 'models', 'writer'] as const)(
      'replaces a %s instance whose containers stay unhealthy, and ships EMF metrics',
      (service) => {
        const fleet = t.find(`Worker-${service}`) as WorkerFleet;
        const userData = flatten(
          t.main.findResources('AWS::EC2::LaunchTemplate')[t.logicalId(fleet.node.findChild('LaunchTemplate'))].Properties
            .LaunchTemplateData.UserData,
        );
        expect(userData).toContain('--log-opt awslogs-format=json/emf');
        expect(userData).toContain('systemctl enable --now adrec-watchdog');
        expect(userData).toMatch(/aws autoscaling set-instance-health .*--health-status Unhealthy/);
        t.main.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
          Tags: Match.arrayWith([Match.objectLike({ Key: 'adrec:service', Value: service })]),
        });
        const statements = t.statementsOf(roleOf(service)).filter((s) => actionsOf(s).includes('autoscaling:SetInstanceHealth'));
        expect(statements).toEqual([
          expect.objectContaining({ Resource: '*', Condition: { StringEquals: { 'autoscaling:ResourceTag/adrec:service': service } } }),
        ]);
      },
    );

    it('hands the database credentials to ingest and writer at boot, and to models never', () => {
      const userData = (service: string) =>
        flatten(
          t.main.findResources('AWS::EC2::LaunchTemplate')[
            t.logicalId((t.find(`Worker-${service}`) as WorkerFleet).node.findChild('LaunchTemplate'))
          ].Properties.LaunchTemplateData.UserData,
        );
      expect(userData('ingest')).toContain('aws secretsmanager get-secret-value');
      expect(userData('writer')).toContain('aws secretsmanager get-secret-value');
      expect(userData('models')).not.toContain('secretsmanager');
      expect(userData('models')).not.toContain('DATABASE_URL');
    });

    it('scales the models group in steps on the jobs queue backlog', () => {
      const jobsQueueName = { 'Fn::GetAtt': [t.queueId('adrec-jobs'), 'QueueName'] };
      t.main.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
        AutoScalingGroupName: { Ref: t.logicalId('Worker-models/Group') },
        PolicyType: 'StepScaling',
      });
      t.main.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: Match.arrayWith([
          Match.objectLike({
            MetricStat: Match.objectLike({
              Metric: {
                MetricName: 'ApproximateNumberOfMessagesVisible',
                Namespace: 'AWS/SQS',
                Dimensions: [{ Name: 'QueueName', Value: jobsQueueName }],
              },
            }),
          }),
        ]),
      });
    });
  });

  describe('least privilege', () => {
    it('lets each worker use only its own queues', () => {
      const queuesOf = (service: 'ingest' | 'models' | 'writer') => new Set(referencedIds(t.resourcesFor(roleOf(service), 'sqs:')));
      expect(queuesOf('ingest')).toEqual(new Set([t.queueId('adrec-trigger'), t.queueId('adrec-trigger-dlq'), t.queueId('adrec-jobs')]));
      expect(queuesOf('models')).toEqual(new Set([t.queueId('adrec-jobs'), t.queueId('adrec-jobs-dlq'), t.queueId('adrec-results')]));
      expect(queuesOf('writer')).toEqual(new Set([t.queueId('adrec-results'), t.queueId('adrec-results-dlq')]));
    });

    it('lets ingest read raw/ and write runs/, models work in runs/, and the writer not touch S3', () => {
      const objectPaths = (service: 'ingest' | 'models' | 'writer', action: string) =>
        t
          .statementsOf(roleOf(service))
          .filter((s) => actionsOf(s).includes(action))
          .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
          .map((resource) => flatten(resource).replace(/^.*\}/, ''));
      expect(objectPaths('ingest', 's3:GetObject').sort()).toEqual(['/raw/*', '/runs/*']);
      expect(objectPaths('ingest', 's3:PutObject')).toEqual(['/runs/*']);
      expect(objectPaths('models', 's3:GetObject')).toEqual(['/runs/*']);
      expect(objectPaths('models', 's3:PutObject')).toEqual(['/runs/*']);
      expect(t.resourcesFor(roleOf('writer'), 's3:')).toEqual([]);
    });

    it('gives the owner secret to ingest, writer and the CLI, the read-only one to the API, and none to models', () => {
      const owner = t.logicalId('Database/Instance/Secret/Attachment');
      const readOnly = t.logicalId('Database/ReadOnlyPassword');
      const api = (t.find('ApiOnFargate') as ApiOnFargate).service.taskDefinition;
      const operator = t.find('Operator') as OperatorTasks;
      const secretsOf = (roleId: string) => referencedIds(t.resourcesFor(roleId, 'secretsmanager:'));
      expect(secretsOf(roleOf('ingest'))).toEqual([owner]);
      expect(secretsOf(roleOf('writer'))).toEqual([owner]);
      expect(secretsOf(roleOf('models'))).toEqual([]);
      expect(secretsOf(t.logicalId(api.obtainExecutionRole()))).toEqual([readOnly]);
      expect(secretsOf(t.logicalId(operator.cli.obtainExecutionRole()))).toEqual([owner]);
      expect(secretsOf(t.logicalId(operator.nightlyTrigger.obtainExecutionRole()))).toEqual([]);
      expect(secretsOf(t.logicalId(operator.nightlyRetention.obtainExecutionRole()))).toEqual([owner]);
    });

    it('grants the API task no AWS permissions at all', () => {
      const taskRole = (t.find('ApiOnFargate') as ApiOnFargate).service.taskDefinition.taskRole;
      const roleId = t.logicalId(taskRole);
      expect(t.statementsOf(roleId)).toEqual([]);
      expect(t.main.findResources('AWS::IAM::Role')[roleId].Properties.ManagedPolicyArns).toBeUndefined();
    });

    it('lets nightly retention delete run outputs, list them and nothing else in AWS', () => {
      const operator = t.find('Operator') as OperatorTasks;
      const statements = t.statementsOf(t.logicalId(operator.nightlyRetention.taskRole));
      expect(statements.flatMap(actionsOf).sort()).toEqual(['s3:DeleteObject', 's3:ListBucket']);
      expect(JSON.stringify(statements)).toContain('runs/*');
      const rules = Object.values(t.main.findResources('AWS::S3::Bucket'))
        .flatMap((bucket) => bucket.Properties.LifecycleConfiguration?.Rules ?? [])
        .filter((rule: { Prefix?: string }) => rule.Prefix === 'runs/');
      expect(rules.filter((rule: { ExpirationInDays?: number }) => rule.ExpirationInDays !== undefined)).toEqual([]);
    });

    it('lets the nightly trigger send triggers and nothing else', () => {
      const operator = t.find('Operator') as OperatorTasks;
      const statements = t.statementsOf(t.logicalId(operator.nightlyTrigger.taskRole));
      expect(statements.flatMap(actionsOf).sort()).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
      expect(referencedIds(statements.map((s) => s.Resource))).toEqual([t.queueId('adrec-trigger')]);
    });

    it('lets the CLI trigger runs and run the documented recovery (dlq list, dlq redrive), and nothing else', () => {
      const operator = t.find('Operator') as OperatorTasks;
      const statements = t.statementsOf(t.logicalId(operator.cli.taskRole));
      const actionsOn = (queueName: string) =>
        [...new Set(statements.filter((s) => referencedIds([s.Resource]).includes(t.queueId(queueName))).flatMap(actionsOf))].sort();
      for (const name of ['trigger', 'jobs', 'results']) {
        // the queue: its depth, and redriven (or triggered) messages sent back to it
        expect(actionsOn(`adrec-${name}`)).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
        // the DLQ: its depth and a peek, and the move task that empties it
        expect(actionsOn(`adrec-${name}-dlq`)).toEqual([
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
          'sqs:StartMessageMoveTask',
        ]);
      }
      const queues = ['trigger', 'jobs', 'results'].flatMap((name) => [t.queueId(`adrec-${name}`), t.queueId(`adrec-${name}-dlq`)]);
      expect(new Set(referencedIds(statements.map((s) => s.Resource)))).toEqual(new Set(queues));
      expect(statements.flatMap(actionsOf).every((action) => action.startsWith('sqs:'))).toBe(true);
    });

    it('uses a wildcard resource only for ecr:GetAuthorizationToken, which has no other form, and for SetInstanceHealth limited by tag', () => {
      const wildcards = Object.values(t.main.findResources('AWS::IAM::Policy'))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
        .filter((statement) => statement.Resource === '*' && statement.Condition === undefined)
        .flatMap(actionsOf);
      expect(new Set(wildcards)).toEqual(new Set(['ecr:GetAuthorizationToken']));
    });
  });

  describe('API', () => {
    it('runs on Fargate behind a public load balancer that checks GET /health', () => {
      t.main.hasResourceProperties('AWS::ECS::Service', { LaunchType: 'FARGATE' });
      t.main.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
      t.main.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/health', Port: 80 });
      t.main.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [
          Match.objectLike({ HealthCheck: Match.objectLike({ Command: Match.arrayWith([Match.stringLikeRegexp('/health')]) }) }),
        ],
      });
      t.main.resourceCountIs('AWS::AppRunner::Service', 0);
      t.main.hasOutput('ApiUrl', { Value: { 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [Match.anyValue(), 'DNSName'] }]] } });
    });

    it('connects as the read-only role with the password from Secrets Manager', () => {
      const api = (t.find('ApiOnFargate') as ApiOnFargate).service.taskDefinition;
      const container = t.main.findResources('AWS::ECS::TaskDefinition')[t.logicalId(api)].Properties.ContainerDefinitions[0];
      const environment = Object.fromEntries(container.Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
      expect(environment.PGUSER).toBe('adrec_api');
      expect(flatten(environment.DATABASE_READONLY_URL)).toMatch(/^postgres:\/\/\$\{[^}]+\}:\$\{[^}]+\}\/adrec$/);
      expect(container.Secrets).toEqual([{ Name: 'PGPASSWORD', ValueFrom: { Ref: t.logicalId('Database/ReadOnlyPassword') } }]);
    });

    it("verifies TLS to RDS and believes X-Forwarded-For only from the VPC, where the load balancer's nodes are", () => {
      const api = (t.find('ApiOnFargate') as ApiOnFargate).service.taskDefinition;
      const container = t.main.findResources('AWS::ECS::TaskDefinition')[t.logicalId(api)].Properties.ContainerDefinitions[0];
      const environment = Object.fromEntries(container.Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
      expect(environment.DATABASE_SSL).toBe('true');
      expect(environment.DATABASE_SSL_CA_FILE).toBeUndefined(); // the RDS bundle in the image
      expect(environment.TRUST_PROXY).toEqual({ 'Fn::GetAtt': [t.logicalId('Vpc'), 'CidrBlock'] });
    });
  });

  describe('schedule and alarms', () => {
    it("starts a task that triggers yesterday's run every night at 02:00 UTC", () => {
      const operator = t.find('Operator') as OperatorTasks;
      t.main.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 2 * * ? *)',
        ScheduleExpressionTimezone: 'Etc/UTC',
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [t.logicalId('Cluster'), 'Arn'] },
          EcsParameters: Match.objectLike({ LaunchType: 'FARGATE', TaskDefinitionArn: { Ref: t.logicalId(operator.nightlyTrigger) } }),
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [t.queueId('adrec-schedule-dlq'), 'Arn'] } },
        }),
      });
      const container =
        t.main.findResources('AWS::ECS::TaskDefinition')[t.logicalId(operator.nightlyTrigger)].Properties.ContainerDefinitions[0];
      expect(container.EntryPoint).toEqual(['/bin/sh', '-c']);
      expect(container.Command).toEqual(['exec node dist/apps/cli/src/main.js trigger --date "$(date -u -d yesterday +%F)"']);
      expect(container.Secrets).toBeUndefined();
    });

    it('starts adrec gc at the same time every night, in a task the database admits', () => {
      const operator = t.find('Operator') as OperatorTasks;
      t.main.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 2 * * ? *)',
        Target: Match.objectLike({
          EcsParameters: Match.objectLike({ TaskDefinitionArn: { Ref: t.logicalId(operator.nightlyRetention) } }),
        }),
      });
      const container =
        t.main.findResources('AWS::ECS::TaskDefinition')[t.logicalId(operator.nightlyRetention)].Properties.ContainerDefinitions[0];
      expect(container.Command).toEqual(['gc']);
    });

    it.each(['adrec-trigger-dlq', 'adrec-jobs-dlq', 'adrec-results-dlq', 'adrec-schedule-dlq'])(
      'alarms as soon as %s holds a message',
      (queueName) => {
        t.main.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Namespace: 'AWS/SQS',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [t.queueId(queueName), 'QueueName'] } }],
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
          AlarmActions: [{ Ref: t.logicalId('Alarms/Topic') }],
        });
      },
    );

    it("alarms when no run has been published for 26 hours, from the writer's RunsPublished metric, not from log text", () => {
      const filters = Object.values(t.main.findResources('AWS::Logs::MetricFilter'));
      expect(filters.filter((f) => JSON.stringify(f).includes('RunsPublished'))).toEqual([]);
      t.main.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'Adrec-RunNotPublished',
        Namespace: 'Adrec',
        MetricName: 'RunsPublished',
        Statistic: 'Sum',
        Period: 3600,
        EvaluationPeriods: 26,
        DatapointsToAlarm: 26,
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
      });
    });

    it('has a dashboard of queue depths and ages, DLQs, run durations, publications and API latency and errors', () => {
      const [dashboard] = Object.values(t.main.findResources('AWS::CloudWatch::Dashboard'));
      const body = flatten(dashboard.Properties.DashboardBody);
      for (const metric of [
        'ApproximateNumberOfMessagesVisible',
        'ApproximateAgeOfOldestMessage',
        'RunIngestSeconds',
        'RunModelsSeconds',
        'RunTotalSeconds',
        'RunsPublished',
        'RunLastPublishedTimestampSeconds',
        'TargetResponseTime',
        'HTTPCode_Target_5XX_Count',
      ]) {
        expect(body).toContain(`"${metric}"`);
      }
      for (const queue of ['adrec-trigger-dlq', 'adrec-jobs-dlq', 'adrec-results-dlq']) expect(body).toContain(t.queueId(queue));
    });

    it("alarms when a run's input drifts, counting ingest's log lines", () => {
      t.main.hasResourceProperties('AWS::Logs::MetricFilter', {
        LogGroupName: { Ref: t.logicalId('Worker-ingest/Logs') },
        FilterPattern: '{ $.msg = "input drift" }',
        MetricTransformations: [{ MetricNamespace: 'Adrec', MetricName: 'RunsWithInputDrift', MetricValue: '1' }],
      });
      t.main.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'Adrec-InputDrift',
        Namespace: 'Adrec',
        MetricName: 'RunsWithInputDrift',
        Statistic: 'Sum',
        Period: 3600,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: t.logicalId('Alarms/Topic') }],
      });
    });

    it('alarms when a message waits too long in a pipeline queue', () => {
      for (const name of ['trigger', 'jobs', 'results']) {
        t.main.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'ApproximateAgeOfOldestMessage',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [t.queueId(`adrec-${name}`), 'QueueName'] } }],
        });
      }
    });
  });

  describe('operator tasks', () => {
    it("offers a database admin task that makes the API login a member of the migrations' reader role", () => {
      const operator = t.find('Operator') as OperatorTasks;
      const container = t.main.findResources('AWS::ECS::TaskDefinition')[t.logicalId(operator.dbAdmin)].Properties.ContainerDefinitions[0];
      expect(container.Command[0]).toContain('CREATE ROLE %I LOGIN');
      expect(container.Command[0]).toContain('GRANT :"reader" TO :"ro_user";');
      expect(container.Environment).toEqual(expect.arrayContaining([{ Name: 'READER_ROLE', Value: 'adrec_reader' }]));
      expect(container.Secrets.map((s: { Name: string }) => s.Name).sort()).toEqual(['PGPASSWORD', 'PGUSER', 'READONLY_PASSWORD']);
    });
  });

  describe('image repositories', () => {
    it('creates one scanned ECR repository per image, kept when the stack goes', () => {
      for (const name of ['ingest', 'models', 'writer', 'api', 'cli']) {
        t.repositories.hasResource('AWS::ECR::Repository', {
          Properties: Match.objectLike({ RepositoryName: `adrec/${name}`, ImageScanningConfiguration: { ScanOnPush: true } }),
          DeletionPolicy: 'Retain',
        });
      }
      t.repositories.resourceCountIs('AWS::ECR::Repository', 5);
    });
  });
});
