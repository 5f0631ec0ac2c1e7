import { describe, expect, it } from 'vitest';
import { athenaMapTableDdl, athenaScopeSql } from '#domain/scope/athena.ts';

describe('Athena scope SQL', () => {
  it('generates the join with the HMAC key as the only parameter', () => {
    const sql = athenaScopeSql({
      database: 'tourniquet',
      mapTable: 'data_map',
      leakTable: 'leak_customer',
      emailColumn: 'email',
      customerIdColumn: 'entity_id',
    });
    expect(sql).toContain('hmac_sha256(to_utf8(lower(trim(l."email"))), to_utf8(?))');
    expect(sql).toContain('FROM "tourniquet"."leak_customer" l');
    expect(sql).toContain('PARTITION BY m.recipientid ORDER BY m.updatedat DESC');
    expect(sql).toContain('CAST(m.customerid AS varchar) = trim(l."entity_id")');
    expect(sql).toContain("CASE WHEN country = 'US' THEN region END");
    expect(sql.match(/\?/g)).toHaveLength(1);
  });
  it('rejects identifiers that could inject SQL', () => {
    expect(() =>
      athenaScopeSql({ database: 'x', mapTable: 'm', leakTable: 'l; DROP', emailColumn: 'email' }),
    ).toThrow(/invalid identifier/);
    expect(() => athenaMapTableDdl('x', 'm', "s3://b/p' --")).toThrow(/invalid S3 location/);
  });
  it('declares the map table over the JSONL layout', () => {
    expect(athenaMapTableDdl('tourniquet', 'data_map', 's3://bucket/data-map/')).toContain(
      "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\nLOCATION 's3://bucket/data-map/'",
    );
  });
});
