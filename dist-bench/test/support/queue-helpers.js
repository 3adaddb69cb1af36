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
    get drainQueue () {
        return drainQueue;
    },
    get queueIsEmpty () {
        return queueIsEmpty;
    }
});
const _clientsqs = require("@aws-sdk/client-sqs");
async function drainQueue(queues, queue, count, deadLetter = false, timeoutMs = 30_000) {
    const url = await queues.url(queue, deadLetter);
    const bodies = [];
    const deadline = Date.now() + timeoutMs;
    while(bodies.length < count){
        if (Date.now() > deadline) throw new Error(`only ${bodies.length} of ${count} messages arrived on ${queue}`);
        const response = await queues.sqs.send(new _clientsqs.ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1
        }));
        for (const message of response.Messages ?? []){
            bodies.push(JSON.parse(message.Body));
            await queues.sqs.send(new _clientsqs.DeleteMessageCommand({
                QueueUrl: url,
                ReceiptHandle: message.ReceiptHandle
            }));
        }
    }
    return bodies;
}
async function queueIsEmpty(queues, queue, deadLetter = false) {
    const response = await queues.sqs.send(new _clientsqs.ReceiveMessageCommand({
        QueueUrl: await queues.url(queue, deadLetter),
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 0
    }));
    return (response.Messages ?? []).length === 0;
}

//# sourceMappingURL=queue-helpers.js.map