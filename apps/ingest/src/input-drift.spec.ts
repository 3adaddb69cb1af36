import { PublishedRunInput } from '@adrec/database';
import { assessInputDrift, median } from './input-drift';

const BAND = { lowerFactor: 0.5, upperFactor: 2, advertiserFactor: 3, failsRun: false };

function run(views: number, advertiserLines: [string, number][] = [], extra: Record<string, number> = {}, bad = 0): PublishedRunInput {
  return {
    runId: `r${views}`,
    runDate: '2022-04-01',
    inputCounts: {
      productViewsKept: views,
      impressionsKept: 1000,
      clicksKept: 10,
      activeAdvertisers: 20,
      productViewLines: 2000,
      adEventLines: 2000,
      inactiveAdvertiserLines: 400,
      ...extra,
    },
    badLines: { total: bad },
    advertiserLines: new Map(advertiserLines),
  };
}

describe('assessInputDrift', () => {
  const history = [run(1000), run(900), run(1100), run(1000), run(950), run(1050), run(1000)];

  it('says nothing while every figure stays inside the band of its median', () => {
    expect(assessInputDrift(run(1999), history, BAND)).toEqual([]);
    expect(assessInputDrift(run(500), history, BAND)).toEqual([]);
  });

  it('flags a figure below or above the band, naming the value, the median and the band', () => {
    expect(assessInputDrift(run(499), history, BAND)).toEqual([
      {
        code: 'DRIFT.PRODUCT_VIEWS_KEPT',
        message: 'product views kept 499 is 0.50× the median 1,000 of the previous 7 published runs (band 0.5×–2×)',
      },
    ]);
    const warnings = assessInputDrift(run(1000, [], { activeAdvertisers: 41, inactiveAdvertiserLines: 2000 }), history, BAND);
    expect(warnings.map((w) => w.code)).toEqual(['DRIFT.ACTIVE_ADVERTISERS', 'DRIFT.INACTIVE_ADVERTISER_SHARE']);
    expect(warnings[1].message).toBe(
      'share of lines from inactive advertisers 50.00% is 5.00× the median 10.00% of the previous 7 published runs (band 0.5×–2×)',
    );
  });

  it('does not compare a figure whose median is 0, nor with fewer than 3 previous runs', () => {
    expect(assessInputDrift(run(1000, [], {}, 30), history, BAND)).toEqual([]);
    expect(assessInputDrift(run(10), history.slice(0, 2), BAND)).toEqual([]);
    expect(assessInputDrift(run(10), history.slice(0, 3), BAND)).toHaveLength(1);
  });

  it('flags advertisers whose kept lines moved more than the factor from their own median', () => {
    const past = [1, 2, 3, 4].map(() =>
      run(1000, [
        ['STEADY', 100],
        ['GROWN', 100],
        ['SHRUNK', 90],
        ['NEW', 0],
      ]),
    );
    past.forEach((r) => r.advertiserLines.delete('NEW'));
    const current = run(1000, [
      ['STEADY', 300],
      ['GROWN', 301],
      ['SHRUNK', 29],
      ['NEW', 5000],
    ]);
    expect(assessInputDrift(current, past, BAND)).toEqual([
      {
        code: 'DRIFT.ADVERTISER_VOLUME',
        message: '2 advertiser(s) moved more than 3× from their median volume: GROWN 301 lines (median 100), SHRUNK 29 lines (median 90)',
      },
    ]);
  });

  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
