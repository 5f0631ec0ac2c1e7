import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Contact, ContactVault } from '#ports/data-map.ts';

/**
 * Contact details for sending, envelope-encrypted (AES-256-GCM with a per-record data key that is
 * itself wrapped). The wrapping is a port: KMS GenerateDataKey/Decrypt in AWS, a local key here.
 * Only the notification workflow's role may unwrap (KMS key policy / grant).
 */

export interface DataKeyWrapper {
  /** Returns a fresh 32-byte data key and its wrapped form. */
  generate(context: Record<string, string>): Promise<{ plaintext: Buffer; wrapped: string }>;
  unwrap(wrapped: string, context: Record<string, string>): Promise<Buffer>;
}

/** Local stand-in for KMS: wraps data keys with AES-256-GCM under a local master key. */
export class LocalKeyWrapper implements DataKeyWrapper {
  private readonly master: Buffer;
  constructor(masterKeyBase64: string) {
    this.master = Buffer.from(masterKeyBase64, 'base64');
    if (this.master.length !== 32) throw new Error('local master key must be 32 bytes (base64)');
  }
  async generate(context: Record<string, string>) {
    const plaintext = randomBytes(32);
    return { plaintext, wrapped: seal(this.master, plaintext, aad(context)) };
  }
  async unwrap(wrapped: string, context: Record<string, string>) {
    return open(this.master, wrapped, aad(context));
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
