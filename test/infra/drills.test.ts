import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DrillConfigSchema, DrillSandboxEnvSchema } from '#contracts/drills.ts';
import { buildApp } from '../../infra/build-app.ts';
import { DRILL_CONFIG_FILE } from '../../infra/stacks/features/drills.ts';

let t: Template;
let reg: Template;
const cfg = DrillConfigSchema.parse(JSON.parse(readFileSync(DRILL_CONFIG_FILE, 'utf8')));

beforeAll(() => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'tourniquet-drills-'));
  const built = buildApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] } }, { nag: false });
  t = Template.fromStack(built.responder);
  reg = Template.fromStack(built.regulatory);
});

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
type Res = { Properties: Record<string, any> };
const fnByService = (name: string): [string, Res] => {
  const hit = Object.entries(t.findResources('AWS::Lambda::Function')).find(
    ([, r]) => (r as Res).Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === name,
  );
  if (!hit) throw new Error(`no function ${name}`);
  return hit as [string, Res];
};
const policyOf = (logicalId: string) =>
  Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) =>
      ((p as Res).Properties.Roles ?? []).some((r: { Ref?: string }) =>
        r.Ref?.startsWith(logicalId.replace(/Fn[0-9A-F]{8}$/, 'FnServiceRole')),
      ),
    )
    .flatMap((p) => (p as Res).Properties.PolicyDocument.Statement);

describe('scheduled drills (drill stack)', () => {
  it('schedules every configured drill as a DrillRequested event on the tourniquet bus', () => {
    const schedules = t.findResources('AWS::Scheduler::Schedule');
    expect(Object.keys(schedules)).toHaveLength(cfg.schedules.length);
    for (const s of cfg.schedules)
      t.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: s.expression,
        ScheduleExpressionTimezone: cfg.timezone,
        Target: Match.objectLike({
          EventBridgeParameters: { DetailType: 'DrillRequested', Source: 'tourniquet.drill' },
          Input: Match.serializedJson(
            Match.objectLike({ scenario: s.scenario, storefront: s.storefront, drill: true }),
          ),
        }),
      });
  });

  it('consumes DrillRequested: a rule on the bus starts the drill state machine (with a DLQ)', () => {
    const machines = t.findResources('AWS::StepFunctions::StateMachine', {
      Metadata: { 'tourniquet:asl-file': 'drill' },
    });
    const [machineId] = Object.keys(machines);
    expect(machineId).toBeDefined();
    t.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.anyValue(),
      EventPattern: { source: ['tourniquet.drill'], 'detail-type': ['DrillRequested'] },
      Targets: [
        Match.objectLike({
          Arn: { Ref: machineId },
          DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
        }),
      ],
    });
    const subs = JSON.stringify((machines[machineId!] as Res).Properties.DefinitionSubstitutions);
    expect(subs).toContain(fnByService('run-drill')[0]);
    expect(subs).toContain(fnByService('score-drill')[0]);
  });

  it('run-drill may put events on the bus; score-drill may write only under drill-reports/', () => {
    const [runId] = fnByService('run-drill');
    expect(JSON.stringify(policyOf(runId))).toContain('events:PutEvents');
    const [scoreId, score] = fnByService('score-drill');
    expect(score.Properties.Environment.Variables.EVIDENCE_BUCKET).toBeDefined();
    const puts = policyOf(scoreId).filter((s: { Action: string | string[] }) =>
      [s.Action].flat().includes('s3:PutObject'),
    );
    expect(puts).toHaveLength(1);
    expect(JSON.stringify(puts[0].Resource)).toContain('/drill-reports/*');
    expect(JSON.stringify(policyOf(scoreId))).not.toContain('s3:DeleteObject');
  });

  it('puts execute-containment and apply-override in drill mode with sandbox endpoints and drill-only secrets', () => {
    const secrets = Object.keys(t.findResources('AWS::SecretsManager::Secret'));
    const drillKey = secrets.find((s) => s.startsWith('DrillStripeTestKey'))!;
    const prodKey = secrets.find((s) => s.startsWith('StripeApiKey'))!;
    for (const name of ['execute-containment', 'apply-override']) {
      const [id, fn] = fnByService(name);
      const raw = fn.Properties.Environment.Variables.DRILL_SANDBOX;
      // resolve the secret ARN tokens to their logical ids to check the shape
      const json = (raw['Fn::Join'][1] as Array<string | { Ref: string }>)
        .map((p) => (typeof p === 'string' ? p : `arn:${p.Ref}`))
        .join('');
      const sandbox = DrillSandboxEnvSchema.parse(JSON.parse(json));
      expect(sandbox).toMatchObject({
        stripeApiBase: cfg.sandbox.stripeApiBase,
        stripeKeySecretArn: `arn:${drillKey}`,
        adyenApiBase: cfg.sandbox.adyenApiBase,
        kycVendorBase: cfg.sandbox.kycVendorBase,
      });
      expect(sandbox.stripeKeySecretArn).not.toBe(`arn:${prodKey}`);
      expect(sandbox.adyenApiBase).toMatch(/-test\./);
      expect(JSON.stringify(policyOf(id))).toContain(drillKey);
    }
  });

  it('drill functions cannot read the production Stripe key', () => {
    const prodKey = Object.keys(t.findResources('AWS::SecretsManager::Secret')).find((s) =>
      s.startsWith('StripeApiKey'),
    )!;
    for (const name of ['run-drill', 'score-drill'])
      expect(JSON.stringify(policyOf(fnByService(name)[0]))).not.toContain(prodKey);
  });
});

describe('drill notices: never a real customer or regulator', () => {
  it('send-customer-notices knows the drill sink and may send through the drill configuration set', () => {
    const [id, fn] = fnByService('send-customer-notices');
    const raw = fn.Properties.Environment.Variables.DRILL_NOTICE_SINK;
    const sets = t.findResources('AWS::SES::ConfigurationSet', {
      Properties: { Name: `${cfg.sandbox.sesConfigurationSet}-prod` },
    });
    const [setId] = Object.keys(sets);
    expect(setId).toBeDefined();
    const json = (raw['Fn::Join'][1] as Array<string | { Ref: string }>)
      .map((p) => (typeof p === 'string' ? p : `ref:${p.Ref}`))
      .join('');
    expect(JSON.parse(json)).toEqual({
      recipients: cfg.sandbox.customerNoticeRecipients,
      configurationSet: `ref:${setId}`,
    });
    const drillSend = policyOf(id).filter((s: { Resource: unknown }) =>
      JSON.stringify(s.Resource).includes(setId!),
    );
    expect(drillSend).toHaveLength(1);
    expect([drillSend[0].Action].flat().sort()).toEqual(['ses:SendBulkEmail', 'ses:SendEmail']);
    // the drill configuration set's events reach record-email-event like production's
    t.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: setId },
      EventDestination: Match.objectLike({ Enabled: true }),
    });
  });

  it('regulatory-send delivers drill cases as configured (dry run by default), in the regulatory stack alone', () => {
    const fns = reg.findResources('AWS::Lambda::Function');
    const send = Object.values(fns).find(
      (r) =>
        (r as Res).Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'regulatory-send',
    ) as Res;
    expect(JSON.parse(send.Properties.Environment.Variables.REGULATORY_DRILL_DELIVERY)).toEqual(
      cfg.sandbox.regulatorDelivery === 'dry-run'
        ? { mode: 'dry-run' }
        : { mode: 'drill-recipient', to: cfg.sandbox.regulatorDrillRecipient },
    );
    const others = Object.values(fns).filter(
      (r) =>
        (r as Res).Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME !== 'regulatory-send',
    );
    for (const o of others)
      expect(
        (o as Res).Properties.Environment?.Variables?.REGULATORY_DRILL_DELIVERY,
      ).toBeUndefined();
  });
});

describe('run-drill data injections: drill-only resources', () => {
  const logical = (type: string, prefix: string) =>
    Object.keys(t.findResources(type)).find((id) => id.startsWith(prefix))!;

  it('knows the drill targets and may write only under the drill prefixes', () => {
    const [id, fn] = fnByService('run-drill');
    const media = logical('AWS::S3::Bucket', 'MediaBucket');
    const scope = logical('AWS::S3::Bucket', 'ScopeBucket');
    const v = fn.Properties.Environment.Variables;
    expect(v.DRILL_MEDIA_BUCKET).toEqual({ Ref: media });
    expect(v.DRILL_SCOPE_BUCKET).toEqual({ Ref: scope });
    expect(JSON.parse(v.DRILL_RECOVERY_SOURCE)).toEqual(cfg.sandbox.recovery);
    expect(fn.Properties.Timeout).toBe(300);
    const statements = policyOf(id);
    const puts = statements.filter((s: { Action: string | string[] }) =>
      [s.Action].flat().includes('s3:PutObject'),
    );
    const resources = JSON.stringify(puts.map((s: { Resource: unknown }) => s.Resource));
    expect(puts).toHaveLength(2);
    expect(resources).toContain(`"${media}","Arn"]},"/drill/*"`);
    expect(resources).toContain(`"${scope}","Arn"]},"/leaks/drill/*"`);
    expect(JSON.stringify(statements)).not.toContain('s3:DeleteObject');
  });

  it('may invoke assess-scope and start scan-media and recover, and read the fingerprint key only', () => {
    const [id] = fnByService('run-drill');
    const statements = JSON.stringify(policyOf(id));
    const [assess] = fnByService('assess-scope');
    expect(statements).toContain('lambda:InvokeFunction');
    expect(statements).toContain(assess);
    const machines = (file: string) =>
      Object.keys(
        t.findResources('AWS::StepFunctions::StateMachine', {
          Metadata: { 'tourniquet:asl-file': file },
        }),
      )[0]!;
    const starts = policyOf(id).filter((s: { Action: string | string[] }) =>
      [s.Action].flat().includes('states:StartExecution'),
    );
    expect(JSON.stringify(starts)).toContain(machines('scan-media'));
    expect(JSON.stringify(starts)).toContain(machines('recover'));
    expect(JSON.stringify(starts)).not.toContain(machines('respond'));
    const secrets = Object.keys(t.findResources('AWS::SecretsManager::Secret'));
    const readable = secrets.filter((s) => statements.includes(s));
    expect(readable).toEqual([secrets.find((s) => s.startsWith('RecoveryFingerprintKey'))]);
  });

  it('the production media trigger ignores drill/ (drill media are checked as drills only)', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        source: ['aws.s3'],
        detail: Match.objectLike({ object: { key: [{ 'anything-but': { prefix: 'drill/' } }] } }),
      }),
    });
  });
});

describe('recovery gate: restored media verdicts', () => {
  it('scan-restored-data knows the media bucket and may read its object tags (nothing else)', () => {
    const [id, fn] = fnByService('scan-restored-data');
    const media = Object.keys(t.findResources('AWS::S3::Bucket')).find((b) =>
      b.startsWith('MediaBucket'),
    )!;
    expect(fn.Properties.Environment.Variables.RECOVERY_MEDIA_BUCKET).toEqual({ Ref: media });
    const tagging = policyOf(id).filter((s: { Action: string | string[] }) =>
      [s.Action].flat().includes('s3:GetObjectTagging'),
    );
    expect(tagging).toHaveLength(1);
    expect([tagging[0].Action].flat()).toEqual(['s3:GetObjectTagging']);
    expect(JSON.stringify(tagging[0].Resource)).toContain(media);
  });
});
