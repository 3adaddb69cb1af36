import { AdrecError } from '@adrec/contracts';
import { parsePartition, PARTITION_HEADER, serializePartition } from './partition-file';

const KEY = 'runs/2022-04-14/run-1/partitions/ADV1.csv';

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
});
