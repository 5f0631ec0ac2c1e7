import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import type { Command } from 'commander';
import { C2paExifrProvenanceReader } from '#adapters/media/provenance-reader.ts';
import { RekognitionFaceAnalyzer } from '#adapters/media/rekognition-face-analyzer.ts';
import { parseThresholds } from '#contracts/media.ts';
import { CombinedMediaCheck } from '#use-cases/media/media-check.ts';
import { CliError } from '../errors.ts';

export interface MediaCheckLine {
  file: string;
  verdict: string;
  signals: string[];
}

interface Opts {
  json?: boolean;
  rekognition?: boolean;
  region?: string;
  tps?: string;
  purpose?: string;
  thresholds?: string;
}

/** Provenance always (local, offline); Rekognition only with --rekognition (AWS credentials). */
export async function mediaCheckFiles(files: string[], opts: Opts): Promise<MediaCheckLine[]> {
  let thresholdsJson: string | undefined;
  if (opts.thresholds) {
    try {
      thresholdsJson = readFileSync(opts.thresholds, 'utf8');
    } catch (err) {
      throw new CliError(
        `cannot read thresholds ${opts.thresholds} (${(err as NodeJS.ErrnoException).code})`,
        2,
      );
    }
  }
  let thresholds: ReturnType<typeof parseThresholds>;
  try {
    thresholds = parseThresholds(thresholdsJson);
  } catch (err) {
    throw new CliError(
      `invalid thresholds: ${(err as Error).message.replace(/\s+/g, ' ').slice(0, 200)}`,
      2,
    );
  }
  const purpose = (opts.purpose ?? 'catalog') as 'catalog' | 'kyc-selfie' | 'kyc-document';
  if (!['catalog', 'kyc-selfie', 'kyc-document'].includes(purpose))
    throw new CliError(`invalid --purpose ${opts.purpose} (catalog, kyc-selfie, kyc-document)`, 2);
  const client = opts.rekognition
    ? new RekognitionClient({
        ...(opts.region ? { region: opts.region } : {}),
        ...(process.env.REKOGNITION_ENDPOINT ? { endpoint: process.env.REKOGNITION_ENDPOINT } : {}),
      })
    : undefined;
  const check = new CombinedMediaCheck({
    provenance: new C2paExifrProvenanceReader(),
    ...(client
      ? { faces: new RekognitionFaceAnalyzer(client, { tps: Number(opts.tps ?? 5) }) }
      : {}),
    thresholds,
  });
  const out: MediaCheckLine[] = [];
  try {
    for (const file of files) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (err) {
        throw new CliError(
          `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'read error'})`,
          2,
        );
      }
      const r = await check.check({
        bytes,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        purpose,
      });
      const failed = r.evidence.errors.map((e) => `error.${e.split(':')[0]}`);
      out.push({ file, verdict: r.verdict, signals: [...r.signals.map((s) => s.name), ...failed] });
    }
  } finally {
    client?.destroy();
  }
  return out;
}

export function registerMediaCheck(program: Command): void {
  program
    .command('media-check')
    .description(
      'Classify images: clean | synthetic | suspected-manipulation | unknown (provenance; Rekognition with --rekognition)',
    )
    .argument('<files...>', 'JPEG or PNG files')
    .option('--json', 'print a JSON array of { file, verdict, signals }')
    .option(
      '--rekognition',
      'also call Amazon Rekognition (AWS credentials/profile from the environment)',
    )
    .option('--region <region>', 'AWS region for Rekognition')
    .option('--tps <n>', 'Rekognition calls per second', '5')
    .option('--purpose <purpose>', 'catalog | kyc-selfie | kyc-document', 'catalog')
    .option('--thresholds <file>', 'thresholds JSON (same shape as MEDIA_THRESHOLDS)')
    .action(async (files: string[], opts: Opts) => {
      const lines = await mediaCheckFiles(files, opts);
      if (opts.json) process.stdout.write(`${JSON.stringify(lines, null, 2)}\n`);
      else
        for (const l of lines)
          process.stdout.write(`${l.verdict.padEnd(24)} ${l.file}  ${l.signals.join(', ')}\n`);
    });
}
