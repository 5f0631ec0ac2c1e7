/**
 * The scope join as Amazon Athena (Trino) SQL, for maps beyond one machine: the data map JSONL in
 * S3 as one external table, the leaked file as another. The HMAC key is a query parameter
 * (`?`, passed with ExecutionParameters), never part of the SQL text.
 */

export interface AthenaScopeSqlInput {
  database: string;
  mapTable: string;
  leakTable: string;
  /** Column of the leaked table holding emails (customer export: `email`; address export: `_email`). */
  emailColumn: string;
  /** Optional customer id column of the leaked table. */
  customerIdColumn?: string | undefined;
}

const ident = (s: string): string => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) throw new Error(`invalid identifier: ${s}`);
  return `"${s}"`;
};

export function athenaMapTableDdl(database: string, table: string, s3Location: string): string {
  if (!/^s3:\/\/[a-z0-9.-]+\/[\w./-]*$/.test(s3Location)) throw new Error('invalid S3 location');
  return `CREATE EXTERNAL TABLE IF NOT EXISTS ${ident(database)}.${ident(table)} (
  recipientid string, customerid bigint, websiteid int, emailhmac string, country string, region string,
  hasvaulttokens boolean,
  orders array<struct<orderid:bigint,incrementid:string,paymentid:bigint,method:string>>,
  vaulttokens array<struct<tokenid:bigint,publichash:string,method:string>>,
  ledgeraccounts array<string>, updatedat string
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION '${s3Location}'`;
}

/** Affected subjects per jurisdiction + linked financial records; one parameter: the HMAC key. */
export function athenaScopeSql(i: AthenaScopeSqlInput): string {
  const map = `${ident(i.database)}.${ident(i.mapTable)}`;
  const leak = `${ident(i.database)}.${ident(i.leakTable)}`;
  const email = ident(i.emailColumn);
  const byId = i.customerIdColumn
    ? `\n     OR (m.customerid IS NOT NULL AND CAST(m.customerid AS varchar) = trim(l.${ident(i.customerIdColumn)}))`
    : '';
  return `WITH leak AS (
  SELECT l.*, lower(to_hex(hmac_sha256(to_utf8(lower(trim(l.${email}))), to_utf8(?)))) AS h
    FROM ${leak} l
),
latest AS (
  SELECT * FROM (
    SELECT m.*, row_number() OVER (PARTITION BY m.recipientid ORDER BY m.updatedat DESC, "$path" DESC) AS rn
      FROM ${map} m
  ) WHERE rn = 1
),
matched AS (
  SELECT DISTINCT m.recipientid, m.country, m.region, cardinality(m.orders) AS orders,
         cardinality(m.vaulttokens) AS cards, cardinality(m.ledgeraccounts) AS ledger
    FROM leak l JOIN latest m
      ON m.emailhmac = l.h${byId}
)
SELECT country, CASE WHEN country = 'US' THEN region END AS region, count(*) AS subjects,
       sum(orders) AS orders, sum(cards) AS stored_cards, sum(ledger) AS ledger_accounts
  FROM matched
 GROUP BY 1, 2
 ORDER BY 1, 2`;
}
