import { parseModelName } from './model-name';

describe('parseModelName', () => {
  it.each([
    ['top_ctr', 'top_ctr'],
    ['TOP_CTR', 'top_ctr'],
    ['TopCTR', 'top_ctr'],
    ['topctr', 'top_ctr'],
    ['top_product', 'top_product'],
    ['TopProduct', 'top_product'],
  ])('accepts %s as %s', (input, model) => {
    expect(parseModelName(input)).toBe(model);
  });

  it.each(['ctr', '', 'top-ctr'])('rejects %j', (input) => {
    expect(parseModelName(input)).toBeUndefined();
  });

  // The API lets any [A-Za-z_]{1,32} through to this function.
  it.each(['constructor', '__proto__'])('rejects %s, a name inherited from Object.prototype', (input) => {
    expect(parseModelName(input)).toBeUndefined();
  });
});
