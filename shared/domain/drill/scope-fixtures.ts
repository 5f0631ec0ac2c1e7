import { customerRecipientId, type MapRecord } from '../scope/data-map.ts';

/**
 * Generated fake people for drills (local and scheduled in AWS: run-drill generates its leaked
 * files from here), scope tests and benchmarks (deterministic; no real data). Email domains are
 * example.test (RFC 2606), names are synthetic.
 */

export interface FakePerson {
  customerId: number;
  websiteId: number;
  email: string;
  firstname: string;
  lastname: string;
  dob: string;
  taxvat: string;
  country: string;
  region: string;
  city: string;
  postcode: string;
}

export const RESIDENCES: [string, string][] = [
  ['DE', 'Berlin'],
  ['FR', 'Île-de-France'],
  ['IE', 'Dublin'],
  ['NL', 'Noord-Holland'],
  ['ES', 'Madrid'],
  ['US', 'CA'],
  ['US', 'Texas'],
  ['US', 'NY'],
  ['US', 'WA'],
  ['GB', 'London'],
];

const FIRST = ['Alex', 'Sam', 'Robin', 'Kim', 'Noa', 'Jo', 'Mika', 'Ari', 'Lou', 'Eli'];
const LAST = ['Testperson', 'Sample', 'Example', 'Fixture', 'Dummy', 'Mock', 'Probe', 'Trial'];

/** Deterministic LCG so fixtures are reproducible without Math.random. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

export function person(i: number, residences = RESIDENCES): FakePerson {
  const [country, region] = residences[i % residences.length] ?? ['DE', ''];
  return {
    customerId: i + 1,
    websiteId: 1,
    email: `person${i + 1}@example.test`,
    firstname: FIRST[i % FIRST.length] ?? 'Alex',
    lastname: LAST[(i >> 3) % LAST.length] ?? 'Sample',
    dob: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
    taxvat: `TX${100000 + i}`,
    country,
    region,
    city: 'Testville',
    postcode: String(10000 + (i % 89999)),
  };
}

export function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** Customers Main File columns (reference §A.3) plus custom EAV attribute codes. */
export const CUSTOMER_EXPORT_COLUMNS = [
  'email',
  '_website',
  '_store',
  'confirmation',
  'created_at',
  'created_in',
  'disable_auto_group_change',
  'dob',
  'firstname',
  'gender',
  'group_id',
  'lastname',
  'middlename',
  'password_hash',
  'prefix',
  'rp_token',
  'rp_token_created_at',
  'store_id',
  'suffix',
  'taxvat',
  'website_id',
  'password',
];

export function customerExportValue(p: FakePerson, col: string): string {
  switch (col) {
    case 'email':
      return p.email;
    case '_website':
      return 'base';
    case '_store':
      return 'default';
    case 'created_at':
      return '2024-01-01 10:00:00';
    case 'created_in':
      return 'Default Store View';
    case 'dob':
      return p.dob;
    case 'firstname':
      return p.firstname;
    case 'lastname':
      return p.lastname;
    case 'group_id':
      return '1';
    case 'password_hash':
      return `fakehash:${p.customerId}:1`;
    case 'rp_token':
      return '';
    case 'store_id':
      return '1';
    case 'taxvat':
      return p.taxvat;
    case 'website_id':
      return String(p.websiteId);
    case 'loyalty_iban':
      return `DE00TEST${p.customerId}`;
    case 'favourite_colour':
      return 'teal, "dark"';
    default:
      return '';
  }
}

/** A customer export with the given columns (order as given) for people [from, to). */
export function* customerExportLines(
  columns: string[],
  from: number,
  to: number,
  residences = RESIDENCES,
): Generator<string> {
  yield `${columns.join(',')}\n`;
  for (let i = from; i < to; i++) {
    const p = person(i, residences);
    yield `${columns.map((c) => csvCell(customerExportValue(p, c))).join(',')}\n`;
  }
}

export const ADDRESS_EXPORT_COLUMNS = [
  '_website',
  '_email',
  '_entity_id',
  'city',
  'company',
  'country_id',
  'fax',
  'firstname',
  'lastname',
  'middlename',
  'postcode',
  'prefix',
  'region',
  'region_id',
  'street',
  'suffix',
  'telephone',
  'vat_id',
  'vat_is_valid',
  'vat_request_date',
  'vat_request_id',
  'vat_request_success',
  '_address_default_billing_',
  '_address_default_shipping_',
];

export function addressExportValue(p: FakePerson, col: string, addressNo: number): string {
  switch (col) {
    case '_website':
      return 'base';
    case '_email':
      return p.email;
    case '_entity_id':
      return String(p.customerId * 10 + addressNo);
    case 'city':
      return p.city;
    case 'country_id':
      return p.country;
    case 'firstname':
      return p.firstname;
    case 'lastname':
      return p.lastname;
    case 'postcode':
      return p.postcode;
    case 'region':
      return p.region;
    case 'street':
      return `${addressNo + 1} Fixture Street\nFlat 2`;
    case 'telephone':
      return '+000000000';
    case '_address_default_billing_':
      return addressNo === 0 ? '1' : '';
    default:
      return '';
  }
}

/** The data map record for a fake person (as the exporter would write it). */
export function mapRecordFor(p: FakePerson, hmac: (e: string) => string): MapRecord {
  const hasCard = p.customerId % 3 === 0;
  return {
    v: 1,
    kind: 'customer',
    recipientId: customerRecipientId(p.customerId),
    customerId: p.customerId,
    websiteId: p.websiteId,
    emailHmac: hmac(p.email),
    country: p.country,
    region: p.country === 'US' ? p.region : null,
    hasVaultTokens: hasCard,
    orders: [
      {
        orderId: p.customerId,
        incrementId: String(100000000 + p.customerId),
        paymentId: p.customerId,
        method: hasCard ? 'braintree' : 'checkmo',
      },
    ],
    vaultTokens: hasCard
      ? [{ tokenId: p.customerId, publicHash: `ph${p.customerId}`, method: 'braintree' }]
      : [],
    ledgerAccounts: p.customerId % 2 === 0 ? [`LEDGER-${p.customerId}`] : [],
    updatedAt: '2024-01-01 10:00:00',
  };
}
