import { Controller, Get, Header, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdvertiserParams, HistoryQuery } from './api-request.dto';
import { ERROR_EXAMPLE, HISTORY_EXAMPLE } from './openapi-examples';
import { PublishedListsCache } from './published-lists.cache';

const JSON_TYPE = 'application/json; charset=utf-8';

@ApiTags('history')
@Controller()
export class HistoryController {
  constructor(private readonly cache: PublishedListsCache) {}

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
