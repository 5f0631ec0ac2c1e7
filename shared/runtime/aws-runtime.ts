import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { systemClock } from '#adapters/system-clock.ts';
import type { RuntimeConfig } from './config.ts';

/** The Lambda composition root: env from the process, secrets from Secrets Manager (cached 5 min). */
export function processRuntime(): RuntimeConfig {
  return {
    env: process.env,
    aws: { region: process.env.AWS_REGION ?? 'us-east-1' },
    secret: async (id) => {
      const v = await getSecret<string>(id, { maxAge: 300 });
      if (typeof v !== 'string' || v.length === 0)
        throw new Error(`secret ${id.split(':').pop()} is empty`);
      return v;
    },
    clock: systemClock,
  };
}
