import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/** What either API hosting needs; the API touches PostgreSQL only. */
export interface ApiHostingProps {
  vpc: ec2.IVpc;
  repository: ecr.IRepository;
  imageTag: string;
  /** DATABASE_URL, DATABASE_READONLY_URL, PGUSER and the other plain variables. */
  environment: Record<string, string>;
  /** Plain-string secret exported as PGPASSWORD. */
  readOnlyPassword: secretsmanager.ISecret;
}

/** The deployed API, whichever service runs it. */
export interface ApiEndpoint {
  readonly url: string;
  readonly connections: ec2.Connections;
  /** CloudWatch log group of the API's stdout. */
  readonly logGroupName: string;
}
