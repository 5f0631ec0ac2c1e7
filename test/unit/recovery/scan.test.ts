import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSyntheticRegistry } from '#contracts/synthetic-registry.ts';
import { fingerprint, type RestoredRecord, removal, scanRestored } from '#domain/recovery/scan.ts';

const registry = parseSyntheticRegistry(
  JSON.parse(readFileSync('config/synthetic-sources.json', 'utf8')),
);
const KEY = 'k'.repeat(32);
const rec = (table: string, id: number, fields: Record<string, unknown>): RestoredRecord => ({
  location: `magento:${table}`,
  key: { entity_id: id },
  fields: { entity_id: id, ...fields },
});
const rules = [{ location: 'magento:customer_entity', fields: ['email'] }];

describe('recovery scan', () => {
  it('blocks on exposed fingerprints (normalised email, keyed) and says what to remove', () => {
    const exposed = new Set([fingerprint(KEY, ['  C3@Customers.Fintech.test '])]);
    const r = scanRestored({
      records: [
        rec('customer_entity', 1, { email: 'c1@customers.fintech.test' }),
        rec('customer_entity', 3, { email: 'c3@customers.fintech.test' }),
      ],
      exposed,
      fingerprintKey: KEY,
      fingerprintRules: rules,
      registry,
    });
    expect(r.blocked).toBe(true);
    expect(r.findings).toEqual([
      expect.objectContaining({
        kind: 'exposed',
        key: { entity_id: 3 },
        blocking: true,
        remove: 'DELETE FROM `customer_entity` WHERE `entity_id` = 3;',
      }),
    ]);
    expect(JSON.stringify(r)).not.toContain('c3@');
    // a different key gives a different fingerprint: nothing matches
    expect(
      scanRestored({
        records: [rec('customer_entity', 3, { email: 'c3@customers.fintech.test' })],
        exposed,
        fingerprintKey: 'x'.repeat(32),
        fingerprintRules: rules,
        registry,
      }).blocked,
    ).toBe(false);
  });

  it('allows registered synthetic records in their integration points, blocks them elsewhere and unregistered ones', () => {
    const r = scanRestored({
      records: [
        rec('qa_customer_fixture', 1, {
          email: 'f@qa.synthetic.example',
          synthetic_source: 'qa-faker',
        }),
        rec('customer_entity', 2, {
          email: 'c@customers.fintech.test',
          synthetic_source: 'qa-faker',
        }),
        rec('customer_entity', 3, { email: 'gen-1@example.com' }),
        rec('customer_entity', 4, { email: 'real@customers.fintech.test', lastname: 'Synthetic' }),
        rec('customer_entity', 5, { email: 'ok@customers.fintech.test' }),
      ],
      exposed: new Set(),
      fingerprintKey: KEY,
      fingerprintRules: rules,
      registry,
    });
    expect(r.counts).toEqual({
      exposed: 0,
      'synthetic-unregistered': 3,
      'synthetic-registered': 1,
      media: 0,
    });
    expect(r.findings.filter((f) => f.blocking).map((f) => f.key.entity_id)).toEqual([2, 3, 4]);
    expect(r.findings.find((f) => f.key.entity_id === 2)?.reason).toContain('qa-faker-customers');
  });

  it('blocks restored media judged synthetic or manipulated, not unknown', () => {
    const m = (id: number): RestoredRecord => ({
      location: 's3:catalog-media',
      key: { key: `img/${id}.jpg` },
      fields: {},
    });
    const r = scanRestored({
      records: [m(1), m(2), m(3)],
      exposed: new Set(),
      fingerprintKey: KEY,
      fingerprintRules: rules,
      registry,
      mediaVerdicts: new Map([
        ['s3:catalog-media#key=img/1.jpg', 'synthetic'],
        ['s3:catalog-media#key=img/2.jpg', 'unknown'],
        ['s3:catalog-media#key=img/3.jpg', 'clean'],
      ]),
    });
    expect(r.findings.map((f) => [f.key.key, f.blocking])).toEqual([
      ['img/1.jpg', true],
      ['img/2.jpg', false],
    ]);
    expect(r.findings[0]!.remove).toBe(
      'aws s3api delete-object --bucket catalog-media --key img/1.jpg',
    );
  });

  it('quotes removal statements safely', () => {
    expect(removal({ location: 'magento:quote', key: { code: "a'b" } })).toBe(
      "DELETE FROM `quote` WHERE `code` = 'a''b';",
    );
    expect(removal({ location: 'dynamodb:t-restore-x', key: { pk: 'A', n: 1 } })).toContain(
      '{"pk":{"S":"A"},"n":{"N":"1"}}',
    );
  });

  it('rejects an invalid registry with a one-line reason', () => {
    expect(() =>
      parseSyntheticRegistry({
        version: '1',
        sources: [
          {
            id: 'x',
            description: '',
            markers: [{ column: 'a', pattern: '(' }],
            datasets: [],
            integrationPoints: {},
          },
        ],
      }),
    ).toThrow(/sources\.0\.markers\.0\.pattern: not a valid regular expression/);
  });
});
