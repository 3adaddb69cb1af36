import { ADVERTISER_ID_RULE, AdrecError, isAdvertiserId } from '@adrec/contracts';
import { readCsvStream } from '@adrec/csv';
import { HeaderColumns, headerColumns, ObjectStore } from '@adrec/storage';
import { objectReadError } from './object-read.error';
import { RawObject } from './raw-datasets.locator';

/** A line of `advertiser_ids` whose id breaks the advertiser id rule. */
export interface InvalidIdLine {
  key: string;
  lineNumber: number;
  text: string;
}

export interface ActiveAdvertisers {
  active: Set<string>;
  /** Counted with the logs' bad lines. */
  invalidIds: InvalidIdLine[];
  /** Lines that name an id, valid or not. */
  idLines: number;
}

/**
 * The advertisers listed in `advertiser_ids`. An id the advertiser id rule
 * rejects is a bad line (it would make job messages that fail validation,
 * and lists no API request can name). A list with no valid id fails the run.
 */
export async function readActiveAdvertisers(store: ObjectStore, objects: RawObject[], maxLineBytes: number): Promise<ActiveAdvertisers> {
  const active = new Set<string>();
  const invalidIds: InvalidIdLine[] = [];
  let idLines = 0;
  for (const object of objects) {
    let columns: HeaderColumns | undefined;
    await readCsvStream(await store.openStream(object.key), {
      gzip: object.gzip,
      maxLineBytes,
      onRecord: (record) => {
        if (!columns) {
          columns = headerColumns('advertiser_ids', record, object.key);
          return;
        }
        const id = record.field(columns.advertiser_id);
        if (!id) return;
        idLines++;
        if (isAdvertiserId(id)) active.add(id);
        else invalidIds.push({ key: object.key, lineNumber: record.lineNumber, text: record.text().slice(0, 500) });
      },
      onMalformed: () => undefined,
    }).catch((error: unknown) => {
      throw objectReadError(object.key, error);
    });
  }
  if (active.size === 0) {
    throw new AdrecError(
      'INGEST.NO_ACTIVE_ADVERTISERS',
      `${objects.map((o) => o.key).join(', ')} lists no valid advertiser ids` +
        (invalidIds.length ? ` (${invalidIds.length} break the rule: ${ADVERTISER_ID_RULE})` : '') +
        '; refusing to publish an empty run',
    );
  }
  return { active, invalidIds, idLines };
}
