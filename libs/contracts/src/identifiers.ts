/** The longest advertiser id accepted anywhere: ingest, messages, the API. */
export const ADVERTISER_ID_MAX_LENGTH = 128;

/** The characters of an advertiser id, as a regular-expression class. */
const ADVERTISER_ID_CHARACTERS = 'A-Za-z0-9._:@-';

/**
 * The one advertiser id rule, applied at ingest (a line of `advertiser_ids`
 * or of a log with another id is a bad line), to every message and at the API
 * edge. The course's ids are 20 characters of A-Z0-9; other agencies use
 * UUIDs or slugs, so the rule only excludes what can never be an id: empty,
 * over 128 characters, whitespace, slashes and other punctuation that would
 * not survive a URL path.
 */
export const ADVERTISER_ID_PATTERN = new RegExp(`^[${ADVERTISER_ID_CHARACTERS}]{1,${ADVERTISER_ID_MAX_LENGTH}}$`);

/** The rule in words, for error messages and bad-line reports. */
export const ADVERTISER_ID_RULE = `1-${ADVERTISER_ID_MAX_LENGTH} characters of A-Z a-z 0-9 . _ : @ -`;

export function isAdvertiserId(value: string): boolean {
  return ADVERTISER_ID_PATTERN.test(value);
}

/** Byte `b` may appear in an id: the pattern's character class, tabled once for the byte check. */
const ID_BYTE = (() => {
  const table = new Uint8Array(256);
  const oneCharacter = new RegExp(`^[${ADVERTISER_ID_CHARACTERS}]$`);
  for (let b = 0; b < 128; b++) table[b] = oneCharacter.test(String.fromCharCode(b)) ? 1 : 0;
  return table;
})();

/**
 * `isAdvertiserId` for the UTF-8 bytes `data[start, end)`, without making a
 * string: ingest checks ids on its hot path. Every allowed character is
 * ASCII, so any byte of a multi-byte character fails it, as the pattern does.
 */
export function isAdvertiserIdBytes(data: Uint8Array, start: number, end: number): boolean {
  if (end <= start || end - start > ADVERTISER_ID_MAX_LENGTH) return false;
  for (let i = start; i < end; i++) if (ID_BYTE[data[i]] === 0) return false;
  return true;
}

/** Run ids are chosen by whoever triggers a run; a UUID or `<date>-<suffix>` both fit. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;
