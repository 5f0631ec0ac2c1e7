import { createHash } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { AlertSchema } from '#contracts/alert.ts';
import { BUS_NAME, DETAIL_TYPE, EVENT_SOURCE } from '#contracts/events.ts';
import { playbookActionOf } from '#domain/playbooks.ts';
import { signStripePayload } from '#domain/webhooks/stripe-signature.ts';
import { functionUrlEvent } from './function-url-event.ts';
import type { MagentoSeed } from './magento-db.ts';
import type { LocalRuntime } from './runtime.ts';
import type { Scenario } from './scenario.ts';

type Step = { event?: Record<string, unknown> };
type Injected = { statusCode: number; body: string };

/**
 * Drill injectors of the containment scenarios (used by infra/local/drill.ts):
 *  - `magento-log-batch`: a signed batch of the Magento log shipper through the real
 *    ingest-magento-log-batch handler (admin actions, export queue, tokens, admin logins);
 *  - `bus-alert`: a normalised Alert (validated by AlertSchema) put on the `tourniquet` bus with the
 *    real SDK, for signals that have no ingest handler yet (exposed training datasets).
 */
export const CONTAINMENT_INJECTORS: Record<
  string,
  (rt: LocalRuntime, step: Step, at: Date) => Promise<Injected>
> = {
  'magento-log-batch': async (rt, step) => {
    const body = JSON.stringify(step.event ?? {});
    const signature = signStripePayload(
      body,
      rt.secret('MagentoLogShipperSecret'),
      Math.floor(rt.clock.now().getTime() / 1000),
    );
    return (await rt.invokeFunction(
      'ingest-magento-log-batch',
      functionUrlEvent(body, { 'x-tourniquet-signature': signature }),
    )) as Injected;
  },
  'bus-alert': async (rt, step, at) => {
    const e = step.event ?? {};
    const raw = JSON.stringify(e);
    const alert = AlertSchema.parse({
      schemaVersion: 1,
      source: 'drill',
      severityHint: 'high',
      occurredAt: at.toISOString(),
      receivedAt: at.toISOString(),
      sourceEventId: String(e.alertId ?? ''),
      evidence: {
        sha256: createHash('sha256').update(raw).digest('hex'),
        bytes: Buffer.byteLength(raw),
      },
      drill: true,
      ...e,
    });
    const cfg = rt.awsConfig();
    const eb = new EventBridgeClient({
      region: cfg.region,
      credentials: cfg.credentials,
      endpoint: rt.endpoints.eventbridge,
    });
    try {
      const res = await eb.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: BUS_NAME,
              Source: EVENT_SOURCE.ingest,
              DetailType: DETAIL_TYPE.alert,
              Detail: JSON.stringify(alert),
            },
          ],
        }),
      );
      return {
        statusCode: res.FailedEntryCount ? 500 : 202,
        body: JSON.stringify({ alertId: alert.alertId }),
      };
    } finally {
      eb.destroy();
    }
  },
};

/** `seed` of a containment scenario: the Magento DB rows, host state, Adyen credentials, datasets. */
export interface ContainmentSeed {
  magentoDb?: MagentoSeed;
  magentoHost?: {
    config?: Record<string, string>;
    maintenance?: { active: boolean; ips?: string[] };
  };
  adyen?: {
    merchantId: string;
    credentials: Array<{ id: string; allowedOrigins?: string[]; active?: boolean }>;
  };
  /** WAFv2 IP set and web ACL the WAF lever updates (same refs as the `waf` lever configuration). */
  waf?: Parameters<LocalRuntime['storefront']['waf']['seed']>[0];
  /** Applications at the KYC vendor simulator (kyc.hold-applicant). */
  kyc?: { applications: Array<{ id: string; status: string }> };
  /** Objects put into a bucket created for the drill (training datasets). */
  s3?: Array<{ bucket: string; key: string; body?: string; tags?: Record<string, string> }>;
}

export async function seedContainment(rt: LocalRuntime, seed: ContainmentSeed): Promise<void> {
  const sf = rt.storefront;
  if (seed.magentoDb) await sf.magentoDb.seed(seed.magentoDb);
  if (seed.magentoHost) sf.magento.seed(seed.magentoHost);
  if (seed.waf) sf.waf.seed(seed.waf);
  if (seed.kyc) rt.kyc.seed(seed.kyc.applications);
  if (seed.adyen) {
    // Each credential's key is a local secret named `adyen-credential-key/<id>` (the scenario's
    // ADYEN_CONFIG points keySecretArn at it), so the lever can prove the old key now fails.
    sf.adyen.seed(
      seed.adyen.merchantId,
      seed.adyen.credentials.map((c) => {
        const key = `AQE_drill_${createHash('sha256').update(`${rt.stage}:${c.id}:${Math.random()}`).digest('hex').slice(0, 32)}`;
        rt.secrets[`adyen-credential-key/${c.id}`] = key;
        return { ...c, key };
      }),
    );
  }
  if (seed.s3?.length) {
    const s3 = rt.s3();
    try {
      const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
      for (const b of new Set(seed.s3.map((o) => o.bucket)))
        await s3.send(new CreateBucketCommand({ Bucket: b })).catch(() => undefined);
      for (const o of seed.s3)
        await s3.send(
          new PutObjectCommand({
            Bucket: o.bucket,
            Key: o.key,
            Body: o.body ?? 'synthetic training record\n',
          }),
        );
      // s3rver ignores x-amz-tagging on PutObject: tag with PutObjectTagging
      for (const o of seed.s3.filter((x) => x.tags))
        await s3.send(
          new PutObjectTaggingCommand({
            Bucket: o.bucket,
            Key: o.key,
            Tagging: {
              TagSet: Object.entries(o.tags!).map(([Key, Value]) => ({ Key, Value })),
            },
          }),
        );
    } finally {
      s3.destroy();
    }
  }
}

/** The part of infra/local/drill.ts DrillResult this module fills in (no import: no cycle). */
interface DrillResultPart {
  incidentId: string | null;
  passed: boolean;
  failures: string[];
  containment: Array<{ action: string; status: string; release?: unknown }>;
  simulatorCalls: object;
}

export interface ReleaseOutcome {
  action: string;
  status: string;
  restored?: number;
  reversible?: boolean;
  error?: string;
}

/**
 * Releases every executed reversible action of the incident through the real `apply-override`
 * handler (`release-action`, the console override path) and returns what each release restored.
 */
export async function releaseContainment(
  rt: LocalRuntime,
  incidentId: string,
): Promise<ReleaseOutcome[]> {
  const store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
  const out: ReleaseOutcome[] = [];
  for (const a of await store.listActions(incidentId)) {
    if (a.status !== 'executed') continue;
    try {
      const r = (await rt.invokeFunction('apply-override', {
        override: 'release-action',
        incidentId,
        action: a.action,
        approver: 'drill-operator',
        reason: 'drill: release containment at the end of the drill',
      })) as { restored?: number; reversible?: boolean };
      out.push({
        action: a.action,
        status: 'released',
        restored: r.restored ?? 0,
        reversible: r.reversible ?? true,
      });
    } catch (err) {
      out.push({
        action: a.action,
        status: 'release-failed',
        error: `${(err as Error).name}: ${(err as Error).message.split('\n')[0]}`,
      });
    }
  }
  return out;
}

/** With `--storefront down`, a scenario's `expectDown` replaces the containment that must execute. */
export function containmentExpectations(scenario: Scenario, storefront?: 'up' | 'down'): Scenario {
  if (storefront !== 'down' || !scenario.expectDown) return scenario;
  return {
    ...scenario,
    expect: { ...scenario.expect, containment: scenario.expectDown.containment, simulator: {} },
  };
}

/**
 * Containment part of a drill result: escalations expected with the storefront down, the
 * Magento host commands and Adyen calls the simulators recorded, and (scenario `release: true`)
 * the release of every executed action, verified against the pre-state where the drill can see it.
 */
export async function finishContainment(
  rt: LocalRuntime,
  scenario: Scenario,
  result: DrillResultPart,
  storefront: 'up' | 'down',
): Promise<void> {
  const sf = rt.storefront;
  const containment = result.containment;
  if (storefront === 'down') {
    for (const a of scenario.expectDown?.escalated ?? []) {
      const family = containment.filter((x) => playbookActionOf(x.action) === a);
      if (!family.length)
        result.failures.push(`containment ${a} did not run (expected an escalation)`);
      else if (family.some((x) => x.status === 'executed'))
        result.failures.push(`containment ${a} executed with the storefront down`);
    }
  }
  const calls = result.simulatorCalls as Record<string, unknown>;
  calls.magentoHost = sf.magento.commands.map((c) => ({
    instanceId: c.instanceId,
    command: c.args,
    exitCode: c.exitCode,
  }));
  calls.adyen = sf.adyen.calls.map((c) => ({ method: c.method, path: c.path, status: c.status }));
  calls.kyc = rt.kyc.calls.map((c) => ({ method: c.method, path: c.path, status: c.status }));
  if (scenario.release && result.incidentId) {
    const released = await releaseContainment(rt, result.incidentId);
    for (const r of released) {
      const entry = containment.find((x) => x.action === r.action);
      if (entry) entry.release = r;
      if (r.status === 'release-failed')
        result.failures.push(`release of ${r.action} failed (${r.error})`);
    }
  }
  result.passed = result.failures.length === 0;
}
