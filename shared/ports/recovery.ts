import type { RestoredRecord } from '#domain/recovery/scan.ts';

export type RestoreKind = 'dynamodb' | 'magento-db';

export interface RestoreRequest {
  restoreId: string;
  /** Production resource: DynamoDB table name, or RDS instance / database of the Magento store. */
  source: string;
  /** The isolated copy (a new table, a new DB instance or database); never the source. */
  target: string;
  /** Point in time (DynamoDB). */
  restoreTime?: string;
  /** RDS snapshot identifier (Magento database). */
  snapshotId?: string;
}

export interface RestoreHandle {
  kind: RestoreKind;
  target: string;
  status: 'creating' | 'available' | 'failed';
  detail?: string;
}

/** Restores into an isolated environment and reads the restored records back for the scan. */
export interface IsolatedRestorer {
  readonly kind: RestoreKind;
  start(req: RestoreRequest): Promise<RestoreHandle>;
  status(target: string): Promise<RestoreHandle>;
  /** Every record of the restored copy (only the listed tables for a database). */
  read(target: string, tables?: string[]): AsyncIterable<RestoredRecord>;
}

/** Keyed fingerprints of the records known to be exposed in an incident. */
export interface ExposureLedger {
  add(incidentId: string, fingerprints: string[]): Promise<void>;
  list(incidentId: string): Promise<string[]>;
}

/** Verdicts check-media recorded for media objects (S3 object tag `tourniquet:media-verdict`). */
export interface MediaVerdictSource {
  /** The recorded verdict, or null when the object has none or does not exist. */
  verdict(bucket: string, key: string): Promise<string | null>;
}
