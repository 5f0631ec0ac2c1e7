import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { rewriteDistributedMaps } from './distributed-map.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template.ts';
import type { VirtualClock } from './virtual-clock.ts';

type Json = any;
type StateDef = Record<string, any>;
export type TaskInvoker = (
  resource: string,
  input: Json,
  ctx: { stateName: string; executionArn: string },
) => Promise<Json>;

export interface ExecutionRecord {
  executionArn: string;
  stateMachine: string;
  name: string;
  input: Json;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  output?: Json;
  error?: string;
  cause?: string;
  startDate: string;
  stopDate?: string;
  transitions: number;
  states: string[];
  done: Promise<void>;
}

interface PendingToken {
  resolve: (v: Json) => void;
  reject: (e: Error) => void;
  stateName: string;
  executionArn: string;
}

const STATIC_TOKEN = '__LOCAL_TASK_TOKEN__';
export const STATE_MACHINES_DIR = path.resolve(import.meta.dirname, '..', '..', 'state-machines');

/**
 * Runs the very `state-machines/*.asl.json` files with aws-local-stepfunctions:
 *  - `${…}` substitutions come from the synthesized template (function ARNs, names);
 *  - every Task is bound to a local invoker by its Resource (Lambda ARN, lambda:invoke,
 *    aws-sdk:*, `.waitForTaskToken` through a token broker that SendTaskSuccess resolves);
 *  - every Wait state becomes virtual time: it advances the runtime's clock instead of sleeping;
 *  - retry intervals are overridden to a few milliseconds.
 * Mapping for Distributed Map (AWS) → inline Map (local) lives in docs/local-runtime.md.
 */
export class AslRunner {
  readonly executions = new Map<string, ExecutionRecord>();
  private readonly tokens = new Map<string, PendingToken>();
  readonly tokenListeners: Array<
    (token: string, info: { stateName: string; executionArn: string; input: Json }) => void
  > = [];

  constructor(
    private readonly invoke: TaskInvoker,
    private readonly clock: VirtualClock,
    private readonly substitutions: Record<string, Record<string, string>>,
  ) {}

  private readonly aborts = new Map<string, () => void>();

  /** Aborts every running execution (runtime shutdown): nothing keeps calling closed stand-ins. */
  abortAll(): void {
    for (const abort of [...this.aborts.values()]) abort();
    this.aborts.clear();
  }

  loadDefinition(file: string): Json {
    const text = readFileSync(path.join(STATE_MACHINES_DIR, `${file}.asl.json`), 'utf8');
    const subs = this.substitutions[file] ?? {};
    const filled = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_m, k: string) => {
      if (!(k in subs)) throw new Error(`${file}.asl.json: no substitution for \${${k}}`);
      return subs[k]!;
    });
    return JSON.parse(filled);
  }

  start(file: string, input: Json, name: string = randomUUID()): ExecutionRecord {
    const executionArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${file}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) return existing;
    const def = rewriteDistributedMaps(this.loadDefinition(file));
    const overrides = {
      taskResourceLocalHandlers: {} as Record<string, (i: Json) => Promise<Json>>,
      waitTimeOverrides: {} as Record<string, number>,
      retryIntervalOverrides: {} as Record<string, number>,
    };
    const rec: ExecutionRecord = {
      executionArn,
      stateMachine: file,
      name,
      input,
      status: 'RUNNING',
      startDate: this.clock.now().toISOString(),
      transitions: 0,
      states: [],
      done: Promise.resolve(),
    };
    this.bindStates(def, overrides, executionArn);
    const sm = new StateMachine(def, { validationOptions: { checkArn: true, checkPaths: true } });
    const run = sm.run(input, {
      overrides,
      noThrowOnAbort: true,
      context: {
        Execution: { Id: executionArn, Name: name, StartTime: rec.startDate, Input: input },
        StateMachine: {
          Id: executionArn
            .replace(':execution:', ':stateMachine:')
            .split(':')
            .slice(0, 7)
            .join(':'),
          Name: file,
        },
        Task: { Token: STATIC_TOKEN },
      },
    });
    const logs = (async () => {
      for await (const ev of run.eventLogs) {
        if (ev.type === 'StateEntered') {
          rec.transitions++;
          rec.states.push(ev.state.name);
        }
      }
    })();
    this.aborts.set(executionArn, () => {
      rec.status = 'ABORTED';
      run.abort();
    });
    rec.done = run.result.then(
      async (output) => {
        await logs.catch(() => undefined);
        this.aborts.delete(executionArn);
        if (rec.status === 'ABORTED') return;
        rec.status = 'SUCCEEDED';
        rec.output = output;
        rec.stopDate = this.clock.now().toISOString();
      },
      async (err: Error & { cause?: unknown }) => {
        await logs.catch(() => undefined);
        this.aborts.delete(executionArn);
        if (rec.status === 'ABORTED') return;
        rec.status = 'FAILED';
        const m = /failed with the following error:\s*(.*)$/s.exec(err.message);
        // aws-local-stepfunctions wraps the failure in an ExecutionError; AWS reports the
        // error itself (a Fail state's Error/ErrorPath, or an uncaught task error's name).
        rec.error = (err.cause as { name?: string } | undefined)?.name ?? err.name ?? 'Error';
        rec.cause = (m?.[1] ?? err.message).split('\n')[0];
        rec.stopDate = this.clock.now().toISOString();
      },
    );
    this.executions.set(executionArn, rec);
    return rec;
  }

  /** SendTaskSuccess / SendTaskFailure for `.waitForTaskToken` tasks. */
  sendTaskSuccess(token: string, output: Json): void {
    const p = this.take(token);
    p.resolve(output);
  }

  sendTaskFailure(token: string, error: string, cause?: string): void {
    const p = this.take(token);
    const e = new Error(cause ?? error);
    e.name = error;
    p.reject(e);
  }

  pendingTokens(): Array<{ token: string; stateName: string; executionArn: string }> {
    return [...this.tokens.entries()].map(([token, p]) => ({
      token,
      stateName: p.stateName,
      executionArn: p.executionArn,
    }));
  }

  private take(token: string): PendingToken {
    const p = this.tokens.get(token);
    if (!p) {
      const e = new Error('Invalid token');
      e.name = 'TaskDoesNotExist';
      throw e;
    }
    this.tokens.delete(token);
    return p;
  }

  private bindStates(def: Json, overrides: any, executionArn: string) {
    const visit = (states: Record<string, StateDef>) => {
      for (const [name, s] of Object.entries(states)) {
        if (s.Type === 'Task') {
          overrides.taskResourceLocalHandlers[name] = (input: Json) =>
            this.runTask(name, s, input, executionArn);
        }
        if (s.Type === 'Wait') {
          this.virtualiseWait(name, s, states);
          // the Wait is now a Task: bind it like the others (the entries were read before)
          const waitTask = states[name]!;
          overrides.taskResourceLocalHandlers[name] = (input: Json) =>
            this.runTask(name, waitTask, input, executionArn);
        }
        if (s.Retry) overrides.retryIntervalOverrides[name] = 5;
        if (s.Type === 'Parallel') for (const b of s.Branches ?? []) visit(b.States);
        if (s.Type === 'Map') visit((s.ItemProcessor ?? s.Iterator).States);
      }
    };
    visit(def.States);
  }

  /** Wait → a Task that advances virtual time by what the Wait would have slept. */
  private virtualiseWait(name: string, s: StateDef, states: Record<string, StateDef>) {
    const spec = Object.fromEntries(
      ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath']
        .filter((k) => s[k] !== undefined)
        .map((k) => [k, s[k]]),
    );
    const task: StateDef = {
      Type: 'Task',
      Resource: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:__virtual-wait`,
      Parameters: { 'input.$': '$', spec },
      ResultSelector: { 'value.$': '$.input' },
      OutputPath: '$.value',
      ...(s.Next ? { Next: s.Next } : { End: true }),
      Comment: `virtual Wait (${JSON.stringify(spec)})`,
    };
    if (s.InputPath !== undefined) task.InputPath = s.InputPath;
    if (s.OutputPath !== undefined)
      task.ResultSelector = {
        'value.$': `$.input${s.OutputPath === '$' ? '' : String(s.OutputPath).slice(1)}`,
      };
    states[name] = task;
  }

  private advanceFor(spec: Json, input: Json) {
    const get = (p: string) =>
      p
        .replace(/^\$\.?/, '')
        .split('.')
        .filter(Boolean)
        .reduce((o: any, k) => o?.[k], input);
    if (typeof spec.Seconds === 'number') this.clock.advance(spec.Seconds * 1000);
    else if (spec.SecondsPath) this.clock.advance(Number(get(spec.SecondsPath)) * 1000);
    else if (spec.Timestamp) this.clock.advanceTo(new Date(spec.Timestamp));
    else if (spec.TimestampPath) this.clock.advanceTo(new Date(String(get(spec.TimestampPath))));
  }

  private async runTask(
    stateName: string,
    s: StateDef,
    input: Json,
    executionArn: string,
  ): Promise<Json> {
    const resource = String(s.Resource);
    if (resource.endsWith(':function:__virtual-wait')) {
      this.advanceFor(input.spec, input.input);
      return input;
    }
    if (resource.endsWith('.waitForTaskToken')) {
      const token = `local-${randomUUID()}`;
      const withToken = JSON.parse(JSON.stringify(input).replaceAll(STATIC_TOKEN, token));
      const waiting = new Promise<Json>((resolve, reject) =>
        this.tokens.set(token, { resolve, reject, stateName, executionArn }),
      );
      // A token whose Task attempt failed (and was retried with a new token) is never awaited.
      waiting.catch(() => undefined);
      try {
        await this.invoke(resource.slice(0, -'.waitForTaskToken'.length), withToken, {
          stateName,
          executionArn,
        });
      } catch (err) {
        // As in AWS, the failed attempt's token is dead: answering it is TaskDoesNotExist
        // instead of silently resolving a wait nobody awaits (the retry gets a new token).
        this.tokens.delete(token);
        throw err;
      }
      for (const l of this.tokenListeners) l(token, { stateName, executionArn, input: withToken });
      return waiting;
    }
    return this.invoke(resource, input, { stateName, executionArn });
  }
}
