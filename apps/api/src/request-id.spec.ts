import { requestIdGenerator } from './request-id';

describe('requestIdGenerator', () => {
  it('numbers the requests of one process after one random prefix', () => {
    const next = requestIdGenerator();
    const ids = Array.from({ length: 40 }, () => next());
    expect(ids[0]).toMatch(/^[0-9a-f]{12}-1$/);
    const prefix = ids[0].split('-')[0];
    expect(ids.every((id) => id.startsWith(`${prefix}-`))).toBe(true);
    expect(ids[35]).toBe(`${prefix}-10`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives each process its own prefix', () => {
    const prefixes = Array.from({ length: 50 }, () => requestIdGenerator()().split('-')[0]);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });
});
