import { AppConfig } from '@adrec/config';
import type { PublishedRunInput, RunWarning } from '@adrec/database';

/** How many previous published runs a run's input is compared with (SPEC section 6). */
export const DRIFT_HISTORY_RUNS = 7;
/** Fewer previous published runs than this and a median says too little: no comparison. */
export const MIN_DRIFT_HISTORY = 3;
/** Advertisers named in one warning's message; the rest are counted. */
const ADVERTISERS_NAMED = 10;

/** The figures of a run's input the drift check looks at. */
export interface RunInputFigures {
  inputCounts: Record<string, number>;
  badLines: Record<string, number>;
  advertiserLines: ReadonlyMap<string, number>;
}

/** Each compared figure: its warning code, what a reader calls it, and how it is read from a run's counts. */
const FIGURES: { code: string; label: string; ratio?: boolean; of: (run: Omit<RunInputFigures, 'advertiserLines'>) => number }[] = [
  { code: 'DRIFT.PRODUCT_VIEWS_KEPT', label: 'product views kept', of: (r) => r.inputCounts.productViewsKept ?? 0 },
  { code: 'DRIFT.IMPRESSIONS_KEPT', label: 'impressions kept', of: (r) => r.inputCounts.impressionsKept ?? 0 },
  { code: 'DRIFT.CLICKS_KEPT', label: 'clicks kept', of: (r) => r.inputCounts.clicksKept ?? 0 },
  { code: 'DRIFT.ACTIVE_ADVERTISERS', label: 'active advertisers', of: (r) => r.inputCounts.activeAdvertisers ?? 0 },
  {
    code: 'DRIFT.INACTIVE_ADVERTISER_SHARE',
    label: 'share of lines from inactive advertisers',
    ratio: true,
    of: (r) => share(r.inputCounts.inactiveAdvertiserLines ?? 0, totalLines(r.inputCounts)),
  },
  {
    code: 'DRIFT.BAD_LINE_RATIO',
    label: 'bad-line ratio',
    ratio: true,
    of: (r) => share(r.badLines.total ?? 0, totalLines(r.inputCounts)),
  },
];

/**
 * Compares a run's input with the median of the previous published runs
 * (newest first, at most 7): a figure below `lowerFactor` or above
 * `upperFactor` times its median gets a warning, and so does every active
 * advertiser whose kept lines moved more than `advertiserFactor` either way
 * from its own median (over the previous runs it was active in). A median of
 * 0 is not compared (no multiple of it is a band), nor is anything with
 * fewer than 3 previous runs.
 */
export function assessInputDrift(current: RunInputFigures, history: readonly PublishedRunInput[], band: AppConfig['drift']): RunWarning[] {
  if (history.length < MIN_DRIFT_HISTORY) return [];
  const runs = history.length;
  const bandText = `${band.lowerFactor}×–${band.upperFactor}×`;
  const warnings: RunWarning[] = [];
  for (const figure of FIGURES) {
    const value = figure.of(current);
    const typical = median(history.map((run) => figure.of(run)));
    if (typical === 0 || (value >= band.lowerFactor * typical && value <= band.upperFactor * typical)) continue;
    const show = (n: number) => (figure.ratio ? `${(n * 100).toFixed(2)}%` : n.toLocaleString('en-US'));
    warnings.push({
      code: figure.code,
      message:
        `${figure.label} ${show(value)} is ${(value / typical).toFixed(2)}× the median ${show(typical)} ` +
        `of the previous ${runs} published runs (band ${bandText})`,
    });
  }

  const moved: string[] = [];
  for (const [advertiserId, lines] of current.advertiserLines) {
    const past = history.filter((run) => run.advertiserLines.has(advertiserId)).map((run) => run.advertiserLines.get(advertiserId)!);
    if (past.length < MIN_DRIFT_HISTORY) continue;
    const typical = median(past);
    if (typical === 0 || (lines * band.advertiserFactor >= typical && lines <= band.advertiserFactor * typical)) continue;
    moved.push(`${advertiserId} ${lines.toLocaleString('en-US')} lines (median ${typical.toLocaleString('en-US')})`);
  }
  if (moved.length > 0) {
    const named = moved.slice(0, ADVERTISERS_NAMED).join(', ');
    const more = moved.length > ADVERTISERS_NAMED ? ` and ${moved.length - ADVERTISERS_NAMED} more` : '';
    warnings.push({
      code: 'DRIFT.ADVERTISER_VOLUME',
      message: `${moved.length} advertiser(s) moved more than ${band.advertiserFactor}× from their median volume: ${named}${more}`,
    });
  }
  return warnings;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function totalLines(inputCounts: Record<string, number>): number {
  return (inputCounts.productViewLines ?? 0) + (inputCounts.adEventLines ?? 0);
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}
