import { type MediaRule, mediaObjectOf, mediaUri } from '#domain/recovery/media-refs.ts';
import type { SyntheticRegistry } from '#domain/recovery/registry.ts';
import {
  type FingerprintRule,
  type RestoredRecord,
  recordRef,
  type ScanFinding,
  scanRestored,
} from '#domain/recovery/scan.ts';
import type { Clock } from '#ports/clock.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import type {
  ExposureLedger,
  IsolatedRestorer,
  MediaVerdictSource,
  RestoreHandle,
  RestoreKind,
} from '#ports/recovery.ts';
import { NonRetryableError, RetryableError } from '#runtime/errors.ts';

export interface RecoveryDeps {
  store: IncidentStore;
  clock: Clock;
  restorers: Partial<Record<RestoreKind, IsolatedRestorer>>;
}

export interface StartRestoreInput {
  incidentId: string;
  kind: RestoreKind;
  source: string;
  restoreTime?: string | null;
  snapshotId?: string | null;
  drill?: boolean | null;
}

/** Name of the isolated copy: derived from the source, never equal to it, valid for every kind. */
export function isolatedTargetName(kind: RestoreKind, source: string, restoreId: string): string {
  const suffix = restoreId
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(-12);
  if (kind === 'dynamodb') return `${source.slice(0, 200)}-restore-${suffix}`;
  const base = source.toLowerCase().replace(/[^a-z0-9]/g, '');
  return kind === 'magento-db' && /^[a-z]/.test(base)
    ? `${base.slice(0, 30)}_restore_${suffix}`
    : `r${base.slice(0, 29)}_restore_${suffix}`;
}

const restorer = (deps: RecoveryDeps, kind: RestoreKind) => {
  const r = deps.restorers[kind];
  if (!r) throw new NonRetryableError(`no restorer configured for ${kind}`);
  return r;
};

export async function startIsolatedRestore(deps: RecoveryDeps, input: StartRestoreInput) {
  const at = deps.clock.now();
  const restoreId = `rst-${at.getTime().toString(36)}-${input.incidentId.slice(-8).toLowerCase()}`;
  const target = isolatedTargetName(input.kind, input.source, restoreId);
  if (target === input.source)
    throw new NonRetryableError('restore target equals the production source');
  const handle = await restorer(deps, input.kind).start({
    restoreId,
    source: input.source,
    target,
    ...(input.restoreTime ? { restoreTime: input.restoreTime } : {}),
    ...(input.snapshotId ? { snapshotId: input.snapshotId } : {}),
  });
  await deps.store.appendTimeline(input.incidentId, {
    type: 'recovery.gated',
    at: at.toISOString(),
    actor: 'recover',
    summary: `isolated ${input.kind} restore ${restoreId} started into ${target} (production ${input.source} untouched)`,
    data: { stage: 'restore-started', restoreId, kind: input.kind, source: input.source, target },
  });
  return { restoreId, kind: input.kind, source: input.source, target, status: handle.status };
}

export async function checkRestoreStatus(
  deps: RecoveryDeps,
  input: { kind: RestoreKind; target: string },
): Promise<RestoreHandle> {
  const h = await restorer(deps, input.kind).status(input.target);
  if (h.status === 'failed')
    throw new NonRetryableError(`restore ${input.target} failed: ${h.detail ?? 'unknown'}`);
  return h;
}

export interface ScanDeps extends RecoveryDeps {
  ledger: ExposureLedger;
  registry: SyntheticRegistry;
  fingerprintKey: string;
  fingerprintRules: FingerprintRule[];
  /** Magento tables read from a restored database. */
  tables: string[];
  /** Which restored records reference media (absent: none are treated as media). */
  mediaRules?: MediaRule[];
  /** Bucket of relative media paths (the deployment's media bucket). */
  mediaBucket?: string;
  /** check-media's recorded verdicts; without it every restored media record has none (blocks). */
  mediaVerdicts?: MediaVerdictSource;
}

export interface ScanRestoreInput {
  incidentId: string;
  restoreId: string;
  kind: RestoreKind;
  target: string;
  /** Fingerprints handed over by scope assessment (added to those in the exposure ledger). */
  exposedFingerprints?: string[] | null;
  /**
   * Extra media verdicts (recordRef → verdict); the scan also reads check-media's recorded
   * verdict of every restored media record itself, and the worse of the two counts.
   */
  mediaVerdicts?: Record<string, string> | null;
  attempt?: number | null;
}

const MAX_LISTED = 200;

/** Scans the isolated copy; the findings list (ids, hashes, removal statements) goes to the timeline. */
export async function scanRestoredData(deps: ScanDeps, input: ScanRestoreInput) {
  if ((input.attempt ?? 0) > 0) {
    // a rescan follows a confirmed remediation: close that request (the token is spent)
    const action = `recovery.remediate:${input.restoreId}`;
    const prev = await deps.store.getAction(input.incidentId, action);
    if (prev?.status === 'awaiting-approval') {
      const { pending: _spent, ...rest } = prev;
      await deps.store.putAction({
        ...rest,
        status: 'executed',
        result: { confirmed: true, rescan: (input.attempt ?? 0) + 1 },
        updatedAt: deps.clock.now().toISOString(),
      });
    }
  }
  const exposed = new Set([
    ...(await deps.ledger.list(input.incidentId)),
    ...(input.exposedFingerprints ?? []),
  ]);
  const records = [];
  try {
    for await (const r of restorer(deps, input.kind).read(input.target, deps.tables))
      records.push(r);
  } catch (err) {
    throw new RetryableError(
      `reading restored ${input.kind} ${input.target}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  const media = await restoredMedia(deps, records);
  const result = scanRestored({
    records,
    exposed,
    fingerprintKey: deps.fingerprintKey,
    fingerprintRules: deps.fingerprintRules,
    registry: deps.registry,
    mediaVerdicts: new Map(Object.entries(input.mediaVerdicts ?? {})),
    media,
  });
  const blocking = result.findings.filter((f) => f.blocking);
  const listed = (fs: ScanFinding[]) =>
    fs.slice(0, MAX_LISTED).map((f) => ({
      kind: f.kind,
      location: f.location,
      key: f.key,
      reason: f.reason,
      remove: f.remove,
    }));
  await deps.store.appendTimeline(input.incidentId, {
    type: 'recovery.gated',
    at: deps.clock.now().toISOString(),
    actor: 'recover',
    summary: result.blocked
      ? `restore ${input.restoreId} BLOCKED: ${result.counts.exposed} exposed, ${result.counts['synthetic-unregistered']} unregistered synthetic, ${blocking.filter((f) => f.kind === 'media').length} media finding(s) of ${result.scanned} record(s)`
      : `restore ${input.restoreId} clean: ${result.scanned} record(s) scanned, ${result.counts['synthetic-registered']} registered synthetic`,
    data: {
      stage: 'scanned',
      restoreId: input.restoreId,
      target: input.target,
      blocked: result.blocked,
      scanned: result.scanned,
      counts: result.counts,
      findings: listed(result.findings),
      truncated: result.findings.length > MAX_LISTED,
    },
  });
  return {
    restoreId: input.restoreId,
    kind: input.kind,
    target: input.target,
    blocked: result.blocked,
    scanned: result.scanned,
    counts: result.counts,
    /** Exactly what to remove before promotion. */
    remove: blocking.slice(0, MAX_LISTED).map((f) => f.remove),
    attempt: (input.attempt ?? 0) + 1,
  };
}

const VERDICT_LOOKUPS_IN_FLIGHT = 16;

/** The verdict check-media recorded for every media object a restored record references. */
async function restoredMedia(deps: ScanDeps, records: RestoredRecord[]) {
  const out = new Map<string, { object: string; verdict: string | null }>();
  if (!deps.mediaRules?.length) return out;
  const refs = new Map<string, string>();
  const objects = new Map<string, { bucket: string; key: string }>();
  for (const rec of records) {
    const o = mediaObjectOf(rec, deps.mediaRules, deps.mediaBucket);
    if (!o) continue;
    if (o === 'unresolved') {
      out.set(recordRef(rec), {
        object: `(${rec.location}: no media bucket configured)`,
        verdict: null,
      });
      continue;
    }
    refs.set(recordRef(rec), mediaUri(o));
    objects.set(mediaUri(o), o);
  }
  const verdicts = new Map<string, string | null>();
  const todo = [...objects.entries()];
  try {
    for (let i = 0; i < todo.length; i += VERDICT_LOOKUPS_IN_FLIGHT)
      await Promise.all(
        todo.slice(i, i + VERDICT_LOOKUPS_IN_FLIGHT).map(async ([uri, o]) => {
          verdicts.set(
            uri,
            deps.mediaVerdicts ? await deps.mediaVerdicts.verdict(o.bucket, o.key) : null,
          );
        }),
      );
  } catch (err) {
    throw new RetryableError(`reading media verdicts: ${(err as Error).message.split('\n')[0]}`);
  }
  for (const [ref, uri] of refs) out.set(ref, { object: uri, verdict: verdicts.get(uri) ?? null });
  return out;
}

/** Parks the promotion on a human approval: the task token goes to the action record, never the timeline. */
export async function requestRecoveryApproval(
  deps: RecoveryDeps,
  input: {
    incidentId: string;
    restoreId: string;
    target: string;
    taskToken: string;
    purpose: 'promotion' | 'remediation';
    remove?: string[];
  },
) {
  const at = deps.clock.now().toISOString();
  const action = `recovery.${input.purpose === 'promotion' ? 'promote' : 'remediate'}:${input.restoreId}`;
  await deps.store.putAction({
    incidentId: input.incidentId,
    action,
    status: 'awaiting-approval',
    preState: { target: input.target, ...(input.remove ? { remove: input.remove } : {}) },
    pending: { kind: 'approval', taskToken: input.taskToken, since: at },
    updatedAt: at,
  });
  await deps.store.appendTimeline(input.incidentId, {
    type: 'approval.requested',
    at,
    actor: 'recover',
    summary:
      input.purpose === 'promotion'
        ? `promotion of restore ${input.restoreId} awaits approval`
        : `restore ${input.restoreId} blocked: remove ${input.remove?.length ?? 0} record(s), then confirm for a rescan`,
    data: { action, restoreId: input.restoreId },
  });
  return { action, requested: true };
}

export interface PromoteInput {
  incidentId: string;
  restoreId: string;
  kind: RestoreKind;
  target: string;
  scan: { blocked: boolean; scanned: number };
  approval: { approver: string; decision?: string; reason?: string };
}

/** Promotion: only a clean scan with a recorded approver; records the cut-over target. */
export async function promoteRestore(deps: RecoveryDeps, input: PromoteInput) {
  if (input.scan.blocked)
    throw new NonRetryableError(`restore ${input.restoreId} is blocked; it cannot be promoted`);
  if (!input.approval?.approver || input.approval.decision === 'rejected')
    throw new NonRetryableError(`restore ${input.restoreId}: promotion needs an approver`);
  const at = deps.clock.now().toISOString();
  const action = `recovery.promote:${input.restoreId}`;
  const approver = input.approval.approver.slice(0, 120);
  await deps.store.putAction({
    incidentId: input.incidentId,
    action,
    status: 'executed',
    preState: { target: input.target, kind: input.kind },
    result: { promoted: input.target, scanned: input.scan.scanned },
    approval: {
      approver,
      outcome: 'approved',
      at,
      ...(input.approval.reason ? { reason: input.approval.reason.slice(0, 300) } : {}),
    },
    updatedAt: at,
  });
  await deps.store.appendTimeline(input.incidentId, {
    type: 'approval.granted',
    at,
    actor: `approver:${approver}`,
    summary: `promotion of restore ${input.restoreId} approved`,
    data: { action, restoreId: input.restoreId, approver },
  });
  await deps.store.appendTimeline(input.incidentId, {
    type: 'recovery.gated',
    at,
    actor: 'recover',
    summary: `restore ${input.restoreId} promoted: ${input.target} approved for cut-over by ${approver}`,
    data: { stage: 'promoted', restoreId: input.restoreId, target: input.target, approver },
  });
  return { restoreId: input.restoreId, promoted: true, target: input.target, approver };
}
