import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JSON_CONTENT_TYPE } from './json-reply';
import { StatsService } from './stats.service';

const STATS_EXAMPLE = {
  activeAdvertisers: 20,
  dates: { available: ['2022-04-14', '2022-04-13'], latest: '2022-04-14', count: 2 },
  coverage: {
    top_ctr: { advertisers: 20, share: 1, meanListLength: 20 },
    top_product: { advertisers: 20, share: 1, meanListLength: 20 },
  },
  agreement: { meanJaccard: 0.21, advertisers: [{ advertiserId: 'VQ4YGSJW5RI50LHSYVAQ', shared: 7, jaccard: 0.212 }] },
  mostChanging: [{ advertiserId: 'VQ4YGSJW5RI50LHSYVAQ', meanChange: 0.83, topProduct: 0.8, topCtr: 0.86, days: 1 }],
  latestRun: {
    runId: '2022-04-14-3f9c2a1b',
    runDate: '2022-04-14',
    windowDays: 1,
    triggeredAt: '2022-04-15T02:00:00.000Z',
    publishedAt: '2022-04-15T02:00:01.000Z',
    seconds: { ingest: 0.3, modelsAndWriter: 0.5, total: 1 },
    jobsTotal: 40,
    inputCounts: { productViewLines: 100000 },
    badLines: { total: 0 },
  },
};

@ApiTags('stats')
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  /** Summary statistics of the published runs (SPEC section 4); zeros and nulls before the first publication. */
  @Get()
  @Header('content-type', JSON_CONTENT_TYPE)
  @ApiOperation({
    summary:
      'Active advertisers, published dates, per-model coverage, agreement between the models, ' +
      'the advertisers whose lists change most from day to day, and the latest run’s timings',
  })
  @ApiOkResponse({ description: 'The statistics, recomputed only after a publication', schema: { example: STATS_EXAMPLE } })
  summary(): Promise<Buffer> {
    return this.stats.body();
  }
}
