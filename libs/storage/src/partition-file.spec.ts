import { AdrecError } from '@adrec/contracts';
import { packPartitions, parsePartition, PARTITION_HEADER, serializePartition } from './partition-file';

const KEY = 'runs/2022-04-14/run-1/partitions.csv (advertiser ADV1)';

function parseError(text: string): AdrecError {
  try {
    parsePartition(text, KEY);
  } catch (error) {
    expect(error).toBeInstanceOf(AdrecError);
    return error as AdrecError;
  }
  throw new Error('expected the partition to be rejected');
}

describe('partition file', () => {
  it('round-trips product counts, including an id with a comma and a quote', () => {
    const products = [
      { productId: 'abc123', views: 5, impressions: 100, clicks: 2 },
      { productId: 'a,"b"', views: 0, impressions: 3, clicks: 0 },
      { productId: '"', views: 1, impressions: 0, clicks: 7 },
    ];
    const text = serializePartition(products);
    expect(text.split('\n')[0]).toBe(PARTITION_HEADER);
    expect(text.split('\n')[2]).toBe('"a,""b""",0,3,0');
    expect(parsePartition(text, KEY)).toEqual(products);
  });

  it('round-trips an empty partition as a header alone', () => {
    expect(serializePartition([])).toBe(`${PARTITION_HEADER}\n`);
    expect(parsePartition(serializePartition([]), KEY)).toEqual([]);
  });

  it('rejects a file with the wrong header as MODELS.BAD_PARTITION, naming the key', () => {
    const error = parseError('product,views,impressions,clicks\np1,1,0,0\n');
    expect(error.code).toBe('MODELS.BAD_PARTITION');
    expect(error.message).toContain(KEY);
  });

  it('rejects an empty file as MODELS.BAD_PARTITION', () => {
    expect(parseError('').code).toBe('MODELS.BAD_PARTITION');
  });

  it.each(['p1,1,0', 'p1,x,0,0', 'p1,1.5,0,0'])('rejects the line %j as MODELS.BAD_PARTITION', (line) => {
    const error = parseError(`${PARTITION_HEADER}\n${line}\n`);
    expect(error.code).toBe('MODELS.BAD_PARTITION');
    expect(error.message).toContain('line 2');
  });

  it('packs partitions one after another, each range a complete partition file', () => {
    const adv1 = [{ productId: 'p1', views: 1, impressions: 2, clicks: 0 }];
    const adv2 = [{ productId: 'é,1', views: 0, impressions: 5, clicks: 1 }];
    const { body, ranges } = packPartitions([
      ['ADV1', adv1],
      ['IDLE', []],
      ['ADV2', adv2],
    ]);
    expect(ranges.map((r) => r.advertiserId)).toEqual(['ADV1', 'IDLE', 'ADV2']);
    expect(ranges[0].offset).toBe(0);
    ranges.slice(1).forEach((range, i) => expect(range.offset).toBe(ranges[i].offset + ranges[i].length));
    expect(ranges[2].offset + ranges[2].length).toBe(body.length);
    const parse = (i: number) => parsePartition(body.toString('utf8', ranges[i].offset, ranges[i].offset + ranges[i].length), KEY);
    expect([parse(0), parse(1), parse(2)]).toEqual([adv1, [], adv2]);
  });
});
