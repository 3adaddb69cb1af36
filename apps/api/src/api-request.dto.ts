import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, Validate } from 'class-validator';
import { ADVERTISER_ID_PATTERN, ADVERTISER_ID_RULE, CALENDAR_DATE_RULE, IsCalendarDateConstraint, RUN_ID_PATTERN } from '@adrec/contracts';

/**
 * The inputs of the Nest routes, validated here and nowhere else (the hot
 * /recommendations route validates with its Fastify schema, recommendations.route.ts).
 */

/** The messages a client sees for a malformed value; the Fastify-validated route uses the same ones. */
export const INVALID_INPUT = {
  advertiserId: `advertiserId must be ${ADVERTISER_ID_RULE}`,
  model: 'model must be top_ctr or top_product',
  date: `date must be ${CALENDAR_DATE_RULE}`,
  runId: 'runId must be 1-100 characters of A-Z a-z 0-9 . _ : -',
} as const;

/** An optional whole-number query parameter in [min, max]; one message names the rule whatever broke it. */
function IntegerInRange(name: string, min: number, max: number) {
  const message = `${name} must be an integer from ${min} to ${max}`;
  return applyDecorators(
    IsOptional(),
    Type(() => Number),
    IsInt({ message }),
    Min(min, { message }),
    Max(max, { message }),
  );
}

export class AdvertiserParams {
  @ApiProperty({ description: 'The advertiser id', example: 'VQ4YGSJW5RI50LHSYVAQ', pattern: ADVERTISER_ID_PATTERN.source })
  @Matches(ADVERTISER_ID_PATTERN, { message: INVALID_INPUT.advertiserId })
  advertiserId!: string;
}

export class DateQuery {
  @ApiPropertyOptional({ description: 'A published date; the latest when omitted', example: '2022-04-14', format: 'date' })
  @IsOptional()
  @Validate(IsCalendarDateConstraint, { message: INVALID_INPUT.date })
  date?: string;
}

export class HistoryQuery {
  @ApiPropertyOptional({ description: 'How many published dates, newest first', minimum: 1, maximum: 31, default: 7 })
  @IntegerInRange('days', 1, 31)
  days?: number;

  @ApiPropertyOptional({
    description: 'Only this run (a version still retained, published or not): its date, both lists; not with days',
    example: '2022-04-14-3f9c2a1b',
  })
  @IsOptional()
  @Matches(RUN_ID_PATTERN, { message: INVALID_INPUT.runId })
  runId?: string;
}

export class RunParams {
  @ApiProperty({ description: 'The run id', example: '2022-04-14-3f9c2a1b' })
  @Matches(RUN_ID_PATTERN, { message: INVALID_INPUT.runId })
  runId!: string;
}

export class RunsQuery extends DateQuery {
  @ApiPropertyOptional({ description: 'How many runs', minimum: 1, maximum: 500, default: 50 })
  @IntegerInRange('limit', 1, 500)
  limit?: number;
}
