import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { AdyenManagementAdapter } from '#adapters/adyen-management.ts';
import { IamAccessKeyControl } from '#adapters/iam-access-keys.ts';
import { type MagentoDbCredentials, MySqlMagentoDatabase } from '#adapters/magento-db.ts';
import { SsmMagentoHost } from '#adapters/magento-ssm.ts';
import { S3DatasetQuarantine } from '#adapters/s3-quarantine.ts';
import { SecretsManagerRotation } from '#adapters/secrets-rotation.ts';
import { StripeContainmentAdapter } from '#adapters/stripe-containment.ts';
import { AwsTrainingPipelineControl } from '#adapters/training-pipeline.ts';
import { WafV2Levers } from '#adapters/waf-levers.ts';
import { ContainmentEnvSchema, ContainmentLeversEnvSchema, ENV, parseEnv } from '#contracts/env.ts';
import type { LeverPorts } from '#use-cases/containment/levers.ts';
import { type RuntimeConfig, sdkConfig } from './config.ts';
import { buildMediaLeverPorts } from './media-lever-deps.ts';

/** Every lever adapter, built from env; a lever whose configuration is absent stays undefined. */
export function buildLeverPorts(rt: RuntimeConfig): LeverPorts {
  const env = parseEnv(ContainmentEnvSchema, rt.env);
  const lv = parseEnv(ContainmentLeversEnvSchema, rt.env);
  const stripeKey = () => rt.secret(env[ENV.stripeApiKeySecretArn]);
  const dbSecret = lv[ENV.magentoDbSecretArn];
  const adyenKey = lv[ENV.adyenApiKeySecretArn];
  const adyenCfg = lv[ENV.adyenConfig];
  const pipeline = lv[ENV.trainingPipeline];
  const ssmTargets = lv[ENV.magentoSsmTargets];
  return {
    stripe: new StripeContainmentAdapter(stripeKey, env[ENV.stripeApiBase]),
    stripeKnownWebhookUrls: env[ENV.stripeKnownWebhookUrls].split(',').filter(Boolean),
    stripeBlockListId: 'rsl_tourniquet_blocked_cards',
    ...(adyenKey && adyenCfg
      ? {
          adyen: new AdyenManagementAdapter(() => rt.secret(adyenKey), lv[ENV.adyenApiBase]),
          adyenConfig: {
            merchantId: adyenCfg.merchantId,
            allowedOrigins: adyenCfg.allowedOrigins,
            credentials: adyenCfg.credentials.map((c) => ({
              id: c.id,
              ...(c.keySecretArn ? { key: () => rt.secret(c.keySecretArn!) } : {}),
            })),
          },
        }
      : {}),
    ...(dbSecret
      ? {
          magentoDb: new MySqlMagentoDatabase(
            async () => JSON.parse(await rt.secret(dbSecret)) as MagentoDbCredentials,
          ),
        }
      : {}),
    ...(ssmTargets.length
      ? {
          magentoHost: new SsmMagentoHost(new SSMClient(sdkConfig(rt.aws, 'ssm')), {
            targets: ssmTargets,
            magentoRoot: lv[ENV.magentoRoot],
            runAs: lv[ENV.magentoRunAs],
            pollMs: rt.aws.endpoints?.ssm ? 20 : 1000,
          }),
        }
      : {}),
    magentoConfig: {
      paymentMethods: lv[ENV.magentoPaymentMethods],
      maintenanceAllowIps: lv[ENV.magentoMaintenanceAllowIps],
      protectedIntegrations: lv[ENV.magentoProtectedIntegrations],
    },
    ...(lv[ENV.wafConfig]
      ? {
          waf: new WafV2Levers(new WAFV2Client(sdkConfig(rt.aws, 'wafv2'))),
          wafConfig: lv[ENV.wafConfig],
        }
      : {}),
    datasets: new S3DatasetQuarantine(
      new S3Client(sdkConfig(rt.aws, rt.aws.endpoints?.['levers-s3'] ? 'levers-s3' : 's3')),
    ),
    ...(lv[ENV.breakGlassRoleArn] ? { breakGlassRoleArn: lv[ENV.breakGlassRoleArn] } : {}),
    ...(pipeline
      ? {
          pipelineConfig: pipeline,
          pipelines: new AwsTrainingPipelineControl(
            new LambdaClient(sdkConfig(rt.aws, 'lambda')),
            new EventBridgeClient(
              sdkConfig(
                rt.aws,
                rt.aws.endpoints?.['levers-eventbridge'] ? 'levers-eventbridge' : 'eventbridge',
              ),
            ),
          ),
          accessKeys: new IamAccessKeyControl(new IAMClient(sdkConfig(rt.aws, 'iam'))),
          secrets: new SecretsManagerRotation(
            new SecretsManagerClient(sdkConfig(rt.aws, 'secretsmanager')),
          ),
        }
      : {}),
    now: () => rt.clock.now(),
    ...buildMediaLeverPorts(rt),
  };
}
