import type { Pool, RowDataPacket } from 'mysql2/promise';
import { createPool } from 'mysql2/promise';
import { type MagentoDbCredentials, magentoUnreachable } from '#adapters/magento-db.ts';
import type { MagentoGalleryRow } from '#domain/media/magento-listing.ts';
import type { MagentoMediaListing } from '#ports/media-listing.ts';

/**
 * The Magento media listing straight from the catalog gallery tables, for a read-only user:
 *   GRANT SELECT ON <db>.catalog_product_entity_media_gallery TO '<user>'@'<host>';
 *   GRANT SELECT ON <db>.catalog_product_entity_media_gallery_value TO '<user>'@'<host>';
 * Keyset pagination on value_id (pageSize images per page, then their store-view value rows),
 * so a large gallery is never read in one query. Parameterised queries, fixed identifiers.
 */
export class MySqlMagentoMediaListing implements MagentoMediaListing {
  constructor(
    private readonly credentials: () => Promise<MagentoDbCredentials>,
    private readonly pageSize = 1000,
  ) {}

  async *pages(): AsyncIterable<MagentoGalleryRow[]> {
    const pool = await this.guard(async () => {
      const c = await this.credentials();
      const p: Pool = createPool({ ...c, connectionLimit: 1, connectTimeout: 5000 });
      // fail fast (and as StorefrontUnavailable) when the database is unreachable
      await p.query('SELECT 1');
      return p;
    });
    try {
      let after = 0;
      for (;;) {
        const [gallery] = await this.guard(() =>
          pool.query<RowDataPacket[]>(
            'SELECT value_id, value, media_type FROM catalog_product_entity_media_gallery WHERE value_id > ? ORDER BY value_id LIMIT ?',
            [after, this.pageSize],
          ),
        );
        if (gallery.length === 0) return;
        const ids = gallery.map((g) => Number(g.value_id));
        const [values] = await this.guard(() =>
          pool.query<RowDataPacket[]>(
            'SELECT value_id, store_id, entity_id, disabled FROM catalog_product_entity_media_gallery_value WHERE value_id IN (?) ORDER BY value_id, store_id',
            [ids],
          ),
        );
        const byId = new Map<number, RowDataPacket[]>();
        for (const v of values) {
          const id = Number(v.value_id);
          byId.set(id, [...(byId.get(id) ?? []), v]);
        }
        const page: MagentoGalleryRow[] = [];
        for (const g of gallery) {
          if (g.value === null) continue; // an entry without a file has nothing to check
          const base = {
            valueId: Number(g.value_id),
            file: String(g.value),
            ...(g.media_type ? { mediaType: String(g.media_type) } : {}),
          };
          const rows = byId.get(base.valueId) ?? [];
          if (rows.length === 0) page.push(base);
          for (const v of rows)
            page.push({
              ...base,
              storeId: Number(v.store_id),
              entityId: Number(v.entity_id),
              disabled: Number(v.disabled),
            });
        }
        yield page;
        after = ids[ids.length - 1]!;
        if (gallery.length < this.pageSize) return;
      }
    } finally {
      await pool.end().catch(() => undefined);
    }
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw magentoUnreachable(err) ?? err;
    }
  }
}
