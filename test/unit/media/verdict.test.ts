import { describe, expect, it } from 'vitest';
import {
  assessMedia,
  canaryScore,
  customerSafe,
  type ProvenanceFacts,
  DEFAULT_MEDIA_THRESHOLDS as T,
} from '#domain/media/verdict.ts';

const DST = (t: string) => `http://cv.iptc.org/newscodes/digitalsourcetype/${t}`;
const none: ProvenanceFacts = { xmpDigitalSourceTypes: [], software: [], readable: true };
const c2pa = (dst: string, over: Partial<NonNullable<ProvenanceFacts['c2pa']>> = {}) => ({
  ...none,
  c2pa: {
    intact: true,
    trustedSigner: true,
    digitalSourceTypes: [DST(dst)],
    softwareAgents: [],
    validationCodes: [],
    ...over,
  },
});

describe('assessMedia', () => {
  it('no provenance at all is unknown, never clean', () => {
    const r = assessMedia({ provenance: none }, T);
    expect(r.verdict).toBe('unknown');
    expect(r.signals.map((s) => s.name)).toContain('c2pa.no-manifest');
  });

  it.each([
    ['trainedAlgorithmicMedia', 'synthetic'],
    ['algorithmicMedia', 'synthetic'],
    ['compositeWithTrainedAlgorithmicMedia', 'suspected-manipulation'],
    ['compositeSynthetic', 'suspected-manipulation'],
  ])('XMP DigitalSourceType %s → %s', (term, verdict) => {
    expect(
      assessMedia({ provenance: { ...none, xmpDigitalSourceTypes: [DST(term)] } }, T).verdict,
    ).toBe(verdict);
  });

  it('an intact trusted C2PA capture manifest is clean; untrusted signer is unknown unless configured', () => {
    expect(assessMedia({ provenance: c2pa('digitalCapture') }, T).verdict).toBe('clean');
    const untrusted = c2pa('digitalCapture', { trustedSigner: false });
    expect(assessMedia({ provenance: untrusted }, T).verdict).toBe('unknown');
    expect(
      assessMedia({ provenance: untrusted }, { ...T, cleanRequiresTrustedSigner: false }).verdict,
    ).toBe('clean');
  });

  it('XMP capture claims alone never make an image clean (unsigned)', () => {
    const r = assessMedia(
      { provenance: { ...none, xmpDigitalSourceTypes: [DST('digitalCapture')] } },
      T,
    );
    expect(r.verdict).toBe('unknown');
  });

  it('a broken manifest is suspected manipulation; C2PA generated is synthetic', () => {
    expect(assessMedia({ provenance: c2pa('digitalCapture', { intact: false }) }, T).verdict).toBe(
      'suspected-manipulation',
    );
    expect(assessMedia({ provenance: c2pa('trainedAlgorithmicMedia') }, T).verdict).toBe(
      'synthetic',
    );
  });

  it('generator software tags are synthetic (case-insensitive, configurable)', () => {
    const p = { ...none, software: ['Midjourney v6'] };
    expect(assessMedia({ provenance: p }, T).verdict).toBe('synthetic');
    expect(assessMedia({ provenance: p }, { ...T, generatorSoftware: ['other'] }).verdict).toBe(
      'unknown',
    );
  });

  it('KYC: selfie/ID mismatch, face count and illustrated content are suspected manipulation', () => {
    const faces = {
      purpose: 'kyc-selfie' as const,
      faceCount: 1,
      quality: [{ sharpness: 80, brightness: 70 }],
      compared: true,
      compareSimilarity: 42,
      moderationLabels: [],
      contentTypes: [],
    };
    expect(assessMedia({ provenance: none, faces }, T).verdict).toBe('suspected-manipulation');
    expect(
      assessMedia({ provenance: none, faces: { ...faces, compareSimilarity: 99 } }, T).verdict,
    ).toBe('unknown');
    expect(
      assessMedia({ provenance: none, faces: { ...faces, compareSimilarity: 99, faceCount: 2 } }, T)
        .verdict,
    ).toBe('suspected-manipulation');
    const drawn = {
      ...faces,
      compareSimilarity: 99,
      contentTypes: [{ name: 'Illustrated', confidence: 95 }],
    };
    expect(assessMedia({ provenance: none, faces: drawn }, T).verdict).toBe(
      'suspected-manipulation',
    );
    // catalog images: face count and content types are information only
    expect(
      assessMedia(
        {
          provenance: none,
          faces: { ...drawn, purpose: 'catalog', faceCount: 0, compared: false },
        },
        T,
      ).verdict,
    ).toBe('unknown');
  });

  it('detector score thresholds from configuration; a failed detector is info only', () => {
    const at = (score: number) =>
      assessMedia({ provenance: none, detector: { model: 'm1', status: 'ok', score } }, T).verdict;
    expect(at(0.95)).toBe('synthetic');
    expect(at(0.7)).toBe('suspected-manipulation');
    expect(at(0.1)).toBe('unknown');
    expect(
      assessMedia({ provenance: none, detector: { model: 'm1', status: 'error' } }, T).verdict,
    ).toBe('unknown');
  });

  it('customer-safe signals carry no scores or details', () => {
    const r = assessMedia(
      { provenance: none, detector: { model: 'm1', status: 'ok', score: 0.95 } },
      T,
    );
    const safe = customerSafe(r.signals);
    expect(JSON.stringify(safe)).not.toContain('0.95');
    expect(JSON.stringify(safe)).not.toContain('m1');
  });
});

describe('canaryScore', () => {
  it('computes precision and recall over flagged verdicts', () => {
    const s = canaryScore([
      { expected: 'synthetic', verdict: 'synthetic' },
      { expected: 'synthetic', verdict: 'unknown' },
      { expected: 'genuine', verdict: 'clean' },
      { expected: 'genuine', verdict: 'suspected-manipulation' },
    ]);
    expect(s).toMatchObject({ tp: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5, total: 4 });
  });
});
