import { App } from 'aws-cdk-lib';
import { defineAdrecStacks } from '../lib/adrec-app';

const app = new App();
// Account and region come from the CLI's credentials when there are any;
// without them the stacks stay environment-agnostic, so `cdk synth` runs offline.
defineAdrecStacks(app, { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION });
app.synth();
