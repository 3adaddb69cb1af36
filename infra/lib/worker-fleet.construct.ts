import { Duration, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export type WorkerService = 'ingest' | 'models' | 'writer';

export interface WorkerFleetProps {
  service: WorkerService;
  vpc: ec2.IVpc;
  repository: ecr.IRepository;
  imageTag: string;
  /** The app's environment variables (no secrets). */
  environment: Record<string, string>;
  /** JSON secret with `username` and `password`, exported as PGUSER/PGPASSWORD (default: no database). */
  databaseSecret?: secretsmanager.ISecret;
  instanceType: string;
  minCapacity: number;
  maxCapacity: number;
  /** Containers per instance: one, or one per vCPU for CPU-bound work (default one). */
  containers?: 'one' | 'per-vcpu';
  /** Seconds a container gets to finish its batch after SIGTERM (default 60, the visibility timeout). */
  stopTimeoutSeconds?: number;
}

/**
 * One Auto Scaling group per worker app, each with its own instance role, so
 * each app holds only its own permissions: containers on an instance share
 * its role, and a shared fleet would give the models worker the writer's
 * database password. Instances run Amazon Linux 2023 and plain Docker; the
 * user data pulls the app's image from ECR and runs it with the awslogs
 * driver. A new image tag changes the user data, and the rolling update
 * replaces the instances.
 */
export class WorkerFleet extends Construct {
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WorkerFleetProps) {
    super(scope, id);
    const { service } = props;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/${Stack.of(this).stackName}/${service}`,
      retention: logs.RetentionDays.ONE_MONTH,
    });
    this.role = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `adrec ${service} worker instances`,
      // Shell access through Session Manager instead of SSH keys and an open port.
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    props.repository.grantPull(this.role);
    this.logGroup.grantWrite(this.role);
    props.databaseSecret?.grantRead(this.role);

    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      instanceType: new ec2.InstanceType(props.instanceType),
      role: this.role,
      userData: this.userData(props),
      requireImdsv2: true,
      // Containers reach the instance metadata service through Docker's
      // bridge, one hop further than the host; with the default limit of 1
      // the AWS SDK inside them gets no credentials.
      httpPutResponseHopLimit: 2,
      blockDevices: [
        { deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(30, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }) },
      ],
      securityGroup: new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        description: `adrec ${service} workers (no inbound)`,
        allowAllOutbound: true,
      }),
    });

    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'Group', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      launchTemplate,
      minCapacity: props.minCapacity,
      maxCapacity: props.maxCapacity,
      healthChecks: autoscaling.HealthChecks.ec2({ gracePeriod: Duration.minutes(5) }),
      updatePolicy: autoscaling.UpdatePolicy.rollingUpdate({ maxBatchSize: 1, minInstancesInService: 0 }),
    });
  }

  get connections(): ec2.Connections {
    return this.autoScalingGroup.connections;
  }

  private userData(props: WorkerFleetProps): ec2.UserData {
    const { service } = props;
    const region = Stack.of(this).region;
    const registry = `${Stack.of(this).account}.dkr.ecr.${region}.${Stack.of(this).urlSuffix}`;
    const image = props.repository.repositoryUriForTag(props.imageTag);
    const envFile = `/etc/adrec/${service}.env`;
    const count = props.containers === 'per-vcpu' ? '$(nproc)' : '1';
    const stopTimeout = props.stopTimeoutSeconds ?? 60;
    const environmentLines = Object.entries(props.environment).map(([name, value]) => `${name}=${value}`);

    const userData = ec2.UserData.forLinux();
    userData.addCommands(
      'set -euo pipefail',
      // The env file will hold the database password: never readable by others, not even briefly.
      'umask 077',
      'dnf install -y docker jq',
      'systemctl enable --now docker',
      `aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin ${registry}`,
      'mkdir -p /etc/adrec',
      // Quoted heredoc: values are written verbatim, never expanded by the shell.
      `cat > ${envFile} <<'ADREC_ENV'`,
      ...environmentLines,
      'ADREC_ENV',
    );
    if (props.databaseSecret) {
      // Fetched at boot into a root-only file rather than passed in user data,
      // which anyone with ec2:DescribeInstanceAttribute can read.
      userData.addCommands(
        `aws secretsmanager get-secret-value --region ${region} --secret-id ${props.databaseSecret.secretArn} --query SecretString --output text` +
          ` | jq -r '"PGUSER=" + .username, "PGPASSWORD=" + .password' >> ${envFile}`,
      );
    }
    userData.addCommands(
      `docker pull ${image}`,
      `for i in $(seq 1 ${count}); do`,
      `  docker run --detach --name adrec-${service}-$i --restart unless-stopped --init` +
        ` --stop-timeout ${stopTimeout} --env-file ${envFile}` +
        ` --log-driver awslogs --log-opt awslogs-region=${region} --log-opt awslogs-group=${this.logGroup.logGroupName}` +
        ` --log-opt awslogs-stream=${service}/$(hostname)/$i` +
        ` ${image}`,
      'done',
    );
    return userData;
  }
}
