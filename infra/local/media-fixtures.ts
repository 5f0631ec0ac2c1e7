import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { X509Certificate } from '@peculiar/x509';
import { CoseAlgorithmIdentifier, LocalSigner } from '@trustnxt/c2pa-ts/cose';
import { signC2pa as signWith } from '#adapters/drill/media-fixtures.ts';

/**
 * Fixture images of the local tests, drills and benches. The generator lives in
 * shared/adapters/drill/media-fixtures.ts (run-drill bundles it for scheduled drills in AWS);
 * here: the openssl-made test signers (self-signed Ed25519, and a CA-issued ECDSA P-256 chain)
 * the local tests sign with.
 */
export {
  DST,
  type FixtureOptions,
  generatedSigner,
  makeImage,
  sha256,
  variant,
  xmpPacket,
} from '#adapters/drill/media-fixtures.ts';

export interface TestSigner {
  signer: LocalSigner;
  cleanup(): void;
}

let cachedSigner: LocalSigner | undefined;
/** An Ed25519 key and self-signed certificate (EKU emailProtection) generated with openssl. */
export function testSigner(): LocalSigner {
  if (cachedSigner) return cachedSigner;
  const dir = mkdtempSync(path.join(tmpdir(), 'tq-c2pa-'));
  try {
    const key = path.join(dir, 'key.pem');
    const crt = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', key], { stdio: 'ignore' });
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-x509',
        '-key',
        key,
        '-out',
        crt,
        '-days',
        '30',
        '-subj',
        '/CN=Tourniquet test signer/O=Tourniquet tests',
        '-addext',
        'extendedKeyUsage=emailProtection',
        '-addext',
        'keyUsage=critical,digitalSignature',
      ],
      { stdio: 'ignore' },
    );
    const pkcs8 = Buffer.from(
      readFileSync(key, 'utf8').replace(/-----[^-]+-----|\s/g, ''),
      'base64',
    );
    cachedSigner = new LocalSigner(
      new Uint8Array(pkcs8),
      CoseAlgorithmIdentifier.Ed25519,
      new X509Certificate(readFileSync(crt, 'utf8')),
    );
    return cachedSigner;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let cachedCaSigner: LocalSigner | undefined;
/**
 * An ECDSA P-256 signing certificate issued by a generated test CA (leaf: EKU emailProtection,
 * critical keyUsage digitalSignature, authority key id; CA: basicConstraints CA, keyCertSign),
 * so the C2PA credential passes c2pa-ts's certificate profile checks. The COSE x5chain carries
 * the leaf and the CA.
 */
export function testCaSigner(): LocalSigner {
  if (cachedCaSigner) return cachedCaSigner;
  const dir = mkdtempSync(path.join(tmpdir(), 'tq-c2pa-ca-'));
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore', cwd: dir });
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    run([
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '30',
      '-subj',
      '/CN=Tourniquet test CA/O=Tourniquet tests',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    run([
      'req',
      '-new',
      ...ec,
      '-keyout',
      'leaf.key',
      '-out',
      'leaf.csr',
      '-subj',
      '/CN=Tourniquet test signer (CA-issued)/O=Tourniquet tests',
    ]);
    writeFileSync(
      path.join(dir, 'leaf.ext'),
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=emailProtection\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
    );
    run([
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '30',
      '-sha256',
      '-extfile',
      'leaf.ext',
      '-out',
      'leaf.pem',
    ]);
    const pkcs8 = Buffer.from(
      readFileSync(path.join(dir, 'leaf.key'), 'utf8').replace(/-----[^-]+-----|\s/g, ''),
      'base64',
    );
    cachedCaSigner = new LocalSigner(
      new Uint8Array(pkcs8),
      CoseAlgorithmIdentifier.ES256,
      new X509Certificate(readFileSync(path.join(dir, 'leaf.pem'), 'utf8')),
      [new X509Certificate(readFileSync(path.join(dir, 'ca.pem'), 'utf8'))],
    );
    return cachedCaSigner;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Embeds a signed C2PA manifest whose `c2pa.created` action declares `dst` (test signer by default). */
export function signC2pa(
  bytes: Buffer,
  dst: string,
  softwareAgent = 'Tourniquet fixture generator',
  signer: LocalSigner = testSigner(),
): Promise<Buffer> {
  return signWith(bytes, dst, softwareAgent, signer);
}
