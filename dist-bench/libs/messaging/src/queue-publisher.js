"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "QueuePublisher", {
    enumerable: true,
    get: function() {
        return QueuePublisher;
    }
});
const _clientsqs = require("@aws-sdk/client-sqs");
const _contracts = require("../../contracts/src");
/** SQS accepts at most 10 entries per batch call. */ const SQS_BATCH_LIMIT = 10;
const MAX_SEND_ATTEMPTS = 5;
let QueuePublisher = class QueuePublisher {
    queues;
    constructor(queues){
        this.queues = queues;
    }
    async publish(queue, messages) {
        if (messages.length === 0) return;
        const queueUrl = await this.queues.url(queue);
        for(let offset = 0; offset < messages.length; offset += SQS_BATCH_LIMIT){
            let entries = messages.slice(offset, offset + SQS_BATCH_LIMIT).map((message, index)=>({
                    Id: String(index),
                    MessageBody: JSON.stringify(message)
                }));
            for(let attempt = 1; entries.length > 0; attempt++){
                const response = await this.queues.sqs.send(new _clientsqs.SendMessageBatchCommand({
                    QueueUrl: queueUrl,
                    Entries: entries
                }));
                const failed = new Set((response.Failed ?? []).map((entry)=>entry.Id));
                if (failed.size === 0) break;
                if (attempt === MAX_SEND_ATTEMPTS) {
                    throw new _contracts.AdrecError('QUEUE.SEND_FAILED', `${failed.size} message(s) to ${queue} were refused ${attempt} times`, {
                        details: {
                            failed: response.Failed
                        }
                    });
                }
                entries = entries.filter((entry)=>failed.has(entry.Id));
                await new Promise((resolve)=>setTimeout(resolve, 100 * 2 ** attempt));
            }
        }
    }
};

//# sourceMappingURL=queue-publisher.js.map