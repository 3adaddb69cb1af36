import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdvertiserParams, DateQuery } from './api-request.dto';
import { EvaluationQuery } from './evaluation-request.dto';
import { MAX_LIST_ITEMS } from '@adrec/contracts';
import { AdvertiserEvaluation, DateEvaluation, EvaluationReadRepository } from '@adrec/database';
import { ERROR_EXAMPLE } from './openapi-examples';

const DATES_EXAMPLE = {
  dates: [
    { date: '2022-04-14', runId: '2022-04-14-3f9c2a1b', evaluatedOn: '2022-04-15', status: 'pending', models: null },
    {
      date: '2022-04-13',
      runId: '2022-04-13-0c41d2e7',
      evaluatedOn: '2022-04-14',
      status: 'done',
      models: {
        top_ctr: { hits: 3, events: 48, hitRate: 0.0625, advertisers: 20, baselineHitRate: 0.2083 },
        top_product: { hits: 411, events: 3290, hitRate: 0.1249, advertisers: 20, baselineHitRate: 0.2012 },
      },
    },
  ],
};

const ADVERTISER_EXAMPLE = {
  advertiserId: 'VQ4YGSJW5RI50LHSYVAQ',
  date: '2022-04-13',
  runId: '2022-04-13-0c41d2e7',
  evaluatedOn: '2022-04-14',
  status: 'done',
  models: { top_ctr: { hits: 0, events: 2, hitRate: 0 }, top_product: { hits: 21, events: 160, hitRate: 0.13125 } },
};

/** Next-day evaluation of the published lists (SPEC section 6), as the pipeline stored it. */
@ApiTags('evaluation')
@Controller('evaluation')
export class EvaluationController {
  constructor(private readonly evaluations: EvaluationReadRepository) {}

  @Get()
  @ApiOperation({
    summary:
      'Hit rate of each model on the next day’s logs, per published date, newest first: hits = next-day views (top_product) ' +
      `or clicks (top_ctr) on a product of the list, over all of them; baselineHitRate is the same for the ${MAX_LIST_ITEMS} smallest product ids seen`,
  })
  @ApiOkResponse({
    description: 'Evaluated and pending dates; pending ones (next day not ingested yet) carry no numbers',
    schema: { example: DATES_EXAMPLE },
  })
  @ApiBadRequestResponse({ description: 'from or to malformed, or from after to', schema: { example: ERROR_EXAMPLE(400) } })
  async dates(@Query() query: EvaluationQuery): Promise<{ dates: DateEvaluation[] }> {
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      throw new BadRequestException(`from (${query.from}) must not be after to (${query.to})`);
    }
    return { dates: await this.evaluations.dates(query) };
  }

  @Get(':advertiserId')
  @ApiOperation({ summary: 'One advertiser’s next-day hits, events and hit rate per model, for a published date (the latest by default)' })
  @ApiOkResponse({ description: 'The advertiser’s evaluation; models is null while pending', schema: { example: ADVERTISER_EXAMPLE } })
  @ApiBadRequestResponse({ description: 'Malformed advertiser id or date', schema: { example: ERROR_EXAMPLE(400) } })
  @ApiNotFoundResponse({
    description: 'No published run for the date, or the advertiser was not in it',
    schema: { example: ERROR_EXAMPLE(404) },
  })
  async advertiser(@Param() params: AdvertiserParams, @Query() query: DateQuery): Promise<AdvertiserEvaluation> {
    const found = await this.evaluations.advertiser(params.advertiserId, query.date);
    if (found === 'no-published-date') {
      throw new NotFoundException(query.date ? `no published run for ${query.date}` : 'no published run yet');
    }
    if (found === 'not-in-run') {
      throw new NotFoundException(
        `advertiser ${params.advertiserId} has no list in the published run of ${query.date ?? 'the latest date'}`,
      );
    }
    return found;
  }
}
