/** AWS containment levers (integrations.md §G). Adapters wrap SDK v3 clients. */

export interface WafRef {
  name: string;
  id: string;
  scope: 'REGIONAL' | 'CLOUDFRONT';
}

export interface WafRuleSpec {
  name: string;
  priority: number;
  /** Blocked path prefixes (admin export routes). */
  pathPrefixes: string[];
  /** Requests from this IP set are blocked too. */
  ipSetArn: string;
}

export interface WafLevers {
  getIpSet(ref: WafRef): Promise<{ addresses: string[]; arn: string }>;
  /** Replaces the address list (get → update with LockToken, retrying on WAFOptimisticLockException). */
  setIpSet(ref: WafRef, addresses: (current: string[]) => string[]): Promise<string[]>;
  ruleNames(acl: WafRef): Promise<string[]>;
  /** Adds (spec) or removes (null) a rule by name, with LockToken and conflict retry. */
  setRule(acl: WafRef, name: string, spec: WafRuleSpec | null): Promise<string[]>;
}

export interface DatasetQuarantine {
  getBucketPolicy(bucket: string): Promise<string | null>;
  putBucketPolicy(bucket: string, policy: string | null): Promise<void>;
  listKeys(bucket: string, prefix: string): Promise<string[]>;
  getTags(bucket: string, key: string): Promise<Record<string, string>>;
  putTags(bucket: string, key: string, tags: Record<string, string>): Promise<void>;
}

export interface TrainingPipelineControl {
  getConcurrency(functionName: string): Promise<number | null>;
  setConcurrency(functionName: string, reserved: number | null): Promise<void>;
  getMappingEnabled(uuid: string): Promise<boolean>;
  setMappingEnabled(uuid: string, enabled: boolean): Promise<void>;
  getRuleEnabled(name: string, bus?: string): Promise<boolean>;
  setRuleEnabled(name: string, bus: string | undefined, enabled: boolean): Promise<void>;
}

export interface AccessKeyControl {
  listKeys(
    userName: string,
  ): Promise<Array<{ accessKeyId: string; status: 'Active' | 'Inactive' }>>;
  setStatus(userName: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void>;
}

export interface SecretRotation {
  currentVersion(secretId: string): Promise<string | null>;
  rotate(secretId: string, clientRequestToken: string): Promise<string | undefined>;
  /** Moves AWSCURRENT back to `versionId` (undo of a rotation). */
  restoreVersion(secretId: string, versionId: string, from: string): Promise<void>;
}
