import type { Scenario } from '#contracts/scenario.ts';

/** The drill scenarios (scenarios/*.json), as data. */
export interface ScenarioCatalog {
  names(): string[];
  /** The validated scenario, or undefined when there is none of that name. */
  get(name: string): Scenario | undefined;
}

/** Where run-drill writes a drill's data (drill prefixes only; tagged as drill artefacts). */
export interface DrillObjectWriter {
  put(
    bucket: string,
    key: string,
    body: Uint8Array | string,
    opts: { contentType: string; tags: Record<string, string> },
  ): Promise<void>;
}

/** Starts the real workflows a drill injection feeds (Step Functions, a synchronous invoke). */
export interface DrillWorkflows {
  /** Starts `name` once; the same name again is not an error (`started: false`). */
  startExecution(
    stateMachineArn: string,
    name: string,
    input: unknown,
  ): Promise<{ started: boolean }>;
  /** Invokes a function and returns its result; a function error throws. */
  invoke(functionName: string, payload: unknown): Promise<unknown>;
}

/** One generated fixture image (shared/adapters/drill/media-fixtures.ts). */
export interface DrillImageSpec {
  format?: 'jpeg' | 'png';
  width?: number;
  height?: number;
  seed?: number;
  noise?: boolean;
  quality?: number;
  xmp?: { dst: string; form: 'attribute' | 'element'; creatorTool?: string };
  software?: string;
  /** Embed a signed C2PA manifest declaring this IPTC digital source type URI. */
  c2pa?: string;
}

export interface DrillMediaFixtures {
  image(spec: DrillImageSpec): Promise<Uint8Array>;
  /** A distinct file with the same pixels and metadata (a comment carrying `text`). */
  variant(bytes: Uint8Array, text: string): Uint8Array;
}
