import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ApiHostingProps } from './api-hosting';

export interface ApiOnFargateProps extends ApiHostingProps {
  cluster: ecs.ICluster;
  /** HTTPS on 443 with HTTP redirected (default: HTTP on 80 only). */
  certificateArn?: string;
}

/**
 * The API as an ECS Fargate service behind a public Application Load
 * Balancer: the default, and the only choice for accounts App Runner no
 * longer accepts. The task role is left without any policy, since the API
 * reads PostgreSQL and nothing else; only the execution role can read the
 * read-only password, to hand it to the container.
 */
export class ApiOnFargate extends Construct {
  readonly service: ecsPatterns.ApplicationLoadBalancedFargateService;
  readonly url: string;
  readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: ApiOnFargateProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    const https = props.certificateArn !== undefined;
    this.service = new ecsPatterns.ApplicationLoadBalancedFargateService(this, 'Service', {
      cluster: props.cluster,
      cpu: 512,
      memoryLimitMiB: 1024,
      desiredCount: 2,
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      publicLoadBalancer: true,
      ...(https
        ? {
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn!),
            protocol: elbv2.ApplicationProtocol.HTTPS,
            redirectHTTP: true,
          }
        : {}),
      taskImageOptions: {
        image: ecs.ContainerImage.fromEcrRepository(props.repository, props.imageTag),
        containerName: 'api',
        containerPort: 3000,
        environment: { ...props.environment, PORT: '3000', HOST: '0.0.0.0' },
        secrets: { PGPASSWORD: ecs.Secret.fromSecretsManager(props.readOnlyPassword) },
        logDriver: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'api' }),
      },
    });
    // ECS's own container check, the same as the image's HEALTHCHECK (the
    // ecs-patterns construct takes no health check option, hence the override).
    (this.service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride('ContainerDefinitions.0.HealthCheck', {
      Command: [
        'CMD',
        'node',
        '-e',
        "fetch('http://127.0.0.1:3000/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))",
      ],
      Interval: 15,
      Timeout: 5,
      Retries: 3,
      StartPeriod: 30,
    });
    this.service.targetGroup.configureHealthCheck({ path: '/health', healthyHttpCodes: '200', interval: Duration.seconds(15) });
    // Requests finish in milliseconds; the default 300 s drain only slows deployments.
    this.service.targetGroup.setAttribute('deregistration_delay.timeout_seconds', '15');
    const scaling = this.service.service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 8 });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });
    this.url = `${https ? 'https' : 'http'}://${this.service.loadBalancer.loadBalancerDnsName}`;
    this.logGroupName = logGroup.logGroupName;
  }

  get connections(): ec2.Connections {
    return this.service.service.connections;
  }
}
