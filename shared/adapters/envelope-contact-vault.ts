import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Contact, ContactVault } from '#ports/data-map.ts';

/**
 * Contact details for sending, envelope-encrypted (AES-256-GCM with a per-record data key that is
 * itself wrapped by KMS). The wrapping is a small port so the vault logic is testable on its own.
 * Only the notification workflow's role may unwrap (KMS key policy / grant).
 */

export interface DataKeyWrapper {
  /** Returns a fresh 32-byte data key and its wrapped form. */
  generate(context: Record<string, string>): Promise<{ plaintext: Buffer; wrapped: string }>;
  unwrap(wrapped: string, context: Record<string, string>): Promise<Buffer>;
}

/**
 * KMS envelope keys: GenerateDataKey (AES_256) for writing, Decrypt for reading, both with the
 * record's encryption context, so a wrapped key lifted from one record does not open another and
 * the key policy / IAM condition can name the purpose. The local runtime answers the same calls
 * with its KMS stand-in.
 */
export class KmsKeyWrapper implements DataKeyWrapper {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async generate(context: Record<string, string>) {
    const out = await this.kms.send(
      new GenerateDataKeyCommand({
        KeyId: this.keyId,
        KeySpec: 'AES_256',
        EncryptionContext: context,
      }),
    );
    if (!out.Plaintext || !out.CiphertextBlob) throw new Error('KMS returned no data key');
    return {
      plaintext: Buffer.from(out.Plaintext),
      wrapped: Buffer.from(out.CiphertextBlob).toString('base64'),
    };
  }

  async unwrap(wrapped: string, context: Record<string, string>) {
    const out = await this.kms.send(
      new DecryptCommand({
        KeyId: this.keyId,
        CiphertextBlob: Buffer.from(wrapped, 'base64'),
        EncryptionContext: context,
      }),
    );
    if (!out.Plaintext) throw new Error('KMS returned no plaintext');
    return Buffer.from(out.Plaintext);
  }
}

const aad = (ctx: Record<string, string>) =>
  Buffer.from(
    Object.keys(ctx)
      .sort()
      .map((k) => `${k}=${ctx[k]}`)
      .join('&'),
  );

function seal(key: Buffer, plaintext: Buffer, extra: Buffer): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(extra);
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
}

function open(key: Buffer, sealed: string, extra: Buffer): Buffer {
  const raw = Buffer.from(sealed, 'base64');
  const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  d.setAAD(extra);
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]);
}

/** Contact vault items in the responder table: pk CONTACT#<recipientId>, ciphertext only. */
export class DynamoContactVault implements ContactVault {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly keys: DataKeyWrapper,
  ) {}

  async put(recipientId: string, contact: Contact): Promise<void> {
    const ctx = { purpose: 'customer-contact', recipientId };
    const { plaintext, wrapped } = await this.keys.generate(ctx);
    const ciphertext = seal(plaintext, Buffer.from(JSON.stringify(contact)), aad(ctx));
    plaintext.fill(0);
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `CONTACT#${recipientId}`, sk: 'V1', wrappedKey: wrapped, ciphertext },
      }),
    );
  }

  async get(recipientId: string): Promise<Contact | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: `CONTACT#${recipientId}`, sk: 'V1' } }),
    );
    if (!out.Item) return undefined;
    const ctx = { purpose: 'customer-contact', recipientId };
    const key = await this.keys.unwrap(String(out.Item.wrappedKey), ctx);
    const text = open(key, String(out.Item.ciphertext), aad(ctx)).toString('utf8');
    key.fill(0);
    return JSON.parse(text) as Contact;
  }
}
