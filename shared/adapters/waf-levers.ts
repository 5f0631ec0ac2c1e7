import {
  GetIPSetCommand,
  GetWebACLCommand,
  type Rule,
  UpdateIPSetCommand,
  UpdateWebACLCommand,
  type WAFV2Client,
} from '@aws-sdk/client-wafv2';
import type { WafLevers, WafRef, WafRuleSpec } from '#ports/aws-levers.ts';
import { RetryableError } from '#runtime/errors.ts';

/**
 * WAFv2 full-replacement updates under optimistic locking: Get (LockToken) → Update; on
 * WAFOptimisticLockException re-Get and retry (integrations.md §G).
 */
export class WafV2Levers implements WafLevers {
  constructor(
    private readonly waf: WAFV2Client,
    private readonly maxAttempts = 5,
  ) {}

  async getIpSet(ref: WafRef) {
    const r = await this.waf.send(
      new GetIPSetCommand({ Name: ref.name, Id: ref.id, Scope: ref.scope }),
    );
    return { addresses: [...(r.IPSet?.Addresses ?? [])].sort(), arn: r.IPSet?.ARN ?? '' };
  }

  async setIpSet(ref: WafRef, next: (current: string[]) => string[]) {
    return this.withLock(async () => {
      const r = await this.waf.send(
        new GetIPSetCommand({ Name: ref.name, Id: ref.id, Scope: ref.scope }),
      );
      const addresses = [...new Set(next([...(r.IPSet?.Addresses ?? [])]))].sort();
      await this.waf.send(
        new UpdateIPSetCommand({
          Name: ref.name,
          Id: ref.id,
          Scope: ref.scope,
          Addresses: addresses,
          Description: r.IPSet?.Description,
          LockToken: r.LockToken,
        }),
      );
      return addresses;
    });
  }

  async ruleNames(acl: WafRef) {
    const r = await this.waf.send(
      new GetWebACLCommand({ Name: acl.name, Id: acl.id, Scope: acl.scope }),
    );
    return (r.WebACL?.Rules ?? []).map((x) => x.Name!).sort();
  }

  async setRule(acl: WafRef, name: string, spec: WafRuleSpec | null) {
    return this.withLock(async () => {
      const r = await this.waf.send(
        new GetWebACLCommand({ Name: acl.name, Id: acl.id, Scope: acl.scope }),
      );
      const w = r.WebACL;
      if (!w) throw new Error(`web ACL ${acl.name} not found`);
      const rules = (w.Rules ?? []).filter((x) => x.Name !== name);
      if (spec) rules.push(exportBlockRule(spec));
      await this.waf.send(
        new UpdateWebACLCommand({
          Name: acl.name,
          Id: acl.id,
          Scope: acl.scope,
          DefaultAction: w.DefaultAction,
          Description: w.Description,
          Rules: rules,
          VisibilityConfig: w.VisibilityConfig,
          LockToken: r.LockToken,
        }),
      );
      return rules.map((x) => x.Name!).sort();
    });
  }

  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if ((err as Error).name !== 'WAFOptimisticLockException') throw err;
        if (attempt >= this.maxAttempts)
          throw new RetryableError(`WAF update kept conflicting after ${attempt} attempts`);
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt * Math.random()));
      }
    }
  }
}

/** Block: source IP in the incident IP set, OR a request to an admin export route. */
export function exportBlockRule(spec: WafRuleSpec): Rule {
  const paths = spec.pathPrefixes.map((p) => ({
    ByteMatchStatement: {
      FieldToMatch: { UriPath: {} },
      PositionalConstraint: 'STARTS_WITH' as const,
      SearchString: new TextEncoder().encode(p),
      TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' as const }],
    },
  }));
  return {
    Name: spec.name,
    Priority: spec.priority,
    Action: { Block: {} },
    Statement: {
      OrStatement: {
        Statements: [{ IPSetReferenceStatement: { ARN: spec.ipSetArn } }, ...paths],
      },
    },
    VisibilityConfig: {
      SampledRequestsEnabled: true,
      CloudWatchMetricsEnabled: true,
      MetricName: spec.name.replace(/[^A-Za-z0-9]/g, ''),
    },
  };
}
