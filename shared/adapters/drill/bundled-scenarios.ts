import { type Scenario, ScenarioSchema } from '#contracts/scenario.ts';
import type { ScenarioCatalog } from '#ports/drill.ts';
import adminExportLeak from '../../../scenarios/admin-export-leak.json' with { type: 'json' };
import deepfakeCatalogImages from '../../../scenarios/deepfake-catalog-images.json' with {
  type: 'json',
};
import deepfakeKycUpload from '../../../scenarios/deepfake-kyc-upload.json' with { type: 'json' };
import extensionTokenAbuse from '../../../scenarios/extension-token-abuse.json' with {
  type: 'json',
};
import gatewayFraudBurst from '../../../scenarios/gateway-fraud-burst.json' with { type: 'json' };
import magentoCustomerExportLeak from '../../../scenarios/magento-customer-export-leak.json' with {
  type: 'json',
};
import restoreReexposesSyntheticData from '../../../scenarios/restore-reexposes-synthetic-data.json' with {
  type: 'json',
};
import syntheticTrainingSetLeak from '../../../scenarios/synthetic-training-set-leak.json' with {
  type: 'json',
};

/**
 * Every scenario of scenarios/ bundled into the function (esbuild inlines the JSON): scheduled
 * drills in AWS run exactly the files the local drills run. A test checks this list against the folder.
 */
export const BUNDLED_SCENARIOS: Record<string, unknown> = {
  'admin-export-leak': adminExportLeak,
  'deepfake-catalog-images': deepfakeCatalogImages,
  'deepfake-kyc-upload': deepfakeKycUpload,
  'extension-token-abuse': extensionTokenAbuse,
  'gateway-fraud-burst': gatewayFraudBurst,
  'magento-customer-export-leak': magentoCustomerExportLeak,
  'restore-reexposes-synthetic-data': restoreReexposesSyntheticData,
  'synthetic-training-set-leak': syntheticTrainingSetLeak,
};

export class BundledScenarios implements ScenarioCatalog {
  private readonly parsed = new Map<string, Scenario>();
  constructor(private readonly raw: Record<string, unknown> = BUNDLED_SCENARIOS) {}

  names(): string[] {
    return Object.keys(this.raw).sort();
  }

  get(name: string): Scenario | undefined {
    const hit = this.parsed.get(name);
    if (hit) return hit;
    if (!Object.hasOwn(this.raw, name)) return undefined;
    const s = ScenarioSchema.parse(this.raw[name]);
    this.parsed.set(name, s);
    return s;
  }
}
