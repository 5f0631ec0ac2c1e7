import { Algorithms, type CoseAlgorithmIdentifier, Signature } from '@trustnxt/c2pa-ts/cose';
import { CBORBox } from '@trustnxt/c2pa-ts/jumbf';

/**
 * Caches the parsed X.509 signing credentials of C2PA claim signatures, and their profile checks,
 * across assets. c2pa-ts 0.9.4 (pinned) parses the COSE x5chain with @peculiar/x509 and re-parses
 * every certificate to check its profile on each read: two ASN.1 parses per certificate per image
 * (about half of the C2PA validation time on a 1 MB JPEG), although a catalog or a KYC vendor uses
 * a handful of signing certificates.
 *
 * - `Signature.readFromJUMBFData`: a cache hit rebuilds the COSE signature exactly as c2pa-ts does
 *   (same fields, same checks) with the already-parsed certificates; anything unusual (a decoding
 *   problem, non-zero padding, an unsupported algorithm, an ambiguous or non-binary x5chain, RFC 3161
 *   timestamps) and every first sighting goes through the library's own reader.
 * - `Signature.validateCertificate`: the profile checks (version, unique ids, self-signed, key usage,
 *   EKU, algorithm) depend only on the certificate and are cached per parsed certificate and use;
 *   the validity period is still compared with the given time on every call.
 * The claim signature itself and the hard binding are verified on every read.
 */

type Cert = NonNullable<Signature['certificate']>;
type ValidateCertificate = (cert: Cert, at: Date, forManifestSigning: boolean) => string;
interface SignatureStatics {
  readFromJUMBFData(content: unknown): Signature;
  validateCertificate: ValidateCertificate;
}

const TRUSTED = 'signingCredential.trusted';
const EXPIRED = 'signingCredential.expired';
const MARK = Symbol.for('tourniquet.c2pa-certificate-cache');

const statics = Signature as unknown as SignatureStatics & { [MARK]?: CertificateCache };

class CertificateCache {
  private readonly certs = new Map<string, Cert>();
  private readonly profiles = new WeakMap<Cert, { signing?: string; chain?: string }>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly originalRead: SignatureStatics['readFromJUMBFData'],
    private readonly originalValidate: ValidateCertificate,
    private readonly maxCertificates = 512,
  ) {}

  read(content: unknown): Signature {
    const fast = this.fromCache(content);
    if (fast) {
      this.hits++;
      return fast;
    }
    this.misses++;
    const sig = this.originalRead(content);
    const chain = x5chainOf(content);
    if (chain && sig.certificate && chain.length === 1 + sig.chainCertificates.length) {
      this.remember(chain[0]!, sig.certificate);
      for (const [i, c] of sig.chainCertificates.entries()) this.remember(chain[i + 1]!, c);
    }
    return sig;
  }

  validate(cert: Cert, at: Date, forManifestSigning: boolean): string {
    let entry = this.profiles.get(cert);
    if (!entry) {
      entry = {};
      this.profiles.set(cert, entry);
    }
    const use = forManifestSigning ? 'signing' : 'chain';
    let profile = entry[use];
    if (profile === undefined) {
      // Only the last check depends on the time: evaluate the rest inside the validity period.
      const mid = new Date((cert.notBefore.getTime() + cert.notAfter.getTime()) / 2);
      profile = this.originalValidate(cert, mid, forManifestSigning);
      entry[use] = profile;
    }
    if (profile !== TRUSTED) return profile;
    return cert.notBefore >= at || cert.notAfter <= at ? EXPIRED : TRUSTED;
  }

  private fromCache(content: unknown): Signature | undefined {
    if (!Array.isArray(content) || !(content[0] instanceof Uint8Array)) return undefined;
    let protectedBucket: Record<string, unknown> | undefined;
    try {
      protectedBucket = CBORBox.decoder.decode(content[0]) as Record<string, unknown> | undefined;
    } catch {
      return undefined;
    }
    const unprotected = content[1] as Record<string, unknown> | undefined;
    if (!protectedBucket || typeof protectedBucket !== 'object' || !unprotected) return undefined;
    const pad = unprotected.pad;
    if (pad !== undefined && !(pad instanceof Uint8Array && isAllZero(pad))) return undefined;
    if (hasTimestamps(protectedBucket) || hasTimestamps(unprotected)) return undefined;
    const algorithmId = protectedBucket['1'];
    const algorithm = algorithmId
      ? Algorithms.getAlgorithm(algorithmId as CoseAlgorithmIdentifier)
      : undefined;
    if (!algorithm) return undefined;
    const chain = x5chainFrom(protectedBucket, unprotected);
    if (!chain) return undefined;
    const certs: Cert[] = [];
    for (const der of chain) {
      const cert = this.certs.get(keyOf(der));
      if (!cert) return undefined;
      certs.push(cert);
    }
    const sig = new Signature();
    sig.rawProtectedBucket = content[0];
    if (pad instanceof Uint8Array) sig.paddingLength = pad.length;
    sig.algorithm = algorithm;
    sig.certificate = certs[0];
    sig.chainCertificates = certs.slice(1);
    sig.signature = content[3] as Uint8Array;
    return sig;
  }

  private remember(der: Uint8Array, cert: Cert) {
    const key = keyOf(der);
    if (this.certs.has(key)) return;
    if (this.certs.size >= this.maxCertificates) {
      const oldest = this.certs.keys().next().value;
      if (oldest !== undefined) this.certs.delete(oldest);
    }
    this.certs.set(key, cert);
  }
}

const keyOf = (der: Uint8Array) =>
  Buffer.from(der.buffer, der.byteOffset, der.length).toString('base64');

const ZEROS = new Uint8Array(16 * 1024);
/** Padding check without a per-byte callback (manifest padding is often tens of KB). */
function isAllZero(bytes: Uint8Array): boolean {
  for (let off = 0; off < bytes.length; off += ZEROS.length) {
    const n = Math.min(ZEROS.length, bytes.length - off);
    if (Buffer.compare(bytes.subarray(off, off + n), ZEROS.subarray(0, n)) !== 0) return false;
  }
  return true;
}

const hasTimestamps = (bucket: Record<string, unknown>) =>
  bucket.sigTst !== undefined || bucket.sigTst2 !== undefined;

/** The x5chain as c2pa-ts reads it (exactly one of four places), when every entry is DER bytes. */
function x5chainFrom(
  protectedBucket: Record<string, unknown>,
  unprotected: Record<string, unknown>,
): Uint8Array[] | undefined {
  const candidates = [
    protectedBucket['33'],
    protectedBucket.x5chain,
    unprotected['33'],
    unprotected.x5chain,
  ].filter((c) => c !== undefined);
  if (candidates.length !== 1) return undefined;
  const chain = Array.isArray(candidates[0]) ? candidates[0] : [candidates[0]];
  if (chain.length === 0 || !chain.every((c) => c instanceof Uint8Array)) return undefined;
  return chain as Uint8Array[];
}

function x5chainOf(content: unknown): Uint8Array[] | undefined {
  if (!Array.isArray(content) || !(content[0] instanceof Uint8Array)) return undefined;
  try {
    const p = CBORBox.decoder.decode(content[0]) as Record<string, unknown>;
    return x5chainFrom(p, (content[1] ?? {}) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

/** Installs the cache into c2pa-ts once per process (idempotent); returns it for its counters. */
function useCertificateCache(): CertificateCache {
  const installed = statics[MARK];
  if (installed) return installed;
  if (
    typeof statics.readFromJUMBFData !== 'function' ||
    typeof statics.validateCertificate !== 'function'
  )
    throw new Error('c2pa-ts Signature internals changed: review c2pa-certificate-cache.ts');
  const cache = new CertificateCache(
    statics.readFromJUMBFData.bind(Signature),
    statics.validateCertificate.bind(Signature),
  );
  statics.readFromJUMBFData = (content) => cache.read(content);
  statics.validateCertificate = (cert, at, forSigning) => cache.validate(cert, at, forSigning);
  statics[MARK] = cache;
  return cache;
}

export { type CertificateCache, useCertificateCache };
