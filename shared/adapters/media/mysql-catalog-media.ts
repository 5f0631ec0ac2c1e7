import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { createPool } from 'mysql2/promise';
import { type MagentoDbCredentials, magentoUnreachable } from '#adapters/magento-db.ts';
import type { CatalogMedia, GalleryValueRow } from '#ports/media-containment.ts';

const SELECT = `SELECT v.record_id, v.value_id, v.store_id, v.disabled, g.value AS file
  FROM catalog_product_entity_media_gallery_value v
  JOIN catalog_product_entity_media_gallery g ON g.value_id = v.value_id`;

/**
 * The catalog gallery tables through mysql2 (least privilege: SELECT on both gallery tables,
 * UPDATE (disabled) on catalog_product_entity_media_gallery_value). Parameterised queries only.
 */
export class MySqlCatalogMedia implements CatalogMedia {
  private pool?: Pool;
  constructor(private readonly credentials: () => Promise<MagentoDbCredentials>) {}

  async galleryRows(files: string[]) {
    if (files.length === 0) return [];
    return this.rows(`${SELECT} WHERE g.value IN (?) ORDER BY v.record_id`, [files]);
  }

  async galleryRowsById(recordIds: number[]) {
    if (recordIds.length === 0) return [];
    return this.rows(`${SELECT} WHERE v.record_id IN (?) ORDER BY v.record_id`, [recordIds]);
  }

  async setDisabled(recordIds: number[], disabled: number) {
    if (recordIds.length === 0) return 0;
    return this.guard(async () => {
      const [r] = await (await this.getPool()).query<ResultSetHeader>(
        'UPDATE catalog_product_entity_media_gallery_value SET disabled = ? WHERE record_id IN (?)',
        [disabled, recordIds],
      );
      return r.affectedRows;
    });
  }

  async close() {
    await this.pool?.end();
    this.pool = undefined;
  }

  private async rows(sql: string, params: unknown[]): Promise<GalleryValueRow[]> {
    return this.guard(async () => {
      const [rows] = await (await this.getPool()).query<RowDataPacket[]>(sql, params);
      return rows.map((r) => ({
        recordId: Number(r.record_id),
        valueId: Number(r.value_id),
        storeId: Number(r.store_id),
        file: String(r.file),
        disabled: Number(r.disabled),
      }));
    });
  }

  private async getPool(): Promise<Pool> {
    if (!this.pool) {
      const c = await this.credentials();
      this.pool = createPool({ ...c, connectionLimit: 2, connectTimeout: 5000 });
    }
    return this.pool;
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw magentoUnreachable(err) ?? err;
    }
  }
}
