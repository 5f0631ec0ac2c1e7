import { readFileSync } from 'node:fs';
import { App, type AppProps } from 'aws-cdk-lib';
import { DrillConfigSchema, regulatoryDrillDelivery } from '../shared/contracts/drills.ts';
import { loadConfig } from './config/index.ts';
import { applyNag } from './nag.ts';
import { DRILL_CONFIG_FILE } from './stacks/features/drills.ts';
import { RegulatoryStack } from './stacks/regulatory-stack.ts';
import { ResponderStack } from './stacks/responder-stack.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';

export interface BuiltApp {
  app: App;
  stateful: StatefulStack;
  responder: ResponderStack;
  regulatory: RegulatoryStack;
}

/** The whole Tourniquet app. `nag: false` only for the local runtime, which reads the template. */
export function buildApp(props: AppProps = {}, opts: { nag?: boolean } = {}): BuiltApp {
  const app = new App({
    ...props,
    context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong', ...props.context },
  });
  const config = loadConfig((k) => app.node.tryGetContext(k));
  // The CDK CLI sets CDK_DEFAULT_*; in-process synth (tests, local runtime) falls back to context.
  const region =
    process.env.CDK_DEFAULT_REGION ??
    (app.node.tryGetContext('tourniquet:region') as string | undefined) ??
    'us-east-1';
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region };
  const stateful = new StatefulStack(app, 'Tourniquet-Stateful', { env, stage: config.stage });
  const regulatory = new RegulatoryStack(app, 'Tourniquet-Regulatory', {
    env: { ...env, ...config.regulatoryEnv },
    stage: config.stage,
    profile: config.regulatoryProfile,
    responderAccount: env.account,
    alarmEmails: config.alarmEmails,
    // drill cases' notices: the drill configuration's delivery (never the authority)
    drillDelivery: regulatoryDrillDelivery(
      DrillConfigSchema.parse(JSON.parse(readFileSync(DRILL_CONFIG_FILE, 'utf8'))).sandbox,
    ),
  });
  const responder = new ResponderStack(app, 'Tourniquet-Responder', {
    env,
    config,
    keyArn: stateful.key.keyArn,
  });
  if (opts.nag !== false) applyNag(app);
  return { app, stateful, responder, regulatory };
}
