export { CsvLineParser, DEFAULT_MAX_LINE_BYTES } from './csv-line-parser';
export { asciiBytes, CsvRecord, hashBytes } from './csv-record';
export { ByteKeyTable } from './byte-key-table';
export type { ByteKeySnapshot } from './byte-key-table';
export type { MalformedLineHandler, RecordHandler, TooLongLineHandler } from './csv-line-parser';
export { readCsvStream, StreamReadError } from './read-csv';
export type { LineSlice } from './read-csv';
export { formatCsvField } from './format-csv-field';
