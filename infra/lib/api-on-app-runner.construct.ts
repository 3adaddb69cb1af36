import { Stack } from 'aws-cdk-lib';
import * as apprunner from 'aws-cdk-lib/aws-apprunner';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ApiHostingProps } from './api-hosting';

/**
 * The API on App Runner (`-c apiHosting=apprunner`), reaching RDS through a
 * VPC connector. App Runner stopped accepting new customers on 30 April 2026,
 * so this only deploys in accounts that used it before; ApiOnFargate is the
 * default. There is no L2 construct for App Runner in aws-cdk-lib, hence the
 * L1 resources.
 */
export class ApiOnAppRunner extends Construct {
  readonly service: apprunner.CfnService;
  readonly url: string;
  readonly connections: ec2.Connections;
  readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: ApiHostingProps) {
    super(scope, id);
    // Pulls the image; App Runner's build principal assumes it, not the container.
    const accessRole = new iam.Role(this, 'AccessRole', {
      assumedBy: new iam.ServicePrincipal('build.apprunner.amazonaws.com'),
    });
    props.repository.grantPull(accessRole);
    // What the running API may call: read its one secret, nothing else.
    const instanceRole = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('tasks.apprunner.amazonaws.com'),
    });
    props.readOnlyPassword.grantRead(instanceRole);

    const securityGroup = new ec2.SecurityGroup(this, 'ConnectorSecurityGroup', {
      vpc: props.vpc,
      description: 'adrec API on App Runner, egress into the VPC',
      allowAllOutbound: true,
    });
    this.connections = new ec2.Connections({ securityGroups: [securityGroup] });
    const connector = new apprunner.CfnVpcConnector(this, 'VpcConnector', {
      subnets: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
      securityGroups: [securityGroup.securityGroupId],
    });

    const serviceName = `${Stack.of(this).stackName.toLowerCase()}-api`;
    this.service = new apprunner.CfnService(this, 'Service', {
      serviceName,
      sourceConfiguration: {
        authenticationConfiguration: { accessRoleArn: accessRole.roleArn },
        // Deployments follow `cdk deploy -c imageTag=...`, not pushes to the repository.
        autoDeploymentsEnabled: false,
        imageRepository: {
          imageRepositoryType: 'ECR',
          imageIdentifier: props.repository.repositoryUriForTag(props.imageTag),
          imageConfiguration: {
            // PORT is reserved by App Runner, which sets it to this value.
            port: '3000',
            runtimeEnvironmentVariables: Object.entries({ ...props.environment, HOST: '0.0.0.0' }).map(([name, value]) => ({
              name,
              value,
            })),
            // A plain-string secret: App Runner injects a secret's whole value.
            runtimeEnvironmentSecrets: [{ name: 'PGPASSWORD', value: props.readOnlyPassword.secretArn }],
          },
        },
      },
      instanceConfiguration: { cpu: '1 vCPU', memory: '2 GB', instanceRoleArn: instanceRole.roleArn },
      networkConfiguration: {
        egressConfiguration: { egressType: 'VPC', vpcConnectorArn: connector.attrVpcConnectorArn },
        ingressConfiguration: { isPubliclyAccessible: true },
      },
      healthCheckConfiguration: { protocol: 'HTTP', path: '/health', interval: 10, timeout: 5, healthyThreshold: 1, unhealthyThreshold: 5 },
    });
    // The first deployment pulls the image at once; the access role's policy must exist by then.
    this.service.node.addDependency(accessRole);
    this.url = `https://${this.service.attrServiceUrl}`;
    // App Runner creates and names this group itself.
    this.logGroupName = `/aws/apprunner/${serviceName}/${this.service.attrServiceId}/application`;
  }
}
