/**
 * A Magento media listing: the rows of `catalog_product_entity_media_gallery` (value_id, value =
 * the file path under pub/media/catalog/product, media_type) joined to
 * `catalog_product_entity_media_gallery_value` (store_id, entity_id, disabled), one row per store
 * view value. Read from the Magento database or from a listing file (an export of that join), it
 * becomes the item list of a scan-media run: one item per image file.
 */

/** One joined row (a gallery entry without value rows has no store/entity/disabled). */
export interface MagentoGalleryRow {
  valueId: number;
  file: string;
  mediaType?: string;
  storeId?: number;
  entityId?: number;
  disabled?: number;
}

/** One image of the gallery: its file, the products that use it, whether it is hidden everywhere. */
export interface ListedImage {
  valueId: number;
  file: string;
  entityIds: number[];
  /** Every store-view value row has `disabled = 1` (the image is not shown anywhere). */
  disabled: boolean;
  mediaType?: string;
}

export class InvalidMagentoListingError extends Error {
  override readonly name = 'InvalidMagentoListingError';
}

const COLUMN_ALIASES: Record<string, keyof MagentoGalleryRow> = {
  value_id: 'valueId',
  valueid: 'valueId',
  file: 'file',
  value: 'file',
  filepath: 'file',
  media_type: 'mediaType',
  store_id: 'storeId',
  entity_id: 'entityId',
  row_id: 'entityId',
  disabled: 'disabled',
};

/** Splits one CSV/TSV line; double-quoted fields may contain the separator and "" escapes. */
function splitLine(line: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur === '') quoted = true;
    else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const NULLS = new Set(['', 'NULL', '\\N']);

function toRow(raw: Record<string, unknown>, where: string): MagentoGalleryRow {
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const field = COLUMN_ALIASES[k.trim().toLowerCase()];
    if (field) row[field] = typeof v === 'string' ? v.trim() : v;
  }
  const int = (name: keyof MagentoGalleryRow, required: boolean): number | undefined => {
    const v = row[name];
    if (v === undefined || v === null || (typeof v === 'string' && NULLS.has(v))) {
      if (required) throw new InvalidMagentoListingError(`${where}: missing ${name}`);
      return undefined;
    }
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new InvalidMagentoListingError(`${where}: ${name} is not a non-negative integer`);
    return n;
  };
  const file = row.file;
  if (typeof file !== 'string' || NULLS.has(file))
    throw new InvalidMagentoListingError(`${where}: missing file`);
  const out: MagentoGalleryRow = { valueId: int('valueId', true)!, file };
  const storeId = int('storeId', false);
  const entityId = int('entityId', false);
  const disabled = int('disabled', false);
  if (storeId !== undefined) out.storeId = storeId;
  if (entityId !== undefined) out.entityId = entityId;
  if (disabled !== undefined) out.disabled = disabled;
  if (typeof row.mediaType === 'string' && !NULLS.has(row.mediaType)) out.mediaType = row.mediaType;
  return out;
}

/**
 * Parses a listing file: a JSON array (or JSON Lines) of row objects, or CSV / TSV with a header
 * (`mysql -B -e "SELECT g.value_id, g.value AS file, v.store_id, v.entity_id, v.disabled …"`
 * output works as is). Column names as in the tables (`value_id`, `value` or `file`, `entity_id`
 * or `row_id`, `store_id`, `disabled`, `media_type`); other columns are ignored.
 */
export function parseMagentoListing(text: string): MagentoGalleryRow[] {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body === '') return [];
  if (body.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new InvalidMagentoListingError('listing: malformed JSON');
    }
    return (parsed as unknown[]).map((r, i) => {
      if (!r || typeof r !== 'object')
        throw new InvalidMagentoListingError(`row ${i + 1}: not an object`);
      return toRow(r as Record<string, unknown>, `row ${i + 1}`);
    });
  }
  const lines = body.split(/\r?\n/);
  if (body.startsWith('{'))
    return lines
      .filter((l) => l.trim() !== '')
      .map((l, i) => {
        try {
          return toRow(JSON.parse(l) as Record<string, unknown>, `line ${i + 1}`);
        } catch (err) {
          if (err instanceof InvalidMagentoListingError) throw err;
          throw new InvalidMagentoListingError(`line ${i + 1}: malformed JSON`);
        }
      });
  const header = lines[0]!;
  const sep = header.includes('\t') ? '\t' : ',';
  const cols = splitLine(header, sep).map((c) => c.trim());
  if (!cols.some((c) => COLUMN_ALIASES[c.toLowerCase()] === 'valueId'))
    throw new InvalidMagentoListingError('listing: no value_id column in the header');
  const rows: MagentoGalleryRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const vals = splitLine(line, sep);
    rows.push(toRow(Object.fromEntries(cols.map((c, j) => [c, vals[j] ?? ''])), `line ${i + 1}`));
  }
  return rows;
}

/** One image per value_id (first-seen order), with its products and whether it is hidden everywhere. */
export function groupListing(rows: Iterable<MagentoGalleryRow>): ListedImage[] {
  const byId = new Map<number, ListedImage & { valueRows: number; disabledRows: number }>();
  for (const r of rows) {
    let img = byId.get(r.valueId);
    if (!img) {
      img = {
        valueId: r.valueId,
        file: r.file,
        entityIds: [],
        disabled: false,
        valueRows: 0,
        disabledRows: 0,
        ...(r.mediaType ? { mediaType: r.mediaType } : {}),
      };
      byId.set(r.valueId, img);
    }
    if (r.entityId !== undefined && !img.entityIds.includes(r.entityId))
      img.entityIds.push(r.entityId);
    if (r.storeId !== undefined || r.disabled !== undefined) {
      img.valueRows++;
      if (r.disabled === 1) img.disabledRows++;
    }
  }
  return [...byId.values()].map(({ valueRows, disabledRows, ...img }) => ({
    ...img,
    entityIds: img.entityIds.sort((a, b) => a - b),
    disabled: valueRows > 0 && disabledRows === valueRows,
  }));
}

/**
 * The object key of a gallery file under the catalog prefix (`catalog/product/` + `s/k/sku.jpg`),
 * or undefined for a path that could escape the prefix or is not a plain file path.
 */
export function listingObjectKey(prefix: string, file: string): string | undefined {
  const rel = file.replace(/^\/+/, '');
  if (rel === '' || rel.length > 900) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(rel)) return undefined;
  if (rel.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) return undefined;
  const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  return `${base}${rel}`;
}
