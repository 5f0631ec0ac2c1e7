import { JPEG, PNG } from '@trustnxt/c2pa-ts/asset';
import { SuperBox } from '@trustnxt/c2pa-ts/jumbf';
import { ManifestStore } from '@trustnxt/c2pa-ts/manifest';
import exifr from 'exifr';

type Options = NonNullable<Exclude<Parameters<typeof exifr.parse>[1], boolean | unknown[]>>;

import type { ProvenanceFacts } from '#domain/media/verdict.ts';
import type { ProvenanceReader } from '#ports/media-check.ts';
import { useCertificateCache } from './c2pa-certificate-cache.ts';
import { useNodeCrypto } from './node-crypto-provider.ts';

const EXIFR_OPTIONS: Options = {
  tiff: true,
  ifd0: { pick: ['Software'] } as never,
  exif: false,
  gps: false,
  interop: false,
  ifd1: false,
  xmp: true,
  iptc: false,
  icc: false,
  jfif: false,
  // PNG tEXt chunks (e.g. Software) are reported inside the ihdr block by exifr.
  ihdr: true,
  mergeOutput: false,
  translateValues: false,
};

export function imageFormat(bytes: Uint8Array): 'jpeg' | 'png' | 'other' {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return 'png';
  return 'other';
}

const asArray = (v: unknown): string[] =>
  v === undefined || v === null
    ? []
    : Array.isArray(v)
      ? v.flatMap(asArray)
      : typeof v === 'object'
        ? asArray((v as Record<string, unknown>).value ?? Object.values(v as object))
        : [String(v)];

/**
 * Provenance from the bytes: C2PA manifest store (JPEG APP11 / PNG caBX) read and validated with
 * @trustnxt/c2pa-ts, IPTC/XMP `Iptc4xmpExt:DigitalSourceType` and software tags with exifr.
 * Never throws on bad metadata: unreadable parts are reported as absent.
 */
export class C2paExifrProvenanceReader implements ProvenanceReader {
  constructor() {
    // Hot path of every C2PA read: node:crypto digests/verification and parsed signing
    // certificates reused across assets (both keep the validation complete).
    useNodeCrypto();
    useCertificateCache();
  }

  async read(bytes: Uint8Array): Promise<ProvenanceFacts> {
    const format = imageFormat(bytes);
    const facts: ProvenanceFacts = {
      xmpDigitalSourceTypes: [],
      software: [],
      readable: format !== 'other',
    };
    if (format === 'other') return facts;
    const [meta, c2pa] = await Promise.all([this.metadata(bytes), this.c2pa(bytes, format)]);
    facts.xmpDigitalSourceTypes = meta.dst;
    facts.software = meta.software;
    if (c2pa) facts.c2pa = c2pa;
    return facts;
  }

  private async metadata(bytes: Uint8Array): Promise<{ dst: string[]; software: string[] }> {
    try {
      const out = (await exifr.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), {
        ...EXIFR_OPTIONS,
      })) as Record<string, Record<string, unknown>> | undefined;
      if (!out) return { dst: [], software: [] };
      const ext = out.Iptc4xmpExt ?? {};
      const xmp = out.xmp ?? {};
      const png = (out.ihdr ?? {}) as Record<string, unknown>;
      return {
        dst: [...new Set(asArray(ext.DigitalSourceType))],
        software: [
          ...new Set([
            ...asArray(out.ifd0?.Software),
            ...asArray(xmp.CreatorTool),
            ...asArray(png.Software),
            ...asArray(ext.AISystemUsed),
          ]),
        ],
      };
    } catch {
      return { dst: [], software: [] };
    }
  }

  private async c2pa(bytes: Uint8Array, format: 'jpeg' | 'png'): Promise<ProvenanceFacts['c2pa']> {
    let asset: JPEG | PNG;
    let jumbf: Uint8Array | undefined;
    try {
      asset = format === 'jpeg' ? new JPEG(bytes) : new PNG(bytes);
      jumbf = asset.getManifestJUMBF();
    } catch {
      return undefined;
    }
    if (!jumbf) return undefined;
    try {
      // getManifestJUMBF assembles a fresh buffer (typed ArrayBufferLike): no copy needed.
      const store = ManifestStore.read(SuperBox.fromBuffer(jumbf as Uint8Array<ArrayBuffer>));
      const active = store.getActiveManifest();
      const actions = active?.assertions?.getActionAssertions().flatMap((a) => a.actions) ?? [];
      const result = await store.validate(asset);
      // c2pa-ts stops before the hard bindings when the signing credential is not trusted
      // (e.g. self-signed); integrity of the bytes is checked here regardless of trust.
      const entries = [...result.statusEntries];
      const bindings = active?.assertions?.getHardBindings() ?? [];
      const bindingChecked = entries.some((e) =>
        /^assertion\.(dataHash|bmffHash|boxesHash)\./.test(String(e.code)),
      );
      if (!bindingChecked)
        for (const b of bindings)
          entries.push(...(await b.validateAgainstAsset(asset)).statusEntries);
      if (bindings.length === 0)
        entries.push({ code: 'claim.hardBindings.missing' as never, success: false });
      const codes = entries.map((e) => `${e.success ? '' : '!'}${e.code}`);
      const failures = entries.filter((e) => !e.success).map((e) => String(e.code));
      const integrityFailures = failures.filter((c) => !c.startsWith('signingCredential.'));
      const claimOk = entries.some(
        (e) => e.success && String(e.code) === 'claimSignature.validated',
      );
      return {
        intact: claimOk && integrityFailures.length === 0,
        trustedSigner: !failures.some((c) => c.startsWith('signingCredential.')),
        digitalSourceTypes: [
          ...new Set(actions.map((a) => a.digitalSourceType).filter((x): x is never => !!x)),
        ] as string[],
        softwareAgents: [
          ...new Set([
            ...actions.map((a) => a.softwareAgent?.name).filter((x): x is string => !!x),
            ...(active?.claim?.claimGeneratorName ? [active.claim.claimGeneratorName] : []),
          ]),
        ],
        validationCodes: [...new Set(codes)].sort(),
      };
    } catch (err) {
      // A manifest that is present but unreadable is itself a finding.
      return {
        intact: false,
        trustedSigner: false,
        digitalSourceTypes: [],
        softwareAgents: [],
        validationCodes: [`!malformed:${(err as Error).name}`],
      };
    }
  }
}
