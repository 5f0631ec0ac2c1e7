import { LocalMagentoDatabase, type MagentoSeed } from './magento-db.ts';
import { S3PolicyProxy } from './s3-policy-proxy.ts';
import { AdyenSimulator } from './simulators/adyen.ts';
import { MagentoSimulator } from './simulators/magento.ts';
import { SsmStandIn } from './ssm-standin.ts';
import { WafV2StandIn } from './wafv2-standin.ts';

/** Instance ids the Magento simulator answers for (the `tourniquet:containment` magentoSsmTargets). */
export const LOCAL_MAGENTO_INSTANCES = ['i-0magento0000000a1', 'i-0magento0000000b2'];
/** The responder's own Adyen Management API credential (its key is the AdyenManagementApiKey secret). */
export const LOCAL_ADYEN_RESPONDER_CREDENTIAL = 'ws_tourniquet_responder';

export interface LocalStorefront {
  magento: MagentoSimulator;
  ssm: SsmStandIn;
  adyen: AdyenSimulator;
  magentoDb: LocalMagentoDatabase;
  /** s3rver fronted with a bucket-policy API, for the containment levers' S3 client. */
  s3Policies: S3PolicyProxy;
  /** WAFv2 IP sets and web ACLs (seeded per scenario/test). */
  waf: WafV2StandIn;
  endpoints: { magento: string; ssm: string; adyen: string; 'levers-s3': string; wafv2: string };
  /** Magento, its hosts, its database and the gateways: all unreachable for the functions. */
  setDown(): void;
  stop(): Promise<void>;
}

/**
 * The storefront side of the local runtime: the Magento simulator (storefront, REST, `bin/magento`
 * behind the SSM stand-in), a per-runtime Magento database on MariaDB behind a switchable proxy,
 * and the Adyen Management API simulator. `secrets` (the runtime's, by logical id) gets the Magento
 * DB credentials; the Adyen simulator accepts the responder's management key.
 */
export async function startStorefront(
  secrets: Record<string, string>,
  s3Endpoint: string,
  log?: (line: string) => void,
): Promise<LocalStorefront> {
  const s3Policies = new S3PolicyProxy(s3Endpoint);
  const waf = new WafV2StandIn();
  let wafUrl = '';
  const magento = new MagentoSimulator(LOCAL_MAGENTO_INSTANCES);
  const adyen = new AdyenSimulator();
  const magentoDb = new LocalMagentoDatabase();
  const ssm = new SsmStandIn(
    () => magento.url,
    () => magento.instanceIds,
  );
  const stops: Array<() => Promise<void>> = [];
  let ssmUrl = '';
  try {
    await magento.start();
    stops.push(() => magento.stop());
    await adyen.start();
    stops.push(() => adyen.stop());
    ssmUrl = await ssm.start();
    stops.push(() => ssm.stop());
    await magentoDb.start();
    stops.push(() => magentoDb.stop());
    await s3Policies.start();
    stops.push(() => s3Policies.stop());
    wafUrl = await waf.start();
    stops.push(() => waf.stop());
  } catch (err) {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    throw err;
  }
  if (!magentoDb.available)
    log?.(
      `Magento database unavailable (${magentoDb.unavailableReason}): database levers will escalate`,
    );
  for (const id of Object.keys(secrets)) {
    if (id.startsWith('MagentoDbSecret')) secrets[id] = JSON.stringify(magentoDb.credentials());
    if (id.startsWith('MagentoMediaListingDbSecret'))
      secrets[id] = JSON.stringify(magentoDb.listingCredentials());
    if (id.startsWith('AdyenManagementApiKey'))
      adyen.seed('DrillMerchantECOM', [
        { id: LOCAL_ADYEN_RESPONDER_CREDENTIAL, key: secrets[id]!, management: true },
      ]);
  }
  return {
    magento,
    ssm,
    adyen,
    magentoDb,
    s3Policies,
    waf,
    endpoints: {
      wafv2: wafUrl,
      magento: magento.url,
      ssm: ssmUrl,
      adyen: adyen.url,
      'levers-s3': s3Policies.url,
    },
    setDown() {
      magento.mode = 'down';
      adyen.mode = 'down';
      magentoDb.proxy.setDown(true);
    },
    async stop() {
      for (const s of stops.reverse()) await s().catch(() => undefined);
    },
  };
}

export type { MagentoSeed };
