"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "QueueConsumer", {
    enumerable: true,
    get: function() {
        return QueueConsumer;
    }
});
const _clientsqs = require("@aws-sdk/client-sqs");
const _sqsconsumer = require("sqs-consumer");
const _contracts = require("../../contracts/src");
const _logging = require("../../logging/src");
let QueueConsumer = class QueueConsumer {
    queues;
    options;
    consumer;
    constructor(queues, options){
        this.queues = queues;
        this.options = options;
    }
    async start() {
        const { queue, logger } = this.options;
        const visibilityTimeout = this.options.visibilityTimeoutSeconds ?? 60;
        const queueUrl = await this.queues.url(queue);
        const deadLetterUrl = await this.queues.url(queue, true);
        this.consumer = _sqsconsumer.Consumer.create({
            queueUrl,
            sqs: this.queues.sqs,
            useQueueUrlAsEndpoint: !this.queues.usesCustomEndpoint,
            batchSize: this.options.batchSize ?? 10,
            visibilityTimeout,
            heartbeatInterval: Math.max(1, Math.floor(visibilityTimeout / 3)),
            waitTimeSeconds: 20,
            // On stop, wait for the in-flight batch to finish so nothing is cut mid-effect.
            pollingCompleteWaitTimeMs: visibilityTimeout * 1000,
            handleMessageBatch: async (messages)=>{
                const valid = [];
                const acknowledged = [];
                for (const message of messages){
                    try {
                        valid.push({
                            body: (0, _contracts.parseMessage)(this.options.messageType, message.Body),
                            message
                        });
                    } catch (error) {
                        await this.deadLetter(deadLetterUrl, message, error);
                        acknowledged.push(message);
                    }
                }
                if (valid.length > 0) {
                    const done = await this.options.handle(valid);
                    for (const item of done)acknowledged.push(item.message);
                }
                return acknowledged;
            }
        });
        this.consumer.on('error', (error)=>logger.warn('queue error', {
                queue,
                err: (0, _logging.serializeError)(error)
            }));
        this.consumer.on('processing_error', (error)=>logger.warn('batch left for redelivery', {
                queue,
                err: (0, _logging.serializeError)(error)
            }));
        this.consumer.start();
        logger.info('consuming', {
            queue,
            queueUrl
        });
    }
    /** Stops polling and waits for the in-flight batch; unfinished messages return to the queue. */ async stop() {
        const consumer = this.consumer;
        if (!consumer || !consumer.status.isRunning) return;
        await new Promise((resolve)=>{
            consumer.once('stopped', ()=>resolve());
            consumer.stop({
                abort: false
            });
        });
    }
    async deadLetter(deadLetterUrl, message, error) {
        const reason = error instanceof _contracts.AdrecError ? error.message : String(error);
        this.options.logger.warn('invalid message moved to DLQ', {
            queue: this.options.queue,
            messageId: message.MessageId,
            reason
        });
        await this.queues.sqs.send(new _clientsqs.SendMessageCommand({
            QueueUrl: deadLetterUrl,
            MessageBody: message.Body ?? '',
            MessageAttributes: {
                'adrec-error': {
                    DataType: 'String',
                    StringValue: reason.slice(0, 1000)
                }
            }
        }));
    }
};

//# sourceMappingURL=queue-consumer.js.map