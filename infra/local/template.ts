import { buildApp } from '../build-app.ts';

export type CfnTemplate = {
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, any> }
  >;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
};

export const LOCAL_ACCOUNT = '123456789012';
export const LOCAL_REGION = 'us-east-1';

/** The synthesized app as the local runtime sees it: every stack's template, tokens resolvable. */
export class SynthesizedApp {
  constructor(readonly stacks: Record<string, CfnTemplate>) {}

  /** Synthesizes in process (no bundling, no nag) — the same stacks `cdk deploy` ships. */
  static synth(context: Record<string, unknown> = {}): SynthesizedApp {
    const { app } = buildApp(
      { context: { 'aws:cdk:bundling-stacks': [], ...context } },
      { nag: false },
    );
    const assembly = app.synth();
    const stacks: Record<string, CfnTemplate> = {};
    for (const s of assembly.stacks) stacks[s.stackName] = s.template as CfnTemplate;
    return new SynthesizedApp(stacks);
  }

  resources(type: string): Array<{
    stack: string;
    logicalId: string;
    props: Record<string, any>;
    metadata?: Record<string, any>;
  }> {
    const out = [];
    for (const [stack, t] of Object.entries(this.stacks)) {
      for (const [logicalId, r] of Object.entries(t.Resources)) {
        if (r.Type === type)
          out.push({ stack, logicalId, props: r.Properties ?? {}, metadata: r.Metadata });
      }
    }
    return out;
  }

  find(stack: string, logicalId: string) {
    return this.stacks[stack]?.Resources[logicalId];
  }

  /** Resolves CloudFormation intrinsics to local values (names, fake-but-valid ARNs). */
  resolve(node: unknown, stack: string): any {
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map((n) => this.resolve(n, stack));
    const obj = node as Record<string, any>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const k = keys[0]!;
      const v = obj[k];
      if (k === 'Fn::Join')
        return (v[1] as unknown[]).map((p) => this.resolve(p, stack)).join(v[0]);
      if (k === 'Ref') return this.ref(String(v), stack);
      if (k === 'Fn::GetAtt') return this.getAtt(String(v[0]), String(v[1]), stack);
      if (k === 'Fn::ImportValue') return this.importValue(this.resolve(v, stack));
      if (k === 'Fn::Select') return this.resolve(v[1], stack)[Number(v[0])];
      if (k === 'Fn::Split') return String(this.resolve(v[1], stack)).split(v[0]);
      if (k === 'Fn::Sub') {
        const [text, vars] = Array.isArray(v) ? v : [v, {}];
        return String(text).replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
          if (vars && name in vars) return String(this.resolve(vars[name], stack));
          const [id, attr] = name.split('.');
          return attr ? String(this.getAtt(id!, attr, stack)) : String(this.ref(id!, stack));
        });
      }
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(obj[k], stack)]));
  }

  private ref(id: string, stack: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': LOCAL_REGION,
      'AWS::AccountId': LOCAL_ACCOUNT,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stack,
      'AWS::NoValue': '',
    };
    if (id in pseudo) return pseudo[id]!;
    const r = this.find(stack, id);
    if (!r) return id;
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::DynamoDB::Table':
        return p.TableName ? this.resolve(p.TableName, stack) : id;
      case 'AWS::S3::Bucket':
        return p.BucketName ? this.resolve(p.BucketName, stack) : id.toLowerCase();
      case 'AWS::Events::EventBus':
        return this.resolve(p.Name, stack);
      case 'AWS::Lambda::Function':
        return this.functionName(stack, id);
      case 'AWS::SecretsManager::Secret':
        return `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${id}`;
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${this.stateMachineName(stack, id)}`;
      case 'AWS::KMS::Key':
        return `local-key-${id}`;
      default:
        return id;
    }
  }

  private getAtt(id: string, attr: string, stack: string): string {
    const r = this.find(stack, id);
    if (attr === 'Arn' && r) {
      switch (r.Type) {
        case 'AWS::Lambda::Function':
          return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${this.functionName(stack, id)}`;
        case 'AWS::DynamoDB::GlobalTable':
        case 'AWS::DynamoDB::Table':
          return `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${this.ref(id, stack)}`;
        case 'AWS::S3::Bucket':
          return `arn:aws:s3:::${this.ref(id, stack)}`;
        case 'AWS::Events::EventBus':
          return `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${this.ref(id, stack)}`;
        case 'AWS::KMS::Key':
          return `arn:aws:kms:${LOCAL_REGION}:${LOCAL_ACCOUNT}:key/${id}`;
        case 'AWS::SQS::Queue':
          return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${id}`;
      }
    }
    if (attr === 'Name' && r?.Type === 'AWS::StepFunctions::StateMachine')
      return this.stateMachineName(stack, id);
    return `${id}.${attr}`;
  }

  private importValue(name: string): unknown {
    for (const [stack, t] of Object.entries(this.stacks)) {
      for (const o of Object.values(t.Outputs ?? {})) {
        if (o.Export && this.resolve(o.Export.Name, stack) === name)
          return this.resolve(o.Value, stack);
      }
    }
    throw new Error(`local runtime: no export named ${name}`);
  }

  /** The function's file name in functions/ (POWERTOOLS_SERVICE_NAME), which is its local name. */
  functionName(stack: string, logicalId: string): string {
    const env = this.find(stack, logicalId)?.Properties?.Environment?.Variables ?? {};
    return String(env.POWERTOOLS_SERVICE_NAME ?? logicalId);
  }

  stateMachineName(stack: string, logicalId: string): string {
    const md = this.find(stack, logicalId)?.Metadata ?? {};
    return String(md['tourniquet:asl-file'] ?? logicalId);
  }
}
