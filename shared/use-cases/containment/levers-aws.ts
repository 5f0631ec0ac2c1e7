import type { Lever, LeverPorts, LeverTarget } from './lever-kit.ts';
import { need } from './lever-kit.ts';

const RULE_NAME = 'tourniquet-block-admin-export';
const QUARANTINE_SID = 'TourniquetQuarantine';
const QUARANTINE_TAG = 'tourniquet-quarantine';

const toCidr = (ip: string) =>
  ip.includes('/') ? ip : ip.includes(':') ? `${ip}/128` : `${ip}/32`;

type WafPre = { addresses: string[]; rules: string[] };
const wafBlockAdminExport: Lever<WafPre, { added: string[]; ruleAdded: boolean }> = {
  reversible: true,
  async snapshot(p) {
    const waf = need(p.waf, 'WAF');
    const cfg = need(p.wafConfig, 'WAF configuration');
    const { addresses } = await waf.getIpSet(cfg.ipSet);
    return { addresses, rules: await waf.ruleNames(cfg.webAcl) };
  },
  async act(p, t, pre) {
    const waf = need(p.waf, 'WAF');
    const cfg = need(p.wafConfig, 'WAF configuration');
    const wanted = [...new Set((t.ips ?? []).map(toCidr))].sort();
    const added = wanted.filter((a) => !pre.addresses.includes(a));
    if (added.length) await waf.setIpSet(cfg.ipSet, (cur) => [...cur, ...added]);
    let ruleAdded = false;
    if (!pre.rules.includes(RULE_NAME)) {
      const { arn } = await waf.getIpSet(cfg.ipSet);
      await waf.setRule(cfg.webAcl, RULE_NAME, {
        name: RULE_NAME,
        priority: cfg.rulePriority,
        pathPrefixes: cfg.exportPaths,
        ipSetArn: arn,
      });
      ruleAdded = true;
    }
    return { changed: added.length + (ruleAdded ? 1 : 0), result: { added, ruleAdded } };
  },
  async verify(p, t) {
    const waf = need(p.waf, 'WAF');
    const cfg = need(p.wafConfig, 'WAF configuration');
    const { addresses } = await waf.getIpSet(cfg.ipSet);
    const missing = (t.ips ?? []).map(toCidr).filter((a) => !addresses.includes(a));
    const rule = (await waf.ruleNames(cfg.webAcl)).includes(RULE_NAME);
    return {
      ok: missing.length === 0 && rule,
      detail: `rule ${RULE_NAME} ${rule ? 'present' : 'MISSING'}; ${missing.length} of ${(t.ips ?? []).length} IP(s) not in the IP set`,
    };
  },
  async release(p, _t, pre, res) {
    const waf = need(p.waf, 'WAF');
    const cfg = need(p.wafConfig, 'WAF configuration');
    if (res.added.length)
      await waf.setIpSet(cfg.ipSet, (cur) => cur.filter((a) => !res.added.includes(a)));
    if (res.ruleAdded) await waf.setRule(cfg.webAcl, RULE_NAME, null);
    void pre;
    return { restored: res.added.length + (res.ruleAdded ? 1 : 0) };
  },
};

/** `s3://bucket/prefix` → parts. */
export function parseDataset(d: string): { bucket: string; prefix: string } | undefined {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/?(.*)$/.exec(d);
  return m ? { bucket: m[1]!, prefix: m[2] ?? '' } : undefined;
}

/** Merges the quarantine deny into a bucket policy (whole-document replace; keep everything else). */
export function quarantinePolicy(
  existing: string | null,
  bucket: string,
  prefixes: string[],
  breakGlassRoleArn: string,
) {
  const doc = existing
    ? (JSON.parse(existing) as { Version?: string; Statement?: any[] })
    : { Version: '2012-10-17', Statement: [] };
  const statements = (doc.Statement ?? []).filter((s) => s.Sid !== QUARANTINE_SID);
  statements.push({
    Sid: QUARANTINE_SID,
    Effect: 'Deny',
    Principal: '*',
    Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject'],
    Resource: prefixes.map((p) => `arn:aws:s3:::${bucket}/${p}*`),
    Condition: { ArnNotEquals: { 'aws:PrincipalArn': breakGlassRoleArn } },
  });
  return JSON.stringify({ Version: doc.Version ?? '2012-10-17', Statement: statements });
}

type DatasetPre = {
  buckets: Array<{ bucket: string; policy: string | null; prefixes: string[] }>;
  objects: Array<{ bucket: string; key: string; tags: Record<string, string> }>;
};
function datasetsOf(t: LeverTarget) {
  const byBucket = new Map<string, string[]>();
  for (const d of t.datasets ?? []) {
    const x = parseDataset(d);
    if (x) byBucket.set(x.bucket, [...(byBucket.get(x.bucket) ?? []), x.prefix]);
  }
  return byBucket;
}
const quarantineDataset: Lever<DatasetPre, { policies: string[]; tagged: number }> = {
  reversible: true,
  async snapshot(p, t) {
    const s3 = need(p.datasets, 'S3');
    const pre: DatasetPre = { buckets: [], objects: [] };
    for (const [bucket, prefixes] of datasetsOf(t)) {
      pre.buckets.push({ bucket, policy: await s3.getBucketPolicy(bucket), prefixes });
      for (const prefix of prefixes)
        for (const key of await s3.listKeys(bucket, prefix))
          pre.objects.push({ bucket, key, tags: await s3.getTags(bucket, key) });
    }
    return pre;
  },
  async act(p, t, pre) {
    const s3 = need(p.datasets, 'S3');
    const role = need(p.breakGlassRoleArn, 'incident-response role ARN');
    const policies: string[] = [];
    for (const b of pre.buckets) {
      await s3.putBucketPolicy(b.bucket, quarantinePolicy(b.policy, b.bucket, b.prefixes, role));
      policies.push(b.bucket);
    }
    let tagged = 0;
    for (const o of pre.objects) {
      if (o.tags[QUARANTINE_TAG] === t.incidentId) continue;
      const tags = { ...o.tags, [QUARANTINE_TAG]: t.incidentId };
      if (Object.keys(tags).length > 10)
        throw new Error(`object tag limit (10) reached on ${o.bucket}`);
      await s3.putTags(o.bucket, o.key, tags);
      tagged++;
    }
    return { changed: policies.length + tagged, result: { policies, tagged } };
  },
  async verify(p, t, pre) {
    const s3 = need(p.datasets, 'S3');
    let denied = 0;
    for (const b of pre.buckets) {
      const doc = JSON.parse((await s3.getBucketPolicy(b.bucket)) ?? '{}') as {
        Statement?: Array<{ Sid?: string; Effect?: string }>;
      };
      if (doc.Statement?.some((s) => s.Sid === QUARANTINE_SID && s.Effect === 'Deny')) denied++;
    }
    let untagged = 0;
    for (const o of pre.objects)
      if ((await s3.getTags(o.bucket, o.key))[QUARANTINE_TAG] !== t.incidentId) untagged++;
    return {
      ok: denied === pre.buckets.length && untagged === 0,
      detail: `${denied}/${pre.buckets.length} bucket policy deny in place, ${pre.objects.length - untagged}/${pre.objects.length} object(s) tagged`,
    };
  },
  async release(p, _t, pre) {
    const s3 = need(p.datasets, 'S3');
    for (const b of pre.buckets) await s3.putBucketPolicy(b.bucket, b.policy);
    for (const o of pre.objects) await s3.putTags(o.bucket, o.key, o.tags);
    return { restored: pre.buckets.length + pre.objects.length };
  },
};

type PipelinePre = {
  functions: Array<{ name: string; reserved: number | null }>;
  mappings: Array<{ uuid: string; enabled: boolean }>;
  rules: Array<{ name: string; bus?: string; enabled: boolean }>;
};
const stopTrainingPipeline: Lever<PipelinePre, { stopped: string[] }> = {
  reversible: true,
  async snapshot(p) {
    const c = need(p.pipelines, 'Lambda/EventBridge');
    const cfg = p.pipelineConfig ?? {
      functions: [],
      eventSourceMappings: [],
      rules: [],
      iamUsers: [],
      secrets: [],
    };
    const pre: PipelinePre = { functions: [], mappings: [], rules: [] };
    for (const name of cfg.functions)
      pre.functions.push({ name, reserved: await c.getConcurrency(name) });
    for (const uuid of cfg.eventSourceMappings)
      pre.mappings.push({ uuid, enabled: await c.getMappingEnabled(uuid) });
    for (const r of cfg.rules)
      pre.rules.push({ ...r, enabled: await c.getRuleEnabled(r.name, r.bus) });
    return pre;
  },
  async act(p, _t, pre) {
    const c = need(p.pipelines, 'Lambda/EventBridge');
    const stopped: string[] = [];
    for (const f of pre.functions.filter((x) => x.reserved !== 0)) {
      await c.setConcurrency(f.name, 0);
      stopped.push(`function:${f.name}`);
    }
    for (const m of pre.mappings.filter((x) => x.enabled)) {
      await c.setMappingEnabled(m.uuid, false);
      stopped.push(`mapping:${m.uuid}`);
    }
    for (const r of pre.rules.filter((x) => x.enabled)) {
      await c.setRuleEnabled(r.name, r.bus, false);
      stopped.push(`rule:${r.name}`);
    }
    return { changed: stopped.length, result: { stopped } };
  },
  async verify(p, _t, pre) {
    const c = need(p.pipelines, 'Lambda/EventBridge');
    const running: string[] = [];
    for (const f of pre.functions) if ((await c.getConcurrency(f.name)) !== 0) running.push(f.name);
    for (const m of pre.mappings) if (await c.getMappingEnabled(m.uuid)) running.push(m.uuid);
    for (const r of pre.rules) if (await c.getRuleEnabled(r.name, r.bus)) running.push(r.name);
    const total = pre.functions.length + pre.mappings.length + pre.rules.length;
    return {
      ok: running.length === 0,
      detail: `${total} pipeline part(s), ${running.length} still running`,
    };
  },
  async release(p, _t, pre, res) {
    const c = need(p.pipelines, 'Lambda/EventBridge');
    for (const f of pre.functions)
      if (res.stopped.includes(`function:${f.name}`)) await c.setConcurrency(f.name, f.reserved);
    for (const m of pre.mappings)
      if (res.stopped.includes(`mapping:${m.uuid}`)) await c.setMappingEnabled(m.uuid, true);
    for (const r of pre.rules)
      if (res.stopped.includes(`rule:${r.name}`)) await c.setRuleEnabled(r.name, r.bus, true);
    return { restored: res.stopped.length };
  },
};

type KeysPre = {
  keys: Array<{ userName: string; accessKeyId: string; status: 'Active' | 'Inactive' }>;
};
const deactivateAccessKeys: Lever<
  KeysPre,
  { deactivated: Array<{ userName: string; accessKeyId: string }> }
> = {
  reversible: true,
  async snapshot(p) {
    const iam = need(p.accessKeys, 'IAM');
    const keys: KeysPre['keys'] = [];
    for (const userName of p.pipelineConfig?.iamUsers ?? [])
      for (const k of await iam.listKeys(userName)) keys.push({ userName, ...k });
    return { keys };
  },
  async act(p, _t, pre) {
    const iam = need(p.accessKeys, 'IAM');
    const deactivated = pre.keys
      .filter((k) => k.status === 'Active')
      .map(({ userName, accessKeyId }) => ({ userName, accessKeyId }));
    for (const k of deactivated) await iam.setStatus(k.userName, k.accessKeyId, 'Inactive');
    return { changed: deactivated.length, result: { deactivated } };
  },
  async verify(p, _t, pre) {
    const iam = need(p.accessKeys, 'IAM');
    let active = 0;
    for (const u of [...new Set(pre.keys.map((k) => k.userName))])
      active += (await iam.listKeys(u)).filter(
        (k) => k.status === 'Active' && pre.keys.some((x) => x.accessKeyId === k.accessKeyId),
      ).length;
    return {
      ok: active === 0,
      detail: `${pre.keys.length} access key(s) in scope, ${active} still active`,
    };
  },
  async release(p, _t, _pre, res) {
    const iam = need(p.accessKeys, 'IAM');
    for (const k of res.deactivated) await iam.setStatus(k.userName, k.accessKeyId, 'Active');
    return { restored: res.deactivated.length };
  },
};

type SecretsPre = { secrets: Array<{ id: string; version: string | null }> };
const rotateSecrets: Lever<
  SecretsPre,
  { rotated: Array<{ id: string; from: string; to: string }> }
> = {
  reversible: true,
  async snapshot(p) {
    const sm = need(p.secrets, 'Secrets Manager');
    const secrets: SecretsPre['secrets'] = [];
    for (const id of p.pipelineConfig?.secrets ?? [])
      secrets.push({ id, version: await sm.currentVersion(id) });
    return { secrets };
  },
  async act(p, t, pre) {
    const sm = need(p.secrets, 'Secrets Manager');
    const rotated: Array<{ id: string; from: string; to: string }> = [];
    for (const s of pre.secrets) {
      if (!s.version) continue;
      // ClientRequestToken derived from incident + secret: a retry never rotates twice.
      const token = `tourniquet-${t.incidentId}-${s.id}`
        .replace(/[^A-Za-z0-9-]/g, '-')
        .slice(0, 64)
        .padEnd(32, '0');
      const to = (await sm.rotate(s.id, token)) ?? token;
      rotated.push({ id: s.id, from: s.version, to });
    }
    return { changed: rotated.length, result: { rotated } };
  },
  async verify(p, _t, _pre, res) {
    const sm = need(p.secrets, 'Secrets Manager');
    let stale = 0;
    for (const r of res.rotated) if ((await sm.currentVersion(r.id)) === r.from) stale++;
    return {
      ok: stale === 0,
      detail: `${res.rotated.length} secret(s) rotated, ${stale} still on the old version`,
    };
  },
  async release(p, _t, _pre, res) {
    // Moves AWSCURRENT back; the credential at the source must still accept the old value.
    const sm = need(p.secrets, 'Secrets Manager');
    for (const r of res.rotated) await sm.restoreVersion(r.id, r.from, r.to);
    return { restored: res.rotated.length };
  },
};

export const AWS_LEVERS: Record<string, Lever<any, any>> = {
  'aws.waf-block-admin-export': wafBlockAdminExport,
  'aws.quarantine-dataset': quarantineDataset,
  'aws.stop-training-pipeline': stopTrainingPipeline,
  'aws.deactivate-access-keys': deactivateAccessKeys,
  'aws.rotate-secrets': rotateSecrets,
};

export type { LeverPorts };
