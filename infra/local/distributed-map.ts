/**
 * THE one place where Distributed Map (AWS) becomes an inline Map (local runtime); see
 * docs/local-runtime.md "Distributed Map". aws-local-stepfunctions cannot run ItemReader /
 * DISTRIBUTED mode, so before a definition runs locally every Map state with an `ItemReader` is
 * rewritten into two states:
 *
 *   <Name>            Task  Resource = the ItemReader's Resource (e.g. arn:aws:states:::s3:listObjectsV2),
 *                           Parameters = the ItemReader's Parameters (+ ReaderConfig),
 *                           ResultPath = $.__items  → the runtime binds the resource to the
 *                           S3 stand-in and returns the items the reader would have produced
 *   <Name>__Inline    Map   ItemsPath = $.__items, ProcessorConfig.Mode = INLINE, same
 *                           ItemSelector / ItemProcessor / MaxConcurrency / ResultPath / Next
 *
 * Dropped locally (AWS-only): ResultWriter, ItemBatcher, ToleratedFailure*, Label, ExecutionType.
 * Item failures inside the processor are still caught by the processor's own Catch.
 */
type Json = any;

export function rewriteDistributedMaps(def: Json): Json {
  const rewrite = (states: Record<string, Json>) => {
    for (const [name, s] of Object.entries({ ...states })) {
      if (s.Type === 'Map' && s.ItemReader) {
        const reader = s.ItemReader;
        const inlineName = `${name}__Inline`;
        const task: Json = {
          Type: 'Task',
          Resource: reader.Resource,
          Parameters: {
            ...(reader.Parameters ?? {}),
            ...(reader.ReaderConfig ? { ReaderConfig: reader.ReaderConfig } : {}),
          },
          ResultPath: '$.__items',
          Next: inlineName,
          Comment: `local: ItemReader of Distributed Map ${name}`,
        };
        if (s.Catch) task.Catch = s.Catch;
        const {
          ItemReader: _r,
          ResultWriter: _w,
          ItemBatcher: _b,
          ToleratedFailurePercentage: _p,
          ToleratedFailureCount: _c,
          Label: _l,
          ...rest
        } = s;
        const processor = { ...(s.ItemProcessor ?? {}) };
        processor.ProcessorConfig = { Mode: 'INLINE' };
        const inline: Json = { ...rest, ItemsPath: '$.__items', ItemProcessor: processor };
        states[name] = task;
        states[inlineName] = inline;
        rewrite(processor.States ?? {});
      } else if (s.Type === 'Map') {
        rewrite((s.ItemProcessor ?? s.Iterator)?.States ?? {});
      } else if (s.Type === 'Parallel') {
        for (const b of s.Branches ?? []) rewrite(b.States);
      }
    }
  };
  const copy = JSON.parse(JSON.stringify(def));
  rewrite(copy.States);
  return copy;
}

/**
 * Local binding of ItemReader resources against the S3 stand-in (same items AWS would read):
 * s3:listObjectsV2 → Contents entries; s3:getObject with InputType MANIFEST → S3 Inventory rows
 * (manifest.json → gzip CSV files, columns from fileSchema); InputType JSON → the array.
 */
export async function readItemsLocally(
  s3: import('@aws-sdk/client-s3').S3Client,
  resource: string,
  p: Json,
): Promise<Json[] | undefined> {
  const { GetObjectCommand, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  const max = Number(p.ReaderConfig?.MaxItems ?? Number.POSITIVE_INFINITY);
  if (resource === 'arn:aws:states:::s3:listObjectsV2') {
    const out: Json[] = [];
    let token: string | undefined;
    do {
      const r = await s3.send(
        new ListObjectsV2Command({ Bucket: p.Bucket, Prefix: p.Prefix, ContinuationToken: token }),
      );
      for (const o of r.Contents ?? [])
        out.push({
          Key: o.Key,
          Size: o.Size,
          Etag: o.ETag,
          LastModified: o.LastModified?.toISOString(),
          StorageClass: o.StorageClass ?? 'STANDARD',
        });
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token && out.length < max);
    return out.slice(0, max);
  }
  if (resource === 'arn:aws:states:::s3:getObject') {
    const get = async (Bucket: string, Key: string) => {
      const o = await s3.send(new GetObjectCommand({ Bucket, Key }));
      return Buffer.from(await o.Body!.transformToByteArray());
    };
    const body = await get(p.Bucket, p.Key);
    const type = p.ReaderConfig?.InputType ?? 'JSON';
    if (type === 'JSON') return (JSON.parse(body.toString('utf8')) as Json[]).slice(0, max);
    if (type === 'MANIFEST') {
      const { gunzipSync } = await import('node:zlib');
      const manifest = JSON.parse(body.toString('utf8'));
      const cols = String(manifest.fileSchema)
        .split(',')
        .map((c) => c.trim());
      const out: Json[] = [];
      for (const f of manifest.files ?? []) {
        const csv = gunzipSync(await get(p.Bucket, f.key)).toString('utf8');
        for (const line of csv.split('\n').filter(Boolean)) {
          const vals = line.split(',').map((v) => v.replace(/^"|"$/g, ''));
          out.push(Object.fromEntries(cols.map((c, i) => [c, decodeURIComponent(vals[i] ?? '')])));
        }
      }
      return out.slice(0, max);
    }
  }
  return undefined;
}
