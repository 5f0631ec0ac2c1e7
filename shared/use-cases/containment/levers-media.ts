import type { GalleryValueRow, MediaLeverPorts } from '#ports/media-containment.ts';
import type { Lever, LeverTarget } from './lever-kit.ts';

export const QUARANTINE_TAG = 'tourniquet:quarantine';

const need = <T>(v: T | undefined, what: string): T => {
  if (!v) throw new Error(`${what} is not configured`);
  return v;
};

function objectsOf(t: LeverTarget): Array<{ bucket: string; key: string }> {
  return (t.mediaObjects ?? [])
    .map((u) => /^s3:\/\/([^/]+)\/(.+)$/.exec(u))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ bucket: m[1]!, key: m[2]! }));
}

const quarantineKey = (incidentId: string, o: { bucket: string; key: string }) =>
  `media/${incidentId}/${o.bucket}/${o.key}`;

type QuarantinePre = {
  objects: Array<{ bucket: string; key: string; tags: Record<string, string> }>;
};
/**
 * Copies each flagged object to the quarantine bucket (evidence) and tags the original
 * `tourniquet:quarantine=held` (the media bucket policy denies reads of held objects to the
 * storefront). Release restores the original tag set; the evidence copy stays.
 */
const quarantineObject: Lever<QuarantinePre, { held: string[] }> = {
  reversible: true,
  itemized: 'mediaObjects',
  async snapshot(p, t) {
    const m = need(p.media, 'media objects');
    const objects: QuarantinePre['objects'] = [];
    for (const o of objectsOf(t))
      if (await m.objects.exists(o.bucket, o.key))
        objects.push({ ...o, tags: await m.objects.getTags(o.bucket, o.key) });
    return { objects };
  },
  async act(p, t, pre) {
    const m = need(p.media, 'media objects');
    const held: string[] = [];
    for (const o of pre.objects) {
      await m.objects.copy(o, { bucket: m.quarantineBucket, key: quarantineKey(t.incidentId, o) });
      await m.objects.putTags(o.bucket, o.key, { [QUARANTINE_TAG]: 'held' });
      held.push(`s3://${o.bucket}/${o.key}`);
    }
    return { changed: held.length, result: { held } };
  },
  async verify(p, t, pre) {
    const m = need(p.media, 'media objects');
    let ok = 0;
    for (const o of pre.objects) {
      const tags = await m.objects.getTags(o.bucket, o.key);
      const copied = await m.objects.exists(m.quarantineBucket, quarantineKey(t.incidentId, o));
      if (tags[QUARANTINE_TAG] === 'held' && copied) ok++;
    }
    return {
      ok: ok === pre.objects.length,
      detail: `${ok}/${pre.objects.length} object(s) held with evidence copy`,
    };
  },
  async release(p, _t, pre) {
    const m = need(p.media, 'media objects');
    for (const o of pre.objects) await m.objects.replaceTags(o.bucket, o.key, o.tags);
    return { restored: pre.objects.length };
  },
};

type GalleryPre = { rows: GalleryValueRow[] };
/** `catalog_product_entity_media_gallery_value.disabled = 1` for the flagged catalog images (all store views). */
const disableCatalogImage: Lever<GalleryPre, { disabled: number[] }> = {
  reversible: true,
  itemized: 'mediaObjects',
  async snapshot(p, t) {
    const m = need(p.media, 'media objects');
    const prefix = m.catalogPrefix.replace(/\/$/, '');
    const files = objectsOf(t)
      .filter((o) => o.key.startsWith(`${prefix}/`))
      .map((o) => o.key.slice(prefix.length));
    return {
      rows: files.length
        ? await need(m.catalog, 'Magento catalog database').galleryRows(files)
        : [],
    };
  },
  async act(p, _t, pre) {
    const ids = pre.rows.filter((r) => r.disabled === 0).map((r) => r.recordId);
    if (ids.length) await need(p.media?.catalog, 'Magento catalog database').setDisabled(ids, 1);
    return { changed: ids.length, result: { disabled: ids } };
  },
  async verify(p, _t, pre) {
    const ids = pre.rows.map((r) => r.recordId);
    const now = ids.length
      ? await need(p.media?.catalog, 'Magento catalog database').galleryRowsById(ids)
      : [];
    const visible = now.filter((r) => r.disabled !== 1).length;
    return { ok: visible === 0, detail: `${ids.length} gallery row(s), ${visible} still enabled` };
  },
  async release(p, _t, _pre, res) {
    if (res.disabled.length)
      await need(p.media?.catalog, 'Magento catalog database').setDisabled(res.disabled, 0);
    return { restored: res.disabled.length };
  },
};

type KycPre = { applications: Array<{ id: string; status: string }> };
/** Applicant correlation keys are namespaced `kyc:<vendor application id>`. */
const applicationIds = (t: LeverTarget) => [
  ...new Set((t.applicants ?? []).map((a) => a.replace(/^kyc:/, '')).filter(Boolean)),
];
/** Puts the KYC application(s) of the flagged upload on hold at the vendor; release restores the status. */
const holdKycApplication: Lever<KycPre, { held: string[] }> = {
  reversible: true,
  itemized: 'applicants',
  async snapshot(p, t) {
    const ids = applicationIds(t);
    const applications: KycPre['applications'] = [];
    if (ids.length === 0) return { applications };
    const kyc = need(p.media?.kyc, 'KYC vendor');
    for (const id of ids) {
      const a = await kyc.getApplication(id);
      applications.push({ id: a.id, status: a.status });
    }
    return { applications };
  },
  async act(p, t, pre) {
    const open = pre.applications.filter((x) => x.status !== 'on_hold');
    const held: string[] = [];
    if (open.length === 0) return { changed: 0, result: { held } };
    const kyc = need(p.media?.kyc, 'KYC vendor');
    for (const a of open) {
      await kyc.hold(a.id, `tourniquet ${t.incidentId}: suspected synthetic or manipulated media`);
      held.push(a.id);
    }
    return { changed: held.length, result: { held } };
  },
  async verify(p, _t, pre) {
    if (pre.applications.length === 0) return { ok: true, detail: '0 application(s)' };
    const kyc = need(p.media?.kyc, 'KYC vendor');
    const states = await Promise.all(pre.applications.map((a) => kyc.getApplication(a.id)));
    const open = states.filter((s) => s.status !== 'on_hold').length;
    return { ok: open === 0, detail: `${states.length} application(s), ${open} not on hold` };
  },
  async release(p, _t, pre, res) {
    if (res.held.length === 0) return { restored: 0 };
    const kyc = need(p.media?.kyc, 'KYC vendor');
    for (const id of res.held) {
      const was = pre.applications.find((a) => a.id === id)?.status ?? 'pending_review';
      await kyc.setStatus(id, was);
    }
    return { restored: res.held.length };
  },
};

export const MEDIA_LEVERS: Record<string, Lever<any, any>> = {
  'media.quarantine-object': quarantineObject,
  'media.disable-catalog-image': disableCatalogImage,
  'kyc.hold-applicant': holdKycApplication,
};

export type { MediaLeverPorts };
