import {
  CompareFacesCommand,
  DetectFacesCommand,
  DetectModerationLabelsCommand,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { mockClient } from 'aws-sdk-client-mock';
import {
  type CustomMatcher,
  toHaveReceivedCommandTimes,
  toHaveReceivedCommandWith,
} from 'aws-sdk-client-mock-vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RekognitionFaceAnalyzer, TpsLimiter } from '#adapters/media/rekognition-face-analyzer.ts';
import { makeImage, sha256 } from '#local/media-fixtures.ts';
import { RekognitionStandIn } from '#local/rekognition-standin.ts';

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: matcher typing from aws-sdk-client-mock-vitest
  interface Matchers<T = any> extends CustomMatcher<T> {}
}
expect.extend({ toHaveReceivedCommandTimes, toHaveReceivedCommandWith });

const noSleep = async () => undefined;

describe('RekognitionFaceAnalyzer with aws-sdk-client-mock', () => {
  const rek = mockClient(RekognitionClient);
  beforeEach(() => rek.reset());
  afterAll(() => rek.restore());
  const client = new RekognitionClient({ region: 'eu-west-1' });
  const selfie = makeImage({ seed: 1 });
  const id = makeImage({ seed: 2 });

  it('DetectFaces + DetectModerationLabels + CompareFaces for a KYC selfie (bytes)', async () => {
    rek
      .on(DetectFacesCommand)
      .resolves({ FaceDetails: [{ Quality: { Sharpness: 12, Brightness: 60 } }] });
    rek.on(DetectModerationLabelsCommand).resolves({
      ModerationLabels: [],
      ContentTypes: [{ Name: 'Illustrated', Confidence: 91 }],
    });
    rek
      .on(CompareFacesCommand)
      .resolves({ FaceMatches: [{ Similarity: 97.5 }, { Similarity: 40 }] });
    const a = new RekognitionFaceAnalyzer(client, { tps: 1000, sleep: noSleep });
    const f = await a.analyze({
      bytes: selfie,
      sha256: sha256(selfie),
      purpose: 'kyc-selfie',
      reference: { bytes: id },
    });
    expect(f).toMatchObject({
      faceCount: 1,
      quality: [{ sharpness: 12, brightness: 60 }],
      compared: true,
      compareSimilarity: 97.5,
      contentTypes: [{ name: 'Illustrated', confidence: 91 }],
    });
    expect(rek).toHaveReceivedCommandWith(CompareFacesCommand, { SimilarityThreshold: 0 });
    expect(rek).toHaveReceivedCommandTimes(DetectFacesCommand, 1);
  });

  it('retries throttling with backoff, then gives up with RetryableError', async () => {
    const throttle = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    rek
      .on(DetectFacesCommand)
      .rejectsOnce(throttle)
      .rejectsOnce(throttle)
      .resolves({ FaceDetails: [] });
    rek.on(DetectModerationLabelsCommand).resolves({});
    const sleeps: number[] = [];
    const a = new RekognitionFaceAnalyzer(client, {
      tps: 1000,
      baseBackoffMs: 100,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const f = await a.analyze({ bytes: selfie, sha256: 'x', purpose: 'catalog' });
    expect(f.faceCount).toBe(0);
    expect(rek).toHaveReceivedCommandTimes(DetectFacesCommand, 3);
    const backoffs = sleeps.filter((ms) => ms >= 50);
    expect(backoffs.length).toBe(2);
    expect(backoffs[1]!).toBeGreaterThanOrEqual(100);

    rek.reset();
    rek.on(DetectFacesCommand).rejects(throttle);
    rek.on(DetectModerationLabelsCommand).resolves({});
    const b = new RekognitionFaceAnalyzer(client, {
      tps: 1000,
      maxThrottleRetries: 2,
      sleep: noSleep,
    });
    await expect(
      b.analyze({ bytes: selfie, sha256: 'x', purpose: 'catalog' }),
    ).rejects.toMatchObject({
      name: 'RetryableError',
    });
    expect(rek).toHaveReceivedCommandTimes(DetectFacesCommand, 3);
  });

  it('limits: JPEG/PNG only; > 5 MB goes by S3 reference; > 15 MB refused; never calls the service for bad input', async () => {
    const a = new RekognitionFaceAnalyzer(client, { tps: 1000, sleep: noSleep });
    await expect(
      a.analyze({ bytes: Buffer.from('GIF89a....'), sha256: 'x', purpose: 'catalog' }),
    ).rejects.toMatchObject({ name: 'NonRetryableError' });
    const big = Buffer.concat([makeImage(), Buffer.alloc(6 * 1024 * 1024)]);
    await expect(a.analyze({ bytes: big, sha256: 'x', purpose: 'catalog' })).rejects.toThrow(
      /5 MB/,
    );
    expect(RekognitionFaceAnalyzer.image(big, { bucket: 'b', key: 'k.jpg' })).toEqual({
      S3Object: { Bucket: 'b', Name: 'k.jpg' },
    });
    const huge = Buffer.concat([makeImage(), Buffer.alloc(16 * 1024 * 1024)]);
    expect(() => RekognitionFaceAnalyzer.image(huge, { bucket: 'b', key: 'k.jpg' })).toThrow(
      /15 MB/,
    );
    expect(rek).toHaveReceivedCommandTimes(DetectFacesCommand, 0);
  });

  it('TpsLimiter spaces calls to the configured rate', async () => {
    const t = 0;
    const slept: number[] = [];
    const l = new TpsLimiter(
      4,
      () => t,
      async (ms) => {
        slept.push(ms);
      },
    );
    await Promise.all([l.take(), l.take(), l.take(), l.take(), l.take()]);
    expect(slept).toEqual([250, 500, 750, 1000]);
  });
});

describe('RekognitionFaceAnalyzer against the loopback stand-in (real SDK client, JSON protocol)', () => {
  const standIn = new RekognitionStandIn();
  let client: RekognitionClient;
  beforeAll(async () => {
    const url = await standIn.start();
    client = new RekognitionClient({
      region: 'eu-west-1',
      endpoint: url,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
  });
  afterAll(async () => {
    client.destroy();
    await standIn.stop();
  });

  it('answers from fixtures keyed by SHA-256, including throttling', async () => {
    const selfie = makeImage({ seed: 21 });
    const id = makeImage({ seed: 22, format: 'png' });
    standIn.fixtures.set(sha256(selfie), {
      faces: [{ sharpness: 90 }],
      similarity: 31,
      moderation: [{ name: 'Alcohol', confidence: 77 }],
    });
    standIn.fixtures.set(sha256(id), { faces: [{}] });
    standIn.throttleNext = 1;
    const a = new RekognitionFaceAnalyzer(client, { tps: 50, baseBackoffMs: 5 });
    const f = await a.analyze({
      bytes: selfie,
      sha256: sha256(selfie),
      purpose: 'kyc-selfie',
      reference: { bytes: id },
    });
    expect(f).toMatchObject({
      faceCount: 1,
      compared: true,
      compareSimilarity: 31,
      moderationLabels: [{ name: 'Alcohol', confidence: 77 }],
    });
    standIn.fixtures.set(sha256(selfie), { faces: [{}], similarity: 96 });
    const g = await a.analyze({
      bytes: selfie,
      sha256: sha256(selfie),
      purpose: 'kyc-selfie',
      reference: { bytes: id },
    });
    expect(g.compareSimilarity).toBe(96);
    expect(standIn.calls.map((c) => c.operation)).toEqual(
      expect.arrayContaining(['DetectFaces', 'DetectModerationLabels', 'CompareFaces']),
    );
  });

  it('an unknown image has no faces; a non-image is InvalidImageFormatException from the service', async () => {
    const a = new RekognitionFaceAnalyzer(client, { tps: 50 });
    const f = await a.analyze({ bytes: makeImage({ seed: 99 }), sha256: 'x', purpose: 'catalog' });
    expect(f.faceCount).toBe(0);
    await expect(
      client.send(new DetectFacesCommand({ Image: { Bytes: Buffer.from('not an image') } })),
    ).rejects.toMatchObject({ name: 'InvalidImageFormatException' });
  });
});
