import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BuiltApp, buildApp } from '../../infra/build-app.ts';

let built: BuiltApp;
let synthError: unknown;
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'tourniquet-cdk-'));
  // Same app as `cdk synth`, cdk-nag on; bundling skipped (the bundles are not under test here).
  built = buildApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  try {
    built.app.synth();
  } catch (err) {
    synthError = err;
  }
});

describe('cdk-nag gate (AwsSolutions, v3)', () => {
  it('synthesizes with no unacknowledged finding', () => {
    const reportPath = path.join(outdir, 'validation-report.json');
    const report = existsSync(reportPath)
      ? JSON.parse(readFileSync(reportPath, 'utf8'))
      : { pluginReports: [] };
    const violations = (report.pluginReports ?? []).flatMap(
      (r: {
        violations: Array<{
          ruleName: string;
          violatingConstructs: Array<{ constructPath: string }>;
        }>;
      }) =>
        r.violations.flatMap((v) =>
          v.violatingConstructs.map((c) => `${v.ruleName} ${c.constructPath}`),
        ),
    );
    expect(violations).toEqual([]);
    expect(synthError).toBeUndefined();
  });
});

describe('Tourniquet-Stateful', () => {
  it('keeps incidents in a CMK-encrypted table with PITR and deletion protection', () => {
    const t = Template.fromStack(built.stateful);
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
      Replicas: [
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ],
    });
    t.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('stores evidence with versioning and Object Lock in compliance mode, and blocks public access', () => {
    const t = Template.fromStack(built.stateful);
    t.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: Match.objectLike({ Mode: 'COMPLIANCE' }) },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    // evidence, quarantine, access logs
    expect(Object.keys(t.findResources('AWS::S3::Bucket')).length).toBeGreaterThanOrEqual(3);
  });
});

describe('Tourniquet-Responder', () => {
  it('runs every function on Node 22 / ARM64 with tracing and an explicit log group', () => {
    const t = Template.fromStack(built.responder);
    const fns = t.findResources('AWS::Lambda::Function');
    expect(Object.keys(fns).length).toBeGreaterThanOrEqual(6);
    for (const [id, fn] of Object.entries(fns)) {
      expect(fn.Properties.Runtime, id).toBe('nodejs22.x');
      expect(fn.Properties.Architectures, id).toEqual(['arm64']);
      expect(fn.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(fn.Properties.LoggingConfig?.LogGroup, id).toBeDefined();
    }
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });

  it('has the tourniquet bus with Alert → triage and IncidentDeclared → respond rules', () => {
    const t = Template.fromStack(built.responder);
    t.hasResourceProperties('AWS::Events::EventBus', { Name: 'tourniquet' });
    t.hasResourceProperties('AWS::Events::Rule', { EventPattern: { 'detail-type': ['Alert'] } });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ 'detail-type': ['IncidentDeclared'] }),
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('RespondMachine') } })],
    });
  });

  it('loads the respond state machine from its ASL file with logging ALL and tracing', () => {
    const t = Template.fromStack(built.responder);
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
      TracingConfiguration: { Enabled: true },
      DefinitionSubstitutions: Match.objectLike({
        ExecuteContainmentFunctionArn: Match.anyValue(),
      }),
    });
  });

  it('takes secrets from Secrets Manager, never from plain environment values', () => {
    const t = Template.fromStack(built.responder);
    for (const fn of Object.values(t.findResources('AWS::Lambda::Function'))) {
      const vars = (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(vars)) {
        if (/SECRET|KEY|TOKEN|PASSWORD/.test(k))
          expect(k, 'secret env vars must be ARNs').toMatch(/_ARN$/);
        if (typeof v === 'string') expect(v).not.toMatch(/^(sk|whsec|rk)_/);
      }
    }
  });
  it('wraps contact-vault data keys with a rotating KMS key: exporter GenerateDataKey only, sender Decrypt only', () => {
    const t = Template.fromStack(built.responder);
    const keys = t.findResources('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, Description: Match.stringLikeRegexp('contact vault') },
    });
    expect(Object.keys(keys)).toHaveLength(1);
    const keyId = Object.keys(keys)[0]!;
    const policies = Object.values(t.findResources('AWS::IAM::Policy'));
    const vaultStatements = policies.flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>)
        .filter((s) => JSON.stringify(s.Resource).includes(keyId))
        .map((s) => ({
          policy: p.Properties.PolicyName as string,
          action: s.Action,
          cond: s.Condition,
        })),
    );
    expect(vaultStatements.map((s) => s.action).sort()).toEqual([
      'kms:Decrypt',
      'kms:GenerateDataKey',
    ]);
    for (const s of vaultStatements)
      expect(s.cond).toEqual({
        StringEquals: { 'kms:EncryptionContext:purpose': 'customer-contact' },
      });
    expect(vaultStatements.find((s) => s.action === 'kms:GenerateDataKey')?.policy).toMatch(
      /ExportDataMap/,
    );
    expect(vaultStatements.find((s) => s.action === 'kms:Decrypt')?.policy).toMatch(
      /SendCustomerNotices/,
    );
  });
});

describe('Tourniquet-Regulatory', () => {
  it('has its own key, table, bus, Object Lock evidence bucket and state machine, independent of the other stacks', () => {
    const t = Template.fromStack(built.regulatory);
    // its data key, besides the key of its operator-alert topic
    const dataKeys = Object.entries(t.findResources('AWS::KMS::Key')).filter(
      ([, k]) => !/operator alert/.test(String(k.Properties.Description)),
    );
    expect(dataKeys).toHaveLength(1);
    expect(dataKeys[0]![1].Properties.EnableKeyRotation).toBe(true);
    const keyId = dataKeys[0]![0];
    const ownKey = { 'Fn::GetAtt': [keyId, 'Arn'] };
    // Table encrypted with its own key, PITR, deletion protection, retained.
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: Match.stringLikeRegexp('^tourniquet-regulatory-'),
      SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
      Replicas: [
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { KMSMasterKeyId: ownKey },
        }),
      ],
    });
    t.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
    // Its own bus, and the intake rule on it.
    t.hasResourceProperties('AWS::Events::EventBus', { Name: 'tourniquet-regulatory' });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.anyValue(),
      EventPattern: {
        'detail-type': Match.arrayWith([
          'IncidentDeclared',
          'ScopeAssessed',
          'RegulatoryFactsUpdated',
        ]),
      },
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue() })],
    });
    // Evidence: Object Lock (compliance mode), versioned, its own KMS key, no public access.
    t.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: Match.objectLike({ Mode: 'COMPLIANCE' }) },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: ownKey },
          }),
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    // The regulatory-clock state machine, wired to the stack's own regulatory-* functions.
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionSubstitutions: {
        RegulatoryPlanFunctionArn: Match.anyValue(),
        RegulatoryDraftFunctionArn: Match.anyValue(),
        RegulatoryRequestApprovalFunctionArn: Match.anyValue(),
        RegulatorySendFunctionArn: Match.anyValue(),
        RegulatoryEscalateFunctionArn: Match.anyValue(),
      },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    t.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: Match.anyValue() });
    // Nothing imported from, or referring to, the responder or stateful stacks.
    const json = JSON.stringify(t.toJSON());
    expect(json).not.toContain('Fn::ImportValue');
    const env = Object.values(t.findResources('AWS::Lambda::Function')).map(
      (f) => f.Properties.Environment?.Variables ?? {},
    );
    expect(env.length).toBeGreaterThanOrEqual(7);
    for (const vars of env)
      expect(Object.keys(vars).join(' ')).not.toMatch(
        /MAGENTO|STRIPE|ADYEN|BRAINTREE|INCIDENT_TABLE/,
      );
  });
});

describe('operator alerts', () => {
  it("every alarm of the responder and regulatory stacks notifies that stack's encrypted operator topic", () => {
    for (const stack of [built.responder, built.regulatory]) {
      const t = Template.fromStack(stack);
      const topics = t.findResources('AWS::SNS::Topic');
      expect(Object.keys(topics)).toHaveLength(1);
      const [topicId, topic] = Object.entries(topics)[0]!;
      expect(topic.Properties.KmsMasterKeyId).toBeDefined();
      const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms.length).toBeGreaterThan(0);
      for (const a of alarms) {
        expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
        expect(a.Properties.OKActions).toEqual([{ Ref: topicId }]);
      }
      // a dead-letter message pages someone
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 1,
      });
    }
  });
});
