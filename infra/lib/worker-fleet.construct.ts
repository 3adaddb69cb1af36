import { Duration, Stack, Tags } from 'aws-cdk-lib';
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
 * driver (`json/emf`: the metrics a line carries in CloudWatch's embedded
 * metric format become CloudWatch metrics). A new image tag changes the user
 * data, and the rolling update replaces the instances.
 *
 * Health: each container runs its image's HEALTHCHECK (GET /health on the
 * worker's METRICS_PORT). A watchdog on the instance restarts a container
 * Docker reports unhealthy, and when containers stay unhealthy or down for
 * five minutes it marks the instance unhealthy, so the Auto Scaling group
 * replaces it (instance recovery), as it does for failed EC2 status checks.
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
    // The watchdog may mark its own instance unhealthy, in this service's group only.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['autoscaling:SetInstanceHealth'],
        resources: ['*'],
        conditions: { StringEquals: { 'autoscaling:ResourceTag/adrec:service': service } },
      }),
    );

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
    Tags.of(this.autoScalingGroup).add('adrec:service', service);
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
        ' --log-opt awslogs-format=json/emf' +
        ` --log-opt awslogs-stream=${service}/$(hostname)/$i` +
        ` ${image}`,
      'done',
      ...watchdogCommands(service, region),
    );
    return userData;
  }
}

/**
 * A systemd service that checks the containers every minute: an unhealthy
 * one is restarted (SIGTERM, so it drains); five bad checks in a row mark the
 * instance unhealthy and the Auto Scaling group replaces it.
 */
function watchdogCommands(service: WorkerService, region: string): string[] {
  return [
    "cat > /usr/local/bin/adrec-watchdog <<'ADREC_WATCHDOG'",
    '#!/bin/bash',
    'token=$(curl -sf -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 300")',
    'instance=$(curl -sf -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/instance-id)',
    'strikes=0',
    'while sleep 60; do',
    `  bad=$(docker ps --all --filter name=adrec-${service}- --format '{{.Names}} {{.Status}}' | grep -E '\\(unhealthy\\)|Exited|Dead' | cut -d' ' -f1)`,
    '  if [ -z "$bad" ]; then strikes=0; continue; fi',
    '  strikes=$((strikes + 1))',
    '  for name in $bad; do docker restart --time 60 "$name" >/dev/null || true; done',
    '  if [ "$strikes" -ge 5 ]; then',
    `    aws autoscaling set-instance-health --region ${region} --instance-id "$instance" --health-status Unhealthy --no-should-respect-grace-period`,
    '  fi',
    'done',
    'ADREC_WATCHDOG',
    'chmod 755 /usr/local/bin/adrec-watchdog',
    "cat > /etc/systemd/system/adrec-watchdog.service <<'ADREC_UNIT'",
    '[Unit]',
    'Description=adrec worker health watchdog',
    'After=docker.service',
    '[Service]',
    'ExecStart=/usr/local/bin/adrec-watchdog',
    'Restart=always',
    '[Install]',
    'WantedBy=multi-user.target',
    'ADREC_UNIT',
    'systemctl daemon-reload',
    'systemctl enable --now adrec-watchdog',
  ];
}
