import { constants, createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { Crypto, type CryptoProvider, type SigningAlgorithm } from '@trustnxt/c2pa-ts/crypto';

type HashAlgorithm = Parameters<CryptoProvider['digest']>[1];

const NODE_HASH: Record<HashAlgorithm, string> = {
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};
const CURVE_BYTES: Record<string, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };

const view = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);
const nodeHash = (algorithm: HashAlgorithm): string => {
  const h = NODE_HASH[algorithm];
  if (!h) throw new Error(`Unsupported hash algorithm ${String(algorithm)}`);
  return h;
};

/**
 * c2pa-ts crypto on node:crypto instead of WebCrypto, for the provenance reader's hot path:
 * - digests are computed synchronously on the caller's buffers (one pass, no thread-pool hop,
 *   and the streaming digest feeds each range to the hash instead of concatenating a copy of
 *   the whole asset first);
 * - public keys are parsed once per distinct SPKI (a bounded cache of KeyObjects: the same
 *   few signing certificates sign most assets) and signatures are verified with `crypto.verify`.
 * Results are the same as the WebCrypto provider's (tested on valid and tampered signatures);
 * signing and random bytes stay with the provider it replaces.
 */
class NodeCryptoProvider implements CryptoProvider {
  private readonly keys = new Map<string, KeyObject>();

  constructor(
    private readonly fallback: CryptoProvider,
    private readonly maxKeys = 256,
  ) {}

  async digest(data: Uint8Array, algorithm: HashAlgorithm): Promise<Uint8Array> {
    return view(createHash(nodeHash(algorithm)).update(data).digest());
  }

  streamingDigest(algorithm: HashAlgorithm) {
    const hash = createHash(nodeHash(algorithm));
    return {
      update(data: Uint8Array) {
        hash.update(data);
      },
      async final() {
        return view(hash.digest());
      },
    };
  }

  async verifySignature(
    payload: Uint8Array,
    signature: Uint8Array,
    publicKey: Uint8Array,
    algorithm: SigningAlgorithm,
  ): Promise<boolean> {
    const key = this.publicKey(publicKey);
    switch (algorithm.name) {
      case 'Ed25519':
        return verify(null, payload, key, signature);
      case 'ECDSA': {
        const size = CURVE_BYTES[algorithm.namedCurve];
        // COSE carries raw r||s; accept DER too, like the WebCrypto provider's conversion.
        const dsaEncoding = size && signature.length === size * 2 ? 'ieee-p1363' : 'der';
        return verify(nodeHash(algorithm.hash), payload, { key, dsaEncoding }, signature);
      }
      case 'RSASSA-PKCS1-v1_5':
        return verify(
          nodeHash(algorithm.hash),
          payload,
          { key, padding: constants.RSA_PKCS1_PADDING },
          signature,
        );
      case 'RSA-PSS':
        return verify(
          nodeHash(algorithm.hash),
          payload,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm.saltLength },
          signature,
        );
      default:
        return this.fallback.verifySignature(payload, signature, publicKey, algorithm);
    }
  }

  sign(payload: Uint8Array, privateKey: Uint8Array, algorithm: SigningAlgorithm) {
    return this.fallback.sign(payload, privateKey, algorithm);
  }

  getRandomValues(count: number): Uint8Array {
    return this.fallback.getRandomValues(count);
  }

  /** Cached KeyObject for a DER SPKI (keyed by the bytes themselves; bounded, oldest out). */
  private publicKey(spki: Uint8Array): KeyObject {
    const id = Buffer.from(spki.buffer, spki.byteOffset, spki.length).toString('base64');
    const hit = this.keys.get(id);
    if (hit) return hit;
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    if (this.keys.size >= this.maxKeys) {
      const oldest = this.keys.keys().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    this.keys.set(id, key);
    return key;
  }
}

/** Installs the node:crypto provider into c2pa-ts once per process (idempotent). */
function useNodeCrypto(): CryptoProvider {
  if (!(Crypto.provider instanceof NodeCryptoProvider))
    Crypto.provider = new NodeCryptoProvider(Crypto.provider);
  return Crypto.provider;
}

export { NodeCryptoProvider, useNodeCrypto };
