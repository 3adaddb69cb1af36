import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { isCalendarDate } from './calendar-date';
import { RUN_ID_PATTERN } from './identifiers';

export const MODEL_NAMES = ['top_ctr', 'top_product'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** The longest run window accepted (a month and a day of logs). */
export const MAX_WINDOW_DAYS = 31;

@ValidatorConstraint({ name: 'calendarDate' })
export class IsCalendarDateConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isCalendarDate(value);
  }

  defaultMessage(): string {
    return '$property must be a calendar date YYYY-MM-DD';
  }
}

/** Starts a run: sent nightly by the schedule, or by `adrec trigger|backfill|rerun`. */
export class TriggerMessage {
  @IsString()
  @Matches(RUN_ID_PATTERN)
  runId!: string;

  @Validate(IsCalendarDateConstraint)
  runDate!: string;

  @IsInt()
  @Min(1)
  @Max(MAX_WINDOW_DAYS)
  windowDays!: number;

  /** When the run was requested (ISO 8601); decides which of two runs of a date wins. */
  @IsOptional()
  @IsString()
  triggeredAt?: string;
}

/** One (advertiser, model) of a run, emitted by ingest for the models workers. */
export class ModelJobMessage {
  @IsString()
  @Matches(RUN_ID_PATTERN)
  runId!: string;

  @Validate(IsCalendarDateConstraint)
  runDate!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(256)
  advertiserId!: string;

  @IsIn(MODEL_NAMES)
  model!: ModelName;

  /** S3 key of the run's partitions object. */
  @IsString()
  @MinLength(1)
  partitionKey!: string;

  /** Where the advertiser's filtered counts start in that object (a byte offset). */
  @IsInt()
  @Min(0)
  partitionOffset!: number;

  /** Their length in bytes: a complete partition file (header and one line per product). */
  @IsInt()
  @Min(1)
  partitionLength!: number;
}

export class ResultItemMessage {
  @IsString()
  @MinLength(1)
  productId!: string;

  @IsOptional() @IsInt() @Min(0) views?: number;
  @IsOptional() @IsInt() @Min(0) clicks?: number;
  @IsOptional() @IsInt() @Min(0) impressions?: number;
}

/** A computed list, emitted by a models worker for the writer. */
export class ModelResultMessage {
  @IsString()
  @Matches(RUN_ID_PATTERN)
  runId!: string;

  @Validate(IsCalendarDateConstraint)
  runDate!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(256)
  advertiserId!: string;

  @IsIn(MODEL_NAMES)
  model!: ModelName;

  /** S3 key where the same result was written as JSON. */
  @IsString()
  resultKey!: string;

  /** The ranked list, best first (at most 20). */
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ResultItemMessage)
  items!: ResultItemMessage[];

  /** top_ctr only: products with clicks but no impressions in the window, left out. */
  @IsInt()
  @Min(0)
  clicksWithoutImpressions!: number;
}
