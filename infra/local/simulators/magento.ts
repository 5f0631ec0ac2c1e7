import { HttpSimulator, type SimReply, type SimRequest } from './http-simulator.ts';

export interface HostCommandRecord {
  instanceId: string;
  /** The full shell line the SSM document ran (`cd … && sudo -u … bin/magento …`). */
  line: string;
  /** `bin/magento` arguments, e.g. `maintenance:enable --ip=203.0.113.7`. */
  args: string;
  exitCode: number;
  at: string;
}

/**
 * A Magento host on loopback: the storefront (maintenance mode honoured), a small slice of the
 * REST API, and `bin/magento` executed on behalf of SSM Run Command (POST /__host/exec, called by
 * the SSM stand-in in infra/local/ssm-standin.ts). Every call and every command is recorded; the
 * modes of HttpSimulator (down/slow/failing) apply to all of it.
 */
export class MagentoSimulator extends HttpSimulator {
  readonly commands: HostCommandRecord[] = [];
  maintenance = { active: false, ips: [] as string[] };
  readonly config = new Map<string, { value: string; locked: boolean }>();
  readonly cache = { cleaned: 0, flushed: 0 };

  constructor(
    readonly instanceIds: string[] = ['i-0magento0000000a1'],
    readonly magentoRoot = '/var/www/magento',
    private readonly integrationToken?: string,
  ) {
    super();
  }

  seed(data: {
    config?: Record<string, string>;
    maintenance?: { active: boolean; ips?: string[] };
  }) {
    for (const [k, v] of Object.entries(data.config ?? {}))
      this.config.set(k, { value: v, locked: false });
    if (data.maintenance)
      this.maintenance = {
        active: data.maintenance.active,
        ips: [...(data.maintenance.ips ?? [])],
      };
  }

  protected handle(req: SimRequest): SimReply {
    if (req.method === 'POST' && req.path === '/__host/exec') return this.exec(req);
    if (req.path.startsWith('/rest/')) return this.rest(req);
    // Storefront: 503 in maintenance mode unless the client IP is exempt (like pub/index.php).
    const ip = String(req.headers['x-forwarded-for'] ?? '127.0.0.1')
      .split(',')[0]!
      .trim();
    if (this.maintenance.active && !this.maintenance.ips.includes(ip))
      return { status: 503, body: 'Service Temporarily Unavailable' };
    return { status: 200, body: 'storefront' };
  }

  private rest(req: SimRequest): SimReply {
    if (this.maintenance.active) return { status: 503, body: { message: 'maintenance' } };
    if (this.integrationToken && req.headers.authorization !== `Bearer ${this.integrationToken}`)
      return {
        status: 401,
        body: { message: "The consumer isn't authorized to access %resources." },
      };
    if (req.method === 'GET' && req.path === '/rest/V1/store/storeConfigs')
      return { status: 200, body: [{ id: 1, code: 'default', base_currency_code: 'EUR' }] };
    return { status: 404, body: { message: 'Request does not match any route.' } };
  }

  private exec(req: SimRequest): SimReply {
    const { instanceId, commands } = (req.json ?? {}) as {
      instanceId?: string;
      commands?: string[];
    };
    if (!instanceId || !this.instanceIds.includes(instanceId))
      return { status: 404, body: { error: 'no such instance' } };
    let stdout = '';
    let exitCode = 0;
    for (const line of commands ?? []) {
      const r = this.run(line);
      this.commands.push({
        instanceId,
        line,
        args: r.args,
        exitCode: r.exitCode,
        at: new Date().toISOString(),
      });
      stdout += r.stdout;
      exitCode = r.exitCode;
      if (exitCode !== 0) break;
    }
    return { status: 200, body: { exitCode, stdout } };
  }

  /** One shell line: `cd <root> && sudo -u <user> bin/magento <args>`. */
  private run(line: string): { args: string; exitCode: number; stdout: string } {
    const m = /^cd (\S+) && sudo -u ([a-z_][a-z0-9_-]*) bin\/magento (.+)$/.exec(line);
    if (!m || m[1] !== this.magentoRoot)
      return { args: '', exitCode: 127, stdout: 'sh: command not allowed on this host\n' };
    const args = m[3]!;
    const [cmd, ...rest] = args.split(/\s+/);
    const flags = rest.filter((a) => a.startsWith('--'));
    const positional = rest.filter((a) => !a.startsWith('--'));
    const ok = (stdout: string) => ({ args, exitCode: 0, stdout });
    switch (cmd) {
      case 'maintenance:status':
        return ok(
          `Status: maintenance mode is ${this.maintenance.active ? 'active' : 'not active'}.\nList of exempt IP-addresses: ${this.maintenance.ips.length ? this.maintenance.ips.join(' ') : 'none'}\n`,
        );
      case 'maintenance:enable': {
        const ips = flags.filter((f) => f.startsWith('--ip=')).map((f) => f.slice(5));
        this.maintenance = { active: true, ips: ips.length ? ips : this.maintenance.ips };
        return ok('Enabled maintenance mode\n');
      }
      case 'maintenance:disable':
        this.maintenance = { ...this.maintenance, active: false };
        return ok('Disabled maintenance mode\n');
      case 'maintenance:allow-ips':
        this.maintenance = { ...this.maintenance, ips: flags.includes('--none') ? [] : positional };
        return ok(`Set exempt IP-addresses: ${this.maintenance.ips.join(' ') || 'none'}\n`);
      case 'cache:clean':
        this.cache.cleaned++;
        return ok(
          `Cleaned cache types:\n${(positional.length ? positional : ['config', 'full_page']).join('\n')}\n`,
        );
      case 'cache:flush':
        this.cache.flushed++;
        return ok('Flushed cache types:\nconfig\nfull_page\nreflection\n');
      case 'config:show': {
        const v = this.config.get(positional[0] ?? '');
        return v
          ? ok(`${v.value}\n`)
          : {
              args,
              exitCode: 1,
              stdout: `Configuration for path: "${positional[0]}" doesn't exist\n`,
            };
      }
      case 'config:set': {
        const [path, value] = positional;
        if (!path || value === undefined)
          return { args, exitCode: 1, stdout: 'Not enough arguments\n' };
        const locked = flags.includes('--lock-env') || flags.includes('--lock');
        this.config.set(path, { value, locked });
        return ok(
          locked ? 'Value was saved in app/etc/env.php and locked.\n' : 'Value was saved.\n',
        );
      }
      default:
        return { args, exitCode: 1, stdout: `Command "${cmd}" is not defined.\n` };
    }
  }
}
