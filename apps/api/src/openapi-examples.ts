import { INVALID_INPUT } from './api-request.dto';
import { errorBody, ErrorBody } from './json-reply';

/** Examples shown in the OpenAPI document (GET /docs). */
export const ERROR_EXAMPLE = (statusCode: number): ErrorBody =>
  errorBody(statusCode, statusCode === 404 ? 'advertiser ABC has never been active' : INVALID_INPUT.date);

export const TOP_CTR_EXAMPLE = {
  advertiserId: 'VQ4YGSJW5RI50LHSYVAQ',
  model: 'top_ctr',
  date: '2022-04-14',
  runId: '2022-04-14-3f9c2a1b',
  items: [
    { rank: 1, productId: 'gvu1el', clicks: 1, impressions: 1, ctr: 1 },
    { rank: 2, productId: '0pm0kv', clicks: 1, impressions: 3, ctr: 0.3333333333333333 },
  ],
};

export const TOP_PRODUCT_EXAMPLE = {
  advertiserId: 'VQ4YGSJW5RI50LHSYVAQ',
  model: 'top_product',
  date: '2022-04-14',
  runId: '2022-04-14-3f9c2a1b',
  items: [
    { rank: 1, productId: 'h97p76', views: 5 },
    { rank: 2, productId: 's6o83d', views: 4 },
  ],
};

export const HISTORY_EXAMPLE = {
  advertiserId: 'VQ4YGSJW5RI50LHSYVAQ',
  days: 7,
  history: [{ date: '2022-04-14', runId: '2022-04-14-3f9c2a1b', top_ctr: TOP_CTR_EXAMPLE.items, top_product: TOP_PRODUCT_EXAMPLE.items }],
};

export const RUN_EXAMPLE = {
  runId: '2022-04-14-3f9c2a1b',
  runDate: '2022-04-14',
  windowDays: 1,
  status: 'published',
  pinned: false,
  publishMode: 'auto',
  progress: { jobsDone: 40, jobsTotal: 40 },
  timings: {
    triggeredAt: '2022-04-15T02:00:00.000Z',
    ingestStartedAt: '2022-04-15T02:00:00.120Z',
    ingestFinishedAt: '2022-04-15T02:00:00.450Z',
    firstResultAt: '2022-04-15T02:00:00.520Z',
    finishedAt: '2022-04-15T02:00:00.900Z',
    ingestSeconds: 0.33,
    totalSeconds: 0.9,
  },
  inputCounts: { productViewLines: 100000, adEventLines: 100000, productViewsKept: 2691, activeAdvertisers: 20 },
  badLines: { wrong_field_count: 0, empty_id: 0, unknown_type: 0, invalid_date: 0, bad_quote: 0, line_too_long: 0, total: 0 },
  error: null,
  publications: [
    {
      runDate: '2022-04-14',
      runId: '2022-04-14-3f9c2a1b',
      previousRunId: '2022-04-14-0b7d11e2',
      how: 'pipeline',
      pinned: false,
      reason: null,
      at: '2022-04-15T02:00:00.900Z',
    },
  ],
  warnings: [
    {
      code: 'DRIFT.CLICKS_KEPT',
      message: 'clicks kept 6 is 0.22× the median 27 of the previous 7 published runs (band 0.5×–2×)',
    },
  ],
};
