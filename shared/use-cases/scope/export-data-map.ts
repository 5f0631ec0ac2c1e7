import {
  customerRecipientId,
  guestRecipientId,
  MapIndex,
  type MapManifest,
  type MapRecord,
  type MapSnapshotMeta,
} from '#domain/scope/data-map.ts';
import type {
  ContactVault,
  DataMapSink,
  DataMapTable,
  FinancialRecordsSource,
  MagentoMapSource,
} from '#ports/data-map.ts';

/**
 * Builds the responder's data map from Magento: full rebuild or incremental by `updated_at`.
 * Emails leave this function only as keyed HMACs; contact details for sending go to the
 * encrypted contact vault, and only when `storeContacts` is on.
 */

export interface ExportDataMapDeps {
  source: MagentoMapSource;
  sink: DataMapSink;
  table?: DataMapTable | undefined;
  financial?: FinancialRecordsSource | undefined;
  contacts?: ContactVault | undefined;
  emailHmac: (normalisedEmail: string) => string;
  hmacKeyId: string;
  now: () => string;
}

export interface ExportDataMapInput {
  mode: 'full' | 'incremental';
  batchSize?: number;
  storeContacts?: boolean;
  defaultLocale?: string;
}

export interface ExportDataMapOutput {
  mode: 'full' | 'incremental';
  since: string | null;
  watermark: string | null;
  /** Records written by this run (rewrites included). */
  customers: number;
  guests: number;
  /** Of those, records new to the map (created after the previous watermark). */
  added: { customers: number; guests: number };
  files: string[];
}

export async function exportDataMap(
  deps: ExportDataMapDeps,
  input: ExportDataMapInput,
): Promise<ExportDataMapOutput> {
  const batchSize = input.batchSize ?? 1000;
  const prev = input.mode === 'incremental' ? await deps.sink.readManifest() : undefined;
  const mode = prev ? 'incremental' : 'full';
  const since = prev?.watermark ?? null;
  const stamp = deps.now().replace(/[-:.]/g, '').replace(/Z$/, '');
  const prefix = mode === 'full' ? `full-${stamp}` : `delta-${stamp}`;
  const written: string[] = [];
  let watermark = since;
  let customers = 0;
  let guests = 0;
  // rewrites of records already in the map do not add to its totals: only rows created after
  // the previous watermark are new
  const added = { customers: 0, guests: 0 };
  const isNew = (createdAt: string) => since === null || createdAt === '' || createdAt > since;
  let part = 0;
  const bump = (u: string) => {
    if (u && (watermark === null || u > watermark)) watermark = u;
  };
  // a full export also writes the index of the whole map as one snapshot: scope during an incident
  // then reads it instead of parsing every JSONL line
  const snapshot = mode === 'full' && deps.sink.writeIndex ? new MapIndex() : undefined;
  const emit = async (records: MapRecord[]) => {
    if (records.length === 0) return;
    const name = `${prefix}-${String(part++).padStart(5, '0')}.jsonl`;
    await deps.sink.writePart(name, records);
    for (const r of records) snapshot?.add(r);
    await deps.table?.putRecords(records);
    written.push(name);
  };
  const locale = input.defaultLocale ?? 'en';

  for await (const batch of deps.source.customers(since, batchSize)) {
    const records: MapRecord[] = [];
    for (const c of batch) {
      const email = c.email.trim().toLowerCase();
      const emailHmac = deps.emailHmac(email);
      const recipientId = customerRecipientId(c.customerId);
      const ledger = deps.financial?.ledgerAccounts(c.customerId, emailHmac) ?? [];
      records.push({
        v: 1,
        kind: 'customer',
        recipientId,
        customerId: c.customerId,
        websiteId: c.websiteId,
        emailHmac,
        country: c.country,
        region: c.region,
        hasVaultTokens: c.vaultTokens.length > 0,
        orders: c.orders,
        vaultTokens: c.vaultTokens,
        ledgerAccounts: ledger,
        updatedAt: c.updatedAt,
      });
      if (input.storeContacts && deps.contacts)
        await deps.contacts.put(recipientId, {
          email,
          firstname: c.firstname,
          locale,
          country: c.country,
          region: c.region,
        });
      bump(c.updatedAt);
      if (isNew(c.createdAt)) added.customers++;
    }
    customers += records.length;
    await emit(records);
  }
  for await (const batch of deps.source.guests(since, batchSize)) {
    const records: MapRecord[] = [];
    for (const g of batch) {
      const email = g.email.trim().toLowerCase();
      const emailHmac = deps.emailHmac(email);
      const recipientId = guestRecipientId(emailHmac);
      records.push({
        v: 1,
        kind: 'guest',
        recipientId,
        customerId: null,
        websiteId: null,
        emailHmac,
        country: g.country,
        region: g.region,
        hasVaultTokens: false,
        orders: g.orders,
        vaultTokens: [],
        ledgerAccounts: deps.financial?.ledgerAccounts(null, emailHmac) ?? [],
        updatedAt: g.updatedAt,
      });
      if (input.storeContacts && deps.contacts)
        await deps.contacts.put(recipientId, {
          email,
          firstname: g.firstname,
          locale,
          country: g.country,
          region: g.region,
        });
      bump(g.updatedAt);
      if (isNew(g.createdAt)) added.guests++;
    }
    guests += records.length;
    await emit(records);
  }
  const files = mode === 'full' ? written : [...(prev?.files ?? []), ...written];
  // deltas are appended after the files a previous snapshot covers, so it stays valid
  let index = mode === 'full' ? undefined : prev?.index;
  if (snapshot && deps.sink.writeIndex && written.length > 0) {
    const file = `_${prefix}-index.bin`; // `_`: Athena and Hive skip the file
    const meta: MapSnapshotMeta = { files: written };
    await deps.sink.writeIndex(file, snapshot.toBytes(meta));
    index = { file, covers: written.length };
  }
  const manifest: MapManifest = {
    v: 1,
    hmacKeyId: deps.hmacKeyId,
    generatedAt: deps.now(),
    watermark,
    files,
    customers: mode === 'full' ? customers : (prev?.customers ?? 0) + added.customers,
    guests: mode === 'full' ? guests : (prev?.guests ?? 0) + added.guests,
    ...(index ? { index } : {}),
  };
  await deps.sink.writeManifest(manifest);
  return { mode, since, watermark, customers, guests, added, files: written };
}
