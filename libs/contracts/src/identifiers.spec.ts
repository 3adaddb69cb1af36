import { ADVERTISER_ID_PATTERN, isAdvertiserId, isAdvertiserIdBytes } from './identifiers';

const bytesOf = (id: string) => Buffer.from(`,${id},`, 'utf8');
const checkBytes = (id: string) => {
  const data = bytesOf(id);
  return isAdvertiserIdBytes(data, 1, data.length - 1);
};

describe('the advertiser id rule', () => {
  it.each(['VQ4YGSJW5RI50LHSYVAQ', 'a', 'acme.shoes_EU:2024@x-1', '6f1c2a9e-5b1d-4c1e-9a51-0d5c3f1b2a77', 'A'.repeat(128)])(
    'accepts %s',
    (id) => {
      expect(isAdvertiserId(id)).toBe(true);
      expect(checkBytes(id)).toBe(true);
    },
  );

  it.each([
    ['empty', ''],
    ['129 characters', 'A'.repeat(129)],
    ['300 characters', 'B'.repeat(300)],
    ['a space', 'ACME SHOES'],
    ['a slash', 'acme/shoes'],
    ['a percent sign', 'acme%20'],
    ['a comma', 'a,b'],
    ['a quote', 'a"b'],
    ['a non-ASCII letter', 'café'],
    ['an emoji', 'adv😀'],
    ['a NUL byte', 'a\u0000b'],
    ['a line feed', 'a\nb'],
  ])('rejects an id with %s, as a string and as bytes', (_, id) => {
    expect(isAdvertiserId(id)).toBe(false);
    expect(checkBytes(id)).toBe(false);
  });

  it('is the pattern the API and the messages use', () => {
    expect(ADVERTISER_ID_PATTERN.source).toBe('^[A-Za-z0-9._:@-]{1,128}$');
  });
});
