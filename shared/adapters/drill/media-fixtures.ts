import { createHash, generateKeyPairSync, randomUUID, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { JPEG, PNG } from '@trustnxt/c2pa-ts/asset';
import { CoseAlgorithmIdentifier, LocalSigner } from '@trustnxt/c2pa-ts/cose';
import {
  ActionAssertion,
  DataHashAssertion,
  type DigitalSourceType,
  ManifestStore,
} from '@trustnxt/c2pa-ts/manifest';
import jpegJs from 'jpeg-js';
import { PNG as PngJs } from 'pngjs';

/**
 * Generated fixture images for drills (local and scheduled in AWS), tests and benches (never
 * downloaded): JPEG (jpeg-js) and PNG (pngjs) with optional XMP packets (attribute or element
 * form), software tags and C2PA manifests signed with c2pa-ts. Pure computation apart from the
 * signing key: `generatedSigner()` makes an Ed25519 key and self-signed certificate in-process
 * (no openssl binary), so run-drill can produce the same fixtures in Lambda as the local drill.
 */
export const DST = (term: string) => `http://cv.iptc.org/newscodes/digitalsourcetype/${term}`;

export interface FixtureOptions {
  format?: 'jpeg' | 'png';
  width?: number;
  height?: number;
  seed?: number;
  /** Random-noise pixels (large, incompressible files) instead of a smooth gradient. */
  noise?: boolean;
  quality?: number;
  xmp?: { dst: string; form: 'attribute' | 'element'; creatorTool?: string };
  software?: string;
}

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

function pixels(o: FixtureOptions): { data: Buffer; width: number; height: number } {
  const width = o.width ?? 96;
  const height = o.height ?? 96;
  const r = rng(o.seed ?? 1);
  const data = Buffer.alloc(width * height * 4);
  const base = Math.floor(r() * 200);
  for (let i = 0; i < width * height; i++) {
    const x = i % width;
    const y = Math.floor(i / width);
    data[i * 4] = o.noise ? Math.floor(r() * 256) : (base + x * 2) & 255;
    data[i * 4 + 1] = o.noise ? Math.floor(r() * 256) : (base + y * 2) & 255;
    data[i * 4 + 2] = o.noise ? Math.floor(r() * 256) : (base + x + y) & 255;
    data[i * 4 + 3] = 255;
  }
  return { data, width, height };
}

export function xmpPacket(x: NonNullable<FixtureOptions['xmp']>): string {
  const ns =
    'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"';
  const tool = x.creatorTool ? `<xmp:CreatorTool>${x.creatorTool}</xmp:CreatorTool>` : '';
  const desc =
    x.form === 'attribute'
      ? `<rdf:Description rdf:about="" ${ns} Iptc4xmpExt:DigitalSourceType="${x.dst}">${tool}</rdf:Description>`
      : `<rdf:Description rdf:about="" ${ns}><Iptc4xmpExt:DigitalSourceType>${x.dst}</Iptc4xmpExt:DigitalSourceType>${tool}</rdf:Description>`;
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">${desc}</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
}

function jpegSegment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(marker, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** Minimal TIFF (Exif APP1) with IFD0 Software. */
function exifSoftware(software: string): Buffer {
  const value = Buffer.from(`${software}\0`, 'latin1');
  const ifd = Buffer.alloc(2 + 12 + 4);
  ifd.writeUInt16BE(1, 0);
  ifd.writeUInt16BE(0x0131, 2); // Software
  ifd.writeUInt16BE(2, 4); // ASCII
  ifd.writeUInt32BE(value.length, 6);
  const valueOffset = 8 + ifd.length;
  if (value.length <= 4) value.copy(ifd, 10);
  else ifd.writeUInt32BE(valueOffset, 10);
  const tiff = Buffer.concat([
    Buffer.from('MM\0\x2a\0\0\0\x08', 'latin1'),
    ifd,
    value.length > 4 ? value : Buffer.alloc(0),
  ]);
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A generated image with the requested metadata spliced in (no C2PA). */
export function makeImage(o: FixtureOptions = {}): Buffer {
  const px = pixels(o);
  if ((o.format ?? 'jpeg') === 'jpeg') {
    const jpg = jpegJs.encode(px, o.quality ?? 85).data as Buffer;
    const extra: Buffer[] = [];
    if (o.software) extra.push(jpegSegment(0xffe1, exifSoftware(o.software)));
    if (o.xmp)
      extra.push(
        jpegSegment(
          0xffe1,
          Buffer.concat([
            Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'),
            Buffer.from(xmpPacket(o.xmp), 'utf8'),
          ]),
        ),
      );
    // jpeg-js writes SOI + APP0 (JFIF); splice after APP0.
    const app0Len = jpg.readUInt16BE(4);
    const at = 4 + app0Len;
    return Buffer.concat([jpg.subarray(0, at), ...extra, jpg.subarray(at)]);
  }
  const png = new PngJs({ width: px.width, height: px.height });
  px.data.copy(png.data);
  const raw = PngJs.sync.write(png);
  const extra: Buffer[] = [];
  if (o.software) extra.push(pngChunk('tEXt', Buffer.from(`Software\0${o.software}`, 'latin1')));
  if (o.xmp)
    extra.push(
      pngChunk(
        'iTXt',
        Buffer.concat([
          Buffer.from('XML:com.adobe.xmp\0\0\0\0\0', 'latin1'),
          Buffer.from(xmpPacket(o.xmp), 'utf8'),
        ]),
      ),
    );
  // after IHDR (8-byte signature + 25-byte IHDR chunk)
  return Buffer.concat([raw.subarray(0, 33), ...extra, raw.subarray(33)]);
}

let generated: Promise<LocalSigner> | undefined;
/**
 * An Ed25519 key and a self-signed certificate (EKU emailProtection, critical keyUsage
 * digitalSignature), generated in-process once per process: an untrusted signer, like the
 * openssl-made test signer of the local tests, so check-media reads the declaration and reports
 * `c2pa.signer-untrusted` the same way in AWS and locally.
 */
export function generatedSigner(): Promise<LocalSigner> {
  generated ??= (async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    const subtle = webcrypto.subtle;
    const alg = { name: 'Ed25519' };
    const priv = await subtle.importKey('pkcs8', pkcs8, alg, true, ['sign']);
    const jwk = privateKey.export({ format: 'jwk' });
    const pub = await subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, alg, true, [
      'verify',
    ]);
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.createSelfSigned(
      {
        serialNumber: randomUUID().replace(/-/g, '').slice(0, 16),
        name: 'CN=Tourniquet drill signer, O=Tourniquet drills',
        notBefore: new Date(now - 60_000),
        notAfter: new Date(now + 30 * 86_400_000),
        signingAlgorithm: alg,
        // Node's webcrypto keys (the DOM CryptoKey type is not in this project's lib)
        keys: { privateKey: priv, publicKey: pub } as never,
        extensions: [
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.emailProtection]),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        ],
      },
      webcrypto as never,
    );
    return new LocalSigner(new Uint8Array(pkcs8), CoseAlgorithmIdentifier.Ed25519, cert);
  })();
  return generated;
}

/** Embeds a signed C2PA manifest whose `c2pa.created` action declares `dst`. */
export async function signC2pa(
  bytes: Buffer,
  dst: string,
  softwareAgent = 'Tourniquet fixture generator',
  signer?: LocalSigner,
): Promise<Buffer> {
  const key = signer ?? (await generatedSigner());
  const asset =
    bytes[0] === 0xff ? new JPEG(new Uint8Array(bytes)) : new PNG(new Uint8Array(bytes));
  const store = new ManifestStore();
  const manifest = store.createManifest({
    assetFormat: asset.mimeType,
    instanceID: `xmp:iid:${randomUUID()}`,
    defaultHashAlgorithm: 'SHA-256',
    signer: key,
  });
  const actions = new ActionAssertion();
  actions.actions = [
    {
      action: 'c2pa.created' as never,
      digitalSourceType: dst as DigitalSourceType,
      softwareAgent: { name: softwareAgent },
    },
  ];
  manifest.addAssertion(actions);
  const hash = DataHashAssertion.create('SHA-256');
  manifest.addAssertion(hash);
  await asset.ensureManifestSpace(store.measureSize());
  await hash.updateWithAsset(asset);
  await manifest.sign(key);
  await asset.writeManifestJUMBF(store.getBytes());
  return Buffer.from(await asset.getDataRange());
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * A distinct file with the same pixels and metadata: a JPEG COM segment or a PNG tEXt Comment
 * carrying `text` (encoding thousands of images with jpeg-js is slow; this is not).
 */
export function variant(bytes: Buffer, text: string): Buffer {
  if (bytes[0] === 0xff) {
    const seg = jpegSegment(0xfffe, Buffer.from(text, 'latin1'));
    return Buffer.concat([bytes.subarray(0, 2), seg, bytes.subarray(2)]);
  }
  const chunk = pngChunk('tEXt', Buffer.from(`Comment\0${text}`, 'latin1'));
  return Buffer.concat([bytes.subarray(0, 33), chunk, bytes.subarray(33)]);
}
