import { BadRequestException, Controller, Get, Header, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { parseModelName } from '@adrec/ranking';
import { AdvertiserParams, DateQuery, HistoryQuery, RecommendationParams } from './api-request.dto';
import { ApiMetrics } from './api-metrics';
import { ERROR_EXAMPLE, HISTORY_EXAMPLE, TOP_CTR_EXAMPLE, TOP_PRODUCT_EXAMPLE } from './openapi-examples';
import { PublishedListsCache } from './published-lists.cache';

const JSON_TYPE = 'application/json; charset=utf-8';

@ApiTags('recommendations')
@Controller()
export class RecommendationsController {
  constructor(
    private readonly cache: PublishedListsCache,
    private readonly metrics: ApiMetrics,
  ) {}

  @Get('recommendations/:advertiserId/:model')
  @Header('content-type', JSON_TYPE)
  @ApiOperation({ summary: "An advertiser's list for the latest published date, or for ?date=" })
  @ApiOkResponse({
    description: 'The ranked list (empty for a known advertiser with nothing to recommend)',
    content: { 'application/json': { examples: { top_ctr: { value: TOP_CTR_EXAMPLE }, top_product: { value: TOP_PRODUCT_EXAMPLE } } } },
  })
  @ApiBadRequestResponse({ description: 'Malformed advertiser id, unknown model or bad date', schema: { example: ERROR_EXAMPLE(400) } })
  @ApiNotFoundResponse({ description: 'Advertiser never active, or no published run for the date', schema: { example: ERROR_EXAMPLE(404) } })
  async recommendations(@Param() params: RecommendationParams, @Query() query: DateQuery): Promise<string> {
    const model = parseModelName(params.model);
    if (!model) throw new BadRequestException(`unknown model "${params.model}": use top_ctr or top_product`);
    const found = await this.cache.lookup(params.advertiserId, model, query.date);
    switch (found.kind) {
      case 'found':
        this.metrics.recordCacheLookup(found.fromCache);
        return found.body;
      case 'unknown_advertiser':
        throw new NotFoundException(`advertiser ${params.advertiserId} has never been active`);
      case 'no_published_run':
        throw new NotFoundException(found.date ? `no published run for ${found.date}` : 'no run has been published yet');
    }
  }

  @Get('history/:advertiserId')
  @Header('content-type', JSON_TYPE)
  @ApiOperation({ summary: "Both models' lists for each of the last N published dates up to the latest, newest first" })
  @ApiOkResponse({ description: 'The history', schema: { example: HISTORY_EXAMPLE } })
  @ApiBadRequestResponse({ description: 'Malformed advertiser id or days', schema: { example: ERROR_EXAMPLE(400) } })
  @ApiNotFoundResponse({ description: 'Advertiser never active', schema: { example: ERROR_EXAMPLE(404) } })
  async history(@Param() params: AdvertiserParams, @Query() query: HistoryQuery): Promise<string> {
    const body = await this.cache.history(params.advertiserId, query.days ?? 7);
    if (body === undefined) throw new NotFoundException(`advertiser ${params.advertiserId} has never been active`);
    return body;
  }
}
