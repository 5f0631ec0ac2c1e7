import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactVault, KmsKeyWrapper } from '#adapters/envelope-contact-vault.ts';
import type { Contact } from '#ports/data-map.ts';
import { KmsStandIn } from '../../../infra/local/kms-standin.ts';
import { startStore } from '../ingest/dynalite.ts';

/** The encrypted contact vault: KMS envelope keys (stand-in and SDK mock) over dynalite. */

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/contact-vault';
const contact: Contact = {
  email: 'ada.lovelace@example.test',
  firstname: 'Ada',
  locale: 'en',
  country: 'GB',
  region: null,
};

describe('contact vault on the KMS stand-in and dynalite', () => {
  const kmsServer = new KmsStandIn();
  let kms: KMSClient;
  let db: Awaited<ReturnType<typeof startStore>>;
  const table = 'tourniquet-incidents-test';
  beforeAll(async () => {
    const url = await kmsServer.start();
    kms = new KMSClient({
      region: 'us-east-1',
      endpoint: url,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    db = await startStore(table);
  });
  afterAll(async () => {
    kms.destroy();
    await db.stop();
    await kmsServer.stop();
  });

  it('round-trips a contact; the stored item holds no plaintext and a wrapped key per record', async () => {
    const vault = new DynamoContactVault(db.doc, table, new KmsKeyWrapper(kms, KEY));
    await vault.put('c:1', contact);
    await vault.put('c:2', { ...contact, email: 'grace@example.test' });
    expect(await vault.get('c:1')).toEqual(contact);
    expect((await vault.get('c:2'))?.email).toBe('grace@example.test');
    expect(await vault.get('c:404')).toBeUndefined();

    const raw = (
      await db.doc.send(new GetCommand({ TableName: table, Key: { pk: 'CONTACT#c:1', sk: 'V1' } }))
    ).Item!;
    const stored = JSON.stringify(raw);
    expect(stored).not.toContain('ada.lovelace');
    expect(stored).not.toContain('"Ada"'); // quoted: "Ada" alone occurs by chance in base64
    const other = (
      await db.doc.send(new GetCommand({ TableName: table, Key: { pk: 'CONTACT#c:2', sk: 'V1' } }))
    ).Item!;
    expect(raw.wrappedKey).not.toBe(other.wrappedKey);
    expect(kmsServer.calls.map((c) => c.op)).toEqual([
      'GenerateDataKey',
      'GenerateDataKey',
      'Decrypt',
      'Decrypt',
    ]);
  });

  it('a record moved to another recipient id does not open (encryption context binds the id)', async () => {
    const vault = new DynamoContactVault(db.doc, table, new KmsKeyWrapper(kms, KEY));
    await vault.put('c:10', contact);
    const item = (
      await db.doc.send(new GetCommand({ TableName: table, Key: { pk: 'CONTACT#c:10', sk: 'V1' } }))
    ).Item!;
    await db.doc.send(new PutCommand({ TableName: table, Item: { ...item, pk: 'CONTACT#c:11' } }));
    await expect(vault.get('c:11')).rejects.toThrow(/invalid ciphertext/i);
  });

  it('another KMS key cannot unwrap the data key', async () => {
    await new DynamoContactVault(db.doc, table, new KmsKeyWrapper(kms, KEY)).put('c:20', contact);
    const wrongKey = new DynamoContactVault(db.doc, table, new KmsKeyWrapper(kms, `${KEY}-other`));
    await expect(wrongKey.get('c:20')).rejects.toThrow(/not encrypted under this key/);
  });
});

describe('KmsKeyWrapper against the SDK (aws-sdk-client-mock)', () => {
  it('asks for AES_256 data keys and decrypts with the same key id and encryption context', async () => {
    const mock = mockClient(KMSClient);
    const plaintext = Buffer.alloc(32, 7);
    mock.on(GenerateDataKeyCommand).resolves({
      Plaintext: plaintext,
      CiphertextBlob: Buffer.from('wrapped-blob'),
      KeyId: KEY,
    });
    mock.on(DecryptCommand).resolves({ Plaintext: plaintext, KeyId: KEY });
    const wrapper = new KmsKeyWrapper(new KMSClient({ region: 'us-east-1' }), KEY);
    const ctx = { purpose: 'customer-contact', recipientId: 'c:1' };
    const { plaintext: got, wrapped } = await wrapper.generate(ctx);
    expect(got.equals(plaintext)).toBe(true);
    expect(wrapped).toBe(Buffer.from('wrapped-blob').toString('base64'));
    expect(await wrapper.unwrap(wrapped, ctx)).toEqual(plaintext);
    expect(mock).toHaveReceivedCommandWith(GenerateDataKeyCommand, {
      KeyId: KEY,
      KeySpec: 'AES_256',
      EncryptionContext: ctx,
    });
    expect(mock).toHaveReceivedCommandWith(DecryptCommand, { KeyId: KEY, EncryptionContext: ctx });
    mock.reset();
    mock.on(GenerateDataKeyCommand).resolves({});
    await expect(wrapper.generate(ctx)).rejects.toThrow('KMS returned no data key');
    mock.restore();
  });
});
