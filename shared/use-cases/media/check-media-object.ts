import { createHash } from 'node:crypto';
import type { Alert } from '#contracts/alert.ts';
import { DETAIL_TYPE, EVENT_SOURCE } from '#contracts/events.ts';
import type { MediaCheckOutput, MediaItem } from '#contracts/media.ts';
import type { Clock } from '#ports/clock.ts';
import type { EventPublisher } from '#ports/event-publisher.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import type { MediaCheck } from '#ports/media-check.ts';
import type { MediaObjects } from '#ports/media-objects.ts';

export const VERDICT_TAG = 'tourniquet:media-verdict';

export interface CheckMediaDeps {
  media: MediaCheck;
  objects: MediaObjects;
  publisher: EventPublisher;
  store: IncidentStore;
  clock: Clock;
  /** How long to wait for triage to open the incident before writing the timeline entry. */
  timelineWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/**
 * Checks one S3 object: classify → tag `tourniquet:media-verdict` → for synthetic or suspected
 * manipulation publish an `Alert` (kind `media.<verdict>`) so triage opens or updates the
 * `deepfake-media` incident → `media.checked` timeline entry on that incident.
 * Idempotent: the alert id derives from the object and its content hash.
 */
export async function checkMediaObject(
  deps: CheckMediaDeps,
  item: MediaItem & { gallery?: string },
): Promise<MediaCheckOutput> {
  const bytes = await deps.objects.get(item.bucket, item.key);
  const digest = sha(bytes);
  const reference =
    item.purpose === 'kyc-selfie' && item.referenceKey
      ? {
          bytes: await deps.objects.get(item.bucket, item.referenceKey),
          location: { bucket: item.bucket, key: item.referenceKey },
        }
      : undefined;
  const result = await deps.media.check({
    bytes,
    sha256: digest,
    location: { bucket: item.bucket, key: item.key },
    purpose: item.purpose,
    ...(reference ? { reference } : {}),
  });
  await deps.objects.putTags(item.bucket, item.key, { [VERDICT_TAG]: result.verdict });
  const signals = result.signals.filter((s) => s.effect !== 'info').map((s) => s.name);
  const flagged = result.verdict === 'synthetic' || result.verdict === 'suspected-manipulation';
  const out: MediaCheckOutput = {
    bucket: item.bucket,
    key: item.key,
    sha256: digest,
    verdict: result.verdict,
    signals,
    alerted: false,
  };
  const mediaObject = `s3://${item.bucket}/${item.key}`;
  const now = deps.clock.now().toISOString();
  const alertId = `media-${result.verdict}-${sha(`${mediaObject}\n${digest}`).slice(0, 40)}`;
  if (flagged) {
    const alert: Alert = {
      schemaVersion: 1,
      alertId,
      source: 'media-check',
      kind: `media.${result.verdict}`,
      severityHint:
        item.purpose === 'catalog' && result.verdict !== 'synthetic' ? 'medium' : 'high',
      occurredAt: now,
      receivedAt: now,
      sourceEventId: digest,
      summary: `${item.purpose} image ${result.verdict}: ${signals.join(', ')}`.slice(0, 500),
      correlationKeys: {
        mediaObject: mediaObject.slice(0, 1024),
        // the KYC vendor's webhook keys applicants as `kyc:<id>`: the same key correlates both
        ...(item.applicant ? { applicant: `kyc:${item.applicant}`.slice(0, 128) } : {}),
        ...(item.gallery ? { dataset: item.gallery.slice(0, 256) } : {}),
      },
      evidence: { bucket: item.bucket, key: item.key, sha256: digest, bytes: bytes.length },
      drill: item.drill,
    };
    await deps.publisher.publish([
      { source: EVENT_SOURCE.media, detailType: DETAIL_TYPE.alert, detail: alert },
    ]);
    out.alerted = true;
  }
  const incidentId = flagged
    ? await waitForClaim(deps, alertId)
    : await deps.store.findIncidentByKeys(
        [`mediaObject:${mediaObject}`],
        '1970-01-01T00:00:00.000Z',
      );
  if (incidentId) {
    await deps.store.appendTimeline(incidentId, {
      type: 'media.checked',
      at: now,
      actor: 'check-media',
      summary: `${item.purpose} image ${result.verdict}`,
      data: {
        sha256: digest,
        verdict: result.verdict,
        signals,
        mediaObjectHash: sha(mediaObject),
        errors: result.evidence.errors.length,
      },
    });
  }
  return out;
}

async function waitForClaim(deps: CheckMediaDeps, alertId: string): Promise<string | undefined> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const deadline = Date.now() + (deps.timelineWaitMs ?? 3000);
  for (let i = 0; ; i++) {
    const id = await deps.store.alertClaim(alertId);
    if (id || Date.now() > deadline) return id;
    await sleep(Math.min(50 * (i + 1), 500));
  }
}
