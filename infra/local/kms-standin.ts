import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AwsJsonError, AwsJsonServer } from './aws-json-server.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template.ts';

/**
 * KMS stand-in on loopback (AWS JSON 1.1, `X-Amz-Target: TrentService.*`) for envelope
 * encryption: GenerateDataKey, Decrypt and Encrypt, with encryption contexts enforced as KMS does
 * (a different context, or a blob of another key, is InvalidCiphertextException).
 *
 * Any key id or ARN is accepted and gets its own random 256-bit master key on first use; master
 * keys never leave the process. Ciphertext blob: version byte, key-id length, key id, IV, tag, body.
 * Not modelled: key policies and grants (IAM is checked by cdk-nag and the CDK assertions),
 * key rotation, aliases, asymmetric keys.
 */
export class KmsStandIn {
  private readonly server = new AwsJsonServer();
  private readonly masters = new Map<string, Buffer>();
  /** Calls seen, for tests: operation and key id (never plaintext). */
  readonly calls: Array<{ op: string; keyId: string }> = [];
  url = '';

  constructor() {
    this.server
      .on('TrentService.GenerateDataKey', (b) => this.generateDataKey(b))
      .on('TrentService.Encrypt', (b) => this.encrypt(b))
      .on('TrentService.Decrypt', (b) => this.decrypt(b));
  }

  async start(): Promise<string> {
    this.url = await this.server.start();
    return this.url;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private master(keyId: string): Buffer {
    const id = canonicalKeyId(keyId);
    let k = this.masters.get(id);
    if (!k) {
      k = randomBytes(32);
      this.masters.set(id, k);
    }
    return k;
  }

  private generateDataKey(b: {
    KeyId?: string;
    KeySpec?: string;
    NumberOfBytes?: number;
    EncryptionContext?: Record<string, string>;
  }) {
    const keyId = required(b.KeyId);
    const bytes = b.NumberOfBytes ?? (b.KeySpec === 'AES_128' ? 16 : b.KeySpec ? 32 : undefined);
    if (!bytes || bytes < 1 || bytes > 1024)
      throw new AwsJsonError('ValidationException', 'KeySpec or NumberOfBytes is required');
    this.calls.push({ op: 'GenerateDataKey', keyId });
    const plaintext = randomBytes(bytes);
    return {
      KeyId: arnOf(keyId),
      Plaintext: plaintext.toString('base64'),
      CiphertextBlob: this.seal(keyId, plaintext, b.EncryptionContext).toString('base64'),
    };
  }

  private encrypt(b: {
    KeyId?: string;
    Plaintext?: string;
    EncryptionContext?: Record<string, string>;
  }) {
    const keyId = required(b.KeyId);
    this.calls.push({ op: 'Encrypt', keyId });
    const plaintext = Buffer.from(b.Plaintext ?? '', 'base64');
    return {
      KeyId: arnOf(keyId),
      CiphertextBlob: this.seal(keyId, plaintext, b.EncryptionContext).toString('base64'),
    };
  }

  private decrypt(b: {
    KeyId?: string;
    CiphertextBlob?: string;
    EncryptionContext?: Record<string, string>;
  }) {
    const blob = Buffer.from(b.CiphertextBlob ?? '', 'base64');
    const invalid = () => new AwsJsonError('InvalidCiphertextException', 'invalid ciphertext');
    if (blob.length < 2 || blob[0] !== 1) throw invalid();
    const idLen = blob[1]!;
    const keyId = blob.subarray(2, 2 + idLen).toString('utf8');
    if (b.KeyId && canonicalKeyId(b.KeyId) !== keyId)
      throw new AwsJsonError(
        'IncorrectKeyException',
        'the ciphertext was not encrypted under this key',
      );
    const master = this.masters.get(keyId);
    if (!master) throw invalid();
    this.calls.push({ op: 'Decrypt', keyId });
    const rest = blob.subarray(2 + idLen);
    try {
      const d = createDecipheriv('aes-256-gcm', master, rest.subarray(0, 12));
      d.setAAD(contextBytes(b.EncryptionContext));
      d.setAuthTag(rest.subarray(12, 28));
      const plaintext = Buffer.concat([d.update(rest.subarray(28)), d.final()]);
      return { KeyId: arnOf(keyId), Plaintext: plaintext.toString('base64') };
    } catch {
      throw invalid();
    }
  }

  private seal(keyId: string, plaintext: Buffer, context?: Record<string, string>): Buffer {
    const id = Buffer.from(canonicalKeyId(keyId), 'utf8');
    if (id.length > 255) throw new AwsJsonError('ValidationException', 'KeyId too long');
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.master(keyId), iv);
    c.setAAD(contextBytes(context));
    const body = Buffer.concat([c.update(plaintext), c.final()]);
    return Buffer.concat([Buffer.from([1, id.length]), id, iv, c.getAuthTag(), body]);
  }
}

function required(keyId: string | undefined): string {
  if (!keyId) throw new AwsJsonError('ValidationException', 'KeyId is required');
  return keyId;
}

/** `arn:aws:kms:r:a:key/ID` and `ID` name the same key. */
function canonicalKeyId(keyId: string): string {
  return keyId.includes(':key/') ? keyId.slice(keyId.indexOf(':key/') + 5) : keyId;
}

const arnOf = (keyId: string) =>
  keyId.startsWith('arn:') ? keyId : `arn:aws:kms:${LOCAL_REGION}:${LOCAL_ACCOUNT}:key/${keyId}`;

function contextBytes(ctx: Record<string, string> | undefined): Buffer {
  const entries = Object.entries(ctx ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}
