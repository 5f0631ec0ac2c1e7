/**
 * The responder-owned data map: one minimal record per Magento customer (and per guest email hash),
 * never the email itself. Written by the exporter as JSONL; read by scope assessment.
 */

export const MAP_FORMAT_VERSION = 1;

export interface MapOrderRef {
  orderId: number;
  incrementId: string;
  paymentId: number | null;
  method: string | null;
}

export interface MapVaultRef {
  tokenId: number;
  publicHash: string;
  method: string;
}

export interface MapRecord {
  v: 1;
  kind: 'customer' | 'guest';
  /** `c:<customer id>` or `g:<email hmac>`: the recipient id used by the notification workflow. */
  recipientId: string;
  customerId: number | null;
  websiteId: number | null;
  emailHmac: string;
  country: string | null;
  region: string | null;
  hasVaultTokens: boolean;
  orders: MapOrderRef[];
  vaultTokens: MapVaultRef[];
  ledgerAccounts: string[];
  updatedAt: string;
}

export interface MapManifest {
  v: 1;
  /** Identifies the HMAC key version used for emailHmac (the key itself lives in Secrets Manager). */
  hmacKeyId: string;
  generatedAt: string;
  /** Highest `updated_at` read from Magento; the next incremental run reads rows after it. */
  watermark: string | null;
  /** Files in apply order: a full snapshot first, then deltas; later records replace earlier ones. */
  files: string[];
  customers: number;
  guests: number;
}

export const customerRecipientId = (customerId: number): string => `c:${customerId}`;
export const guestRecipientId = (emailHmac: string): string => `g:${emailHmac}`;

interface Row {
  recipientId: string;
  customerId: number | null;
  websiteId: number | null;
  country: string | null;
  region: string | null;
  orders: number;
  vault: number;
  ledger: number;
  methods: string[];
  orderRefs: string[];
  vaultRefs: string[];
  ledgerRefs: string[];
}

/** In-memory index of the map for the streaming join (compact: no hashes kept per row). */
export class MapIndex {
  readonly rows: Row[] = [];
  private readonly byHmac = new Map<string, number[]>();
  private readonly byCustomer = new Map<number, number>();
  private readonly byRecipient = new Map<string, number>();

  add(rec: MapRecord): void {
    const row: Row = {
      recipientId: rec.recipientId,
      customerId: rec.customerId,
      websiteId: rec.websiteId,
      country: rec.country,
      region: rec.region,
      orders: rec.orders.length,
      vault: rec.vaultTokens.length,
      ledger: rec.ledgerAccounts.length,
      methods: [
        ...new Set(
          [...rec.orders.map((o) => o.method), ...rec.vaultTokens.map((t) => t.method)].filter(
            (m): m is string => !!m,
          ),
        ),
      ],
      orderRefs: rec.orders.map((o) => o.incrementId),
      vaultRefs: rec.vaultTokens.map((t) => t.publicHash),
      ledgerRefs: rec.ledgerAccounts,
    };
    const existing = this.byRecipient.get(rec.recipientId);
    if (existing !== undefined) {
      this.rows[existing] = row; // a later delta replaces the record (hash unchanged or re-added)
      this.addHmac(rec.emailHmac, existing);
      return;
    }
    const i = this.rows.length;
    this.rows.push(row);
    this.byRecipient.set(rec.recipientId, i);
    if (rec.customerId !== null) this.byCustomer.set(rec.customerId, i);
    this.addHmac(rec.emailHmac, i);
  }

  private addHmac(h: string, i: number): void {
    const list = this.byHmac.get(h);
    if (!list) this.byHmac.set(h, [i]);
    else if (!list.includes(i)) list.push(i);
  }

  findByHmac(h: string): readonly number[] {
    return this.byHmac.get(h) ?? [];
  }

  findByCustomerId(id: number): number | undefined {
    return this.byCustomer.get(id);
  }

  get size(): number {
    return this.rows.length;
  }
}
