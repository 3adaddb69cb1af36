/**
 * What an advertiser id may look like at the API edge. The course's ids are 20
 * characters of A-Z0-9; other agencies use UUIDs or slugs, so the rule only
 * excludes what can never be an id: empty, over 128 characters, whitespace,
 * slashes and other punctuation that would not survive a URL path.
 */
export const ADVERTISER_ID_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;

/** Run ids are chosen by whoever triggers a run; a UUID or `<date>-<suffix>` both fit. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;
