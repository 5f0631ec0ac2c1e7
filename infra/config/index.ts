/** Deployment configuration: from CDK context (`cdk.json` or `-c key=value`), with sane defaults. */
export interface TourniquetConfig {
  stage: string;
  /** Region/account of the regulatory stack (may differ from the responder's). */
  regulatoryEnv?: { account?: string; region?: string };
  /** JSON of the regulatory profile (entity, contacts): `tourniquet:regulatoryProfile` (object or JSON string). */
  regulatoryProfile?: string;
  stripeKnownWebhookUrls: string[];
  stripeApiBase: string;
  correlationWindowMinutes: number;
  /** Operators paged by every alarm (`tourniquet:alarmEmail`, comma-separated). */
  alarmEmails: string[];
}

export function loadConfig(get: (key: string) => unknown): TourniquetConfig {
  const str = (k: string) => {
    const v = get(`tourniquet:${k}`);
    return typeof v === 'string' && v.length > 0 ? v : undefined;
  };
  return {
    stage: str('stage') ?? 'prod',
    regulatoryEnv:
      str('regulatoryRegion') || str('regulatoryAccount')
        ? { region: str('regulatoryRegion'), account: str('regulatoryAccount') }
        : undefined,
    regulatoryProfile: (() => {
      const v = get('tourniquet:regulatoryProfile');
      if (v === undefined || v === null || v === '') return undefined;
      return typeof v === 'string' ? v : JSON.stringify(v);
    })(),
    stripeKnownWebhookUrls: (str('stripeKnownWebhookUrls') ?? '').split(',').filter(Boolean),
    stripeApiBase: str('stripeApiBase') ?? 'https://api.stripe.com',
    correlationWindowMinutes: Number(str('correlationWindowMinutes') ?? 60),
    alarmEmails: (str('alarmEmail') ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean),
  };
}
