/**
 * The synthetic-data registry: which sources produce synthetic records, how to recognise their
 * records (marker columns or value patterns) and where they may legitimately live (datasets,
 * pipelines, buckets, Magento tables). Configuration, validated by shared/contracts/synthetic-registry.ts.
 */
export interface SyntheticMarker {
  /** Column / attribute the marker is read from. */
  column: string;
  /** Exact values that mark a synthetic record (compared as strings). */
  equals?: string[];
  /** A regular expression (source text) the value matches. */
  pattern?: string;
}

export interface SyntheticSource {
  id: string;
  description: string;
  markers: SyntheticMarker[];
  datasets: string[];
  integrationPoints: {
    pipelines: string[];
    buckets: string[];
    magentoTables: string[];
    /** DynamoDB tables (logical names) the source may write to. */
    tables: string[];
  };
}

export interface SyntheticRegistry {
  version: string;
  sources: SyntheticSource[];
  /** Markers of synthetic data from no registered source (generators' fingerprints). */
  unregisteredMarkers: SyntheticMarker[];
}

export function markerMatches(m: SyntheticMarker, fields: Record<string, unknown>): boolean {
  const v = fields[m.column];
  if (v === undefined || v === null) return false;
  const s = String(v);
  if (m.equals?.includes(s)) return true;
  return m.pattern !== undefined && new RegExp(m.pattern, 'i').test(s);
}
