import { randomUUID } from 'node:crypto';
import { AwsJsonError, AwsJsonServer } from './aws-json-server.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template.ts';

interface Locked<T> {
  item: T;
  lockToken: string;
}
type Ref = { Name?: string; Id?: string; Scope?: string };

/**
 * WAFv2 on loopback (AWS JSON 1.1, `AWSWAF_20190729.*`): Get/Update IPSet and WebACL with
 * optimistic locking (a stale LockToken gets WAFOptimisticLockException), whole-document
 * replacement like the real API. IP sets and web ACLs exist only once seeded.
 */
export class WafV2StandIn {
  private readonly server = new AwsJsonServer();
  readonly ipSets = new Map<string, Locked<Record<string, any>>>();
  readonly webAcls = new Map<string, Locked<Record<string, any>>>();

  constructor() {
    this.server
      .on('AWSWAF_20190729.GetIPSet', (b: Ref) => {
        const s = this.get(this.ipSets, b);
        return { IPSet: s.item, LockToken: s.lockToken };
      })
      .on('AWSWAF_20190729.UpdateIPSet', (b: Ref & Record<string, any>) => {
        const s = this.locked(this.ipSets, b);
        s.item = { ...s.item, Addresses: [...(b.Addresses ?? [])], Description: b.Description };
        return { NextLockToken: this.bump(s) };
      })
      .on('AWSWAF_20190729.GetWebACL', (b: Ref) => {
        const s = this.get(this.webAcls, b);
        return { WebACL: s.item, LockToken: s.lockToken };
      })
      .on('AWSWAF_20190729.UpdateWebACL', (b: Ref & Record<string, any>) => {
        const s = this.locked(this.webAcls, b);
        s.item = {
          ...s.item,
          Rules: b.Rules ?? [],
          DefaultAction: b.DefaultAction,
          VisibilityConfig: b.VisibilityConfig,
          Description: b.Description,
        };
        return { NextLockToken: this.bump(s) };
      });
  }

  seed(cfg: {
    ipSet: { name: string; id: string; scope: string; addresses?: string[] };
    webAcl: { name: string; id: string; scope: string };
  }): void {
    const arn = (kind: string, r: { name: string; id: string; scope: string }) =>
      `arn:aws:wafv2:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${r.scope === 'CLOUDFRONT' ? 'global' : 'regional'}/${kind}/${r.name}/${r.id}`;
    this.ipSets.set(key(cfg.ipSet.name, cfg.ipSet.id, cfg.ipSet.scope), {
      item: {
        Name: cfg.ipSet.name,
        Id: cfg.ipSet.id,
        ARN: arn('ipset', cfg.ipSet),
        IPAddressVersion: 'IPV4',
        Addresses: [...(cfg.ipSet.addresses ?? [])],
      },
      lockToken: randomUUID(),
    });
    this.webAcls.set(key(cfg.webAcl.name, cfg.webAcl.id, cfg.webAcl.scope), {
      item: {
        Name: cfg.webAcl.name,
        Id: cfg.webAcl.id,
        ARN: arn('webacl', cfg.webAcl),
        DefaultAction: { Allow: {} },
        Rules: [],
        VisibilityConfig: {
          SampledRequestsEnabled: true,
          CloudWatchMetricsEnabled: true,
          MetricName: 'storefront',
        },
      },
      lockToken: randomUUID(),
    });
  }

  start(): Promise<string> {
    return this.server.start();
  }
  stop(): Promise<void> {
    return this.server.stop();
  }

  private get(map: Map<string, Locked<Record<string, any>>>, b: Ref) {
    const s = map.get(key(b.Name, b.Id, b.Scope));
    if (!s)
      throw new AwsJsonError(
        'WAFNonexistentItemException',
        'AWS WAF couldn’t perform the operation because your resource doesn’t exist.',
      );
    return s;
  }
  private locked(map: Map<string, Locked<Record<string, any>>>, b: Ref & { LockToken?: string }) {
    const s = this.get(map, b);
    if (b.LockToken !== s.lockToken)
      throw new AwsJsonError(
        'WAFOptimisticLockException',
        'AWS WAF couldn’t save your changes because someone changed the resource after you started to edit it.',
      );
    return s;
  }
  private bump(s: Locked<unknown>) {
    s.lockToken = randomUUID();
    return s.lockToken;
  }
}

const key = (name?: string, id?: string, scope?: string) => `${scope}/${name}/${id}`;
