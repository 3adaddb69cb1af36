import type { Message } from '@aws-sdk/client-sqs';
import { retryDelaySeconds } from './queue-consumer';

const received = (count: number): Message => ({ Attributes: { ApproximateReceiveCount: String(count) } });

describe('retryDelaySeconds', () => {
  it('gives a first failure the base delay and doubles it per earlier receive', () => {
    expect([1, 2, 3, 4, 5].map((count) => retryDelaySeconds([received(count)], 60))).toEqual([60, 120, 240, 480, 900]);
  });

  it('never delays a message more than 15 minutes', () => {
    expect(retryDelaySeconds([received(10)], 60)).toBe(900);
  });

  it('delays a batch by its most received message, and counts a message without the attribute as received once', () => {
    expect(retryDelaySeconds([received(1), received(3)], 5)).toBe(20);
    expect(retryDelaySeconds([{}], 5)).toBe(5);
  });
});
