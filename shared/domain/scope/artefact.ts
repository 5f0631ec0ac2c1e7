import type { DataCategory } from '#domain/regulatory/types.ts';

/**
 * Recognising a leaked artefact by its columns (never by position; reference/integrations.md §A.3)
 * and inferring the data categories its columns expose.
 */

export type ArtefactKind =
  | 'customer-export'
  | 'address-export'
  | 'order-grid'
  | 'table-dump'
  | 'email-list'
  | 'customer-id-list';

export interface Recognition {
  kind: ArtefactKind;
  /** How it was recognised (permanent columns, admin-grid labels, table columns, list shape). */
  recognisedBy: string;
  /** Column index of the subject identifiers. */
  emailCol?: number | undefined;
  customerIdCol?: number | undefined;
  websiteCol?: number | undefined;
  countryCol?: number | undefined;
  regionCol?: number | undefined;
  /** Address exports: `_address_default_billing_` marks the address that locates the customer. */
  defaultBillingCol?: number | undefined;
  /** A list without a header row: the first record is data. */
  headerless: boolean;
}

export interface FileNameHint {
  entity: string;
  exportedAt: string;
}

/** `<entity>_<Ymd_His>.csv`, e.g. customer_20240101_101500.csv (ExportInfoFactory). */
export function parseExportFileName(name: string): FileNameHint | undefined {
  const base = name.split(/[\\/]/).pop() ?? name;
  const m = /^([a-z][a-z_]*?)_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})\.(csv|jsonl|json)$/i.exec(
    base,
  );
  if (!m) return undefined;
  return {
    entity: (m[1] ?? '').toLowerCase(),
    exportedAt: `${m[2]}-${m[3]}-${m[4]}T${m[5]}:${m[6]}:${m[7]}`,
  };
}

const EMAIL_RE = /^[^\s@"]+@[^\s@"]+\.[^\s@"]+$/;
const DIGITS_RE = /^\d+$/;

export const isEmail = (v: string): boolean => EMAIL_RE.test(v.trim());

function norm(col: string): string {
  return col.trim().toLowerCase();
}

/** Admin grid CSV exports use labels instead of column names. */
const ORDER_GRID_LABELS: Record<string, string> = {
  id: 'increment_id',
  'bill-to name': 'billing_name',
  'ship-to name': 'shipping_name',
  'customer email': 'customer_email',
  'customer name': 'customer_name',
  'billing address': 'billing_address',
  'shipping address': 'shipping_address',
  'payment method': 'payment_method',
  'grand total (base)': 'base_grand_total',
  'grand total (purchased)': 'grand_total',
  'total refunded': 'total_refunded',
  'purchase date': 'created_at',
};

/** Canonical column names (lower case; admin-grid labels mapped to table columns). */
export function canonicalColumns(header: string[]): string[] {
  const cols = header.map(norm);
  const labels = cols.filter((c) => c in ORDER_GRID_LABELS).length;
  if (labels >= 3) return cols.map((c) => ORDER_GRID_LABELS[c] ?? c);
  return cols;
}

/** Recognises the artefact from its first record; undefined when nothing identifies subjects. */
export function recognise(firstRecord: string[]): Recognition | undefined {
  const cols = canonicalColumns(firstRecord);
  const has = (c: string) => cols.indexOf(c);
  const idx = (...names: string[]) => {
    for (const n of names) {
      const i = cols.indexOf(n);
      if (i !== -1) return i;
    }
    return undefined;
  };
  if (has('email') !== -1 && has('_website') !== -1 && has('_store') !== -1) {
    return {
      kind: 'customer-export',
      recognisedBy: 'permanent columns email, _website, _store (Customers Main File)',
      emailCol: has('email'),
      websiteCol: has('_website'),
      customerIdCol: undefined,
      headerless: false,
    };
  }
  if (has('_website') !== -1 && has('_email') !== -1 && has('_entity_id') !== -1) {
    return {
      kind: 'address-export',
      recognisedBy: 'permanent columns _website, _email, _entity_id (Customer Addresses)',
      emailCol: has('_email'),
      websiteCol: has('_website'),
      countryCol: idx('country_id'),
      regionCol: idx('region'),
      defaultBillingCol: idx('_address_default_billing_'),
      headerless: false,
    };
  }
  if (has('increment_id') !== -1 && (has('customer_email') !== -1 || has('billing_name') !== -1)) {
    return {
      kind: 'order-grid',
      recognisedBy: 'order grid columns increment_id + customer_email/billing_name',
      emailCol: idx('customer_email'),
      customerIdCol: idx('customer_id'),
      countryCol: idx('country_id', 'billing_country_id'),
      regionCol: idx('region', 'billing_region'),
      headerless: false,
    };
  }
  if (cols.length === 1) {
    const only = cols[0] ?? '';
    if (['email', 'customer_email', 'subscriber_email', 'e-mail'].includes(only))
      return {
        kind: 'email-list',
        recognisedBy: 'single email column',
        emailCol: 0,
        headerless: false,
      };
    if (['customer_id', 'entity_id', 'id'].includes(only))
      return {
        kind: 'customer-id-list',
        recognisedBy: 'single customer id column',
        customerIdCol: 0,
        headerless: false,
      };
    const raw = (firstRecord[0] ?? '').trim();
    if (isEmail(raw))
      return {
        kind: 'email-list',
        recognisedBy: 'headerless list of emails',
        emailCol: 0,
        headerless: true,
      };
    if (DIGITS_RE.test(raw))
      return {
        kind: 'customer-id-list',
        recognisedBy: 'headerless list of customer ids',
        customerIdCol: 0,
        headerless: true,
      };
    return undefined;
  }
  const emailCol = idx('email', 'customer_email', '_email', 'subscriber_email');
  const customerIdCol =
    idx('customer_id', 'parent_id') ??
    (emailCol !== undefined && cols[emailCol] === 'email' ? idx('entity_id') : undefined);
  if (emailCol === undefined && customerIdCol === undefined) return undefined;
  return {
    kind: 'table-dump',
    recognisedBy: `table columns (${[emailCol, customerIdCol]
      .filter((i) => i !== undefined)
      .map((i) => cols[i as number])
      .join(', ')})`,
    emailCol,
    customerIdCol,
    websiteCol: idx('website_id', '_website'),
    countryCol: idx('country_id'),
    regionCol: idx('region'),
    headerless: false,
  };
}

/** Exact column → categories (after stripping `_address_`, `billing_`, `shipping_`, `customer_`). */
const COLUMN_CATEGORIES: Record<string, DataCategory[]> = {
  email: ['contact'],
  _email: ['contact'],
  subscriber_email: ['contact'],
  firstname: ['contact'],
  lastname: ['contact'],
  middlename: ['contact'],
  prefix: ['contact'],
  suffix: ['contact'],
  name: ['contact'],
  full: ['contact'],
  telephone: ['contact'],
  fax: ['contact'],
  cc_owner: ['contact'],
  street: ['postal-address'],
  city: ['postal-address'],
  postcode: ['postal-address'],
  address: ['postal-address'],
  company: ['postal-address'],
  dob: ['date-of-birth'],
  password_hash: ['credentials'],
  password: ['credentials'],
  rp_token: ['credentials'],
  confirmation: ['credentials'],
  gateway_token: ['credentials'],
  token: ['credentials'],
  secret: ['credentials'],
  taxvat: ['government-id'],
  vat_id: ['government-id'],
  ssn: ['government-id'],
  passport_number: ['government-id'],
  national_id: ['government-id'],
  cc_last_4: ['payment-card-masked'],
  cc_last4: ['payment-card-masked'],
  public_hash: ['payment-card-masked'],
  details: ['payment-card-masked'],
  cc_number_enc: ['payment-card-pan'],
  cc_number: ['payment-card-pan'],
  cc_cid_enc: ['payment-card-pan'],
  echeck_routing_number: ['bank-account'],
  echeck_account_name: ['bank-account'],
  iban: ['bank-account'],
  account_number: ['bank-account'],
  increment_id: ['order-history'],
  order_id: ['order-history'],
  payment_method: ['order-history'],
  grand_total: ['order-history'],
  base_grand_total: ['order-history'],
  total_paid: ['financial-transactions'],
  total_refunded: ['financial-transactions'],
  cc_trans_id: ['financial-transactions'],
  last_trans_id: ['financial-transactions'],
  transaction_id: ['financial-transactions'],
  remote_ip: ['contact'],
  x_forwarded_for: ['contact'],
};

/** Keyword heuristics for custom EAV attribute codes. */
const KEYWORDS: [RegExp, DataCategory][] = [
  [/iban|bank_?account|sort_?code|routing/, 'bank-account'],
  [/ssn|passport|national_?id|tax_?id|taxvat|driver_?licen[cs]e|id_?number/, 'government-id'],
  [/phone|mobile|e_?mail|_name$|^name_/, 'contact'],
  [/street|postcode|zip|address/, 'postal-address'],
  [/birth|dob/, 'date-of-birth'],
  [/password|passwd|token|secret|otp|security_?answer/, 'credentials'],
  [/selfie|id_?document|document_?image|liveness/, 'kyc-media'],
  [/kyc|verification_?status|aml/, 'kyc-status'],
  [/health|medical/, 'health'],
  [/biometric|face_?template|fingerprint/, 'biometric-template'],
  [/card_?number|\bpan\b/, 'payment-card-pan'],
  [/last_?4|masked_?card/, 'payment-card-masked'],
  [/balance|ledger|transaction|payout/, 'financial-transactions'],
];

/** Columns that identify nothing about a person (Magento bookkeeping). */
const NEUTRAL = new Set([
  '_website',
  '_store',
  '_entity_id',
  'entity_id',
  'website_id',
  'store_id',
  'group_id',
  'created_at',
  'updated_at',
  'created_in',
  'disable_auto_group_change',
  'gender',
  'rp_token_created_at',
  'region',
  'region_id',
  'country_id',
  'vat_is_valid',
  'vat_request_date',
  'vat_request_id',
  'vat_request_success',
  '_address_default_billing_',
  '_address_default_shipping_',
  'customer_id',
  'parent_id',
  'status',
  'state',
  'store_name',
  'is_active',
  'lock_expires',
  'failures_num',
  'first_failure',
  'customer_group',
  'order_currency_code',
  'base_currency_code',
]);

function stripPrefixes(col: string): string {
  let c = col;
  for (const p of ['_address_', 'billing_', 'shipping_', 'customer_']) {
    if (c.startsWith(p) && c.length > p.length && !NEUTRAL.has(c)) c = c.slice(p.length);
  }
  return c;
}

export interface ColumnInference {
  categories: DataCategory[];
  /** Columns that matched no rule (often custom EAV attributes); listed for a human to check. */
  unclassified: string[];
}

export function inferCategories(header: string[]): ColumnInference {
  const found = new Set<DataCategory>();
  const unclassified: string[] = [];
  for (const raw of canonicalColumns(header)) {
    if (NEUTRAL.has(raw)) continue;
    const exact = COLUMN_CATEGORIES[raw] ?? COLUMN_CATEGORIES[stripPrefixes(raw)];
    if (exact) {
      for (const c of exact) found.add(c);
      continue;
    }
    const kw = KEYWORDS.find(([re]) => re.test(raw));
    if (kw) found.add(kw[1]);
    else unclassified.push(raw);
  }
  return { categories: [...found].sort(), unclassified };
}
