import { Controller, Get, Header } from '@nestjs/common';
import { StatsService } from './stats.service';

@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  /** Summary statistics of the published runs (SPEC section 4); zeros and nulls before the first publication. */
  @Get()
  @Header('content-type', 'application/json; charset=utf-8')
  summary(): Promise<string> {
    return this.stats.body();
  }
}
