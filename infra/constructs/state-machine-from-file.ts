import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CfnElement, type CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

export interface StateMachineFromFileProps {
  /** File name in state-machines/ without `.asl.json`. */
  file: string;
  /** `${<Key>FunctionArn}` substitutions: each function is granted invoke. */
  functions?: Record<string, IFunction>;
  /** Other `${…}` substitutions (table names, bus ARNs, addresses). */
  substitutions?: Record<string, string>;
  /** Permissions for direct SDK integrations used by the definition. */
  statements?: PolicyStatement[];
  timeout?: Duration;
}

export const STATE_MACHINES_DIR = path.resolve(import.meta.dirname, '..', '..', 'state-machines');

/** The ASL files ARE the deployed definitions; this fills their substitutions. */
export class StateMachineFromFile extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: StateMachineFromFileProps) {
    super(scope, id);
    const file = path.join(STATE_MACHINES_DIR, `${props.file}.asl.json`);
    const substitutions: Record<string, string> = { ...props.substitutions };
    for (const [key, fn] of Object.entries(props.functions ?? {})) {
      substitutions[`${key}FunctionArn`] = fn.functionArn;
    }
    const wanted = [...fs.readFileSync(file, 'utf8').matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map(
      (m) => m[1]!,
    );
    const missing = [...new Set(wanted)].filter((k) => !(k in substitutions));
    if (missing.length > 0)
      throw new Error(`${props.file}.asl.json: no substitution for ${missing.join(', ')}`);
    const logs = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new StateMachine(this, 'Machine', {
      definitionBody: DefinitionBody.fromFile(file),
      definitionSubstitutions: substitutions,
      stateMachineType: StateMachineType.STANDARD,
      tracingEnabled: true,
      timeout: props.timeout ?? Duration.days(35),
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: true },
    });
    (this.stateMachine.node.defaultChild as CfnResource).addMetadata(
      'tourniquet:asl-file',
      props.file,
    );
    const stack = Stack.of(this);
    for (const fn of Object.values(props.functions ?? {})) {
      fn.grantInvoke(this.stateMachine);
      const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnElement);
      acknowledge(
        this,
        `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        "grantInvoke covers the function's versions and aliases (qualified ARNs).",
      );
    }
    acknowledge(
      this,
      'AwsSolutions-IAM5[Resource::*]',
      'CloudWatch Logs delivery (logs:CreateLogDelivery etc.) and X-Ray accept no resource ARN.',
    );
    for (const s of props.statements ?? []) this.stateMachine.addToRolePolicy(s);
  }
}
