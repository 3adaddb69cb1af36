import { formatEvaluation } from './evaluation-table';

describe('formatEvaluation', () => {
  it('prints one line per date with each model’s hit rate, hits/events and baseline, pending dates blank', () => {
    const text = formatEvaluation([
      { date: '2022-04-14', runId: 'r14', evaluatedOn: '2022-04-15', status: 'pending', models: null },
      {
        date: '2022-04-13',
        runId: 'r13',
        evaluatedOn: '2022-04-14',
        status: 'done',
        models: {
          top_ctr: { hits: 0, events: 0, hitRate: null, advertisers: 0, baselineHitRate: null },
          top_product: { hits: 25, events: 200, hitRate: 0.125, advertisers: 20, baselineHitRate: 0.2 },
        },
      },
    ]);
    const [header, pending, done] = text.split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'DATE',
      'RUN',
      'STATUS',
      'TOP_CTR HIT RATE',
      'HITS/EVENTS',
      'BASELINE',
      'TOP_PRODUCT HIT RATE',
      'HITS/EVENTS',
      'BASELINE',
    ]);
    expect(pending.split(/\s{2,}/)).toEqual(['2022-04-14', 'r14', 'pending']);
    expect(done.split(/\s{2,}/)).toEqual(['2022-04-13', 'r13', 'done', '-', '0/0', '-', '12.5%', '25/200', '20.0%']);
  });

  it('says so when there is nothing to show', () => {
    expect(formatEvaluation([])).toBe('no published dates in that range\n');
  });
});
