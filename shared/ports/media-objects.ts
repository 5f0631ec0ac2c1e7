/** The object store holding catalog images and KYC uploads (S3). */
export interface MediaObjects {
  get(bucket: string, key: string): Promise<Uint8Array>;
  getTags(bucket: string, key: string): Promise<Record<string, string>>;
  /** Merges tags into the object's tag set (S3 replaces the whole set; the adapter merges). */
  putTags(bucket: string, key: string, tags: Record<string, string>): Promise<void>;
  replaceTags(bucket: string, key: string, tags: Record<string, string>): Promise<void>;
  list(bucket: string, prefix: string, max: number): Promise<Array<{ key: string; size: number }>>;
  copy(from: { bucket: string; key: string }, to: { bucket: string; key: string }): Promise<void>;
  exists(bucket: string, key: string): Promise<boolean>;
}
