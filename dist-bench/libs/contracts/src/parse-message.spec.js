"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
const _adrecerror = require("./adrec-error");
const _messages = require("./messages");
const _parsemessage = require("./parse-message");
const trigger = {
    runId: '2022-04-14-abc',
    runDate: '2022-04-14',
    windowDays: 1
};
function result(itemCount) {
    return {
        runId: 'run-1',
        runDate: '2022-04-14',
        advertiserId: 'ADV1',
        model: 'top_product',
        resultKey: 'runs/2022-04-14/run-1/results/ADV1/top_product.json',
        items: Array.from({
            length: itemCount
        }, (_, i)=>({
                productId: `p${i}`,
                views: 1
            })),
        clicksWithoutImpressions: 0
    };
}
/** The AdrecError parseMessage throws for `body`. */ function rejection(type, body) {
    try {
        (0, _parsemessage.parseMessage)(type, body);
    } catch (error) {
        expect(error).toBeInstanceOf(_adrecerror.AdrecError);
        return error;
    }
    throw new Error(`expected ${body} to be rejected`);
}
describe('parseMessage', ()=>{
    it('returns a TriggerMessage instance for a valid body', ()=>{
        const message = (0, _parsemessage.parseMessage)(_messages.TriggerMessage, JSON.stringify(trigger));
        expect(message).toBeInstanceOf(_messages.TriggerMessage);
        expect(message).toEqual(trigger);
    });
    it('drops properties the message does not declare', ()=>{
        const message = (0, _parsemessage.parseMessage)(_messages.TriggerMessage, JSON.stringify({
            ...trigger,
            extra: 'x'
        }));
        expect(message).not.toHaveProperty('extra');
    });
    it('rejects a body that is not JSON', ()=>{
        const error = rejection(_messages.TriggerMessage, '{runId:');
        expect(error.code).toBe('MESSAGE.INVALID');
        expect(error.message).toMatch(/not JSON/);
    });
    it('rejects a missing body', ()=>{
        expect(rejection(_messages.TriggerMessage, undefined).code).toBe('MESSAGE.INVALID');
    });
    it.each([
        '[]',
        '[{"runId":"r"}]',
        'null',
        '"text"',
        '42'
    ])('rejects %s, which is not a JSON object', (body)=>{
        const error = rejection(_messages.TriggerMessage, body);
        expect(error.code).toBe('MESSAGE.INVALID');
        expect(error.message).toMatch(/JSON object/);
    });
    it('rejects a trigger without runId, naming the field', ()=>{
        const { runId: _omitted, ...body } = trigger;
        const error = rejection(_messages.TriggerMessage, JSON.stringify(body));
        expect(error.code).toBe('MESSAGE.INVALID');
        expect(error.message).toMatch(/runId/);
        expect(error.details).toEqual({
            fields: [
                'runId'
            ]
        });
    });
    it.each([
        0,
        32,
        1.5,
        '3'
    ])('rejects windowDays %j, naming the field', (windowDays)=>{
        const error = rejection(_messages.TriggerMessage, JSON.stringify({
            ...trigger,
            windowDays
        }));
        expect(error.code).toBe('MESSAGE.INVALID');
        expect(error.message).toMatch(/windowDays/);
    });
    it('accepts windowDays 31, the longest window', ()=>{
        expect((0, _parsemessage.parseMessage)(_messages.TriggerMessage, JSON.stringify({
            ...trigger,
            windowDays: 31
        })).windowDays).toBe(31);
    });
    it('rejects a runDate that is not a calendar date, naming the field', ()=>{
        const error = rejection(_messages.TriggerMessage, JSON.stringify({
            ...trigger,
            runDate: '2022-02-30'
        }));
        expect(error.code).toBe('MESSAGE.INVALID');
        expect(error.message).toContain('runDate must be a calendar date YYYY-MM-DD');
    });
    it('accepts a ModelResultMessage with 20 items', ()=>{
        const message = (0, _parsemessage.parseMessage)(_messages.ModelResultMessage, JSON.stringify(result(20)));
        expect(message.items).toHaveLength(20);
    });
    it('rejects a ModelResultMessage with 21 items, naming the field', ()=>{
        const error = rejection(_messages.ModelResultMessage, JSON.stringify(result(21)));
        expect(error.code).toBe('MESSAGE.INVALID');
        expect(error.message).toMatch(/^ModelResultMessage: .*items/);
    });
    it('rejects an invalid nested item, naming its path', ()=>{
        const body = result(2);
        body.items[1] = {
            productId: '',
            views: 1
        };
        const error = rejection(_messages.ModelResultMessage, JSON.stringify(body));
        expect(error.message).toMatch(/items\.1\.productId/);
    });
});

//# sourceMappingURL=parse-message.spec.js.map