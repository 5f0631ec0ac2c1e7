import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalSchedule {
  name: string;
  group: string;
  at: string; // UTC instant
  expression: string;
  targetArn: string;
  input: string;
  actionAfterCompletion: string;
  state: 'ENABLED' | 'DISABLED';
  firedAt?: string;
}

/**
 * EventBridge Scheduler stand-in: the REST-JSON API the SDK speaks (`POST|PUT|GET|DELETE
 * /schedules/{Name}`) for one-time `at(...)` schedules. `fireDue(now)` fires every schedule whose
 * time the virtual clock has passed (the local runtime calls it when the clock advances) and,
 * with `ActionAfterCompletion: DELETE`, deletes it, like Scheduler does.
 */
export class SchedulerStandIn {
  readonly schedules = new Map<string, LocalSchedule>();
  readonly fired: LocalSchedule[] = [];
  readonly calls: Array<{ method: string; name: string }> = [];
  private server?: Server;

  constructor(private readonly fire: (s: LocalSchedule) => void) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections?.();
    await new Promise<void>((r) => s.close(() => r()));
  }

  /** Fires (once) every enabled schedule due at or before `now`, in time order. */
  fireDue(now: Date): LocalSchedule[] {
    const due = [...this.schedules.values()]
      .filter((s) => s.state === 'ENABLED' && !s.firedAt && Date.parse(s.at) <= now.getTime())
      .sort((a, b) => a.at.localeCompare(b.at));
    for (const s of due) {
      s.firedAt = now.toISOString();
      this.fired.push({ ...s });
      if (s.actionAfterCompletion === 'DELETE') this.schedules.delete(key(s.group, s.name));
      this.fire(s);
    }
    return due;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://local');
    const m = /^\/schedules\/([^/]+)$/.exec(url.pathname);
    const send = (status: number, body: unknown, errorType?: string) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      });
      res.end(JSON.stringify(body));
    };
    try {
      if (!m) return send(404, { Message: 'not found' }, 'ResourceNotFoundException');
      const name = decodeURIComponent(m[1]!);
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      const group = String(body.GroupName ?? url.searchParams.get('groupName') ?? 'default');
      const k = key(group, name);
      this.calls.push({ method: req.method ?? '', name });
      if (req.method === 'POST' || req.method === 'PUT') {
        const exists = this.schedules.has(k);
        if (req.method === 'POST' && exists)
          return send(409, { Message: `Schedule ${name} already exists.` }, 'ConflictException');
        if (req.method === 'PUT' && !exists)
          return send(
            404,
            { Message: `Schedule ${name} does not exist.` },
            'ResourceNotFoundException',
          );
        const at = parseAt(String(body.ScheduleExpression ?? ''), body.ScheduleExpressionTimezone);
        if (!at)
          return send(
            400,
            { Message: 'Invalid Schedule Expression (only at(...) is supported locally)' },
            'ValidationException',
          );
        if (!body.Target?.Arn || !body.Target?.RoleArn)
          return send(
            400,
            { Message: 'Target.Arn and Target.RoleArn are required' },
            'ValidationException',
          );
        this.schedules.set(k, {
          name,
          group,
          at,
          expression: body.ScheduleExpression,
          targetArn: body.Target.Arn,
          input: body.Target.Input ?? '{}',
          actionAfterCompletion: body.ActionAfterCompletion ?? 'NONE',
          state: body.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
        });
        return send(200, {
          ScheduleArn: `arn:aws:scheduler:us-east-1:000000000000:schedule/${group}/${name}`,
        });
      }
      if (req.method === 'GET') {
        const s = this.schedules.get(k);
        if (!s)
          return send(
            404,
            { Message: `Schedule ${name} does not exist.` },
            'ResourceNotFoundException',
          );
        return send(200, {
          Name: s.name,
          GroupName: s.group,
          ScheduleExpression: s.expression,
          State: s.state,
          Target: { Arn: s.targetArn, Input: s.input },
        });
      }
      if (req.method === 'DELETE') {
        if (!this.schedules.delete(k))
          return send(
            404,
            { Message: `Schedule ${name} does not exist.` },
            'ResourceNotFoundException',
          );
        return send(200, {});
      }
      return send(405, { Message: 'method not allowed' }, 'ValidationException');
    } catch (err) {
      return send(400, { Message: (err as Error).message.split('\n')[0] }, 'ValidationException');
    }
  }
}

const key = (group: string, name: string) => `${group}/${name}`;

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC (the only time zone the workflow uses). */
function parseAt(expr: string, tz: unknown): string | undefined {
  const m = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expr);
  if (!m || (tz !== undefined && tz !== 'UTC')) return undefined;
  return new Date(`${m[1]}Z`).toISOString();
}
