import { randomUUID } from 'node:crypto';
import { PublishMode, TriggerMessage } from './messages';

/**
 * A trigger with a fresh run id, `<date>-<8 hex>`: readable in `adrec runs`
 * and in S3 keys, unique per request. The CLI, the scheduler and the
 * console's re-run all start runs through this; `publish` is --stage or
 * --force (auto when omitted).
 */
export function newTrigger(runDate: string, windowDays: number, now: Date = new Date(), publish: PublishMode = 'auto'): TriggerMessage {
  return {
    runId: `${runDate}-${randomUUID().slice(0, 8)}`,
    runDate,
    windowDays,
    triggeredAt: now.toISOString(),
    // Left out when auto, so triggers look as they always did.
    ...(publish === 'auto' ? {} : { publish }),
  };
}
