import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type {
  DrillImageSpec,
  DrillMediaFixtures,
  DrillObjectWriter,
  DrillWorkflows,
} from '#ports/drill.ts';
import { NonRetryableError, RetryableError } from '#runtime/errors.ts';
import { makeImage, signC2pa, variant } from './media-fixtures.ts';

/** PutObject with the drill tags (the drill's objects are tagged from the first byte). */
export class S3DrillObjects implements DrillObjectWriter {
  constructor(private readonly s3: S3Client) {}

  async put(
    bucket: string,
    key: string,
    body: Uint8Array | string,
    opts: { contentType: string; tags: Record<string, string> },
  ) {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: opts.contentType,
        Tagging: new URLSearchParams(opts.tags).toString(),
      }),
    );
  }
}

/** Step Functions StartExecution (idempotent by name) and a synchronous Lambda invoke. */
export class AwsDrillWorkflows implements DrillWorkflows {
  constructor(
    private readonly sfn: SFNClient,
    private readonly lambda: LambdaClient,
  ) {}

  async startExecution(stateMachineArn: string, name: string, input: unknown) {
    try {
      await this.sfn.send(
        new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
      );
      return { started: true };
    } catch (err) {
      if (err instanceof ExecutionAlreadyExists) return { started: false };
      throw err;
    }
  }

  async invoke(functionName: string, payload: unknown) {
    const r = await this.lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
    const text = r.Payload ? Buffer.from(r.Payload).toString('utf8') : 'null';
    if (r.FunctionError) {
      let e: { errorType?: string; errorMessage?: string } = {};
      try {
        e = JSON.parse(text);
      } catch {
        // not JSON: reported by type only
      }
      const what = `${functionName} failed: ${e.errorType ?? r.FunctionError}: ${(e.errorMessage ?? '').slice(0, 300)}`;
      throw e.errorType === 'NonRetryableError'
        ? new NonRetryableError(what)
        : new RetryableError(what);
    }
    return JSON.parse(text) as unknown;
  }
}

/** Generated fixture images (the local drill's generator; C2PA signed in-process). */
export class GeneratedMediaFixtures implements DrillMediaFixtures {
  async image(spec: DrillImageSpec): Promise<Uint8Array> {
    const { c2pa, ...opts } = spec;
    return c2pa ? signC2pa(makeImage(opts), c2pa) : makeImage(opts);
  }

  variant(bytes: Uint8Array, text: string): Uint8Array {
    return variant(Buffer.from(bytes), text);
  }
}
