import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';

/** The images docker/Dockerfile builds, one per target. */
export const IMAGE_NAMES = ['ingest', 'models', 'writer', 'api', 'cli'] as const;
export type ImageName = (typeof IMAGE_NAMES)[number];

export interface ImageRepositoriesStackProps extends StackProps {
  repositoryPrefix: string;
}

/**
 * The ECR repositories, in a stack of their own: images must be pushed
 * before the main stack can start containers from them, and the
 * repositories (with their images) outlive any teardown of the main stack.
 */
export class ImageRepositoriesStack extends Stack {
  constructor(scope: Construct, id: string, props: ImageRepositoriesStackProps) {
    super(scope, id, props);
    for (const name of IMAGE_NAMES) {
      new ecr.Repository(this, name, {
        repositoryName: `${props.repositoryPrefix}${name}`,
        imageScanOnPush: true,
        encryption: ecr.RepositoryEncryption.AES_256,
        removalPolicy: RemovalPolicy.RETAIN,
        lifecycleRules: [
          { description: 'drop untagged layers of overwritten tags', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(7) },
          { description: 'keep the last 30 images', tagStatus: ecr.TagStatus.ANY, maxImageCount: 30 },
        ],
      });
    }
  }
}
