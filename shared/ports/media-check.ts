import type {
  DetectorFacts,
  FaceFacts,
  MediaSignal,
  MediaVerdict,
  ProvenanceFacts,
} from '#domain/media/verdict.ts';

/** Bytes of one image plus where it lives (S3) when known. */
export interface MediaInput {
  bytes: Uint8Array;
  sha256: string;
  location?: { bucket: string; key: string };
  purpose: FaceFacts['purpose'];
  /** KYC: the ID-document image the selfie is compared with. */
  reference?: { bytes?: Uint8Array; location?: { bucket: string; key: string } };
}

export interface MediaCheckResult {
  verdict: MediaVerdict;
  signals: MediaSignal[];
  /** Raw facts behind the verdict (kept as evidence; scores inside are internal only). */
  evidence: {
    sha256: string;
    bytes: number;
    format: 'jpeg' | 'png' | 'other';
    provenance: ProvenanceFacts;
    faces?: FaceFacts;
    detector?: DetectorFacts;
    errors: string[];
  };
}

/** The classifier for one image. */
export interface MediaCheck {
  check(input: MediaInput): Promise<MediaCheckResult>;
}

/** C2PA / IPTC-XMP / software tags from the bytes (no network). */
export interface ProvenanceReader {
  read(bytes: Uint8Array): Promise<ProvenanceFacts>;
}

/** Amazon Rekognition (DetectFaces, CompareFaces, DetectModerationLabels). */
export interface FaceAnalyzer {
  analyze(input: MediaInput): Promise<FaceFacts>;
}

/** A pluggable third-party synthetic-media detector (adapter call or stored vendor webhook result). */
export interface SyntheticDetector {
  detect(input: MediaInput): Promise<DetectorFacts | undefined>;
}
