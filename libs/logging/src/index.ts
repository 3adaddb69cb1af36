export { JsonLogger, setLogLevel, serializeError } from './json-logger';
export type { LogLevel, LogFields } from './json-logger';
export { addLogSecrets, REDACTED, redactSecrets } from './redaction';
