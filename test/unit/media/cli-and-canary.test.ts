import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { C2paExifrProvenanceReader } from '#adapters/media/provenance-reader.ts';
import { DEFAULT_MEDIA_THRESHOLDS } from '#domain/media/verdict.ts';
import { DST, makeImage, signC2pa } from '#local/media-fixtures.ts';
import type { MediaObjects } from '#ports/media-objects.ts';
import { emfLine } from '#runtime/emf.ts';
import { CombinedMediaCheck } from '#use-cases/media/media-check.ts';
import { runCanary } from '#use-cases/media/run-canary.ts';
import { mediaCheckFiles } from '../../../cli/commands/media-check.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../../cli/bin.mjs');

describe('tourniquet media-check', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tq-media-cli-'));
  const plain = path.join(dir, 'plain.jpg');
  const ai = path.join(dir, 'ai.png');
  writeFileSync(plain, makeImage({ seed: 1 }));
  writeFileSync(
    ai,
    makeImage({ format: 'png', xmp: { dst: DST('trainedAlgorithmicMedia'), form: 'element' } }),
  );

  it('one result per file, provenance only by default', async () => {
    const lines = await mediaCheckFiles([plain, ai], {});
    expect(lines).toEqual([
      { file: plain, verdict: 'unknown', signals: ['c2pa.no-manifest'] },
      {
        file: ai,
        verdict: 'synthetic',
        signals: ['c2pa.no-manifest', 'xmp.digital-source-type.trainedAlgorithmicMedia'],
      },
    ]);
  });

  it('the binary prints JSON and exits 2 with one line on a missing file', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'media-check', '--json', ai]);
    expect(JSON.parse(stdout)).toEqual([
      {
        file: ai,
        verdict: 'synthetic',
        signals: ['c2pa.no-manifest', 'xmp.digital-source-type.trainedAlgorithmicMedia'],
      },
    ]);
    const err = await run(process.execPath, [
      BIN,
      'media-check',
      path.join(dir, 'missing.jpg'),
    ]).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    expect(err.stderr).toContain('cannot read');
  });
});

describe('media canary', () => {
  it('computes precision/recall over the canary set and emits them as EMF', async () => {
    const files = new Map<string, Buffer>([
      ['canary/ai-1.jpg', await signC2pa(makeImage({ seed: 31 }), DST('trainedAlgorithmicMedia'))],
      [
        'canary/ai-2.png',
        makeImage({
          format: 'png',
          seed: 32,
          xmp: { dst: DST('algorithmicMedia'), form: 'attribute' },
        }),
      ],
      ['canary/ai-stripped.jpg', makeImage({ seed: 33 })], // a generated image whose metadata was stripped
      ['canary/cam-1.jpg', await signC2pa(makeImage({ seed: 34 }), DST('digitalCapture'))],
    ]);
    files.set(
      'canary/manifest.json',
      Buffer.from(
        JSON.stringify({
          items: [
            { key: 'ai-1.jpg', expected: 'synthetic' },
            { key: 'ai-2.png', expected: 'synthetic' },
            { key: 'ai-stripped.jpg', expected: 'synthetic' },
            { key: 'cam-1.jpg', expected: 'genuine' },
          ],
        }),
      ),
    );
    const objects = {
      get: async (_b: string, k: string) => {
        const f = files.get(k);
        if (!f) throw new Error(`no ${k}`);
        return f;
      },
    } as unknown as MediaObjects;
    const lines: string[] = [];
    const r = await runCanary(
      {
        media: new CombinedMediaCheck({
          provenance: new C2paExifrProvenanceReader(),
          thresholds: DEFAULT_MEDIA_THRESHOLDS,
        }),
        objects,
        metrics: (v) =>
          lines.push(emfLine('Tourniquet/Media', { Stage: 'test' }, v, 1_700_000_000_000)),
      },
      { bucket: 'media', prefix: 'canary/' },
    );
    expect(r).toMatchObject({
      tp: 2,
      fp: 0,
      fn: 1,
      precision: 1,
      total: 4,
      misses: ['ai-stripped.jpg'],
    });
    expect(r.recall).toBeCloseTo(2 / 3);
    const emf = JSON.parse(lines[0]!);
    expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'Tourniquet/Media',
      Dimensions: [['Stage']],
    });
    expect(emf.CanaryRecall).toBeCloseTo(2 / 3);
    expect(emf.Stage).toBe('test');
  });
});
