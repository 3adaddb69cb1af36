import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, Validate } from 'class-validator';
import { ADVERTISER_ID_PATTERN, IsCalendarDateConstraint, RUN_ID_PATTERN } from '@adrec/contracts';

/**
 * The inputs of the Nest routes, validated here and nowhere else (the hot
 * /recommendations route validates with its Fastify schema, recommendations.route.ts).
 */

const ADVERTISER_ID_RULE = 'advertiserId must be 1-128 characters of A-Z a-z 0-9 . _ : @ -';

export class AdvertiserParams {
  @ApiProperty({ description: 'The advertiser id', example: 'VQ4YGSJW5RI50LHSYVAQ', pattern: ADVERTISER_ID_PATTERN.source })
  @Matches(ADVERTISER_ID_PATTERN, { message: ADVERTISER_ID_RULE })
  advertiserId!: string;
}

export class DateQuery {
  @ApiPropertyOptional({ description: 'A published date; the latest when omitted', example: '2022-04-14', format: 'date' })
  @IsOptional()
  @Validate(IsCalendarDateConstraint, { message: 'date must be a calendar date YYYY-MM-DD' })
  date?: string;
}

export class HistoryQuery {
  @ApiPropertyOptional({ description: 'How many published dates, newest first', minimum: 1, maximum: 31, default: 7 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'days must be an integer from 1 to 31' })
  @Min(1, { message: 'days must be an integer from 1 to 31' })
  @Max(31, { message: 'days must be an integer from 1 to 31' })
  days?: number;
}

export class RunParams {
  @ApiProperty({ description: 'The run id', example: '2022-04-14-3f9c2a1b' })
  @Matches(RUN_ID_PATTERN, { message: 'runId must be 1-100 characters of A-Z a-z 0-9 . _ : -' })
  runId!: string;
}

export class RunsQuery extends DateQuery {
  @ApiPropertyOptional({ description: 'How many runs', minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer from 1 to 500' })
  @Min(1, { message: 'limit must be an integer from 1 to 500' })
  @Max(500, { message: 'limit must be an integer from 1 to 500' })
  limit?: number;
}
