import { AdrecError } from './adrec-error';
import { ModelJobMessage, ModelResultMessage, TriggerMessage } from './messages';
import { parseMessage } from './parse-message';

const trigger = { runId: '2022-04-14-abc', runDate: '2022-04-14', windowDays: 1 };

function result(itemCount: number) {
  return {
    runId: 'run-1',
    runDate: '2022-04-14',
    advertiserId: 'ADV1',
    model: 'top_product',
    resultKey: 'runs/2022-04-14/run-1/results/ADV1/top_product.json',
    items: Array.from({ length: itemCount }, (_, i) => ({ productId: `p${i}`, views: 1 })),
    clicksWithoutImpressions: 0,
  };
}

/** The AdrecError parseMessage throws for `body`. */
function rejection(type: new () => object, body: string | undefined): AdrecError {
  try {
    parseMessage(type, body);
  } catch (error) {
    expect(error).toBeInstanceOf(AdrecError);
    return error as AdrecError;
  }
  throw new Error(`expected ${body} to be rejected`);
}

describe('parseMessage', () => {
  it('returns a TriggerMessage instance for a valid body', () => {
    const message = parseMessage(TriggerMessage, JSON.stringify(trigger));
    expect(message).toBeInstanceOf(TriggerMessage);
    expect(message).toEqual(trigger);
  });

  it('drops properties the message does not declare', () => {
    const message = parseMessage(TriggerMessage, JSON.stringify({ ...trigger, extra: 'x' }));
    expect(message).not.toHaveProperty('extra');
  });

  it('rejects a body that is not JSON', () => {
    const error = rejection(TriggerMessage, '{runId:');
    expect(error.code).toBe('MESSAGE.INVALID');
    expect(error.message).toMatch(/not JSON/);
  });

  it('rejects a missing body', () => {
    expect(rejection(TriggerMessage, undefined).code).toBe('MESSAGE.INVALID');
  });

  it.each(['[]', '[{"runId":"r"}]', 'null', '"text"', '42'])('rejects %s, which is not a JSON object', (body) => {
    const error = rejection(TriggerMessage, body);
    expect(error.code).toBe('MESSAGE.INVALID');
    expect(error.message).toMatch(/JSON object/);
  });

  it('rejects a trigger without runId, naming the field', () => {
    const body: Partial<typeof trigger> = { ...trigger };
    delete body.runId;
    const error = rejection(TriggerMessage, JSON.stringify(body));
    expect(error.code).toBe('MESSAGE.INVALID');
    expect(error.message).toMatch(/runId/);
    expect(error.details).toEqual({ fields: ['runId'] });
  });

  it.each([0, 32, 1.5, '3'])('rejects windowDays %j, naming the field', (windowDays) => {
    const error = rejection(TriggerMessage, JSON.stringify({ ...trigger, windowDays }));
    expect(error.code).toBe('MESSAGE.INVALID');
    expect(error.message).toMatch(/windowDays/);
  });

  it('accepts windowDays 31, the longest window', () => {
    expect(parseMessage(TriggerMessage, JSON.stringify({ ...trigger, windowDays: 31 })).windowDays).toBe(31);
  });

  it('rejects a runDate that is not a calendar date, naming the field', () => {
    const error = rejection(TriggerMessage, JSON.stringify({ ...trigger, runDate: '2022-02-30' }));
    expect(error.code).toBe('MESSAGE.INVALID');
    expect(error.message).toContain('runDate must be a calendar date YYYY-MM-DD');
  });

  it('rejects year 0, which no calendar of PostgreSQL has', () => {
    expect(rejection(TriggerMessage, JSON.stringify({ ...trigger, runDate: '0000-01-01' })).message).toContain(
      'runDate must be a calendar date',
    );
  });

  it.each(['yesterday', '2022-04-14', '2022-13-01T00:00:00Z', '1649901600000', 1649901600000])(
    'rejects a triggeredAt %j that is not a timestamp, naming the field (dead-lettered at once, not retried)',
    (triggeredAt) => {
      const error = rejection(TriggerMessage, JSON.stringify({ ...trigger, triggeredAt }));
      expect(error.code).toBe('MESSAGE.INVALID');
      expect(error.details).toEqual({ fields: ['triggeredAt'] });
    },
  );

  it('accepts a triggeredAt in the future: the order of runs does not trust it (see runs.trigger_seq)', () => {
    const triggeredAt = '2999-01-01T00:00:00.000Z';
    expect(parseMessage(TriggerMessage, JSON.stringify({ ...trigger, triggeredAt })).triggeredAt).toBe(triggeredAt);
  });

  it.each([
    ['300 characters', 'A'.repeat(300)],
    ['a space', 'ACME SHOES'],
    ['a slash', 'acme/shoes'],
  ])('rejects a job or result whose advertiserId has %s', (_, advertiserId) => {
    const job = {
      runId: 'run-1',
      runDate: '2022-04-14',
      advertiserId,
      model: 'top_ctr',
      partitionKey: 'k',
      partitionOffset: 0,
      partitionLength: 10,
    };
    expect(rejection(ModelJobMessage, JSON.stringify(job)).details).toEqual({ fields: ['advertiserId'] });
    expect(rejection(ModelResultMessage, JSON.stringify({ ...result(1), advertiserId })).details).toEqual({ fields: ['advertiserId'] });
  });

  it('accepts a ModelResultMessage with 20 items', () => {
    const message = parseMessage(ModelResultMessage, JSON.stringify(result(20)));
    expect(message.items).toHaveLength(20);
  });

  it('rejects a ModelResultMessage with 21 items, naming the field', () => {
    const error = rejection(ModelResultMessage, JSON.stringify(result(21)));
    expect(error.code).toBe('MESSAGE.INVALID');
    expect(error.message).toMatch(/^ModelResultMessage: .*items/);
  });

  it('rejects an invalid nested item, naming its path', () => {
    const body = result(2);
    body.items[1] = { productId: '', views: 1 };
    const error = rejection(ModelResultMessage, JSON.stringify(body));
    expect(error.message).toMatch(/items\.1\.productId/);
  });

  it('rejects an item count that is not a non-negative integer, naming its path', () => {
    const body = result(3);
    body.items[2] = { productId: 'p2', clicks: -1 } as never;
    expect(rejection(ModelResultMessage, JSON.stringify(body)).message).toMatch(/items\.2\.clicks must be a non-negative integer/);
    body.items[2] = { productId: 'p2', views: 1.5 };
    expect(rejection(ModelResultMessage, JSON.stringify(body)).message).toMatch(/items\.2\.views/);
    body.items = 'none' as never;
    expect(rejection(ModelResultMessage, JSON.stringify(body)).message).toMatch(/items must be an array/);
  });

  it('drops unknown fields of an item, as it drops unknown fields of the message', () => {
    const body = result(1);
    body.items[0] = { productId: 'p0', views: 2, note: 'x' } as never;
    expect(parseMessage(ModelResultMessage, JSON.stringify({ ...body, extra: 1 })).items).toEqual([{ productId: 'p0', views: 2 }]);
  });
});
