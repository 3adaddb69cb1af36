export { AdrecError } from './adrec-error';
export {
  addDays,
  CALENDAR_DATE_RULE,
  dateRange,
  FIRST_CALENDAR_YEAR,
  isCalendarDate,
  isTimestamp,
  todayUtc,
  windowDates,
} from './calendar-date';
export {
  ADVERTISER_ID_MAX_LENGTH,
  ADVERTISER_ID_PATTERN,
  ADVERTISER_ID_RULE,
  isAdvertiserId,
  isAdvertiserIdBytes,
  RUN_ID_PATTERN,
} from './identifiers';
export {
  IsCalendarDateConstraint,
  IsTimestampConstraint,
  MAX_LIST_ITEMS,
  MAX_WINDOW_DAYS,
  MODEL_NAMES,
  ModelJobMessage,
  ModelResultMessage,
  PUBLISH_MODES,
  ResultItemMessage,
  TriggerMessage,
} from './messages';
export type { ModelName, PublishMode } from './messages';
export { describeValidationErrors, parseMessage } from './parse-message';
export { newTrigger } from './new-trigger';
