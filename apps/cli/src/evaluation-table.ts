import type { DateEvaluation } from '@adrec/database';
import { MODEL_NAMES } from '@adrec/contracts';

/** A rate as a percentage with one decimal, or '-' when there were no events. */
function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '-' : `${(rate * 100).toFixed(1)}%`;
}

/**
 * `adrec evaluation`: one line per published date, newest first, with each
 * model's hit rate, hits/events and the baseline's hit rate — the numbers
 * of GET /evaluation.
 */
export function formatEvaluation(dates: readonly DateEvaluation[]): string {
  if (dates.length === 0) return 'no published dates in that range\n';
  const header = ['DATE', 'RUN', 'STATUS'];
  for (const model of MODEL_NAMES) header.push(`${model.toUpperCase()} HIT RATE`, 'HITS/EVENTS', 'BASELINE');
  const rows = dates.map((d) => {
    const row = [d.date, d.runId, d.status];
    for (const model of MODEL_NAMES) {
      const m = d.models?.[model];
      row.push(m ? percent(m.hitRate) : '', m ? `${m.hits}/${m.events}` : '', m ? percent(m.baselineHitRate) : '');
    }
    return row;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const lines = [header, ...rows].map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
  lines.push(
    '',
    'hit rate: next-day views (top_product) or clicks (top_ctr) on a listed product / all of them; baseline: the 20 smallest product ids seen',
  );
  return lines.join('\n') + '\n';
}
