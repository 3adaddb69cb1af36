import { App, Environment, Tags } from 'aws-cdk-lib';
import { AdrecStack } from './adrec.stack';
import { readSettings } from './adrec-settings';
import { ImageRepositoriesStack } from './image-repositories.stack';

export interface AdrecStacks {
  repositories: ImageRepositoriesStack;
  main: AdrecStack;
}

/**
 * Both stacks, as `cdk` deploys them and as the tests synthesize them, so the
 * tests check the very templates that get deployed.
 */
export function defineAdrecStacks(app: App, env?: Environment): AdrecStacks {
  const settings = readSettings(app.node);
  const repositories = new ImageRepositoriesStack(app, 'AdrecImages', {
    env,
    repositoryPrefix: settings.repositoryPrefix,
    description: 'adrec container image repositories',
  });
  const main = new AdrecStack(app, 'Adrec', {
    env,
    settings,
    description: `adrec nightly ad recommendations (API on ${settings.apiHosting})`,
  });
  main.addStackDependency(repositories);
  Tags.of(app).add('project', 'adrec');
  return { repositories, main };
}
