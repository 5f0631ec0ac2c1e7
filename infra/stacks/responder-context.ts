import type { Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { TourniquetConfig } from '../config/index.ts';
import type { LambdaFunction } from '../constructs/lambda-function.ts';

/**
 * What a feature module (infra/stacks/features/*.ts) gets to add its functions, rules and state
 * machines to the responder stack without editing this file beyond one call.
 */
export interface ResponderContext {
  stack: Stack;
  config: TourniquetConfig;
  bus: EventBus;
  dlq: Queue;
  key: IKey;
  table: ITableV2;
  quarantineBucket: IBucket;
  evidenceBucket: IBucket;
  /** A LambdaFunction for functions/<name>.ts with the table and stage in its environment and table access granted. */
  fn: (name: string, environment?: Record<string, string>) => LambdaFunction;
  /** The shared functions of the respond path (escalation etc.). */
  functions: Record<string, LambdaFunction>;
}
