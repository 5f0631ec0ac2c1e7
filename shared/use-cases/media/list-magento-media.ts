import type { ListMagentoMediaInput, ScanManifest } from '#contracts/media.ts';
import {
  groupListing,
  listingObjectKey,
  type MagentoGalleryRow,
} from '#domain/media/magento-listing.ts';
import type { ItemFileWriter, MagentoMediaListing } from '#ports/media-listing.ts';
import { NonRetryableError } from '#runtime/errors.ts';

export interface ListMagentoMediaDeps {
  /** The listing from the Magento database (absent when no read-only DB user is configured). */
  database?: MagentoMediaListing;
  /** A listing file in S3. */
  listingFile(location: { bucket: string; key: string }): MagentoMediaListing;
  writer: ItemFileWriter;
  /** Bucket of the item files (the media bucket). */
  itemBucket: string;
}

export const itemFileKey = (runId: string) => `scan-items/${runId}.json`;

/**
 * Turns a Magento media listing (database or file) into the item file of a scan-media run: one
 * item per gallery image `{ key, valueId, entityIds, disabled }`, key = the catalog prefix + the
 * gallery file. Paths that could leave the prefix are skipped and counted, never checked.
 */
export async function listMagentoMedia(
  deps: ListMagentoMediaDeps,
  input: ListMagentoMediaInput,
): Promise<ScanManifest> {
  const m = input.magento;
  let source: MagentoMediaListing;
  if (m.listing) source = deps.listingFile(m.listing);
  else if (deps.database) source = deps.database;
  else
    throw new NonRetryableError(
      'Magento media listing from the database is not configured (no read-only DB user secret)',
    );
  const rows: MagentoGalleryRow[] = [];
  for await (const page of source.pages()) rows.push(...page);
  const skipped = { disabled: 0, invalidPath: 0, overLimit: 0 };
  const items: Array<{ key: string; valueId: number; entityIds: number[]; disabled: boolean }> = [];
  for (const img of groupListing(rows)) {
    if (img.disabled && !m.includeDisabled) {
      skipped.disabled++;
      continue;
    }
    const key = listingObjectKey(input.prefix, img.file);
    if (!key) {
      skipped.invalidPath++;
      continue;
    }
    if (items.length >= m.maxItems) {
      skipped.overLimit++;
      continue;
    }
    items.push({ key, valueId: img.valueId, entityIds: img.entityIds, disabled: img.disabled });
  }
  const manifest = { bucket: deps.itemBucket, key: itemFileKey(input.runId) };
  await deps.writer.writeJson(manifest.bucket, manifest.key, items);
  return { manifest, count: items.length, gallery: input.gallery, skipped };
}
