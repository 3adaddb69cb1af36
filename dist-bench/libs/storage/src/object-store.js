"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
function _export(target, all) {
    for(var name in all)Object.defineProperty(target, name, {
        enumerable: true,
        get: Object.getOwnPropertyDescriptor(all, name).get
    });
}
_export(exports, {
    get ObjectStore () {
        return ObjectStore;
    },
    get createS3Client () {
        return createS3Client;
    },
    get forEachLimited () {
        return forEachLimited;
    }
});
const _clients3 = require("@aws-sdk/client-s3");
const _contracts = require("../../contracts/src");
function createS3Client(config) {
    return new _clients3.S3Client({
        region: config.aws.region,
        endpoint: config.aws.endpoint,
        forcePathStyle: config.aws.forcePathStyle,
        // Emulators accept any credentials; on AWS the default provider chain
        // (instance role, task role) supplies real ones.
        credentials: config.aws.endpoint ? {
            accessKeyId: 'local',
            secretAccessKey: 'local'
        } : undefined,
        maxAttempts: 5
    });
}
let ObjectStore = class ObjectStore {
    client;
    bucket;
    constructor(client, bucket){
        this.client = client;
        this.bucket = bucket;
    }
    /** Creates the bucket if it does not exist (local stack and tests; CDK owns it on AWS). */ async ensureBucket() {
        try {
            await this.client.send(new _clients3.HeadBucketCommand({
                Bucket: this.bucket
            }));
        } catch  {
            await this.client.send(new _clients3.CreateBucketCommand({
                Bucket: this.bucket
            }));
        }
    }
    /** Streams an object; throws `STORAGE.OBJECT_NOT_FOUND` naming the key when it is missing. */ async openStream(key) {
        try {
            const response = await this.client.send(new _clients3.GetObjectCommand({
                Bucket: this.bucket,
                Key: key
            }));
            return response.Body;
        } catch (error) {
            if (error instanceof _clients3.NoSuchKey) {
                throw new _contracts.AdrecError('STORAGE.OBJECT_NOT_FOUND', `s3://${this.bucket}/${key} does not exist`, {
                    cause: error
                });
            }
            throw error;
        }
    }
    async getText(key) {
        const stream = await this.openStream(key);
        const chunks = [];
        for await (const chunk of stream)chunks.push(chunk);
        return Buffer.concat(chunks).toString('utf8');
    }
    async put(key, body, contentType = 'application/octet-stream') {
        await this.client.send(new _clients3.PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: body,
            ContentType: contentType
        }));
    }
    /** Every key under a prefix, in lexicographic order. */ async listKeys(prefix) {
        const keys = [];
        let token;
        do {
            const page = await this.client.send(new _clients3.ListObjectsV2Command({
                Bucket: this.bucket,
                Prefix: prefix,
                ContinuationToken: token
            }));
            for (const object of page.Contents ?? [])if (object.Key) keys.push(object.Key);
            token = page.IsTruncated ? page.NextContinuationToken : undefined;
        }while (token)
        return keys;
    }
};
async function forEachLimited(items, limit, task) {
    let next = 0;
    const workers = Array.from({
        length: Math.min(limit, items.length)
    }, async ()=>{
        while(next < items.length){
            const item = items[next++];
            await task(item);
        }
    });
    await Promise.all(workers);
}

//# sourceMappingURL=object-store.js.map