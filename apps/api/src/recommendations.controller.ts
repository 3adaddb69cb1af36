import { BadRequestException, Controller, Get, Header, NotFoundException, Param, Query } from '@nestjs/common';
import { parseModelName } from '@adrec/ranking';
import { PublishedListsCache } from './published-lists.cache';
import { RecommendationParams, RecommendationQuery } from './recommendation-request.dto';

@Controller('recommendations')
export class RecommendationsController {
  constructor(private readonly cache: PublishedListsCache) {}

  /** An advertiser's list for the latest published date, or for `?date=`. */
  @Get(':advertiserId/:model')
  @Header('content-type', 'application/json; charset=utf-8')
  async recommendations(@Param() params: RecommendationParams, @Query() query: RecommendationQuery): Promise<string> {
    const model = parseModelName(params.model);
    if (!model) throw new BadRequestException(`unknown model "${params.model}": use top_ctr or top_product`);
    const found = await this.cache.lookup(params.advertiserId, model, query.date);
    switch (found.kind) {
      case 'found':
        return found.body;
      case 'unknown_advertiser':
        throw new NotFoundException(`advertiser ${params.advertiserId} has never been active`);
      case 'no_published_run':
        throw new NotFoundException(
          found.date ? `no published run for ${found.date}` : 'no run has been published yet',
        );
    }
  }
}
