import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, Validate } from 'class-validator';
import {
  ADVERTISER_ID_PATTERN,
  ADVERTISER_ID_RULE,
  CALENDAR_DATE_RULE,
  IsCalendarDateConstraint,
  MODEL_NAMES,
  RUN_ID_PATTERN,
} from '@adrec/contracts';

/**
 * The inputs of the Nest routes, validated here and nowhere else (the hot
 * /recommendations route validates with its Fastify schema, recommendations.route.ts).
 */

/** The messages a client sees for a malformed value; the Fastify-validated route and the console use the same ones. */
export const INVALID_INPUT = {
  advertiserId: `advertiserId must be ${ADVERTISER_ID_RULE}`,
  date: `date must be ${CALENDAR_DATE_RULE}`,
  runId: 'runId must be 1-100 characters of A-Z a-z 0-9 . _ : -',
} as const;

/** The message for a model `parseModelName` does not know, whatever is wrong with it. */
export function unknownModelMessage(model: string): string {
  return `unknown model "${model}": use ${MODEL_NAMES.join(' or ')}`;
}

/** Published dates GET /history returns without `days`, and the most it accepts. */
export const DEFAULT_HISTORY_DAYS = 7;
const MAX_HISTORY_DAYS = 31;
/** Runs GET /runs returns without `limit`, and the most it accepts. */
export const DEFAULT_RUNS_LIMIT = 50;
const MAX_RUNS_LIMIT = 500;

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
  @ApiPropertyOptional({
    description: 'How many published dates, newest first',
    minimum: 1,
    maximum: MAX_HISTORY_DAYS,
    default: DEFAULT_HISTORY_DAYS,
  })
  @IntegerInRange('days', 1, MAX_HISTORY_DAYS)
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
  @ApiPropertyOptional({ description: 'How many runs', minimum: 1, maximum: MAX_RUNS_LIMIT, default: DEFAULT_RUNS_LIMIT })
  @IntegerInRange('limit', 1, MAX_RUNS_LIMIT)
  limit?: number;
}
