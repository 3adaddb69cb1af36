export { JsonLogger, setLogLevel, serializeError } from './json-logger';
export type { LogLevel, LogFields } from './json-logger';
