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
        return _queues.MAX_RECEIVE_COUNT;
    },
    get MessagingModule () {
        return _messagingmodule.MessagingModule;
    },
    get QUEUES () {
        return _queues.QUEUES;
    },
    get QueueConsumer () {
        return _queueconsumer.QueueConsumer;
    },
    get QueueDirectory () {
        return _queues.QueueDirectory;
    },
    get QueuePublisher () {
        return _queuepublisher.QueuePublisher;
    },
    get createSqsClient () {
        return _queues.createSqsClient;
    }
});
const _queueconsumer = require("./queue-consumer");
const _queuepublisher = require("./queue-publisher");
const _queues = require("./queues");
const _messagingmodule = require("./messaging.module");

//# sourceMappingURL=index.js.map