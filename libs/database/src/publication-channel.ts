/** PostgreSQL NOTIFY channel on which the writer announces a date's new published run. */
export const PUBLICATION_CHANNEL = 'adrec_publications';

/** The NOTIFY payload. */
export interface PublicationNotice {
  runDate: string;
  runId: string;
}
