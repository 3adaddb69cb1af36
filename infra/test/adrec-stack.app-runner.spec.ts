import { Match } from 'aws-cdk-lib/assertions';
import { ApiOnAppRunner } from '../lib/api-on-app-runner.construct';
import { AdrecTemplate, flatten, referencedIds } from './adrec-template';

describe('adrec stack, API on App Runner (-c apiHosting=apprunner)', () => {
  let t: AdrecTemplate;
  let api: ApiOnAppRunner;

  beforeAll(() => {
    t = new AdrecTemplate({ apiHosting: 'apprunner', imageTag: 'git-3f9c2e1' });
    api = t.find('ApiOnAppRunner') as ApiOnAppRunner;
  });

  it('serves the API from App Runner with GET /health checks and the requested image tag', () => {
    t.main.resourceCountIs('AWS::AppRunner::Service', 1);
    const service = t.main.findResources('AWS::AppRunner::Service')[t.logicalId(api.service)].Properties;
    expect(service.HealthCheckConfiguration).toMatchObject({ Protocol: 'HTTP', Path: '/health' });
    expect(flatten(service.SourceConfiguration.ImageRepository.ImageIdentifier)).toMatch(/\/adrec\/api:git-3f9c2e1$/);
    expect(service.SourceConfiguration.ImageRepository.ImageConfiguration.Port).toBe('3000');
  });

  it('reaches the database through a VPC connector that the database admits', () => {
    const connectorGroup = t.logicalId(api.connections.securityGroups[0]);
    t.main.hasResourceProperties('AWS::AppRunner::Service', {
      NetworkConfiguration: {
        EgressConfiguration: { EgressType: 'VPC', VpcConnectorArn: { 'Fn::GetAtt': [Match.anyValue(), 'VpcConnectorArn'] } },
      },
    });
    t.main.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseInstanceSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [connectorGroup, 'GroupId'] },
    });
  });

  it('gives the running API the read-only password and nothing else', () => {
    const service = t.main.findResources('AWS::AppRunner::Service')[t.logicalId(api.service)].Properties;
    const instanceRoleId = service.InstanceConfiguration.InstanceRoleArn['Fn::GetAtt'][0];
    const statements = t.statementsOf(instanceRoleId);
    expect(statements.flatMap((s) => s.Action).sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(referencedIds(statements.map((s) => s.Resource))).toEqual([t.logicalId('Database/ReadOnlyPassword')]);
    expect(service.SourceConfiguration.ImageRepository.ImageConfiguration.RuntimeEnvironmentSecrets).toEqual([
      { Name: 'PGPASSWORD', Value: { Ref: t.logicalId('Database/ReadOnlyPassword') } },
    ]);
  });

  it("believes the one X-Forwarded-For hop App Runner's proxy adds, and verifies TLS to RDS", () => {
    const service = t.main.findResources('AWS::AppRunner::Service')[t.logicalId(api.service)].Properties;
    const variables = service.SourceConfiguration.ImageRepository.ImageConfiguration.RuntimeEnvironmentVariables as {
      Name: string;
      Value: unknown;
    }[];
    expect(variables).toEqual(
      expect.arrayContaining([
        { Name: 'TRUST_PROXY', Value: '1' },
        { Name: 'DATABASE_SSL', Value: 'true' },
      ]),
    );
  });

  it('lets only App Runner pull the API image with the access role', () => {
    const service = t.main.findResources('AWS::AppRunner::Service')[t.logicalId(api.service)].Properties;
    const accessRoleId = service.SourceConfiguration.AuthenticationConfiguration.AccessRoleArn['Fn::GetAtt'][0];
    t.main.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'build.apprunner.amazonaws.com' } })],
      },
    });
    const resources = t.resourcesFor(accessRoleId, 'ecr:BatchGetImage').map(flatten);
    expect(resources).toEqual([expect.stringMatching(/:repository\/adrec\/api$/)]);
  });

  it('creates no load balancer and no ECS service, but keeps the cluster for the nightly task', () => {
    t.main.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    t.main.resourceCountIs('AWS::ECS::Service', 0);
    t.main.resourceCountIs('AWS::ECS::Cluster', 1);
    // The nightly trigger and the nightly retention.
    t.main.resourceCountIs('AWS::Scheduler::Schedule', 2);
  });

  it('keeps the pipeline identical to the Fargate variant', () => {
    t.main.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 3);
    t.main.resourceCountIs('AWS::SQS::Queue', 7);
    t.main.resourceCountIs('AWS::RDS::DBInstance', 1);
    t.main.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'RunsPublished' });
  });
});
