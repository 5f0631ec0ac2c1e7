import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { MagentoCustomerRow, MagentoGuestRow, MagentoMapSource } from '#ports/data-map.ts';

/**
 * Reads the data map from the Magento database (a read replica; the user needs SELECT on
 * customer_entity, customer_address_entity, sales_order, sales_order_address, sales_order_payment
 * and vault_payment_token only). Keyset pagination; joins per reference/integrations.md §A.2.
 */

type Row = RowDataPacket & Record<string, unknown>;

const ts = (v: unknown): string =>
  v instanceof Date ? v.toISOString().replace('T', ' ').slice(0, 19) : String(v ?? '');
const str = (v: unknown): string | null =>
  v === null || v === undefined || v === '' ? null : String(v);

export class MysqlMagentoMapSource implements MagentoMapSource {
  constructor(private readonly pool: Pool) {}

  async *customers(since: string | null, batchSize: number): AsyncIterable<MagentoCustomerRow[]> {
    let after = 0;
    for (;;) {
      const [rows] = await this.pool.query<Row[]>(
        `SELECT ce.entity_id, ce.website_id, ce.email, ce.firstname,
                LEAST(ce.created_at, ce.updated_at) AS created_at,
                GREATEST(ce.updated_at,
                  COALESCE((SELECT MAX(x.updated_at) FROM customer_address_entity x WHERE x.parent_id = ce.entity_id), ce.updated_at),
                  COALESCE((SELECT MAX(o.updated_at) FROM sales_order o WHERE o.customer_id = ce.entity_id), ce.updated_at),
                  COALESCE((SELECT MAX(v.created_at) FROM vault_payment_token v WHERE v.customer_id = ce.entity_id), ce.updated_at)
                ) AS changed_at,
                a.country_id, a.region
           FROM customer_entity ce
           LEFT JOIN customer_address_entity a
             ON a.entity_id = COALESCE(ce.default_billing,
                  (SELECT MIN(a2.entity_id) FROM customer_address_entity a2 WHERE a2.parent_id = ce.entity_id))
          WHERE ce.entity_id > ?
            AND (? IS NULL OR ce.updated_at > ?
                 OR EXISTS (SELECT 1 FROM customer_address_entity x WHERE x.parent_id = ce.entity_id AND x.updated_at > ?)
                 OR EXISTS (SELECT 1 FROM sales_order o WHERE o.customer_id = ce.entity_id AND o.updated_at > ?)
                 OR EXISTS (SELECT 1 FROM vault_payment_token v WHERE v.customer_id = ce.entity_id AND v.created_at > ?))
          ORDER BY ce.entity_id
          LIMIT ?`,
        [after, since, since, since, since, since, batchSize],
      );
      if (rows.length === 0) return;
      const ids = rows.map((r) => Number(r.entity_id));
      after = ids[ids.length - 1] ?? after;
      const [orders] = await this.pool.query<Row[]>(
        `SELECT o.entity_id, o.increment_id, o.customer_id, p.entity_id AS payment_id, p.method
           FROM sales_order o LEFT JOIN sales_order_payment p ON p.parent_id = o.entity_id
          WHERE o.customer_id IN (?) ORDER BY o.entity_id`,
        [ids],
      );
      const [tokens] = await this.pool.query<Row[]>(
        `SELECT entity_id, customer_id, public_hash, payment_method_code
           FROM vault_payment_token WHERE customer_id IN (?) AND is_active = 1 ORDER BY entity_id`,
        [ids],
      );
      const byId = new Map<number, MagentoCustomerRow>();
      const out = rows.map((r) => {
        const c: MagentoCustomerRow = {
          customerId: Number(r.entity_id),
          websiteId: r.website_id === null ? null : Number(r.website_id),
          email: String(r.email),
          firstname: str(r.firstname),
          country: str(r.country_id),
          region: str(r.region),
          updatedAt: ts(r.changed_at),
          createdAt: ts(r.created_at),
          orders: [],
          vaultTokens: [],
        };
        byId.set(c.customerId, c);
        return c;
      });
      for (const o of orders)
        byId.get(Number(o.customer_id))?.orders.push({
          orderId: Number(o.entity_id),
          incrementId: String(o.increment_id),
          paymentId: o.payment_id === null ? null : Number(o.payment_id),
          method: str(o.method),
        });
      for (const t of tokens)
        byId.get(Number(t.customer_id))?.vaultTokens.push({
          tokenId: Number(t.entity_id),
          publicHash: String(t.public_hash),
          method: String(t.payment_method_code),
        });
      yield out;
      if (rows.length < batchSize) return;
    }
  }

  async *guests(since: string | null, batchSize: number): AsyncIterable<MagentoGuestRow[]> {
    let after = '';
    for (;;) {
      const [emails] = await this.pool.query<Row[]>(
        `SELECT DISTINCT LOWER(TRIM(customer_email)) AS customer_email FROM sales_order
          WHERE customer_is_guest = 1 AND customer_email IS NOT NULL
            AND LOWER(TRIM(customer_email)) > ?
            AND (? IS NULL OR updated_at > ?)
          ORDER BY 1 LIMIT ?`,
        [after, since, since, batchSize],
      );
      if (emails.length === 0) return;
      const list = emails.map((e) => String(e.customer_email));
      after = list[list.length - 1] ?? after;
      const [orders] = await this.pool.query<Row[]>(
        `SELECT o.entity_id, o.increment_id, LOWER(TRIM(o.customer_email)) AS customer_email, o.updated_at,
                LEAST(o.created_at, o.updated_at) AS created_at,
                p.entity_id AS payment_id, p.method, a.country_id, a.region, a.firstname
           FROM sales_order o
           LEFT JOIN sales_order_payment p ON p.parent_id = o.entity_id
           LEFT JOIN sales_order_address a ON a.parent_id = o.entity_id AND a.address_type = 'billing'
          WHERE o.customer_is_guest = 1 AND LOWER(TRIM(o.customer_email)) IN (?)
          ORDER BY 3, o.entity_id`,
        [list],
      );
      const byEmail = new Map<string, MagentoGuestRow>();
      for (const o of orders) {
        const email = String(o.customer_email);
        let g = byEmail.get(email);
        if (!g) {
          g = {
            email,
            firstname: null,
            country: null,
            region: null,
            updatedAt: '',
            createdAt: '',
            orders: [],
          };
          byEmail.set(email, g);
        }
        // the latest order's billing address locates the guest
        g.firstname = str(o.firstname) ?? g.firstname;
        g.country = str(o.country_id) ?? g.country;
        g.region = str(o.region) ?? g.region;
        const u = ts(o.updated_at);
        if (u > g.updatedAt) g.updatedAt = u;
        const c = ts(o.created_at);
        if (c && (g.createdAt === '' || c < g.createdAt)) g.createdAt = c;
        g.orders.push({
          orderId: Number(o.entity_id),
          incrementId: String(o.increment_id),
          paymentId: o.payment_id === null ? null : Number(o.payment_id),
          method: str(o.method),
        });
      }
      yield [...byEmail.values()];
      if (emails.length < batchSize) return;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
