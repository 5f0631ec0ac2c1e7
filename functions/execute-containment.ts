import type { Context } from 'aws-lambda';
import { StripeContainmentAdapter } from '#adapters/stripe-containment.ts';
import { ContainmentEnvSchema, ENV, parseEnv } from '#contracts/env.ts';
import { PlannedActionSchema } from '#contracts/state-io.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { storeDeps } from '#runtime/store-deps.ts';
import { type ContainmentDeps, executeAction } from '#use-cases/containment/execute-action.ts';

export function buildDeps(rt: RuntimeConfig): ContainmentDeps {
  const env = parseEnv(ContainmentEnvSchema, rt.env);
  const stripeKey = () => rt.secret(env[ENV.stripeApiKeySecretArn]);
  return {
    ...storeDeps(rt),
    levers: {
      stripe: new StripeContainmentAdapter(stripeKey, env[ENV.stripeApiBase]),
      stripeKnownWebhookUrls: env[ENV.stripeKnownWebhookUrls].split(',').filter(Boolean),
      stripeBlockListId: 'rsl_tourniquet_blocked_cards',
    },
  };
}

export const makeHandler = (deps: ContainmentDeps) =>
  taskHandler('execute-containment', PlannedActionSchema, (input) => executeAction(deps, input));

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
