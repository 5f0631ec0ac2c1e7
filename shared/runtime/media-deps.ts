import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { S3Client } from '@aws-sdk/client-s3';
import { EventBridgePublisher } from '#adapters/eventbridge-publisher.ts';
import { HttpSyntheticDetector } from '#adapters/media/http-detector.ts';
import { C2paExifrProvenanceReader } from '#adapters/media/provenance-reader.ts';
import { RekognitionFaceAnalyzer } from '#adapters/media/rekognition-face-analyzer.ts';
import { S3MediaObjects } from '#adapters/media/s3-media-objects.ts';
import { parseEnv } from '#contracts/env.ts';
import { MEDIA_ENV, MediaEnvSchema, parseThresholds } from '#contracts/media.ts';
import type { CheckMediaDeps } from '#use-cases/media/check-media-object.ts';
import { CombinedMediaCheck } from '#use-cases/media/media-check.ts';
import { type RuntimeConfig, sdkConfig } from './config.ts';
import { storeDeps } from './store-deps.ts';

/** Composition of the media check (shared by check-media and media-canary). */
export function mediaDeps(
  rt: RuntimeConfig,
): CheckMediaDeps & { env: ReturnType<typeof parseMediaEnv> } {
  const env = parseMediaEnv(rt);
  const rekognition =
    env[MEDIA_ENV.rekognitionEnabled] === 'true'
      ? new RekognitionFaceAnalyzer(new RekognitionClient(sdkConfig(rt.aws, 'rekognition')), {
          tps: env[MEDIA_ENV.rekognitionTps],
        })
      : undefined;
  const detectorUrl = env[MEDIA_ENV.detectorUrl];
  return {
    env,
    ...storeDeps(rt),
    media: new CombinedMediaCheck({
      provenance: new C2paExifrProvenanceReader(),
      ...(rekognition ? { faces: rekognition } : {}),
      ...(detectorUrl ? { detector: new HttpSyntheticDetector(detectorUrl) } : {}),
      thresholds: parseThresholds(env[MEDIA_ENV.thresholds]),
    }),
    objects: new S3MediaObjects(new S3Client(sdkConfig(rt.aws, 's3'))),
    publisher: new EventBridgePublisher(
      new EventBridgeClient(sdkConfig(rt.aws, 'eventbridge')),
      env.EVENT_BUS_NAME,
    ),
  };
}

function parseMediaEnv(rt: RuntimeConfig) {
  return parseEnv(MediaEnvSchema, rt.env);
}
