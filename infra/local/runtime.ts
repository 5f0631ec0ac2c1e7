import './polyfill.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import type { RuntimeConfig } from '#runtime/config.ts';
import { AslRunner, type ExecutionRecord } from './asl-runner.ts';
import { AwsJsonError, AwsJsonServer } from './aws-json-server.ts';
import { startAwsStandIns } from './aws-services.ts';
import { readItemsLocally } from './distributed-map.ts';
import { localDrillSandbox } from './drill-sandbox.ts';
import { matchesPattern } from './event-pattern.ts';
import {
  generateIngestSecret,
  ingestSecretsFromEnv,
  startAdobeKeyServer,
} from './ingest-support.ts';
import { KmsStandIn } from './kms-standin.ts';
import { RekognitionStandIn } from './rekognition-standin.ts';
import { type LocalSchedule, SchedulerStandIn } from './scheduler-standin.ts';
import { KycSimulator } from './simulators/kyc.ts';
import { StripeSimulator } from './simulators/stripe.ts';
import { type LocalStorefront, startStorefront } from './storefront.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION, SynthesizedApp } from './template.ts';
import { VirtualClock } from './virtual-clock.ts';

export interface LocalRuntimeOptions {
  /** CDK context stage; `drill` marks every alert and incident as a drill. */
  stage?: string;
  /** Start of virtual time (defaults to now). */
  startAt?: Date;
  /** Secrets by logical-id prefix (e.g. StripeWebhookSecret); otherwise env or generated. */
  secrets?: Record<string, string>;
  /** Extra CDK context (e.g. tourniquet:stripeKnownWebhookUrls). */
  context?: Record<string, unknown>;
  log?: (line: string) => void;
}

type Handler = (event: unknown, ctx: Context) => Promise<unknown>;
interface BusEventRecord {
  id: string;
  detailType: string;
  source: string;
  detail: unknown;
  time: string;
  matchedRules: string[];
}

/** The machine's MariaDB (root, no password) holds the local copies of restored Magento databases. */
export const LOCAL_RECOVERY_DB = {
  host: process.env.TOURNIQUET_MARIADB_HOST ?? '127.0.0.1',
  port: Number(process.env.TOURNIQUET_MARIADB_PORT ?? 3306),
  user: process.env.TOURNIQUET_MARIADB_USER ?? 'root',
  password: process.env.TOURNIQUET_MARIADB_PASSWORD ?? '',
  database: '',
};

// s3rver only accepts its own key pair; dynalite and the other stand-ins accept any.
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * The embedded local runtime (DESIGN.md §4): real handlers, real ASL files, real SDK clients,
 * talking to stand-ins on loopback. Everything it starts, `stop()` tears down.
 */
export class LocalRuntime {
  readonly clock: VirtualClock;
  readonly busEvents: BusEventRecord[] = [];
  readonly deadLetters: Array<{ rule: string; error: string }> = [];
  readonly timings: Record<string, number> = {};
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly handlers = new Map<string, Handler>();
  private readonly stops: Array<() => Promise<void>> = [];
  private stopped = false;
  runner!: AslRunner;
  app!: SynthesizedApp;
  stripe!: StripeSimulator;
  /** The KYC / IDV vendor (kyc.hold-applicant); its API key is the KycApiKey secret when the template has one. */
  kyc!: KycSimulator;
  /** Magento simulator + SSM stand-in, per-runtime Magento DB, Adyen simulator (storefront.ts). */
  storefront!: LocalStorefront;
  rekognition!: RekognitionStandIn;
  kms!: KmsStandIn;
  scheduler!: SchedulerStandIn;
  private readonly firings: Promise<unknown>[] = [];
  endpoints: Record<string, string> = {};
  secrets: Record<string, string> = {};
  stage: string;

  private constructor(private readonly opts: LocalRuntimeOptions) {
    this.clock = new VirtualClock(opts.startAt);
    this.stage = opts.stage ?? 'local';
  }

  static async start(opts: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
    const rt = new LocalRuntime(opts);
    const onSignal = () => void rt.stop().finally(() => process.exit(130));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    rt.stops.push(async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
    try {
      await rt.boot();
      return rt;
    } catch (err) {
      await rt.stop();
      throw err;
    }
  }

  private async boot() {
    const t0 = performance.now();
    this.app = SynthesizedApp.synth({ 'tourniquet:stage': this.stage, ...this.opts.context });
    this.timings.synthMs = performance.now() - t0;

    const aws = await startAwsStandIns();
    this.stops.push(aws.stop);
    this.endpoints = { ...aws.endpoints };

    const events = new AwsJsonServer().on('AWSEvents.PutEvents', (b) => this.putEvents(b));
    this.endpoints.eventbridge = await events.start();
    this.stops.push(() => events.stop());

    const sfn = new AwsJsonServer();
    this.bindStepFunctionsApi(sfn);
    this.endpoints.sfn = await sfn.start();
    this.stops.push(() => sfn.stop());

    this.scheduler = new SchedulerStandIn((s) => {
      const p = this.fireSchedule(s);
      this.firings.push(p);
      this.track(p);
    });
    this.endpoints.scheduler = await this.scheduler.start();
    this.stops.push(() => this.scheduler.stop());
    this.clock.listeners.push((now) => this.scheduler.fireDue(now));

    this.rekognition = new RekognitionStandIn(() => this.s3());
    this.endpoints.rekognition = await this.rekognition.start();
    this.stops.push(() => this.rekognition.stop());

    this.kms = new KmsStandIn();
    this.endpoints.kms = await this.kms.start();
    this.stops.push(() => this.kms.stop());

    this.secrets = this.buildSecrets();
    this.storefront = await startStorefront(this.secrets, this.endpoints.s3!, this.opts.log);
    this.stops.push(() => this.storefront.stop());
    Object.assign(this.endpoints, this.storefront.endpoints);
    this.stripe = new StripeSimulator(
      new Set(
        Object.entries(this.secrets)
          .filter(([k]) => k.startsWith('StripeApiKey'))
          .map(([, v]) => v),
      ),
    );
    this.endpoints.stripe = await this.stripe.start();
    this.stops.push(() => this.stripe.stop());
    this.kyc = new KycSimulator(
      Object.entries(this.secrets).find(([k]) => k.startsWith('KycApiKey'))?.[1] ??
        randomBytes(24).toString('hex'),
    );
    this.endpoints.kyc = await this.kyc.start();
    this.stops.push(() => this.kyc.stop());
    const adobeKeys = await startAdobeKeyServer();
    this.endpoints.adobeIoKeys = adobeKeys.url;
    this.stops.push(adobeKeys.stop);

    await this.createTablesAndBuckets();
    this.runner = new AslRunner(
      (resource, input, ctx) => this.invokeResource(resource, input, ctx),
      this.clock,
      this.substitutions(),
    );
    this.timings.startMs = performance.now() - t0;
  }

  /**
   * Storefront down: the Magento and gateway simulators refuse every connection, and so does the
   * KYC vendor (storefront-side, as in drill mode: drill-lever-deps.ts).
   */
  setStorefrontDown(): void {
    this.stripe.mode = 'down';
    this.kyc.mode = 'down';
    this.storefront.setDown();
  }

  /** Tears down everything started, in reverse order; safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.runner?.abortAll();
    for (const s of this.stops.reverse()) await s().catch(() => undefined);
  }

  // ---------- clients and configuration ----------

  awsConfig() {
    return {
      region: LOCAL_REGION,
      credentials: CREDENTIALS,
      endpoints: {
        dynamodb: this.endpoints.dynamodb,
        s3: this.endpoints.s3,
        sesv2: this.endpoints.sesv2,
        eventbridge: this.endpoints.eventbridge,
        sfn: this.endpoints.sfn,
        rekognition: this.endpoints.rekognition,
        kms: this.endpoints.kms,
        scheduler: this.endpoints.scheduler,
        ssm: this.endpoints.ssm,
        'levers-s3': this.endpoints['levers-s3'],
        wafv2: this.endpoints.wafv2,
      },
    };
  }

  dynamo(): DynamoDBDocumentClient {
    return DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: LOCAL_REGION,
        endpoint: this.endpoints.dynamodb,
        credentials: CREDENTIALS,
      }),
    );
  }

  s3(): S3Client {
    return new S3Client({
      region: LOCAL_REGION,
      endpoint: this.endpoints.s3,
      credentials: CREDENTIALS,
      forcePathStyle: true,
    });
  }

  /** A function's environment exactly as the template sets it, with external endpoints pointed at simulators. */
  functionEnv(name: string): Record<string, string> {
    const fn = this.app
      .resources('AWS::Lambda::Function')
      .find((r) => this.app.functionName(r.stack, r.logicalId) === name);
    if (!fn) throw new Error(`local runtime: no function named ${name} in the template`);
    const vars = this.app.resolve(fn.props.Environment?.Variables ?? {}, fn.stack) as Record<
      string,
      string
    >;
    const external: Record<string, string> = {
      STRIPE_API_BASE: this.endpoints.stripe!,
      ADOBE_IO_PEM_BASE_URL: this.endpoints.adobeIoKeys!,
      // recovery gate: dynalite has no point-in-time recovery and there is no RDS here; table and
      // database copies (MariaDB on 127.0.0.1:3306) stand in for the isolated restores
      RECOVERY_DYNAMO_MODE: 'table-copy',
      RECOVERY_MAGENTO_MODE: 'database-copy',
      KYC_API_BASE: this.endpoints.kyc!,
    };
    for (const k of Object.keys(vars)) if (k in external) vars[k] = external[k]!;
    // Adyen levers default to Adyen's test host when ADYEN_API_BASE is unset: point them here.
    if (vars.ADYEN_CONFIG) vars.ADYEN_API_BASE = this.endpoints.adyen!;
    // drill mode of the lever functions: the simulators are the sandbox
    if (vars.DRILL_SANDBOX) vars.DRILL_SANDBOX = localDrillSandbox(vars, this.endpoints);
    return vars;
  }

  tableName(): string {
    return this.functionEnv('triage-alert').INCIDENT_TABLE!;
  }

  runtimeConfig(name: string): RuntimeConfig {
    return {
      env: this.functionEnv(name),
      aws: this.awsConfig(),
      clock: this.clock,
      secret: async (arn) => {
        const id = arn.split(':secret:')[1] ?? arn;
        const v = this.secrets[id];
        if (v === undefined) throw new Error(`local runtime: unknown secret ${id}`);
        return v;
      },
    };
  }

  /** The real handler of functions/<name>.ts, built with its real composition root. */
  async handler(name: string): Promise<Handler> {
    let h = this.handlers.get(name);
    if (!h) {
      const mod = (await import(`../../functions/${name}.ts`)) as {
        makeHandler: (deps: unknown) => Handler;
        buildDeps: (rt: RuntimeConfig) => unknown;
      };
      h = mod.makeHandler(mod.buildDeps(this.runtimeConfig(name)));
      this.handlers.set(name, h);
    }
    return h;
  }

  async invokeFunction(name: string, event: unknown): Promise<unknown> {
    const h = await this.handler(name);
    return h(event, fakeContext(name));
  }

  // ---------- EventBridge stand-in ----------

  private rules() {
    return this.app
      .resources('AWS::Events::Rule')
      .map((r) => ({ id: r.logicalId, ...(this.app.resolve(r.props, r.stack) as any) }));
  }

  private putEvents(body: {
    Entries?: Array<{
      EventBusName?: string;
      Source: string;
      DetailType: string;
      Detail: string;
      Time?: string | number;
    }>;
  }) {
    const entries = body.Entries ?? [];
    if (entries.length > 10)
      throw new AwsJsonError('ValidationException', 'Entries: at most 10 per PutEvents');
    const out = entries.map((e) => {
      const id = randomUUID();
      const event = {
        version: '0',
        id,
        'detail-type': e.DetailType,
        source: e.Source,
        account: LOCAL_ACCOUNT,
        time:
          e.Time !== undefined
            ? new Date(typeof e.Time === 'number' ? e.Time * 1000 : e.Time).toISOString()
            : this.clock.now().toISOString(),
        region: LOCAL_REGION,
        resources: [],
        detail: JSON.parse(e.Detail),
      };
      const matched = this.rules().filter(
        (r) =>
          r.State !== 'DISABLED' &&
          (r.EventBusName ?? 'default') === (e.EventBusName ?? 'default') &&
          matchesPattern(r.EventPattern, event),
      );
      this.busEvents.push({
        id,
        detailType: e.DetailType,
        source: e.Source,
        detail: event.detail,
        time: event.time,
        matchedRules: matched.map((r) => r.id),
      });
      for (const rule of matched)
        for (const target of rule.Targets ?? []) this.track(this.deliver(rule, target, event));
      return { EventId: id };
    });
    return { FailedEntryCount: 0, Entries: out };
  }

  private async deliver(
    rule: { id: string },
    target: { Arn: string; RetryPolicy?: { MaximumRetryAttempts?: number } },
    event: unknown,
  ) {
    const attempts = 1 + Math.min(target.RetryPolicy?.MaximumRetryAttempts ?? 2, 3);
    let lastError = '';
    for (let i = 0; i < attempts; i++) {
      try {
        if (target.Arn.includes(':function:')) {
          await this.invokeFunction(target.Arn.split(':function:')[1]!, event);
        } else if (target.Arn.includes(':stateMachine:')) {
          const rec = this.runner.start(target.Arn.split(':stateMachine:')[1]!, event);
          this.track(rec.done);
        } else if (target.Arn.includes(':event-bus/')) {
          // Cross-region/account bus target: the event, unchanged, on the other bus.
          const e = event as {
            source: string;
            'detail-type': string;
            detail: unknown;
            time: string;
          };
          this.putEvents({
            Entries: [
              {
                EventBusName: target.Arn.split(':event-bus/')[1]!,
                Source: e.source,
                DetailType: e['detail-type'],
                Detail: JSON.stringify(e.detail),
                Time: e.time,
              },
            ],
          });
        } else throw new Error(`unsupported target ${target.Arn}`);
        return;
      } catch (err) {
        lastError = `${(err as Error).name}: ${(err as Error).message.split('\n')[0]}`;
      }
    }
    this.deadLetters.push({ rule: rule.id, error: lastError });
    this.opts.log?.(`rule ${rule.id}: delivery failed after ${attempts} attempts (${lastError})`);
  }

  private track(p: Promise<unknown>) {
    const q = p.catch(() => undefined).finally(() => this.inFlight.delete(q));
    this.inFlight.add(q);
  }

  /** An EventBridge Scheduler schedule fired: its target (a Lambda function) gets its Input. */
  private async fireSchedule(s: LocalSchedule) {
    if (!s.targetArn.includes(':function:'))
      throw new Error(`unsupported schedule target ${s.targetArn}`);
    const name = s.targetArn.split(':function:')[1]!.split(':')[0]!;
    try {
      await this.invokeFunction(name, JSON.parse(s.input));
    } catch (err) {
      this.deadLetters.push({
        rule: `schedule:${s.name}`,
        error: (err as Error).message.split('\n')[0]!,
      });
    }
  }

  /** Advances virtual time and waits for the schedules it fired (not for executions parked on a task token). */
  async advance(ms: number): Promise<void> {
    this.clock.advance(ms);
    while (this.firings.length > 0) await Promise.all(this.firings.splice(0));
  }

  /** Resolves when no delivery and no execution is in flight (and none was started meanwhile). */
  async idle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0) {
      if (Date.now() > deadline) throw new Error(`local runtime: still busy after ${timeoutMs} ms`);
      await Promise.race([Promise.all([...this.inFlight]), new Promise((r) => setTimeout(r, 100))]);
    }
  }

  // ---------- Step Functions ----------

  private substitutions(): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const sm of this.app.resources('AWS::StepFunctions::StateMachine')) {
      out[this.app.stateMachineName(sm.stack, sm.logicalId)] = this.app.resolve(
        sm.props.DefinitionSubstitutions ?? {},
        sm.stack,
      );
    }
    return out;
  }

  startExecution(stateMachine: string, input: unknown, name?: string): ExecutionRecord {
    const rec = name
      ? this.runner.start(stateMachine, input, name)
      : this.runner.start(stateMachine, input);
    this.track(rec.done);
    return rec;
  }

  private bindStepFunctionsApi(sfn: AwsJsonServer) {
    const arnToFile = (arn: string) => arn.split(':stateMachine:')[1] ?? arn;
    sfn
      .on('AWSStepFunctions.StartExecution', (b) => {
        const rec = this.startExecution(
          arnToFile(b.stateMachineArn),
          JSON.parse(b.input ?? '{}'),
          b.name,
        );
        return { executionArn: rec.executionArn, startDate: Date.parse(rec.startDate) / 1000 };
      })
      .on('AWSStepFunctions.DescribeExecution', (b) => {
        const rec = this.runner.executions.get(b.executionArn);
        if (!rec) throw new AwsJsonError('ExecutionDoesNotExist', 'Execution does not exist');
        return {
          executionArn: rec.executionArn,
          stateMachineArn: rec.executionArn
            .replace(':execution:', ':stateMachine:')
            .split(':')
            .slice(0, 7)
            .join(':'),
          name: rec.name,
          status: rec.status,
          startDate: Date.parse(rec.startDate) / 1000,
          ...(rec.stopDate ? { stopDate: Date.parse(rec.stopDate) / 1000 } : {}),
          input: JSON.stringify(rec.input),
          ...(rec.output !== undefined ? { output: JSON.stringify(rec.output) } : {}),
          ...(rec.error ? { error: rec.error, cause: rec.cause } : {}),
        };
      })
      .on('AWSStepFunctions.SendTaskSuccess', (b) => {
        try {
          this.runner.sendTaskSuccess(b.taskToken, JSON.parse(b.output ?? '{}'));
        } catch (err) {
          throw new AwsJsonError((err as Error).name, (err as Error).message);
        }
        return {};
      })
      .on('AWSStepFunctions.SendTaskFailure', (b) => {
        try {
          this.runner.sendTaskFailure(b.taskToken, b.error ?? 'TaskFailed', b.cause);
        } catch (err) {
          throw new AwsJsonError((err as Error).name, (err as Error).message);
        }
        return {};
      });
  }

  /** Binds a Task's Resource to local code. */
  private async invokeResource(
    resource: string,
    input: any,
    _ctx: { stateName: string; executionArn: string },
  ): Promise<unknown> {
    if (resource.includes(':function:'))
      return this.invokeFunction(resource.split(':function:')[1]!.split(':')[0]!, input);
    if (resource === 'arn:aws:states:::lambda:invoke') {
      const name = String(input.FunctionName).split(':function:').pop()!.split(':')[0]!;
      return { StatusCode: 200, Payload: await this.invokeFunction(name, input.Payload) };
    }
    if (resource === 'arn:aws:states:::events:putEvents') {
      return this.putEvents({
        Entries: input.Entries.map((e: any) => ({
          ...e,
          Detail: typeof e.Detail === 'string' ? e.Detail : JSON.stringify(e.Detail),
        })),
      });
    }
    if (resource.startsWith('arn:aws:states:::states:startExecution')) {
      const rec = this.startExecution(
        String(input.StateMachineArn).split(':stateMachine:')[1]!,
        input.Input ?? {},
        input.Name,
      );
      if (resource.endsWith('.sync') || resource.endsWith('.sync:2')) {
        await rec.done;
        if (rec.status !== 'SUCCEEDED') {
          const e = new Error(rec.cause ?? 'child execution failed');
          e.name = 'States.TaskFailed';
          throw e;
        }
        return { ExecutionArn: rec.executionArn, Output: rec.output, Status: rec.status };
      }
      return { ExecutionArn: rec.executionArn, StartDate: rec.startDate };
    }
    if (resource.startsWith('arn:aws:states:::s3:')) {
      // ItemReader of a Distributed Map, rewritten by infra/local/distributed-map.ts
      const s3 = this.s3();
      const items = await readItemsLocally(s3, resource, input).finally(() => s3.destroy());
      if (items) return items;
    }
    throw new Error(`local runtime: no binding for Task resource ${resource}`);
  }

  // ---------- bootstrap ----------

  private buildSecrets(): Record<string, string> {
    const out: Record<string, string> = {};
    const fromEnv: Record<string, string | undefined> = {
      StripeWebhookSecret: process.env.STRIPE_WEBHOOK_SECRET,
      ...ingestSecretsFromEnv(),
    };
    for (const s of this.app.resources('AWS::SecretsManager::Secret')) {
      const prefix = s.logicalId.replace(/[0-9A-F]{8}$/, '');
      const given = this.opts.secrets?.[prefix] ?? fromEnv[prefix];
      out[s.logicalId] =
        given ??
        generateIngestSecret(prefix) ??
        (prefix.startsWith('RecoveryMagentoDb') ? JSON.stringify(LOCAL_RECOVERY_DB) : undefined) ??
        (prefix.startsWith('StripeWebhook')
          ? `whsec_${randomBytes(24).toString('hex')}`
          : prefix.startsWith('StripeApiKey')
            ? `sk_test_${randomBytes(24).toString('hex')}`
            : randomBytes(32).toString('hex'));
    }
    return out;
  }

  /** Secret value by logical-id prefix (e.g. `StripeWebhookSecret`). */
  secret(prefix: string): string {
    const hit = Object.entries(this.secrets).find(([k]) => k.startsWith(prefix));
    if (!hit) throw new Error(`local runtime: no secret ${prefix}`);
    return hit[1];
  }

  private async createTablesAndBuckets() {
    const ddb = new DynamoDBClient({
      region: LOCAL_REGION,
      endpoint: this.endpoints.dynamodb,
      credentials: CREDENTIALS,
    });
    for (const t of [
      ...this.app.resources('AWS::DynamoDB::GlobalTable'),
      ...this.app.resources('AWS::DynamoDB::Table'),
    ]) {
      const p = this.app.resolve(t.props, t.stack);
      await ddb.send(
        new CreateTableCommand({
          TableName: p.TableName ?? t.logicalId,
          AttributeDefinitions: p.AttributeDefinitions,
          KeySchema: p.KeySchema,
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: p.GlobalSecondaryIndexes?.map((g: any) => ({
            IndexName: g.IndexName,
            KeySchema: g.KeySchema,
            Projection: g.Projection ?? { ProjectionType: 'ALL' },
          })),
        }),
      );
    }
    ddb.destroy();
    const s3 = this.s3();
    for (const b of this.app.resources('AWS::S3::Bucket')) {
      const name = this.app.resolve({ Ref: b.logicalId }, b.stack) as string;
      // s3rver has no versioning or Object Lock API (PUT ?versioning is taken as CreateBucket):
      // the local evidence bucket is a plain bucket; see docs/local-runtime.md.
      await s3.send(new CreateBucketCommand({ Bucket: name }));
    }
    s3.destroy();
  }
}

function fakeContext(name: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
