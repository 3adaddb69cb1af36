import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EvaluationReadRepository, RunsRepository } from '@adrec/database';
import { ApiMetrics } from './api-metrics';
import { PublishedListsCache } from './published-lists.cache';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: ApiMetrics,
    private readonly cache: PublishedListsCache,
    private readonly evaluations: EvaluationReadRepository,
    private readonly runs: RunsRepository,
  ) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary:
      'Prometheus metrics: requests and latencies per route, cache hits, published dates, latest hit rate per model, input drift warnings',
  })
  @ApiOkResponse({
    description: 'Prometheus text format',
    content: {
      'text/plain': { example: 'adrec_http_requests_total{method="GET",route="/recommendations/:advertiserId/:model",status="200"} 42' },
    },
  })
  async metricsText(): Promise<string> {
    const latest = this.cache.latestPublishedDate;
    if (latest) this.metrics.latestPublishedDate.set(Date.parse(`${latest}T00:00:00Z`) / 1000);
    this.metrics.publishedDates.set(this.cache.publishedDates.length);
    await this.setEvaluationAndDriftGauges();
    return this.metrics.registry.metrics();
  }

  /** Two small indexed queries per scrape: evaluations change in the pipeline, which does not notify the API. */
  private async setEvaluationAndDriftGauges(): Promise<void> {
    const [evaluation, [latestRun]] = await Promise.all([this.evaluations.latest(), this.runs.listRecent(1)]);
    if (evaluation?.models) {
      this.metrics.evaluatedDate.set(Date.parse(`${evaluation.date}T00:00:00Z`) / 1000);
      for (const [model, figures] of Object.entries(evaluation.models)) {
        // A model with no next-day events has no rate: leave the series out rather than report 0.
        if (figures.hitRate === null) this.metrics.evaluationHitRate.remove({ model });
        else this.metrics.evaluationHitRate.set({ model }, figures.hitRate);
        if (figures.baselineHitRate === null) this.metrics.evaluationBaselineHitRate.remove({ model });
        else this.metrics.evaluationBaselineHitRate.set({ model }, figures.baselineHitRate);
      }
    }
    if (latestRun) this.metrics.latestRunWarnings.set(latestRun.warnings.length);
  }
}
