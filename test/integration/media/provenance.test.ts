import { describe, expect, it } from 'vitest';
import { C2paExifrProvenanceReader } from '#adapters/media/provenance-reader.ts';
import { assessMedia, DEFAULT_MEDIA_THRESHOLDS } from '#domain/media/verdict.ts';
import { DST, makeImage, signC2pa } from '#local/media-fixtures.ts';

const reader = new C2paExifrProvenanceReader();
const verdict = async (b: Uint8Array) =>
  assessMedia({ provenance: await reader.read(b) }, DEFAULT_MEDIA_THRESHOLDS).verdict;

describe('provenance reader on generated images', () => {
  it.each(['jpeg', 'png'] as const)('%s: XMP attribute and element forms', async (format) => {
    for (const form of ['attribute', 'element'] as const) {
      const img = makeImage({ format, xmp: { dst: DST('trainedAlgorithmicMedia'), form } });
      const p = await reader.read(img);
      expect(p.xmpDigitalSourceTypes).toEqual([DST('trainedAlgorithmicMedia')]);
      expect(p.c2pa).toBeUndefined();
      expect(await verdict(img)).toBe('synthetic');
    }
  });

  it.each(['jpeg', 'png'] as const)(
    '%s: software tags (Exif IFD0 / PNG tEXt / XMP CreatorTool)',
    async (format) => {
      const p = await reader.read(makeImage({ format, software: 'Stable Diffusion XL' }));
      expect(p.software).toEqual(['Stable Diffusion XL']);
      const x = await reader.read(
        makeImage({
          format,
          xmp: { dst: DST('digitalCapture'), form: 'element', creatorTool: 'Adobe Firefly' },
        }),
      );
      expect(x.software).toContain('Adobe Firefly');
    },
  );

  it.each(['jpeg', 'png'] as const)(
    '%s: signed C2PA manifest (Ed25519, self-signed)',
    async (format) => {
      const synthetic = await signC2pa(makeImage({ format }), DST('trainedAlgorithmicMedia'));
      const p = await reader.read(synthetic);
      expect(p.c2pa).toMatchObject({
        intact: true,
        trustedSigner: false,
        digitalSourceTypes: [DST('trainedAlgorithmicMedia')],
      });
      expect(p.c2pa?.validationCodes).toContain('claimSignature.validated');
      expect(await verdict(synthetic)).toBe('synthetic');

      const capture = await signC2pa(makeImage({ format, seed: 7 }), DST('digitalCapture'));
      // self-signed: intact but not trusted → unknown by default, clean when trust is not required
      expect(await verdict(capture)).toBe('unknown');
      const p2 = await reader.read(capture);
      expect(
        assessMedia(
          { provenance: p2 },
          { ...DEFAULT_MEDIA_THRESHOLDS, cleanRequiresTrustedSigner: false },
        ).verdict,
      ).toBe('clean');
    },
  );

  it('tampered pixels after signing break the hard binding → suspected manipulation', async () => {
    const signed = await signC2pa(makeImage({ seed: 3 }), DST('digitalCapture'));
    const tampered = Buffer.from(signed);
    tampered[tampered.length - 10] = tampered[tampered.length - 10]! ^ 0xff;
    const p = await reader.read(tampered);
    expect(p.c2pa?.intact).toBe(false);
    expect(await verdict(tampered)).toBe('suspected-manipulation');
  });

  it.each(['jpeg', 'png'] as const)('%s: stripped metadata → unknown', async (format) => {
    const plain = makeImage({ format, seed: 11 });
    const p = await reader.read(plain);
    expect(p).toEqual({ xmpDigitalSourceTypes: [], software: [], readable: true });
    expect(await verdict(plain)).toBe('unknown');
  });

  it('non-image bytes are unreadable and unknown, never an exception', async () => {
    const p = await reader.read(Buffer.from('GIF89a not really'));
    expect(p.readable).toBe(false);
    expect(await verdict(Buffer.from('%PDF-1.7'))).toBe('unknown');
  });
});
