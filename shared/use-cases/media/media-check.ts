import { assessMedia, type MediaThresholds } from '#domain/media/verdict.ts';
import type {
  FaceAnalyzer,
  MediaCheck,
  MediaCheckResult,
  MediaInput,
  ProvenanceReader,
  SyntheticDetector,
} from '#ports/media-check.ts';
import { errorSummary } from '#runtime/errors.ts';

export interface MediaCheckDeps {
  provenance: ProvenanceReader;
  faces?: FaceAnalyzer;
  detector?: SyntheticDetector;
  thresholds: MediaThresholds;
}

function format(bytes: Uint8Array): 'jpeg' | 'png' | 'other' {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return 'png';
  return 'other';
}

/**
 * The classifier: provenance always; Rekognition and the third-party detector when configured.
 * A failing optional source is recorded in `evidence.errors` and leaves the verdict to the others
 * (never silently `clean`).
 */
export class CombinedMediaCheck implements MediaCheck {
  constructor(private readonly deps: MediaCheckDeps) {}

  async check(input: MediaInput): Promise<MediaCheckResult> {
    const errors: string[] = [];
    const fmt = format(input.bytes);
    const optional = async <T>(what: string, fn: (() => Promise<T>) | undefined) => {
      if (!fn) return undefined;
      try {
        return await fn();
      } catch (err) {
        const e = errorSummary(err);
        if (e.name === 'RetryableError') throw err;
        errors.push(`${what}: ${e.name}: ${e.message}`);
        return undefined;
      }
    };
    const { faces, detector } = this.deps;
    const [provenance, faceFacts, detectorFacts] = await Promise.all([
      this.deps.provenance.read(input.bytes),
      optional('rekognition', faces && fmt !== 'other' ? () => faces.analyze(input) : undefined),
      optional('detector', detector ? () => detector.detect(input) : undefined),
    ]);
    const { verdict, signals } = assessMedia(
      {
        provenance,
        ...(faceFacts ? { faces: faceFacts } : {}),
        ...(detectorFacts ? { detector: detectorFacts } : {}),
      },
      this.deps.thresholds,
    );
    return {
      verdict,
      signals,
      evidence: {
        sha256: input.sha256,
        bytes: input.bytes.length,
        format: fmt,
        provenance,
        ...(faceFacts ? { faces: faceFacts } : {}),
        ...(detectorFacts ? { detector: detectorFacts } : {}),
        errors,
      },
    };
  }
}
