import {
  DescribeSecretCommand,
  RotateSecretCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { SecretRotation } from '#ports/aws-levers.ts';

export class SecretsManagerRotation implements SecretRotation {
  constructor(private readonly sm: SecretsManagerClient) {}

  async currentVersion(secretId: string) {
    const r = await this.sm.send(new DescribeSecretCommand({ SecretId: secretId }));
    const hit = Object.entries(r.VersionIdsToStages ?? {}).find(([, st]) =>
      st.includes('AWSCURRENT'),
    );
    return hit?.[0] ?? null;
  }

  async rotate(secretId: string, clientRequestToken: string) {
    const r = await this.sm.send(
      new RotateSecretCommand({
        SecretId: secretId,
        ClientRequestToken: clientRequestToken,
        RotateImmediately: true,
      }),
    );
    return r.VersionId;
  }

  async restoreVersion(secretId: string, versionId: string, from: string) {
    await this.sm.send(
      new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: versionId,
        RemoveFromVersionId: from,
      }),
    );
  }
}
