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
    get MAX_RECEIVE_COUNT () {
        return MAX_RECEIVE_COUNT;
    },
    get QUEUES () {
        return QUEUES;
    },
    get QueueDirectory () {
        return QueueDirectory;
    },
    get createSqsClient () {
        return createSqsClient;
    }
});
const _clientsqs = require("@aws-sdk/client-sqs");
const QUEUES = [
    'trigger',
    'jobs',
    'results'
];
const MAX_RECEIVE_COUNT = 5;
function createSqsClient(config) {
    return new _clientsqs.SQSClient({
        region: config.aws.region,
        endpoint: config.aws.endpoint,
        credentials: config.aws.endpoint ? {
            accessKeyId: 'local',
            secretAccessKey: 'local'
        } : undefined,
        // Emulator queue URLs name hosts like sqs.us-east-1.localhost that do not
        // resolve everywhere; send every call to the configured endpoint instead.
        useQueueUrlAsEndpoint: config.aws.endpoint === undefined,
        maxAttempts: 5
    });
}
let QueueDirectory = class QueueDirectory {
    sqs;
    config;
    urls = new Map();
    constructor(sqs, config){
        this.sqs = sqs;
        this.config = config;
    }
    /** True when SQS calls go to AWS_ENDPOINT_URL rather than the host in each queue URL. */ get usesCustomEndpoint() {
        return this.config.aws.endpoint !== undefined;
    }
    physicalName(queue, deadLetter = false) {
        return `${this.config.queues.prefix}${queue}${deadLetter ? '-dlq' : ''}`;
    }
    async url(queue, deadLetter = false) {
        const name = this.physicalName(queue, deadLetter);
        let url = this.urls.get(name);
        if (!url) {
            const response = await this.sqs.send(new _clientsqs.GetQueueUrlCommand({
                QueueName: name
            }));
            url = response.QueueUrl;
            this.urls.set(name, url);
        }
        return url;
    }
    /**
   * Creates every queue and its DLQ (maxReceiveCount 5) if missing. Safe to
   * run any number of times; on AWS the CDK stack creates them instead.
   */ async ensureQueues() {
        for (const queue of QUEUES){
            const dlq = await this.sqs.send(new _clientsqs.CreateQueueCommand({
                QueueName: this.physicalName(queue, true),
                Attributes: {
                    MessageRetentionPeriod: String(14 * 86_400)
                }
            }));
            const dlqArn = await this.sqs.send(new _clientsqs.GetQueueAttributesCommand({
                QueueUrl: dlq.QueueUrl,
                AttributeNames: [
                    'QueueArn'
                ]
            }));
            const main = await this.sqs.send(new _clientsqs.CreateQueueCommand({
                QueueName: this.physicalName(queue),
                Attributes: {
                    VisibilityTimeout: String(this.config.queues.visibilityTimeoutSeconds),
                    RedrivePolicy: JSON.stringify({
                        deadLetterTargetArn: dlqArn.Attributes.QueueArn,
                        maxReceiveCount: MAX_RECEIVE_COUNT
                    })
                }
            }));
            this.urls.set(this.physicalName(queue, true), dlq.QueueUrl);
            this.urls.set(this.physicalName(queue), main.QueueUrl);
        }
    }
};

//# sourceMappingURL=queues.js.map