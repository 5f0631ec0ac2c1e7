import { GetObjectTaggingCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { S3MediaVerdicts } from '#adapters/recovery/s3-media-verdicts.ts';
import { DEFAULT_MEDIA_RULES } from '#contracts/recovery.ts';
import { mediaObjectOf, worseVerdict } from '#domain/recovery/media-refs.ts';

describe('mediaObjectOf', () => {
  it('resolves Magento gallery paths against the media bucket and catalog prefix', () => {
    expect(
      mediaObjectOf(
        {
          location: 'magento:catalog_product_entity_media_gallery',
          fields: { value: '/m/b/mb01.jpg' },
        },
        DEFAULT_MEDIA_RULES,
        'media-bucket',
      ),
    ).toEqual({ bucket: 'media-bucket', key: 'catalog/product/m/b/mb01.jpg' });
  });

  it('takes s3:// URIs as they are, for any DynamoDB table', () => {
    expect(
      mediaObjectOf(
        {
          location: 'dynamodb:kyc-uploads-restore-1',
          fields: { mediaObject: 's3://kyc/app-9/selfie.jpg' },
        },
        DEFAULT_MEDIA_RULES,
      ),
    ).toEqual({ bucket: 'kyc', key: 'app-9/selfie.jpg' });
  });

  it('ignores records that are not media, and flags a relative path with no bucket to resolve it', () => {
    expect(
      mediaObjectOf(
        { location: 'magento:customer_entity', fields: { value: '/x.jpg' } },
        DEFAULT_MEDIA_RULES,
        'b',
      ),
    ).toBeUndefined();
    expect(
      mediaObjectOf(
        { location: 'magento:catalog_product_entity_media_gallery', fields: { value: null } },
        DEFAULT_MEDIA_RULES,
        'b',
      ),
    ).toBeUndefined();
    expect(
      mediaObjectOf(
        { location: 'magento:catalog_product_entity_media_gallery', fields: { value: '/x.jpg' } },
        DEFAULT_MEDIA_RULES,
      ),
    ).toBe('unresolved');
  });
});

describe('worseVerdict', () => {
  it('orders clean < unknown < none < flagged; an unrecognised verdict counts as none', () => {
    expect(worseVerdict('clean', 'unknown')).toBe('unknown');
    expect(worseVerdict('unknown', null)).toBeNull();
    expect(worseVerdict(null, 'synthetic')).toBe('synthetic');
    expect(worseVerdict('suspected-manipulation', 'clean')).toBe('suspected-manipulation');
    expect(worseVerdict('clean', 'bogus')).toBe('bogus');
    expect(worseVerdict(undefined, 'clean')).toBe('clean');
  });
});

describe('S3MediaVerdicts (aws-sdk-client-mock)', () => {
  const s3 = mockClient(S3Client);
  const verdicts = new S3MediaVerdicts(new S3Client({ region: 'us-east-1' }));
  const fail = (name: string, status: number) =>
    new S3ServiceException({
      name,
      $fault: status >= 500 ? 'server' : 'client',
      $metadata: { httpStatusCode: status },
    });

  it('reads the tourniquet:media-verdict tag; none when the tag or the object is missing', async () => {
    s3.reset();
    s3.on(GetObjectTaggingCommand, { Key: 'a.jpg' }).resolves({
      TagSet: [
        { Key: 'other', Value: 'x' },
        { Key: 'tourniquet:media-verdict', Value: 'synthetic' },
      ],
    });
    s3.on(GetObjectTaggingCommand, { Key: 'b.jpg' }).resolves({
      TagSet: [{ Key: 'other', Value: 'x' }],
    });
    s3.on(GetObjectTaggingCommand, { Key: 'gone.jpg' }).rejects(fail('NoSuchKey', 404));
    expect(await verdicts.verdict('media', 'a.jpg')).toBe('synthetic');
    expect(await verdicts.verdict('media', 'b.jpg')).toBeNull();
    expect(await verdicts.verdict('media', 'gone.jpg')).toBeNull();
    expect(s3).toHaveReceivedCommandWith(GetObjectTaggingCommand, {
      Bucket: 'media',
      Key: 'a.jpg',
    });
  });

  it('throttling and 5xx are retryable; access denied is not swallowed', async () => {
    s3.reset();
    s3.on(GetObjectTaggingCommand)
      .rejectsOnce(fail('SlowDown', 503))
      .rejects(fail('AccessDenied', 403));
    await expect(verdicts.verdict('media', 'a.jpg')).rejects.toMatchObject({
      name: 'RetryableError',
    });
    await expect(verdicts.verdict('media', 'a.jpg')).rejects.toThrow(/AccessDenied/);
  });
});
