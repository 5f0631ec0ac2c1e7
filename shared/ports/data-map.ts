import type { MapManifest, MapRecord } from '#domain/scope/data-map.ts';

/** Where the data map goes (S3 prefix, a local directory). */
export interface DataMapSink {
  writePart(name: string, records: MapRecord[]): Promise<void>;
  readManifest(): Promise<MapManifest | undefined>;
  writeManifest(manifest: MapManifest): Promise<void>;
  /** Writes the index snapshot of a full export (optional: without it scope parses the JSONL). */
  writeIndex?(name: string, bytes: Uint8Array): Promise<void>;
}

/** The responder's table copy of the map (one item per recipient). */
export interface DataMapTable {
  putRecords(records: MapRecord[]): Promise<void>;
}

/** One Magento customer as read from the replica (emails only in memory, never written). */
export interface MagentoCustomerRow {
  customerId: number;
  websiteId: number | null;
  email: string;
  firstname: string | null;
  country: string | null;
  region: string | null;
  updatedAt: string;
  /** `customer_entity.created_at`: a row created after the last watermark is new to the map. */
  createdAt: string;
  orders: {
    orderId: number;
    incrementId: string;
    paymentId: number | null;
    method: string | null;
  }[];
  vaultTokens: { tokenId: number; publicHash: string; method: string }[];
}

export interface MagentoGuestRow {
  email: string;
  firstname: string | null;
  country: string | null;
  region: string | null;
  updatedAt: string;
  /** Creation time of the guest's first order: after the last watermark, the guest is new. */
  createdAt: string;
  orders: {
    orderId: number;
    incrementId: string;
    paymentId: number | null;
    method: string | null;
  }[];
}

/** Read-only view of the Magento database (a read replica, least-privilege user). */
export interface MagentoMapSource {
  /** Customers whose row, addresses, orders or stored cards changed after `since` (all when null). */
  customers(since: string | null, batchSize: number): AsyncIterable<MagentoCustomerRow[]>;
  /** Guest orders (customer_is_guest = 1) grouped by email, changed after `since`. */
  guests(since: string | null, batchSize: number): AsyncIterable<MagentoGuestRow[]>;
  close(): Promise<void>;
}

/** Ledger account references from the financial-records system (configurable source). */
export interface FinancialRecordsSource {
  ledgerAccounts(customerId: number | null, emailHmac: string): string[];
}

export interface Contact {
  email: string;
  firstname: string | null;
  locale: string;
  country: string | null;
  region: string | null;
}

/** Contact details for sending, stored encrypted and released only to the notification workflow. */
export interface ContactVault {
  put(recipientId: string, contact: Contact): Promise<void>;
  get(recipientId: string): Promise<Contact | undefined>;
}
