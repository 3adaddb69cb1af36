import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { CALENDAR_DATE_RULE, isCalendarDate, isTimestamp } from './calendar-date';
import { ADVERTISER_ID_PATTERN, ADVERTISER_ID_RULE, RUN_ID_PATTERN } from './identifiers';

export const MODEL_NAMES = ['top_ctr', 'top_product'] as const;

export const PUBLISH_MODES = ['auto', 'stage', 'force'] as const;
export type PublishMode = (typeof PUBLISH_MODES)[number];
export type ModelName = (typeof MODEL_NAMES)[number];

/** A ranked list holds at most this many products (SPEC section 2): what the models rank and the writer accepts. */
export const MAX_LIST_ITEMS = 20;

/** The longest run window accepted (a month and a day of logs). */
export const MAX_WINDOW_DAYS = 31;

@ValidatorConstraint({ name: 'calendarDate' })
export class IsCalendarDateConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isCalendarDate(value);
  }

  defaultMessage(): string {
    return `$property must be ${CALENDAR_DATE_RULE}`;
  }
}

@ValidatorConstraint({ name: 'timestamp' })
export class IsTimestampConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isTimestamp(value);
  }

  defaultMessage(): string {
    return '$property must be an ISO 8601 timestamp with a time zone, e.g. 2022-04-15T02:00:00.000Z';
  }
}

/** An advertiser id as the one rule of identifiers.ts has it. */
const IS_ADVERTISER_ID = Matches(ADVERTISER_ID_PATTERN, { message: `$property must be ${ADVERTISER_ID_RULE}` });

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

  /**
   * When the run was requested (ISO 8601 with a zone). Shown in `adrec runs`;
   * it does not decide which of two runs of a date wins (the order ingest
   * registered them in does), so a sender's wrong clock cannot supersede
   * later runs. One in the future is recorded as the time ingest received it.
   */
  @IsOptional()
  @Validate(IsTimestampConstraint)
  triggeredAt?: string;

  /**
   * What the run does when complete (default auto): `auto` publishes it
   * unless its date is pinned or a newer run of it is published; `stage`
   * holds it back (status staged) until `adrec publish --run`; `force`
   * publishes it even over a pinned date, ending the pin.
   */
  @IsOptional()
  @IsIn(PUBLISH_MODES)
  publish?: PublishMode;
}

/** One (advertiser, model) of a run, emitted by ingest for the models workers. */
export class ModelJobMessage {
  @IsString()
  @Matches(RUN_ID_PATTERN)
  runId!: string;

  @Validate(IsCalendarDateConstraint)
  runDate!: string;

  @IsString()
  @IS_ADVERTISER_ID
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

/** One product of a ranked list: views for top_product, clicks and impressions for top_ctr. */
export interface ResultItemMessage {
  productId: string;
  views?: number;
  clicks?: number;
  impressions?: number;
}

const COUNT_FIELDS = ['views', 'clicks', 'impressions'] as const;

/** An item's known fields only: unknown ones are dropped, as the whitelist drops them at the top level. */
function pickItemFields(item: unknown): unknown {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  const source = item as Record<string, unknown>;
  const picked: Record<string, unknown> = { productId: source.productId };
  for (const field of COUNT_FIELDS) if (source[field] !== undefined) picked[field] = source[field];
  return picked;
}

/** What is wrong with a list's items, naming the path (`items.3.clicks`), or undefined. */
function itemsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'items must be an array';
  if (value.length > MAX_LIST_ITEMS) return `items must contain no more than ${MAX_LIST_ITEMS} elements`;
  for (let i = 0; i < value.length; i++) {
    const item = value[i] as Record<string, unknown> | null;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return `items.${i} must be an object`;
    if (typeof item.productId !== 'string' || item.productId.length === 0) return `items.${i}.productId must be a non-empty string`;
    for (const field of COUNT_FIELDS) {
      const count = item[field];
      if (count !== undefined && !(Number.isInteger(count) && (count as number) >= 0))
        return `items.${i}.${field} must be a non-negative integer`;
    }
  }
  return undefined;
}

/**
 * Checks a list's items in one pass. The writer validates a thousand lists
 * a second; nested DTOs (`@ValidateNested`) cost a quarter of its CPU.
 */
@ValidatorConstraint({ name: 'resultItems' })
export class ResultItemsConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return itemsProblem(value) === undefined;
  }

  defaultMessage(args: ValidationArguments): string {
    return itemsProblem(args.value) ?? 'items are invalid';
  }
}

/** A computed list, emitted by a models worker for the writer. */
export class ModelResultMessage {
  @IsString()
  @Matches(RUN_ID_PATTERN)
  runId!: string;

  @Validate(IsCalendarDateConstraint)
  runDate!: string;

  @IsString()
  @IS_ADVERTISER_ID
  advertiserId!: string;

  @IsIn(MODEL_NAMES)
  model!: ModelName;

  /** S3 key where the same result was written as JSON. */
  @IsString()
  resultKey!: string;

  /** The ranked list, best first (at most MAX_LIST_ITEMS). */
  @Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value.map(pickItemFields) : value))
  @Validate(ResultItemsConstraint)
  items!: ResultItemMessage[];

  /** top_ctr only: products with clicks but no impressions in the window, left out. */
  @IsInt()
  @Min(0)
  clicksWithoutImpressions!: number;
}
