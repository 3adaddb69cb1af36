import type { ModelName } from '@adrec/contracts';

const ALIASES: Record<string, ModelName> = {
  top_ctr: 'top_ctr',
  topctr: 'top_ctr',
  top_product: 'top_product',
  topproduct: 'top_product',
};

/**
 * Model names are matched case-insensitively; `TopCTR` and `TopProduct` (the
 * course's spelling) are accepted too. Returns undefined for anything else.
 */
export function parseModelName(input: string): ModelName | undefined {
  const key = input.toLowerCase();
  // hasOwn: `constructor` or `__proto__` must not resolve through Object.prototype.
  return Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
}
