import type { MagentoGalleryRow } from '#domain/media/magento-listing.ts';

/** Where a scan-media run gets a Magento media listing from (the database or a listing file). */
export interface MagentoMediaListing {
  /** The joined gallery rows, page by page (every row of one value_id in the same page). */
  pages(): AsyncIterable<MagentoGalleryRow[]>;
}

/** Writes the JSON item file a Distributed Map reads (ItemReader s3:getObject, InputType JSON). */
export interface ItemFileWriter {
  writeJson(bucket: string, key: string, items: unknown[]): Promise<void>;
}
