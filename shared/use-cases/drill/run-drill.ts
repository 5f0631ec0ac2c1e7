import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { type Alert, AlertSchema } from '#contracts/alert.ts';
import {
  DRILL_LEAK_PREFIX,
  DRILL_MEDIA_PREFIX,
  DRILL_RUN_TAG,
  DRILL_TAG,
  type DrillInjected,
  type DrillRecoverySource,
  type DrillRequested,
  type DrillRun,
  drillAlertId,
  drillRunId,
  runStartedAt,
} from '#contracts/drills.ts';
import { DETAIL_TYPE, EVENT_SOURCE } from '#contracts/events.ts';
import { MediaItemSchema } from '#contracts/media.ts';
import type { Scenario } from '#contracts/scenario.ts';
import { CUSTOMER_EXPORT_COLUMNS, customerExportLines } from '#domain/drill/scope-fixtures.ts';
import { fingerprint } from '#domain/recovery/scan.ts';
import { signStripePayload } from '#domain/webhooks/stripe-signature.ts';
import type { Clock } from '#ports/clock.ts';
import type {
  DrillImageSpec,
  DrillMediaFixtures,
  DrillObjectWriter,
  DrillWorkflows,
  ScenarioCatalog,
} from '#ports/drill.ts';
import type { EventPublisher } from '#ports/event-publisher.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import { NonRetryableError, RetryableError } from '#runtime/errors.ts';
import type { VerifyOutcome, WebhookRequest } from '../ingest-webhook.ts';
import { magentoLogVerifier } from '../verify-magento-log.ts';
import { stripeVerifier } from '../verify-stripe.ts';

/** Drill-only resources the data injections write to and the workflows they start. */
export interface DrillAwsTargets {
  mediaBucket?: string | undefined;
  scopeBucket?: string | undefined;
  assessScopeFunction?: string | undefined;
  scanMediaStateMachineArn?: string | undefined;
  recoverStateMachineArn?: string | undefined;
  /** config/drills.json `sandbox.recovery`: the drill-owned restore source. */
  recovery?: DrillRecoverySource | undefined;
  /** The recovery gate's fingerprint key (exposed records of the drill), read on use. */
  fingerprintKey?: (() => Promise<string>) | undefined;
}

export interface DrillRunnerDeps {
  scenarios: ScenarioCatalog;
  publisher: EventPublisher;
  clock: Clock;
  /** Secret for signing the drill's own copy of a webhook body (the real verifier then checks it). */
  signingSecret?: () => string;
  /**
   * The data injections (generated media, leaked files, restores) against drill-only resources;
   * without them those steps are reported as not injected.
   */
  data?: {
    objects: DrillObjectWriter;
    workflows: DrillWorkflows;
    fixtures: DrillMediaFixtures;
    incidents: Pick<IncidentStore, 'alertClaim' | 'findIncidentByKeys'>;
    targets: DrillAwsTargets;
  };
}

type Step = Scenario['inject'][number];
type Data = NonNullable<DrillRunnerDeps['data']>;

/** Signals that enter as an Alert on the bus, through the same verifier + normaliser as ingest. */
export const ALERT_INJECTIONS = ['alert-event', 'bus-alert', 'stripe-webhook', 'magento-log-batch'];
/**
 * Injections that put drill data into AWS and let the real workflows find it: generated media
 * under `drill/<run id>/` of the media bucket (announced as drill uploads, or scanned with
 * scan-media), a generated leaked file under `leaks/drill/<run id>/` (assess-scope), and a
 * restore of the configured drill source (the recover state machine). Never production data.
 */
export const DATA_INJECTIONS = [
  'media-upload',
  'media-gallery-scan',
  'leaked-file',
  'recovery-restore',
];
export const AWS_INJECTABLE = [...ALERT_INJECTIONS, ...DATA_INJECTIONS];

/** Plans a drill run from a DrillRequested event: run id, the waits between injections. */
export function prepareDrill(
  deps: Pick<DrillRunnerDeps, 'scenarios' | 'clock'>,
  request: DrillRequested,
): { run: DrillRun; steps: Array<{ index: number; via: string; waitSeconds: number }> } {
  const scenario = deps.scenarios.get(request.scenario);
  if (!scenario)
    throw new NonRetryableError(
      `unknown scenario '${request.scenario}' (known: ${deps.scenarios.names().join(', ')})`,
    );
  const now = deps.clock.now();
  let previous = 0;
  const steps = scenario.inject.map((s, index) => {
    const waitSeconds = Math.max(0, Math.round(s.offsetSeconds - previous));
    previous = Math.max(previous, s.offsetSeconds);
    return { index, via: s.via, waitSeconds };
  });
  return {
    run: {
      runId: drillRunId(scenario.name, request.storefront, now),
      scenario: scenario.name,
      storefront: request.storefront,
      startedAt: now.toISOString(),
      settleSeconds: request.settleSeconds,
      maxSettleChecks: request.maxSettleChecks,
      checks: 0,
    },
    steps,
  };
}

/** Delivers one injection of a drill run; every alert it puts on the bus is `drill: true`. */
export async function injectDrillStep(
  deps: DrillRunnerDeps,
  input: { runId: string; scenario: string; index: number },
): Promise<DrillInjected> {
  const scenario = deps.scenarios.get(input.scenario);
  if (!scenario) throw new NonRetryableError(`unknown scenario '${input.scenario}'`);
  const step = scenario.inject[input.index];
  if (!step)
    throw new NonRetryableError(`scenario ${scenario.name} has no injection ${input.index}`);
  const effective: Step =
    step.replayOf !== undefined ? (scenario.inject[step.replayOf] ?? step) : step;
  const base = { index: input.index, via: step.via, incidentKeys: [], notes: [] };
  if (DATA_INJECTIONS.includes(effective.via)) return injectData(deps, scenario, input, effective);
  if (!ALERT_INJECTIONS.includes(effective.via))
    return {
      ...base,
      injected: false,
      alertIds: [],
      reason: `'${effective.via}' is not a known injection; not injectable in AWS`,
    };
  const now = deps.clock.now();
  const sourceIndex = step.replayOf ?? input.index;
  const alerts = (await alertsOf(deps, effective, sourceIndex, now)).map((a) =>
    AlertSchema.parse({ ...a, alertId: drillAlertId(input.runId, a.alertId), drill: true }),
  );
  if (alerts.some((a) => a.drill !== true))
    throw new NonRetryableError('a drill injection produced a non-drill alert');
  await deps.publisher.publish(
    alerts.map((detail) => ({
      source: EVENT_SOURCE.drill,
      detailType: DETAIL_TYPE.alert,
      detail: detail as unknown as Record<string, unknown>,
    })),
  );
  return { ...base, injected: true, alertIds: alerts.map((a) => a.alertId) };
}

async function alertsOf(
  deps: DrillRunnerDeps,
  step: Step,
  index: number,
  now: Date,
): Promise<Alert[]> {
  const e = step.event ?? {};
  const raw = JSON.stringify(e);
  const evidence = {
    sha256: createHash('sha256').update(raw).digest('hex'),
    bytes: Buffer.byteLength(raw),
  };
  if (step.via === 'alert-event' || step.via === 'bus-alert') {
    const id = typeof e.alertId === 'string' ? e.alertId : `step-${index}`;
    return [
      AlertSchema.parse({
        schemaVersion: 1,
        source: 'drill',
        severityHint: 'high',
        occurredAt: now.toISOString(),
        receivedAt: now.toISOString(),
        sourceEventId: id,
        summary: String(e.summary ?? e.kind ?? 'drill alert'),
        correlationKeys: {},
        evidence,
        ...e,
        alertId: id,
        drill: true,
      }),
    ];
  }
  const secret = deps.signingSecret?.() ?? randomBytes(32).toString('hex');
  const ts = Math.floor(now.getTime() / 1000);
  if (step.via === 'stripe-webhook') {
    const body = JSON.stringify({ ...e, created: ts });
    return fromOutcome(
      stripeVerifier(secret, true)(
        signed('stripe', body, 'stripe-signature', signStripePayload(body, secret, ts)),
        evidence,
        now,
      ),
    );
  }
  // magento-log-batch: the log shipper signs like Stripe
  const body = JSON.stringify(e);
  return fromOutcome(
    await magentoLogVerifier({ secret, drill: true, firstSeen: async () => true })(
      signed('magento-log', body, 'x-tourniquet-signature', signStripePayload(body, secret, ts)),
      evidence,
      now,
    ),
  );
}

const signed = (source: string, body: string, header: string, sig: string): WebhookRequest => ({
  source,
  headers: { [header]: sig, 'content-type': 'application/json' },
  rawBody: Buffer.from(body),
  method: 'POST',
});

function fromOutcome(o: VerifyOutcome): Alert[] {
  if (o.kind === 'alert') return [o.alert];
  if (o.kind === 'alerts') return o.items.map((i) => i.alert);
  if (o.kind === 'ignored') return [];
  throw new NonRetryableError(
    `drill injection rejected by the verifier: ${o.kind === 'reject' ? o.reason : o.statusCode}`,
  );
}

// ---------------------------------------------------------------- data injections

const ImageSpecSchema = z.looseObject({
  format: z.enum(['jpeg', 'png']).optional(),
  width: z.number().int().min(8).max(4096).optional(),
  height: z.number().int().min(8).max(4096).optional(),
  seed: z.number().int().optional(),
  noise: z.boolean().optional(),
  quality: z.number().int().min(1).max(100).optional(),
  xmp: z
    .object({
      dst: z.string(),
      form: z.enum(['attribute', 'element']),
      creatorTool: z.string().optional(),
    })
    .optional(),
  software: z.string().optional(),
  c2pa: z.string().optional(),
  /** Rekognition stand-in answer (local runtime only). */
  rekognition: z.unknown().optional(),
});
type ImageSpec = z.infer<typeof ImageSpecSchema>;
const MediaUploadSchema = z.object({
  key: z.string().min(1).max(900),
  purpose: z.enum(['kyc-selfie', 'kyc-document', 'catalog']).default('catalog'),
  applicant: z.string().max(128).optional(),
  image: ImageSpecSchema,
  reference: z.object({ key: z.string().min(1).max(900), image: ImageSpecSchema }).optional(),
});
const GalleryScanSchema = z.object({
  prefix: z.string().max(700),
  count: z.number().int().min(1).max(1000),
  synthetic: z.array(z.number().int().nonnegative()).default([]),
  syntheticImage: ImageSpecSchema,
  genuineImage: ImageSpecSchema,
});
const LeakedFileSchema = z.object({
  people: z.number().int().positive().max(100_000).optional(),
  leaked: z.number().int().positive().max(100_000).default(100),
  fileName: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,120}$/)
    .default('customer_20261129_101500.csv'),
});
const RecoveryRowsSchema = z.object({
  rows: z
    .array(z.looseObject({ table: z.string(), email: z.string(), exposed: z.boolean().optional() }))
    .default([]),
});

const drillTags = (runId: string) => ({ [DRILL_TAG]: 'true', [DRILL_RUN_TAG]: runId });
const execName = (runId: string, index: number) =>
  `drill-${runId.replace(/[^A-Za-z0-9-]/g, '-')}-${index}`.slice(0, 80);
const mediaBase = (runId: string) => `${DRILL_MEDIA_PREFIX}${runId}/`;
const galleryKey = (prefix: string, i: number, format?: string) =>
  `${prefix}sku-${String(i).padStart(4, '0')}.${format === 'png' ? 'png' : 'jpg'}`;
const contentType = (spec: ImageSpec) => (spec.format === 'png' ? 'image/png' : 'image/jpeg');

function imageOf(spec: ImageSpec): DrillImageSpec {
  const { rekognition: _local, ...rest } = spec;
  return rest as DrillImageSpec;
}

/** The correlation keys of the incident a media injection must raise (its flagged objects). */
function mediaKeysOf(step: Step, runId: string, bucket: string): string[] {
  const key = (k: string) => `mediaObject:s3://${bucket}/${mediaBase(runId)}${k}`;
  if (step.via === 'media-upload') return [key(MediaUploadSchema.parse(step.event ?? {}).key)];
  if (step.via === 'media-gallery-scan') {
    const e = GalleryScanSchema.parse(step.event ?? {});
    return e.synthetic
      .filter((i) => i < e.count)
      .map((i) => key(galleryKey(e.prefix, i, e.syntheticImage.format)));
  }
  return [];
}

const REKOGNITION_NOTE =
  "the scenario's Rekognition answers are local stand-in fixtures; in AWS Rekognition analyses the generated image itself, so the verdict rests on its provenance declaration (XMP / C2PA)";

async function injectData(
  deps: DrillRunnerDeps,
  scenario: Scenario,
  input: { runId: string; index: number },
  step: Step,
): Promise<DrillInjected> {
  const notInjected = (reason: string): DrillInjected => ({
    index: input.index,
    via: step.via,
    injected: false,
    alertIds: [],
    incidentKeys: [],
    notes: [],
    reason,
  });
  const data = deps.data;
  if (!data) return notInjected('run-drill has no drill data targets configured');
  const t = data.targets;
  const ctx: InjectCtx = { deps, data, scenario, runId: input.runId, index: input.index, step };
  switch (step.via) {
    case 'media-upload':
      if (!t.mediaBucket) return notInjected('no media bucket (DRILL_MEDIA_BUCKET)');
      return mediaUpload(ctx, t.mediaBucket);
    case 'media-gallery-scan':
      if (!t.mediaBucket) return notInjected('no media bucket (DRILL_MEDIA_BUCKET)');
      if (!t.scanMediaStateMachineArn)
        return notInjected('no scan-media state machine (DRILL_SCAN_MEDIA_STATE_MACHINE_ARN)');
      return galleryScan(ctx, t.mediaBucket, t.scanMediaStateMachineArn);
    case 'leaked-file':
      if (!t.scopeBucket) return notInjected('no scope bucket (DRILL_SCOPE_BUCKET)');
      if (!t.assessScopeFunction)
        return notInjected('no assess-scope function (DRILL_ASSESS_SCOPE_FUNCTION)');
      return leakedFile(ctx, t.scopeBucket, t.assessScopeFunction);
    case 'recovery-restore': {
      if (!t.recovery)
        return notInjected(
          'no drill restore source configured (config/drills.json sandbox.recovery): a drill never restores a production table or snapshot',
        );
      if (!t.recoverStateMachineArn)
        return notInjected('no recover state machine (DRILL_RECOVER_STATE_MACHINE_ARN)');
      const rows = RecoveryRowsSchema.parse(step.event ?? {}).rows;
      if (rows.some((r) => r.exposed) && !t.fingerprintKey)
        return notInjected(
          'the scenario marks exposed records but run-drill has no fingerprint key (DRILL_FINGERPRINT_KEY_SECRET_ARN)',
        );
      return recoveryRestore(ctx, t.recovery, t.recoverStateMachineArn, rows);
    }
    default:
      return notInjected(`'${step.via}' is not a data injection`);
  }
}

interface InjectCtx {
  deps: DrillRunnerDeps;
  data: Data;
  scenario: Scenario;
  runId: string;
  index: number;
  step: Step;
}

const injected = (c: InjectCtx, incidentKeys: string[], notes: string[]): DrillInjected => ({
  index: c.index,
  via: c.step.via,
  injected: true,
  alertIds: [],
  incidentKeys,
  notes,
});

/** A generated upload (+ KYC reference) under drill/<run>/, announced as a drill `MediaUploaded`. */
async function mediaUpload(c: InjectCtx, bucket: string): Promise<DrillInjected> {
  const e = MediaUploadSchema.parse(c.step.event ?? {});
  const tags = drillTags(c.runId);
  const at = mediaBase(c.runId);
  const notes: string[] = [];
  if (e.image.rekognition !== undefined || e.reference?.image.rekognition !== undefined)
    notes.push(REKOGNITION_NOTE);
  let referenceKey: string | undefined;
  if (e.reference) {
    referenceKey = `${at}${e.reference.key}`;
    const ref = await c.data.fixtures.image(imageOf(e.reference.image));
    await c.data.objects.put(bucket, referenceKey, ref, {
      contentType: contentType(e.reference.image),
      tags,
    });
  }
  const key = `${at}${e.key}`;
  const bytes = await c.data.fixtures.image(imageOf(e.image));
  await c.data.objects.put(bucket, key, bytes, { contentType: contentType(e.image), tags });
  // announced like the ingest path announces a KYC upload, as a drill item
  const item = MediaItemSchema.parse({
    bucket,
    key,
    purpose: e.purpose,
    ...(e.applicant ? { applicant: e.applicant } : {}),
    ...(referenceKey ? { referenceKey } : {}),
    drill: true,
  });
  await c.deps.publisher.publish([
    {
      source: EVENT_SOURCE.drill,
      detailType: 'MediaUploaded',
      detail: item as unknown as Record<string, unknown>,
    },
  ]);
  if (e.applicant)
    notes.push(
      `kyc.hold-applicant acts at the KYC vendor sandbox (sandbox.kycVendorBase): application ${e.applicant} must exist there (account fixture; the local drill seeds the KYC simulator)`,
    );
  return injected(c, mediaKeysOf(c.step, c.runId, bucket), notes);
}

/** A generated gallery under drill/<run>/<prefix>, scanned by the real scan-media (drill: true). */
async function galleryScan(c: InjectCtx, bucket: string, machine: string): Promise<DrillInjected> {
  const e = GalleryScanSchema.parse(c.step.event ?? {});
  const tags = drillTags(c.runId);
  const prefix = `${mediaBase(c.runId)}${e.prefix}`;
  const genuine = await c.data.fixtures.image(imageOf(e.genuineImage));
  const synthetic = await c.data.fixtures.image(imageOf(e.syntheticImage));
  const flagged = new Set(e.synthetic);
  for (let i = 0; i < e.count; i++) {
    const spec = flagged.has(i) ? e.syntheticImage : e.genuineImage;
    await c.data.objects.put(
      bucket,
      galleryKey(prefix, i, spec.format),
      c.data.fixtures.variant(flagged.has(i) ? synthetic : genuine, `sku ${i} ${c.runId}`),
      { contentType: contentType(spec), tags },
    );
  }
  await c.data.workflows.startExecution(machine, execName(c.runId, c.index), {
    bucket,
    prefix,
    purpose: 'catalog',
    drill: true,
  });
  const notes: string[] = [];
  if (e.syntheticImage.rekognition !== undefined || e.genuineImage.rekognition !== undefined)
    notes.push(REKOGNITION_NOTE);
  const seed = (c.scenario.seed as { magentoDb?: Record<string, unknown[]> }).magentoDb;
  const rows = seed?.catalog_product_entity_media_gallery?.length ?? 0;
  if (rows > 0)
    notes.push(
      `media.disable-catalog-image acts on the drill staging Magento database (secret DrillMagentoStagingDb): it must hold the scenario's ${rows} gallery rows (seed.magentoDb; account fixture). Objects under ${prefix} map to gallery values relative to ${mediaBase(c.runId)}catalog/product`,
    );
  return injected(c, mediaKeysOf(c.step, c.runId, bucket), notes);
}

/** A generated leaked export under leaks/drill/<run>/, assessed by assess-scope for the drill incident. */
async function leakedFile(c: InjectCtx, bucket: string, fn: string): Promise<DrillInjected> {
  const e = LeakedFileSchema.parse(c.step.event ?? {});
  const incidentId = await incidentOfRun(c);
  const key = `${DRILL_LEAK_PREFIX}${c.runId}/${e.fileName}`;
  const cols = [...CUSTOMER_EXPORT_COLUMNS].reverse();
  const body = [...customerExportLines(cols, 0, e.leaked)].join('');
  await c.data.objects.put(bucket, key, body, {
    contentType: 'text/csv',
    tags: drillTags(c.runId),
  });
  // Scope from the file alone: the generated people are not in the production data map, and a
  // drill writes no map of its own (its contacts would share the production contact vault).
  const out = (await c.data.workflows.invoke(fn, {
    incidentId,
    leak: { bucket, key },
    useMap: false,
  })) as { affected?: { total?: number }; subjects?: unknown[]; confidence?: string } | null;
  return injected(
    c,
    [],
    [
      `assess-scope ran on ${key} for ${incidentId} without the data map: ${out?.affected?.total ?? '?'} affected, ${out?.subjects?.length ?? 0} jurisdiction(s), confidence ${out?.confidence ?? '?'}`,
      'no customer notices in AWS: the drill people are not in the production data map and run-drill writes no drill map; expect.customerNotifications is judged on the local runtime only',
    ],
  );
}

/** The recover state machine against the configured drill source, in drill mode. */
async function recoveryRestore(
  c: InjectCtx,
  src: DrillRecoverySource,
  machine: string,
  rows: z.infer<typeof RecoveryRowsSchema>['rows'],
): Promise<DrillInjected> {
  const incidentId = await incidentOfRun(c);
  const exposed = rows.filter((r) => r.exposed);
  const key = exposed.length ? await c.data.targets.fingerprintKey!() : '';
  const input = {
    incidentId,
    kind: src.kind,
    source: src.source,
    ...(src.kind === 'magento-db' ? { snapshotId: src.snapshotId } : {}),
    ...(src.kind === 'dynamodb' && src.restoreTime ? { restoreTime: src.restoreTime } : {}),
    drill: true,
    exposedFingerprints: exposed.map((r) => fingerprint(key, [r.email])),
  };
  const started = await c.data.workflows.startExecution(machine, execName(c.runId, c.index), input);
  return injected(
    c,
    [],
    [
      `recover started${started.started ? '' : ' (already running)'} for ${incidentId}: ${src.kind} restore of the drill source ${src.source}${src.kind === 'magento-db' ? ` from snapshot ${src.snapshotId}` : ''}; it must hold the scenario's ${rows.length} rows (account fixture; the local drill seeds them)`,
      'remediation and promotion wait for an operator in AWS (task tokens recovery.remediate:<restoreId> / recovery.promote:<restoreId>); until answered the drill scores the first scan and reports the restore as not promoted',
    ],
  );
}

/** The incident this run's earlier injections opened (retried until triage has claimed them). */
async function incidentOfRun(c: InjectCtx): Promise<string> {
  const now = c.deps.clock.now();
  const since = runStartedAt(c.runId) ?? '1970-01-01T00:00:00.000Z';
  for (let i = 0; i < c.index; i++) {
    const s = c.scenario.inject[i]!;
    const eff = s.replayOf !== undefined ? (c.scenario.inject[s.replayOf] ?? s) : s;
    if (ALERT_INJECTIONS.includes(eff.via)) {
      for (const a of await alertsOf(c.deps, eff, s.replayOf ?? i, now)) {
        const id = await c.data.incidents.alertClaim(drillAlertId(c.runId, a.alertId));
        if (id) return id;
      }
    } else if (c.data.targets.mediaBucket) {
      const keys = mediaKeysOf(eff, c.runId, c.data.targets.mediaBucket);
      const id = keys.length ? await c.data.incidents.findIncidentByKeys(keys, since) : undefined;
      if (id) return id;
    }
  }
  throw new RetryableError(
    `no incident of drill run ${c.runId} yet (injection ${c.index} needs one): triage has not claimed the earlier injections`,
  );
}
