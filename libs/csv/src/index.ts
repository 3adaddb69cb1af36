export { CsvLineParser } from './csv-line-parser';
export type { MalformedLineHandler, RecordHandler } from './csv-line-parser';
export { readCsvStream } from './read-csv';
export { formatCsvField } from './format-csv-field';
