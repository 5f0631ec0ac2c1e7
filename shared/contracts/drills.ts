import { z } from 'zod';
import type { RegulatoryDrillDelivery } from './regulatory-workflow.ts';

/** Detail-type of the event a drill schedule puts on the bus (source `tourniquet.drill`). */
export const DRILL_REQUESTED = 'DrillRequested';

/** Where drill reports go in the evidence bucket (`drill-reports/<date>/<run id>.{md,html,json}`). */
export const DRILL_REPORTS_PREFIX = 'drill-reports/';

/** Environment of the drill functions and of the lever functions' drill mode. */
export const DRILL_ENV = {
  /** JSON (DrillSandboxEnvSchema): the sandbox endpoints and secrets lever adapters use for drill incidents. */
  sandbox: 'DRILL_SANDBOX',
  /** Evidence bucket the drill reports are written to (under DRILL_REPORTS_PREFIX). */
  reportsBucket: 'EVIDENCE_BUCKET',
  busName: 'EVENT_BUS_NAME',
  /** JSON (DrillNoticeSinkSchema) of send-customer-notices: where a drill incident's notices go. */
  noticeSink: 'DRILL_NOTICE_SINK',
  /** run-drill's targets of the injections that put data in AWS (all optional: absent = not injected). */
  mediaBucket: 'DRILL_MEDIA_BUCKET',
  scopeBucket: 'DRILL_SCOPE_BUCKET',
  assessScopeFunction: 'DRILL_ASSESS_SCOPE_FUNCTION',
  scanMediaStateMachineArn: 'DRILL_SCAN_MEDIA_STATE_MACHINE_ARN',
  recoverStateMachineArn: 'DRILL_RECOVER_STATE_MACHINE_ARN',
  fingerprintKeySecretArn: 'DRILL_FINGERPRINT_KEY_SECRET_ARN',
  /** JSON (DrillRecoverySourceSchema): the drill-owned restore source of `recovery-restore`. */
  recoverySource: 'DRILL_RECOVERY_SOURCE',
} as const;

/**
 * Drill media live under `drill/<run id>/` of the media bucket: the production S3 trigger
 * ignores the prefix (a drill object never opens a production incident); run-drill announces
 * each upload as a drill (`MediaUploaded`, `drill: true`) or scans it with `drill: true`.
 */
export const DRILL_MEDIA_PREFIX = 'drill/';
/** Leaked files of drills: `leaks/drill/<run id>/<file>` in the scope bucket. */
export const DRILL_LEAK_PREFIX = 'leaks/drill/';
/** Object tags of every drill artefact run-drill writes. */
export const DRILL_TAG = 'tourniquet:drill';
export const DRILL_RUN_TAG = 'tourniquet:drill-run';

/**
 * The restore source of a drill's `recovery-restore` step: a drill-owned DynamoDB table or
 * Magento database (RDS snapshot) holding the scenario's rows; never a production resource
 * (the name must say `drill`).
 */
export const DrillRecoverySourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('dynamodb'),
    source: z.string().regex(/drill/i, 'a drill restore source is named as a drill resource'),
    restoreTime: z.iso.datetime().optional(),
  }),
  z.strictObject({
    kind: z.literal('magento-db'),
    source: z.string().regex(/drill/i, 'a drill restore source is named as a drill resource'),
    snapshotId: z.string().regex(/drill/i, 'a drill snapshot is named as a drill resource'),
  }),
]);
export type DrillRecoverySource = z.infer<typeof DrillRecoverySourceSchema>;

/** The SES mailbox simulator: accepted and answered by SES, never delivered to a person. */
export const SES_SIMULATOR = {
  success: 'success@simulator.amazonses.com',
  bounce: 'bounce@simulator.amazonses.com',
  complaint: 'complaint@simulator.amazonses.com',
  suppressed: 'suppressionlist@simulator.amazonses.com',
} as const;

/**
 * Customer notices of a drill incident: every message goes to one of `recipients` (in turn,
 * by position in the batch) instead of the customer, through the drill configuration set.
 */
export const DrillNoticeSinkSchema = z.strictObject({
  recipients: z.array(z.email()).min(1).max(10),
  configurationSet: z.string().min(1).optional(),
});
export type DrillNoticeSink = z.infer<typeof DrillNoticeSinkSchema>;

/** An address that refuses every connection: storefront-side adapters of `storefront: down` drills. */
export const UNREACHABLE_ENDPOINT = 'http://127.0.0.1:9';

export const DrillSandboxSchema = z
  .strictObject({
    stripeApiBase: z.url(),
    /** Drills use test-mode keys only (sk_test_… / rk_test_…); the adapter refuses any other key. */
    stripeKeyMode: z.literal('test'),
    /** Webhook endpoints of the Stripe test account that are ours (never disabled by a drill). */
    stripeKnownWebhookUrls: z.array(z.url()).default([]),
    adyenApiBase: z
      .url()
      .refine((u) => u.includes('-test.'), 'Adyen drills use the test environment'),
    braintreeEnvironment: z.literal('sandbox'),
    kycVendorBase: z.url(),
    /** SES configuration set of drill notices (created by the drill stack, `<name>-<stage>`). */
    sesConfigurationSet: z.string().min(1),
    /**
     * Where drill customer notices go instead of the customers: the SES mailbox simulator
     * (`success@` / `bounce@simulator.amazonses.com`) or a drill mailbox of ours.
     */
    customerNoticeRecipients: z.array(z.email()).min(1).max(10).default([SES_SIMULATOR.success]),
    /** Regulator notices of drill cases: `dry-run` (filed, never sent) or the drill mailbox below. */
    regulatorDelivery: z.enum(['dry-run', 'drill-recipient']).default('dry-run'),
    regulatorDrillRecipient: z.email().optional(),
    magentoBaseUrl: z.url(),
    /**
     * Lever configuration of drill-owned resources, by environment name (e.g. `WAF_CONFIG` naming a
     * drill IP set, `TRAINING_PIPELINE` naming a drill pipeline). Production lever configuration is
     * never used for a drill incident: a lever absent here is "not configured" and escalates.
     */
    leverEnv: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string()).default({}),
    /** Restore source of `recovery-restore` drills (absent: that step is reported as not injected). */
    recovery: DrillRecoverySourceSchema.optional(),
  })
  .refine((s) => s.regulatorDelivery === 'dry-run' || s.regulatorDrillRecipient !== undefined, {
    message: "regulatorDelivery 'drill-recipient' needs regulatorDrillRecipient",
    path: ['regulatorDrillRecipient'],
  });
export type DrillSandbox = z.infer<typeof DrillSandboxSchema>;

/** The regulatory stack's delivery of drill cases, from the drill sandbox. */
export function regulatoryDrillDelivery(sb: DrillSandbox): RegulatoryDrillDelivery {
  return sb.regulatorDelivery === 'drill-recipient' && sb.regulatorDrillRecipient
    ? { mode: 'drill-recipient', to: sb.regulatorDrillRecipient }
    : { mode: 'dry-run' };
}

/**
 * Drill configuration (config/drills.json): EventBridge Scheduler expressions per scenario and the
 * sandbox / dry-run / simulator endpoints every side-effecting adapter uses in drill mode.
 */
export const DrillConfigSchema = z.strictObject({
  schedules: z.array(
    z.strictObject({
      scenario: z.string().regex(/^[a-z0-9-]+$/),
      expression: z.string().regex(/^(cron|rate|at)\(.+\)$/),
      storefront: z.enum(['up', 'down']).default('up'),
    }),
  ),
  timezone: z.string().default('UTC'),
  /** How long a drill waits after its last injection before it is scored (and between re-checks). */
  settleSeconds: z.number().int().min(30).max(3600).default(300),
  /** Re-checks before a drill that has not settled is scored as it stands. */
  maxSettleChecks: z.number().int().min(1).max(48).default(12),
  sandbox: DrillSandboxSchema,
});
export type DrillConfig = z.infer<typeof DrillConfigSchema>;

/** Detail of `DrillRequested` (what each schedule puts on the bus). */
export const DrillRequestedSchema = z.object({
  scenario: z.string().regex(/^[a-z0-9-]+$/),
  storefront: z.enum(['up', 'down']).default('up'),
  drill: z.literal(true),
  settleSeconds: z.number().int().min(0).max(3600).default(300),
  maxSettleChecks: z.number().int().min(1).max(48).default(12),
  sandbox: z.record(z.string(), z.unknown()).optional(),
  bus: z.string().optional(),
});
export type DrillRequested = z.infer<typeof DrillRequestedSchema>;

/**
 * DRILL_SANDBOX of the lever functions: the drill sandbox plus the ARNs of the drill's own secrets
 * (set by the CDK app). The Stripe key secret must hold a test-mode key.
 */
export const DrillSandboxEnvSchema = z.object({
  stripeApiBase: z.url(),
  stripeKeySecretArn: z.string().min(1),
  stripeKnownWebhookUrls: z.array(z.string()).default([]),
  adyenApiBase: z.url(),
  adyenKeySecretArn: z.string().min(1).optional(),
  magentoDbSecretArn: z.string().min(1).optional(),
  kycVendorBase: z.url().optional(),
  kycKeySecretArn: z.string().min(1).optional(),
  leverEnv: z.record(z.string(), z.string()).default({}),
});
export type DrillSandboxEnv = z.infer<typeof DrillSandboxEnvSchema>;

const RUN_ID = /^([a-z0-9-]+)\.(up|down)\.(\d{8}t\d{6}z)$/;

/** A drill run id: `<scenario>.<storefront>.<yyyymmddThhmmssZ>` (lower case). */
export function drillRunId(scenario: string, storefront: 'up' | 'down', at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'z')
    .replace(/[-:]/g, '')
    .toLowerCase();
  return `${scenario}.${storefront}.${stamp}`;
}

/** Alert ids of a drill run are namespaced by the run, so a weekly drill never joins last week's incident. */
export function drillAlertId(runId: string, alertId: string): string {
  return `drill:${runId}:${alertId}`.slice(0, 200);
}

/** When a run started (its id carries the start, to the second). */
export function runStartedAt(runId: string): string | undefined {
  const m = RUN_ID.exec(runId)?.[3];
  if (!m) return undefined;
  const d = m.toUpperCase();
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}.000Z`;
}

/**
 * The drill run of an incident: from its founding alert id (`drill:<run id>:…`), or, for alerts
 * the system raised itself about drill media (check-media), from a correlation key naming an
 * object under `drill/<run id>/`.
 */
export function drillRunOf(incident: {
  alertIds: string[];
  correlationKeys?: string[];
}): ReturnType<typeof parseDrillAlertId> {
  const byAlert = parseDrillAlertId(incident.alertIds[0]);
  if (byAlert) return byAlert;
  for (const k of incident.correlationKeys ?? []) {
    const m = /\/drill\/([a-z0-9-]+\.(?:up|down)\.\d{8}t\d{6}z)\//.exec(k);
    if (m) return parseDrillAlertId(`drill:${m[1]}:`);
  }
  return undefined;
}

/** The run an alert id belongs to (undefined for alerts not injected by a drill run). */
export function parseDrillAlertId(
  alertId: string | undefined,
): { runId: string; scenario: string; storefront: 'up' | 'down' } | undefined {
  if (!alertId?.startsWith('drill:')) return undefined;
  const runId = alertId.slice('drill:'.length).split(':')[0] ?? '';
  const m = RUN_ID.exec(runId);
  if (!m) return undefined;
  return { runId, scenario: m[1]!, storefront: m[2] as 'up' | 'down' };
}

/** One planned injection of a drill run (the drill state machine's Map items). */
export const DrillStepSchema = z.object({
  index: z.number().int().nonnegative(),
  via: z.string(),
  /** Seconds to wait before this injection (offset from the previous one). */
  waitSeconds: z.number().int().nonnegative(),
});

export const DrillRunSchema = z.object({
  runId: z.string().regex(RUN_ID),
  scenario: z.string().regex(/^[a-z0-9-]+$/),
  storefront: z.enum(['up', 'down']),
  startedAt: z.iso.datetime(),
  settleSeconds: z.number().int().nonnegative(),
  maxSettleChecks: z.number().int().min(1),
  checks: z.number().int().nonnegative().default(0),
});
export type DrillRun = z.infer<typeof DrillRunSchema>;

export const DrillInjectedSchema = z.object({
  index: z.number().int().nonnegative(),
  via: z.string(),
  injected: z.boolean(),
  alertIds: z.array(z.string()).default([]),
  /**
   * Correlation keys of the incident the injection must raise when the system raises the alert
   * itself (check-media on drill media: `mediaObject:s3://…`); score-drill looks them up.
   */
  incidentKeys: z.array(z.string()).default([]),
  reason: z.string().optional(),
  /** What this injection can and cannot reproduce in AWS (account fixtures, operator steps). */
  notes: z.array(z.string()).default([]),
});
export type DrillInjected = z.infer<typeof DrillInjectedSchema>;

/** Input of run-drill: plan a run from a DrillRequested event, or inject one of its steps. */
export const RunDrillInputSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('prepare'),
    executionId: z.string().optional(),
    request: DrillRequestedSchema,
  }),
  z.object({
    op: z.literal('inject'),
    runId: z.string().regex(RUN_ID),
    scenario: z.string().regex(/^[a-z0-9-]+$/),
    index: z.number().int().nonnegative(),
  }),
]);

/** Input of score-drill: the run and what each injection delivered (Map output; failed steps as errors). */
export const ScoreDrillInputSchema = z.object({
  run: DrillRunSchema,
  injected: z.array(
    z.union([
      DrillInjectedSchema,
      z.object({
        index: z.number().int().nonnegative(),
        error: z.object({ Error: z.string(), Cause: z.string().optional() }),
      }),
    ]),
  ),
});
