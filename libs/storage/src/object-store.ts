import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { AppConfig } from '@adrec/config';
import { AdrecError } from '@adrec/contracts';

export function createS3Client(config: AppConfig): S3Client {
  return new S3Client({
    region: config.aws.region,
    endpoint: config.aws.endpoint,
    forcePathStyle: config.aws.forcePathStyle,
    // Emulators accept any credentials; on AWS the default provider chain
    // (instance role, task role) supplies real ones.
    credentials: config.aws.endpoint ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined,
    maxAttempts: 5,
  });
}

/** The adrec bucket: raw logs under the raw prefix, run outputs under the runs prefix. */
export class ObjectStore {
  constructor(
    readonly client: S3Client,
    readonly bucket: string,
  ) {}

  /** Creates the bucket if it does not exist (local stack and tests; CDK owns it on AWS). */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  /** Streams an object; throws `STORAGE.OBJECT_NOT_FOUND` naming the key when it is missing. */
  async openStream(key: string): Promise<Readable> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return response.Body as Readable;
    } catch (error) {
      if (error instanceof NoSuchKey) {
        throw new AdrecError('STORAGE.OBJECT_NOT_FOUND', `s3://${this.bucket}/${key} does not exist`, { cause: error });
      }
      throw error;
    }
  }

  async getText(key: string): Promise<string> {
    const stream = await this.openStream(key);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  async put(key: string, body: string | Buffer, contentType = 'application/octet-stream'): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  /** Every key under a prefix, in lexicographic order. */
  async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function forEachLimited<T>(items: Iterable<T>, limit: number, task: (item: T) => Promise<void>): Promise<void> {
  // One shared iterator: each of the `limit` loops takes the next item when it is free.
  const iterator = items[Symbol.iterator]();
  const worker = async () => {
    for (let step = iterator.next(); !step.done; step = iterator.next()) await task(step.value);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}
