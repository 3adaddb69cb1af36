import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiMetrics } from './api-metrics';
import { PublishedListsCache } from './published-lists.cache';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: ApiMetrics,
    private readonly cache: PublishedListsCache,
  ) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics: requests and latencies per route, cache hits, published dates' })
  @ApiOkResponse({ description: 'Prometheus text format', content: { 'text/plain': { example: 'adrec_http_requests_total{method="GET",route="/recommendations/:advertiserId/:model",status="200"} 42' } } })
  async metricsText(): Promise<string> {
    const latest = this.cache.latestPublishedDate;
    if (latest) this.metrics.latestPublishedDate.set(Date.parse(`${latest}T00:00:00Z`) / 1000);
    this.metrics.publishedDates.set(this.cache.publishedDates.length);
    return this.metrics.registry.metrics();
  }
}
