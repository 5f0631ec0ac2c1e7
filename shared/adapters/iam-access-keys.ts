import { type IAMClient, ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import type { AccessKeyControl } from '#ports/aws-levers.ts';

export class IamAccessKeyControl implements AccessKeyControl {
  constructor(private readonly iam: IAMClient) {}

  async listKeys(userName: string) {
    const r = await this.iam.send(new ListAccessKeysCommand({ UserName: userName }));
    return (r.AccessKeyMetadata ?? []).map((k) => ({
      accessKeyId: k.AccessKeyId!,
      status: (k.Status === 'Active' ? 'Active' : 'Inactive') as 'Active' | 'Inactive',
    }));
  }

  async setStatus(userName: string, accessKeyId: string, status: 'Active' | 'Inactive') {
    await this.iam.send(
      new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: status }),
    );
  }
}
