import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { AdrecStacks, defineAdrecStacks } from '../lib/adrec-app';

/** A synthesized pair of adrec stacks and helpers to look into the main one. */
export class AdrecTemplate {
  readonly stacks: AdrecStacks;
  readonly main: Template;
  readonly repositories: Template;

  constructor(context: Record<string, string> = {}) {
    const app = new App({ context });
    this.stacks = defineAdrecStacks(app, { account: '123456789012', region: 'eu-west-1' });
    this.main = Template.fromStack(this.stacks.main);
    this.repositories = Template.fromStack(this.stacks.repositories);
  }

  /** The construct at a path below the main stack, e.g. `Worker-models/InstanceRole`. */
  find(path: string): IConstruct {
    return path.split('/').reduce<IConstruct>((node, id) => node.node.findChild(id), this.stacks.main);
  }

  /** Logical id of the CloudFormation resource behind a construct or a construct path. */
  logicalId(target: string | IConstruct): string {
    const construct = typeof target === 'string' ? this.find(target) : target;
    const resource = (construct.node.defaultChild ?? construct) as CfnElement;
    return Stack.of(resource).getLogicalId(resource);
  }

  /** Logical id of the queue named `name` (e.g. `adrec-jobs-dlq`). */
  queueId(name: string): string {
    const found = Object.keys(this.main.findResources('AWS::SQS::Queue', { Properties: { QueueName: name } }));
    if (found.length !== 1) throw new Error(`expected one queue named ${name}, found ${found.length}`);
    return found[0];
  }

  /** Every IAM statement attached to a role, from its inline policies. */
  statementsOf(roleLogicalId: string): Statement[] {
    return Object.values(this.main.findResources('AWS::IAM::Policy'))
      .filter((policy) => policy.Properties.Roles.some((role: { Ref?: string }) => role.Ref === roleLogicalId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
  }

  /** The resources of a role's statements that allow any action with the given service prefix. */
  resourcesFor(roleLogicalId: string, servicePrefix: string): unknown[] {
    return this.statementsOf(roleLogicalId)
      .filter((statement) => actionsOf(statement).some((action) => action.startsWith(servicePrefix)))
      .flatMap((statement) => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]));
  }
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** The logical ids a list of `{Fn::GetAtt: [id, 'Arn']}` / `{Ref: id}` values point at. */
export function referencedIds(values: unknown[]): string[] {
  return values.map((value) => {
    const v = value as { 'Fn::GetAtt'?: [string, string]; Ref?: string };
    return v['Fn::GetAtt']?.[0] ?? v.Ref ?? JSON.stringify(value);
  });
}

/** A CloudFormation value (Fn::Join and friends) flattened to text, for "contains" checks. */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flatten).join('');
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [fn, arg] = entries[0];
      if (fn === 'Fn::Join') return (arg as [string, unknown[]])[1].map(flatten).join((arg as [string, unknown[]])[0]);
      if (fn === 'Fn::Base64') return flatten(arg);
      if (fn === 'Ref') return `\${${String(arg)}}`;
      if (fn === 'Fn::GetAtt') return `\${${(arg as string[]).join('.')}}`;
    }
  }
  return JSON.stringify(value);
}
