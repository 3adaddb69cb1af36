import { LogAggregator } from './log-aggregator';
import { LogSlice } from './log-slice.planner';
import { SliceReadOutcome } from './log-slice.reader';

/**
 * Merges what the slice readers read into one aggregator. Bad-line samples
 * get their line number in the object (the lines of the object's earlier
 * slices added) and are kept in file order.
 */
export function mergeSliceReads(
  slices: readonly LogSlice[],
  outcomes: readonly SliceReadOutcome[],
  activeAdvertisers: readonly string[],
  windowDates: readonly string[],
): LogAggregator {
  const lines = new Map(outcomes.flatMap((outcome) => outcome.linesBySlice));
  const firstLine = new Map<number, number>();
  slices.forEach((slice, i) => {
    const previous = slices[i - 1];
    const sameObject = previous !== undefined && previous.key === slice.key;
    firstLine.set(slice.index, sameObject ? firstLine.get(previous.index)! + (lines.get(previous.index) ?? 0) : 0);
  });
  const samples = outcomes
    .flatMap((outcome) =>
      outcome.state.samples.map((sample, i) => ({
        slice: outcome.sampleSlices[i],
        sample: { ...sample, lineNumber: sample.lineNumber + firstLine.get(outcome.sampleSlices[i])! },
      })),
    )
    .sort((a, b) => a.slice - b.slice || a.sample.lineNumber - b.sample.lineNumber)
    .map(({ sample }) => sample);
  const merged = new LogAggregator(new Set(activeAdvertisers), windowDates);
  for (const outcome of outcomes) merged.absorb({ ...outcome.state, samples: [] });
  merged.keepSamples(samples);
  return merged;
}
