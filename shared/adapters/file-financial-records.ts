import { readFileSync } from 'node:fs';
import { CsvParser } from '#domain/scope/csv.ts';
import type { FinancialRecordsSource } from '#ports/data-map.ts';

/**
 * Ledger account references from an export of the financial-records system: CSV with a header
 * (`customer_id` and/or `email_hmac`, and `ledger_account`) or JSONL with the same keys.
 * Loaded once per export run (the file is small relative to the map: one line per account).
 */
export class FileFinancialRecords implements FinancialRecordsSource {
  private readonly byCustomer = new Map<number, string[]>();
  private readonly byHmac = new Map<string, string[]>();

  constructor(file: string) {
    const text = readFileSync(file, 'utf8');
    const rows: Record<string, string>[] = [];
    if (/\.jsonl$/i.test(file)) {
      for (const line of text.split('\n'))
        if (line.trim()) rows.push(JSON.parse(line) as Record<string, string>);
    } else {
      const p = new CsvParser();
      const recs = [...p.push(text), ...p.end()];
      const header = recs.shift()?.fields.map((h) => h.trim().toLowerCase()) ?? [];
      if (!header.includes('ledger_account'))
        throw new Error(`${file}: financial records need a ledger_account column`);
      for (const r of recs) {
        if (r.fields.length !== header.length)
          throw new Error(
            `${file} line ${r.line}: ${r.fields.length} fields, header has ${header.length}`,
          );
        rows.push(Object.fromEntries(header.map((h, i) => [h, r.fields[i] ?? ''])));
      }
    }
    for (const r of rows) {
      const acct = String(r.ledger_account ?? '').trim();
      if (!acct) continue;
      const cid = String(r.customer_id ?? '').trim();
      if (/^\d+$/.test(cid)) push(this.byCustomer, Number(cid), acct);
      const h = String(r.email_hmac ?? '').trim();
      if (h) push(this.byHmac, h, acct);
    }
  }

  ledgerAccounts(customerId: number | null, emailHmac: string): string[] {
    const out = new Set<string>([
      ...(customerId === null ? [] : (this.byCustomer.get(customerId) ?? [])),
      ...(this.byHmac.get(emailHmac) ?? []),
    ]);
    return [...out];
  }
}

function push<K>(m: Map<K, string[]>, k: K, v: string): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}
