export { AdrecError } from './adrec-error';
export { addDays, dateRange, isCalendarDate, todayUtc, windowDates } from './calendar-date';
export { ADVERTISER_ID_PATTERN, RUN_ID_PATTERN } from './identifiers';
export {
  IsCalendarDateConstraint,
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
