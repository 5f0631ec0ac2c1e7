import {
  constants,
  createHash,
  generateKeyPairSync,
  type KeyObject,
  sign,
  webcrypto,
} from 'node:crypto';
import { X509Certificate } from '@peculiar/x509';
import { JPEG } from '@trustnxt/c2pa-ts/asset';
import type { SigningAlgorithm } from '@trustnxt/c2pa-ts/crypto';
import { SuperBox } from '@trustnxt/c2pa-ts/jumbf';
import { ManifestStore } from '@trustnxt/c2pa-ts/manifest';
import { describe, expect, it } from 'vitest';
import { useCertificateCache } from '#adapters/media/c2pa-certificate-cache.ts';
import { NodeCryptoProvider } from '#adapters/media/node-crypto-provider.ts';
import { C2paExifrProvenanceReader } from '#adapters/media/provenance-reader.ts';
import { DST, makeImage, signC2pa, testCaSigner, testSigner } from '#local/media-fixtures.ts';

const reader = new C2paExifrProvenanceReader();
const noFallback = {
  digest: () => Promise.reject(new Error('fallback used')),
  streamingDigest: () => {
    throw new Error('fallback used');
  },
  verifySignature: () => Promise.reject(new Error('fallback used')),
  sign: () => Promise.reject(new Error('fallback used')),
  getRandomValues: () => {
    throw new Error('fallback used');
  },
};
const provider = new NodeCryptoProvider(noFallback);
const spki = (k: KeyObject) => new Uint8Array(k.export({ format: 'der', type: 'spki' }));

/** WebCrypto's answer for the same inputs (what c2pa-ts's default provider would say). */
async function webVerify(
  payload: Uint8Array,
  sig: Uint8Array,
  pub: Uint8Array,
  alg: SigningAlgorithm,
): Promise<boolean> {
  const key = await webcrypto.subtle.importKey('spki', pub, alg as never, false, ['verify']);
  return webcrypto.subtle.verify(alg as never, key, sig, payload);
}

describe('node:crypto provider for c2pa-ts', () => {
  const payload = new Uint8Array(Buffer.from('claim bytes to be signed'));
  const other = new Uint8Array(Buffer.from('claim bytes to be signed!'));

  it.each([
    ['Ed25519', () => generateKeyPairSync('ed25519'), { name: 'Ed25519' }, null, {}],
    [
      'ECDSA P-256 (raw r||s)',
      () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
      { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
      'sha256',
      { dsaEncoding: 'ieee-p1363' },
    ],
    [
      'ECDSA P-384 (raw r||s)',
      () => generateKeyPairSync('ec', { namedCurve: 'P-384' }),
      { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' },
      'sha384',
      { dsaEncoding: 'ieee-p1363' },
    ],
    [
      'RSASSA-PKCS1-v1_5',
      () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      'sha256',
      {},
    ],
    [
      'RSA-PSS',
      () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
      { name: 'RSA-PSS', saltLength: 32, hash: 'SHA-256' },
      'sha256',
      { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
    ],
  ] as const)(
    '%s: same answers as WebCrypto on valid and tampered signatures',
    async (_n, gen, alg, hash, opts) => {
      const { publicKey, privateKey } = gen();
      const sig = new Uint8Array(sign(hash, payload, { key: privateKey, ...opts }));
      const pub = spki(publicKey);
      const bad = Uint8Array.from(sig);
      bad[5] = bad[5]! ^ 0x01;
      for (const [p, s, expected] of [
        [payload, sig, true],
        [other, sig, false],
        [payload, bad, false],
      ] as const) {
        expect(await provider.verifySignature(p, s, pub, alg as SigningAlgorithm)).toBe(expected);
        expect(await webVerify(p, s, pub, alg as SigningAlgorithm)).toBe(expected);
      }
      // a second call uses the cached key object and still rejects the tampered signature
      expect(await provider.verifySignature(payload, bad, pub, alg as SigningAlgorithm)).toBe(
        false,
      );
    },
  );

  it('ECDSA signatures in DER form are accepted too', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const der = new Uint8Array(sign('sha256', payload, privateKey));
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
    expect(await provider.verifySignature(payload, der, spki(publicKey), alg)).toBe(true);
    expect(await provider.verifySignature(other, der, spki(publicKey), alg)).toBe(false);
  });

  it('streaming digest over ranges equals the digest of the whole, for each algorithm', async () => {
    const data = new Uint8Array(200_000).map((_, i) => (i * 31) & 0xff);
    for (const [alg, node] of [
      ['SHA-256', 'sha256'],
      ['SHA-384', 'sha384'],
      ['SHA-512', 'sha512'],
    ] as const) {
      const whole = createHash(node).update(data).digest();
      const web = new Uint8Array(await webcrypto.subtle.digest(alg, data));
      expect(Buffer.from(await provider.digest(data, alg))).toEqual(whole);
      expect(Buffer.from(web)).toEqual(whole);
      const s = provider.streamingDigest(alg);
      s.update(data.subarray(0, 7));
      s.update(data.subarray(7, 150_000));
      s.update(data.subarray(150_000));
      expect(Buffer.from(await s.final())).toEqual(whole);
    }
  });
});

/** Flips one byte of the COSE claim signature inside a signed JPEG. */
function tamperClaimSignature(bytes: Buffer): Buffer {
  const jumbf = new JPEG(new Uint8Array(bytes)).getManifestJUMBF();
  const store = ManifestStore.read(SuperBox.fromBuffer(new Uint8Array(jumbf!)));
  const cose = store.getActiveManifest()?.signature?.signatureData.signature;
  const at = bytes.indexOf(Buffer.from(cose!));
  expect(at).toBeGreaterThan(0);
  const out = Buffer.from(bytes);
  out[at + 3] = out[at + 3]! ^ 0xff;
  return out;
}

describe('parsed signing credentials reused across assets', () => {
  const cache = useCertificateCache();

  it('a CA-issued ECDSA credential: trusted, intact, and read from the cache the second time', async () => {
    const signer = testCaSigner();
    const a = await signC2pa(makeImage({ seed: 41 }), DST('digitalCapture'), 'cam', signer);
    const b = await signC2pa(
      makeImage({ seed: 42 }),
      DST('trainedAlgorithmicMedia'),
      'gen',
      signer,
    );
    const first = await reader.read(a);
    expect(first.c2pa).toMatchObject({ intact: true, trustedSigner: true });
    expect(first.c2pa?.validationCodes).toEqual(
      expect.arrayContaining(['claimSignature.validated', 'signingCredential.trusted']),
    );
    const hits = cache.hits;
    const second = await reader.read(b);
    expect(cache.hits).toBe(hits + 1);
    expect(second.c2pa).toMatchObject({
      intact: true,
      trustedSigner: true,
      digitalSourceTypes: [DST('trainedAlgorithmicMedia')],
    });
    expect(await reader.read(a)).toEqual(first);
  });

  it('on a cache hit a tampered claim signature is still a mismatch', async () => {
    const signer = testCaSigner();
    const ok = await signC2pa(makeImage({ seed: 43 }), DST('digitalCapture'), 'cam', signer);
    await reader.read(ok);
    const tampered = tamperClaimSignature(ok);
    const hits = cache.hits;
    const p = await reader.read(tampered);
    expect(cache.hits).toBe(hits + 1);
    expect(p.c2pa?.intact).toBe(false);
    expect(p.c2pa?.validationCodes).toContain('!claimSignature.mismatch');
    expect(p.c2pa?.validationCodes).not.toContain('claimSignature.validated');
  });

  it('a different credential is not confused with a cached one', async () => {
    const ca = await signC2pa(
      makeImage({ seed: 44 }),
      DST('digitalCapture'),
      'cam',
      testCaSigner(),
    );
    const self = await signC2pa(
      makeImage({ seed: 45 }),
      DST('digitalCapture'),
      'cam',
      testSigner(),
    );
    await reader.read(ca);
    await reader.read(self);
    expect((await reader.read(ca)).c2pa?.trustedSigner).toBe(true);
    expect((await reader.read(self)).c2pa).toMatchObject({ intact: true, trustedSigner: false });
  });

  it('cached profile checks still compare the validity period with the time given', () => {
    const leaf = new X509Certificate(testCaSigner().certificate.rawData);
    const self = new X509Certificate(testSigner().certificate.rawData);
    const inside = new Date((leaf.notBefore.getTime() + leaf.notAfter.getTime()) / 2);
    const before = new Date(leaf.notBefore.getTime() - 60_000);
    const after = new Date(leaf.notAfter.getTime() + 60_000);
    for (let round = 0; round < 2; round++) {
      expect(cache.validate(leaf, inside, true)).toBe('signingCredential.trusted');
      expect(cache.validate(leaf, before, true)).toBe('signingCredential.expired');
      expect(cache.validate(leaf, after, true)).toBe('signingCredential.expired');
      // self-signed may not sign a manifest, whatever the time
      expect(cache.validate(self, inside, true)).toBe('signingCredential.invalid');
      expect(cache.validate(self, after, true)).toBe('signingCredential.invalid');
    }
  });
});
