/**
 * Media verdicts: pure combination of provenance, Rekognition and third-party detector signals.
 * Honest by construction: Rekognition has no deepfake API and provenance can be stripped, so
 * the absence of evidence is `unknown`, never `clean`.
 */
export const MEDIA_VERDICTS = ['clean', 'synthetic', 'suspected-manipulation', 'unknown'] as const;
export type MediaVerdict = (typeof MEDIA_VERDICTS)[number];

export const IPTC_DST_BASE = 'http://cv.iptc.org/newscodes/digitalsourcetype/';

/** Terms that declare generated media (whole image). */
export const SYNTHETIC_SOURCE_TYPES = ['trainedAlgorithmicMedia', 'algorithmicMedia'] as const;
/** Terms that declare a composite with generated elements. */
export const COMPOSITE_SYNTHETIC_SOURCE_TYPES = [
  'compositeWithTrainedAlgorithmicMedia',
  'compositeSynthetic',
] as const;
/** Terms that declare a capture (the only positive evidence that can lead to `clean`). */
export const CAPTURE_SOURCE_TYPES = [
  'digitalCapture',
  'computationalCapture',
  'negativeFilm',
  'positiveFilm',
  'print',
  'minorHumanEdits',
  'compositeCapture',
] as const;

export type SignalSource = 'c2pa' | 'xmp' | 'software' | 'rekognition' | 'detector';

/** One observation. `effect` says how it moved the verdict; scores stay internal (never shown to customers). */
export interface MediaSignal {
  source: SignalSource;
  name: string;
  effect: 'synthetic' | 'suspected-manipulation' | 'supports-clean' | 'info';
  detail?: string;
  score?: number;
}

export interface ProvenanceFacts {
  c2pa?: {
    /** Claim signature validated and the hard binding (data hash) matches the bytes. */
    intact: boolean;
    /** Signer chains to a configured trust anchor (self-signed → false). */
    trustedSigner: boolean;
    digitalSourceTypes: string[];
    softwareAgents: string[];
    validationCodes: string[];
  };
  xmpDigitalSourceTypes: string[];
  /** Software / CreatorTool / PNG Software text. */
  software: string[];
  /** Image metadata was readable at all (false for truncated / unsupported bytes). */
  readable: boolean;
}

export interface FaceFacts {
  purpose: 'kyc-selfie' | 'kyc-document' | 'catalog';
  faceCount: number;
  /** Per face: Rekognition Quality.Sharpness / Brightness (0-100). */
  quality: Array<{ sharpness: number; brightness: number }>;
  /** CompareFaces best similarity against the KYC reference; undefined when not compared. */
  compareSimilarity?: number;
  compared: boolean;
  moderationLabels: Array<{ name: string; confidence: number }>;
  contentTypes: Array<{ name: string; confidence: number }>;
}

export interface DetectorFacts {
  model: string;
  status: 'ok' | 'error' | 'unsupported' | 'pending';
  /** Probability-like 0..1 that the image is synthetic/manipulated. */
  score?: number;
}

export interface MediaThresholds {
  /** Generator software names (case-insensitive substrings) that mark an image as generated. */
  generatorSoftware: string[];
  /** CompareFaces similarity below this (0-100) = the selfie does not match the ID document. */
  minFaceSimilarity: number;
  /** Quality (0-100) below which a KYC face is flagged (info; never decisive on its own). */
  minFaceSharpness: number;
  /** Rekognition ContentTypes (Animated/Illustrated) confidence that flags a KYC photo. */
  contentTypeConfidence: number;
  detectorSynthetic: number;
  detectorSuspect: number;
  /** Whether `clean` requires the C2PA signer to be trusted (production: true). */
  cleanRequiresTrustedSigner: boolean;
}

export const DEFAULT_MEDIA_THRESHOLDS: MediaThresholds = {
  generatorSoftware: [
    'dall-e',
    'dall·e',
    'midjourney',
    'stable diffusion',
    'firefly',
    'imagen',
    'chatgpt',
    'flux',
    'gpt-4o',
  ],
  minFaceSimilarity: 90,
  minFaceSharpness: 20,
  contentTypeConfidence: 80,
  detectorSynthetic: 0.9,
  detectorSuspect: 0.6,
  cleanRequiresTrustedSigner: true,
};

export interface MediaFacts {
  provenance: ProvenanceFacts;
  faces?: FaceFacts;
  detector?: DetectorFacts;
}

export interface MediaAssessment {
  verdict: MediaVerdict;
  signals: MediaSignal[];
}

const term = (uri: string) =>
  uri.startsWith(IPTC_DST_BASE) ? uri.slice(IPTC_DST_BASE.length) : uri;
const isIn = (list: readonly string[], uri: string) => list.includes(term(uri));

export function assessMedia(facts: MediaFacts, t: MediaThresholds): MediaAssessment {
  const signals: MediaSignal[] = [];
  const { provenance: p } = facts;

  const declare = (source: 'c2pa' | 'xmp', uris: string[]) => {
    for (const uri of uris) {
      const name = `${source}.digital-source-type.${term(uri)}`;
      if (isIn(SYNTHETIC_SOURCE_TYPES, uri) || uri === 'c2pa.trainedAlgorithmicData')
        signals.push({ source, name, effect: 'synthetic' });
      else if (isIn(COMPOSITE_SYNTHETIC_SOURCE_TYPES, uri))
        signals.push({ source, name, effect: 'suspected-manipulation' });
      else if (isIn(CAPTURE_SOURCE_TYPES, uri))
        signals.push({ source, name, effect: source === 'c2pa' ? 'supports-clean' : 'info' });
      else signals.push({ source, name, effect: 'info' });
    }
  };

  if (p.c2pa) {
    signals.push({
      source: 'c2pa',
      name: p.c2pa.intact ? 'c2pa.manifest-intact' : 'c2pa.manifest-broken',
      effect: p.c2pa.intact ? 'info' : 'suspected-manipulation',
      detail: p.c2pa.intact ? undefined : 'signature or hard binding does not match the bytes',
    });
    if (!p.c2pa.trustedSigner)
      signals.push({ source: 'c2pa', name: 'c2pa.signer-untrusted', effect: 'info' });
    declare('c2pa', p.c2pa.digitalSourceTypes);
  } else {
    signals.push({ source: 'c2pa', name: 'c2pa.no-manifest', effect: 'info' });
  }
  declare('xmp', p.xmpDigitalSourceTypes);

  const generators = [...p.software, ...(p.c2pa?.softwareAgents ?? [])].filter((s) =>
    t.generatorSoftware.some((g) => s.toLowerCase().includes(g.toLowerCase())),
  );
  for (const g of [...new Set(generators)])
    signals.push({
      source: 'software',
      name: 'software.generator',
      effect: 'synthetic',
      detail: g,
    });

  const f = facts.faces;
  if (f) {
    const kyc = f.purpose !== 'catalog';
    signals.push({
      source: 'rekognition',
      name: 'rekognition.face-count',
      effect: kyc && f.faceCount !== 1 ? 'suspected-manipulation' : 'info',
      detail: String(f.faceCount),
    });
    const blurry = f.quality.filter((q) => q.sharpness < t.minFaceSharpness).length;
    if (blurry > 0)
      signals.push({ source: 'rekognition', name: 'rekognition.low-face-quality', effect: 'info' });
    if (f.compared) {
      const sim = f.compareSimilarity ?? 0;
      signals.push({
        source: 'rekognition',
        name: sim >= t.minFaceSimilarity ? 'rekognition.face-match' : 'rekognition.face-mismatch',
        effect: sim >= t.minFaceSimilarity ? 'info' : 'suspected-manipulation',
        score: sim,
      });
    }
    for (const c of f.contentTypes.filter((x) => x.confidence >= t.contentTypeConfidence))
      signals.push({
        source: 'rekognition',
        name: `rekognition.content-type.${c.name}`,
        effect: kyc ? 'suspected-manipulation' : 'info',
        score: c.confidence,
      });
    for (const m of f.moderationLabels)
      signals.push({
        source: 'rekognition',
        name: 'rekognition.moderation-label',
        effect: 'info',
        detail: m.name,
        score: m.confidence,
      });
  }

  if (facts.detector) signals.push(detectorSignal(facts.detector, t));

  return { verdict: decide(signals, p, t), signals };
}

/** The third-party detector's signal: its score against the configured thresholds. */
function detectorSignal(d: DetectorFacts, t: MediaThresholds): MediaSignal {
  if (d.status !== 'ok' || d.score === undefined)
    return { source: 'detector', name: `detector.${d.status}`, effect: 'info', detail: d.model };
  return {
    source: 'detector',
    name: 'detector.score',
    effect:
      d.score >= t.detectorSynthetic
        ? 'synthetic'
        : d.score >= t.detectorSuspect
          ? 'suspected-manipulation'
          : 'info',
    detail: d.model,
    score: d.score,
  };
}

/**
 * A detector result on its own (a vendor webhook, without the image bytes): `synthetic` or
 * `suspected-manipulation` when the score crosses a threshold, otherwise `unknown` — a detector
 * alone never makes an image `clean`.
 */
export function assessDetectorResult(d: DetectorFacts, t: MediaThresholds): MediaAssessment {
  const signal = detectorSignal(d, t);
  const verdict: MediaVerdict =
    signal.effect === 'synthetic' || signal.effect === 'suspected-manipulation'
      ? signal.effect
      : 'unknown';
  return { verdict, signals: [signal] };
}

function decide(signals: MediaSignal[], p: ProvenanceFacts, t: MediaThresholds): MediaVerdict {
  if (signals.some((s) => s.effect === 'synthetic')) return 'synthetic';
  if (signals.some((s) => s.effect === 'suspected-manipulation')) return 'suspected-manipulation';
  // `clean` only with positive, verifiable evidence: an intact manifest declaring a capture.
  const c = p.c2pa;
  const capture = signals.some((s) => s.effect === 'supports-clean');
  if (c?.intact && capture && (c.trustedSigner || !t.cleanRequiresTrustedSigner)) return 'clean';
  return 'unknown';
}

/** Signals as customers may see them: names only, no scores or details. */
export function customerSafe(signals: MediaSignal[]): Array<Pick<MediaSignal, 'source' | 'name'>> {
  return signals.map(({ source, name }) => ({ source, name }));
}

/** Precision and recall of a canary run (positives = known synthetic). */
export function canaryScore(
  results: Array<{ expected: 'synthetic' | 'genuine'; verdict: MediaVerdict }>,
): { precision: number; recall: number; tp: number; fp: number; fn: number; total: number } {
  const flagged = (v: MediaVerdict) => v === 'synthetic' || v === 'suspected-manipulation';
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const r of results) {
    if (r.expected === 'synthetic' && flagged(r.verdict)) tp++;
    else if (r.expected === 'genuine' && flagged(r.verdict)) fp++;
    else if (r.expected === 'synthetic') fn++;
  }
  return {
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    tp,
    fp,
    fn,
    total: results.length,
  };
}
