import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectCommandOutput,
  HeadBucketCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { AppConfig } from '@adrec/config';
import { AdrecError } from '@adrec/contracts';

/** Multipart part size: S3's minimum is 5 MiB, fauxqs refuses request bodies over 11 MiB. */
const UPLOAD_PART_BYTES = 8 * 1024 * 1024;
/** Keys per DeleteObjects request: S3's maximum. */
const DELETE_BATCH = 1000;

export function createS3Client(config: AppConfig): S3Client {
  return new S3Client({
    region: config.aws.region,
    endpoint: config.aws.s3Endpoint,
    forcePathStyle: config.aws.forcePathStyle,
    // Emulators accept any credentials; on AWS the default provider chain
    // (instance role, task role) supplies real ones.
    credentials: config.aws.s3Endpoint ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined,
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

  /**
   * Streams an object, from byte `fromByte` when given; throws
   * `STORAGE.OBJECT_NOT_FOUND` naming the key when it is missing.
   */
  async openStream(key: string, fromByte?: number): Promise<Readable> {
    return (await this.getObject(key, fromByte ? `bytes=${fromByte}-` : undefined)).Body as Readable;
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

  /** Uploads a body of any size: one PUT when small, multipart (parts sent 4 at a time) when not. */
  async upload(key: string, body: Buffer | Readable, contentType = 'application/octet-stream'): Promise<void> {
    await new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
      queueSize: 4,
      partSize: UPLOAD_PART_BYTES,
    }).done();
  }

  /** `length` bytes of an object from `offset` (an HTTP Range read). */
  async getRange(key: string, offset: number, length: number): Promise<Buffer> {
    const response = await this.getObject(key, `bytes=${offset}-${offset + length - 1}`);
    const bytes = Buffer.from(await response.Body!.transformToByteArray());
    if (bytes.length !== length) {
      throw new AdrecError('STORAGE.SHORT_READ', `s3://${this.bucket}/${key}: asked for ${length} bytes at ${offset}, got ${bytes.length}`);
    }
    return bytes;
  }

  private async getObject(key: string, range?: string): Promise<GetObjectCommandOutput> {
    try {
      return await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range }));
    } catch (error) {
      if (error instanceof NoSuchKey) {
        throw new AdrecError('STORAGE.OBJECT_NOT_FOUND', `s3://${this.bucket}/${key} does not exist`, { cause: error });
      }
      throw error;
    }
  }

  /** Every object under a prefix with its size in bytes, in lexicographic order of key. */
  async listObjects(prefix: string): Promise<{ key: string; size: number }[]> {
    const objects: { key: string; size: number }[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key) objects.push({ key: object.Key, size: object.Size ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  /**
   * Deletes every object under a prefix, a thousand per request (S3's
   * limit), and returns how many were deleted. Deleting what is already gone
   * succeeds, so a repeated call is harmless.
   */
  async deletePrefix(prefix: string): Promise<number> {
    if (prefix === '' || !prefix.endsWith('/')) {
      throw new AdrecError('STORAGE.BAD_PREFIX', `refusing to delete under "${prefix}": a prefix must be a non-empty folder ending in /`);
    }
    const keys = (await this.listObjects(prefix)).map((object) => object.key);
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      const response = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
      );
      const failed = response.Errors ?? [];
      if (failed.length > 0) {
        throw new AdrecError(
          'STORAGE.DELETE_FAILED',
          `s3://${this.bucket}/${prefix}: ${failed.length} object(s) not deleted, e.g. ${failed[0].Key}: ${failed[0].Code} ${failed[0].Message ?? ''}`.trim(),
        );
      }
    }
    return keys.length;
  }
}
