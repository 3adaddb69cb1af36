import { BadRequestException, Controller, Get, Header, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdvertiserParams, DEFAULT_HISTORY_DAYS, HistoryQuery } from './api-request.dto';
import { JSON_CONTENT_TYPE } from './json-reply';
import { ERROR_EXAMPLE, HISTORY_EXAMPLE } from './openapi-examples';
import { PublishedListsCache } from './published-lists.cache';
import { RunVersionsReader } from './run-versions.reader';

@ApiTags('history')
@Controller()
export class HistoryController {
  constructor(
    private readonly cache: PublishedListsCache,
    private readonly versions: RunVersionsReader,
  ) {}

  @Get('history/:advertiserId')
  @Header('content-type', JSON_CONTENT_TYPE)
  @ApiOperation({
    summary: "Both models' lists for each of the last N published dates up to the latest, newest first; with runId, that run's lists only",
  })
  @ApiOkResponse({ description: 'The history', schema: { example: HISTORY_EXAMPLE } })
  @ApiBadRequestResponse({
    description: 'Malformed advertiser id, days or runId, or days with runId',
    schema: { example: ERROR_EXAMPLE(400) },
  })
  @ApiNotFoundResponse({
    description: 'Advertiser never active, or no retained complete run runId',
    schema: { example: ERROR_EXAMPLE(404) },
  })
  async history(@Param() params: AdvertiserParams, @Query() query: HistoryQuery): Promise<string> {
    if (query.runId !== undefined) return this.versionHistory(params.advertiserId, query);
    const body = await this.cache.history(params.advertiserId, query.days ?? DEFAULT_HISTORY_DAYS);
    if (body === undefined) throw new NotFoundException(`advertiser ${params.advertiserId} has never been active`);
    return body;
  }

  private async versionHistory(advertiserId: string, query: HistoryQuery): Promise<string> {
    if (query.days !== undefined) throw new BadRequestException('days cannot be combined with runId: a run is one date');
    const found = await this.versions.history(advertiserId, query.runId!);
    if (found.kind === 'found') return found.body;
    throw new NotFoundException(found.kind === 'no_run' ? found.message : `advertiser ${advertiserId} has never been active`);
  }
}
