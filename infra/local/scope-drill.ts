import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { DynamoNotifyStore } from '#adapters/dynamo-notify-store.ts';
import { S3DataMapSink } from '#adapters/s3-scope-files.ts';
import { DRILL_ENV, DrillNoticeSinkSchema } from '#contracts/drills.ts';
import { IncidentFactsSchema } from '#contracts/incident-facts.ts';
import { TEMPLATE_CATALOG } from '#domain/notify/catalog.ts';
import { computeObligations } from '#domain/regulatory/index.ts';
import { normaliseEmail } from '#domain/scope/assess.ts';
import { emailHmacFn } from '#domain/scope/email-hash.ts';
import { contactVault } from '#runtime/notify-deps.ts';
import { approveTemplate } from '#use-cases/notify/notify-customers.ts';
import type { LocalRuntime } from './runtime.ts';
import {
  CUSTOMER_EXPORT_COLUMNS,
  customerExportLines,
  mapRecordFor,
  person,
  RESIDENCES,
} from './scope-fixtures.ts';

/**
 * Scope + customer notices on the local runtime (drill injector `leaked-file`, and tests):
 *  - the pre-incident state the exporter would have produced: the data map in the scope bucket,
 *    the encrypted contact vault, an earlier hard bounce on the suppression list;
 *  - the compliance officer's pre-approval of the notice templates (exact version + hash);
 *  - the leaked `customer_<Ymd_His>.csv` (generated fake people, EU countries and US states)
 *    uploaded under leaks/ and assessed by the real assess-scope function, whose ScopeAssessed
 *    event starts notify-customers (and the regulator workflow when it is deployed).
 */

export interface LeakSeed {
  /** People in the map (all with contacts). */
  people: number;
  /** People [0, leaked) appear in the leaked file. */
  leaked: number;
  /** Indexes of people whose address is on the suppression list. */
  suppressed?: number[];
  fileName?: string;
}

const env = (rt: LocalRuntime) => rt.functionEnv('send-customer-notices');

export async function seedDataMap(rt: LocalRuntime, seed: LeakSeed): Promise<void> {
  const e = env(rt);
  const hmac = emailHmacFn(
    await rt.runtimeConfig('send-customer-notices').secret(e.EMAIL_HMAC_SECRET_ARN!),
  );
  const s3 = rt.s3();
  try {
    const sink = new S3DataMapSink(s3, e.SCOPE_BUCKET!, 'data-map/');
    const people = Array.from({ length: seed.people }, (_, i) => person(i, RESIDENCES));
    await sink.writePart(
      'full-drill-00000.jsonl',
      people.map((p) => mapRecordFor(p, hmac)),
    );
    await sink.writeManifest({
      v: 1,
      hmacKeyId: 'email-hmac-v1',
      generatedAt: rt.clock.now().toISOString(),
      watermark: '2024-01-01 10:00:00',
      files: ['full-drill-00000.jsonl'],
      customers: people.length,
      guests: 0,
    });
    // written as the exporter writes it: data keys from the KMS stand-in (GenerateDataKey)
    const vault = contactVault(
      rt.runtimeConfig('export-data-map'),
      rt.tableName(),
      e.CONTACT_VAULT_KEY_ARN!,
    );
    for (const p of people)
      await vault.put(`c:${p.customerId}`, {
        email: p.email,
        firstname: p.firstname,
        locale: p.country === 'DE' ? 'de' : 'en',
        country: p.country,
        region: p.country === 'US' ? p.region : null,
      });
    const notify = new DynamoNotifyStore(rt.dynamo(), rt.tableName());
    for (const i of seed.suppressed ?? [])
      await notify.suppress(
        hmac(normaliseEmail(person(i).email)),
        'bounce',
        rt.clock.now().toISOString(),
      );
  } finally {
    s3.destroy();
  }
}

export async function approveCatalog(rt: LocalRuntime, approver = 'compliance-officer') {
  const notify = new DynamoNotifyStore(rt.dynamo(), rt.tableName());
  for (const t of TEMPLATE_CATALOG)
    await approveTemplate(
      { notify, clock: rt.clock },
      { templateId: t.id, version: t.version, approver },
    );
}

export async function uploadLeak(
  rt: LocalRuntime,
  seed: LeakSeed,
): Promise<{ bucket: string; key: string }> {
  const bucket = env(rt).SCOPE_BUCKET!;
  const cols = [...CUSTOMER_EXPORT_COLUMNS].reverse();
  const key = `leaks/${seed.fileName ?? 'customer_20261129_101500.csv'}`;
  const body = [...customerExportLines(cols, 0, seed.leaked)].join('');
  const s3 = rt.s3();
  try {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/csv' }),
    );
  } finally {
    s3.destroy();
  }
  return { bucket, key };
}

type Injected = { statusCode: number; body: string };

export const SCOPE_INJECTORS: Record<
  string,
  (rt: LocalRuntime, step: { event?: Record<string, unknown> }, at: Date) => Promise<Injected>
> = {
  'leaked-file': async (rt, step) => {
    const seed = { people: 120, leaked: 100, ...(step.event ?? {}) } as LeakSeed;
    await rt.idle();
    const store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
    const incident = (await store.listIncidents(1))[0];
    if (!incident) return { statusCode: 409, body: 'no incident to attach the leaked file to' };
    await seedDataMap(rt, seed);
    await approveCatalog(rt);
    const leak = await uploadLeak(rt, seed);
    const out = await rt.invokeFunction('assess-scope', {
      incidentId: incident.incidentId,
      leak,
    });
    return { statusCode: 200, body: JSON.stringify(out) };
  },
};

export interface ScopeDrillOutcome {
  scope: unknown;
  customerNotifications: {
    sent: number;
    failed: number;
    suppressed: number;
    /** Messages the SES stand-in received for this incident's recipients (drill: the sink). */
    delivered: number;
    /** Who the notices were addressed to: the customers, or (drill incidents) the drill sink. */
    addressedTo: 'customers' | 'drill-sink';
  };
  obligations: { total: number; regimes: string[] };
  failures: string[];
}

/** What the drill reports for scope and customer notices, read back from the stand-ins. */
export async function scoreScopeNotify(
  rt: LocalRuntime,
  incidentId: string,
  expect: { sent?: number; suppressed?: number; failed?: number; subjects?: number } | undefined,
): Promise<ScopeDrillOutcome | undefined> {
  const notify = new DynamoNotifyStore(rt.dynamo(), rt.tableName());
  const scope = await notify.getScope(incidentId);
  if (!scope && !expect) return undefined;
  const failures: string[] = [];
  if (!scope) failures.push('no scope was applied to the incident');
  const totals = await notify.getTotals(incidentId);
  const store = (await (await fetch(`${rt.endpoints.sesv2}/store`)).json()) as {
    emails: Array<{ destination: { to: string[] } }>;
  };
  // A drill incident's notices go to the configured drill sink (DRILL_NOTICE_SINK of
  // send-customer-notices, from config/drills.json): never to a customer's address.
  const drill = (await new DynamoIncidentStore(rt.dynamo(), rt.tableName()).getIncident(incidentId))
    ?.drill;
  const sinkRaw = rt.functionEnv('send-customer-notices')[DRILL_ENV.noticeSink];
  const sinks = sinkRaw ? DrillNoticeSinkSchema.parse(JSON.parse(sinkRaw)).recipients : [];
  const isCustomer = (a: string) => a.endsWith('@example.test');
  const toCustomers = store.emails.filter((m) => m.destination.to.some(isCustomer)).length;
  const toSink = store.emails.filter(
    (m) => m.destination.to.length > 0 && m.destination.to.every((a) => sinks.includes(a)),
  ).length;
  const delivered = drill ? toSink : toCustomers;
  const cn = {
    sent: totals?.sent ?? 0,
    failed: totals?.failed ?? 0,
    suppressed: totals?.suppressed ?? 0,
    delivered,
    addressedTo: drill ? ('drill-sink' as const) : ('customers' as const),
  };
  if (drill && sinks.length === 0)
    failures.push('customer notices: a drill incident but no drill sink is configured');
  if (drill && toCustomers > 0)
    failures.push(
      `customer notices: ${toCustomers} notice(s) of a drill incident addressed a customer instead of the drill sink`,
    );
  if (cn.sent !== delivered)
    failures.push(
      `customer notices: ${cn.sent} recorded as sent but ${delivered} in the SES stand-in${drill ? ' (drill sink)' : ''}`,
    );
  if (expect?.sent !== undefined && cn.sent !== expect.sent)
    failures.push(`expected ${expect.sent} customer notices sent, got ${cn.sent}`);
  if (expect?.suppressed !== undefined && cn.suppressed !== expect.suppressed)
    failures.push(`expected ${expect.suppressed} suppressed, got ${cn.suppressed}`);
  if (expect?.failed !== undefined && cn.failed !== expect.failed)
    failures.push(`expected ${expect.failed} failed, got ${cn.failed}`);
  if (expect?.subjects !== undefined && scope && scope.result.subjects.length !== expect.subjects)
    failures.push(
      `expected ${expect.subjects} jurisdictions in scope, got ${scope.result.subjects.length}`,
    );
  // Obligations recomputed with the engine from the scope's IncidentFacts-shaped fields.
  let obligations = { total: 0, regimes: [] as string[] };
  if (scope) {
    const r = computeObligations(
      drillFacts(incidentId, scope.assessedAt, scope.result.subjects, scope.result.dataCategories),
    );
    obligations = {
      total: r.obligations.length,
      regimes: [...new Set(r.obligations.map((o) => o.regime))].sort(),
    };
    if (r.obligations.length === 0) failures.push('no obligations computed from the scope');
  }
  return {
    scope: scope
      ? {
          subjects: scope.result.subjects,
          dataCategories: scope.result.dataCategories,
          affected: scope.result.affected,
          confidence: scope.result.confidence.level,
          recipients: scope.recipients,
        }
      : null,
    customerNotifications: cn,
    obligations,
    failures,
  };
}

function drillFacts(_incidentId: string, at: string, subjects: unknown, dataCategories: unknown) {
  // Validated like the CLI's input (IncidentFactsSchema) so a drift in shapes fails the drill.
  return IncidentFactsSchema.parse({
    entity: {
      name: 'Example Fintech GmbH',
      kinds: ['payment-institution'],
      country: 'DE',
      timezone: 'Europe/Berlin',
    },
    timeline: { awareAt: at },
    subjects,
    dataCategories,
  }) as Parameters<typeof computeObligations>[0];
}
