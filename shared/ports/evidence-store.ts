export interface StoredEvidence {
  bucket: string;
  key: string;
  sha256: string;
  bytes: number;
}

/** Append-only evidence (quarantined requests, timeline exports, rendered notices). */
export interface EvidenceStore {
  put(
    key: string,
    body: Buffer | string,
    contentType: string,
    tags?: Record<string, string>,
  ): Promise<StoredEvidence>;
}
