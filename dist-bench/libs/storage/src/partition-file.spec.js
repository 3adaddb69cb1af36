"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
const _contracts = require("../../contracts/src");
const _partitionfile = require("./partition-file");
const KEY = 'runs/2022-04-14/run-1/partitions/ADV1.csv';
function parseError(text) {
    try {
        (0, _partitionfile.parsePartition)(text, KEY);
    } catch (error) {
        expect(error).toBeInstanceOf(_contracts.AdrecError);
        return error;
    }
    throw new Error('expected the partition to be rejected');
}
describe('partition file', ()=>{
    it('round-trips product counts, including an id with a comma and a quote', ()=>{
        const products = [
            {
                productId: 'abc123',
                views: 5,
                impressions: 100,
                clicks: 2
            },
            {
                productId: 'a,"b"',
                views: 0,
                impressions: 3,
                clicks: 0
            },
            {
                productId: '"',
                views: 1,
                impressions: 0,
                clicks: 7
            }
        ];
        const text = (0, _partitionfile.serializePartition)(products);
        expect(text.split('\n')[0]).toBe(_partitionfile.PARTITION_HEADER);
        expect(text.split('\n')[2]).toBe('"a,""b""",0,3,0');
        expect((0, _partitionfile.parsePartition)(text, KEY)).toEqual(products);
    });
    it('round-trips an empty partition as a header alone', ()=>{
        expect((0, _partitionfile.serializePartition)([])).toBe(`${_partitionfile.PARTITION_HEADER}\n`);
        expect((0, _partitionfile.parsePartition)((0, _partitionfile.serializePartition)([]), KEY)).toEqual([]);
    });
    it('rejects a file with the wrong header as MODELS.BAD_PARTITION, naming the key', ()=>{
        const error = parseError('product,views,impressions,clicks\np1,1,0,0\n');
        expect(error.code).toBe('MODELS.BAD_PARTITION');
        expect(error.message).toContain(KEY);
    });
    it('rejects an empty file as MODELS.BAD_PARTITION', ()=>{
        expect(parseError('').code).toBe('MODELS.BAD_PARTITION');
    });
    it.each([
        'p1,1,0',
        'p1,x,0,0',
        'p1,1.5,0,0'
    ])('rejects the line %j as MODELS.BAD_PARTITION', (line)=>{
        const error = parseError(`${_partitionfile.PARTITION_HEADER}\n${line}\n`);
        expect(error.code).toBe('MODELS.BAD_PARTITION');
        expect(error.message).toContain('line 2');
    });
});

//# sourceMappingURL=partition-file.spec.js.map