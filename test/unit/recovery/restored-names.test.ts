import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { logicalTable, removal } from '#domain/recovery/scan.ts';
import { isolatedTargetName } from '#use-cases/recovery/gate.ts';

describe('restored DynamoDB tables', () => {
  it('the registry sees the logical (source) name of every isolated copy', () => {
    for (const source of ['qa-customer-fixtures', 'tourniquet-incidents-prod', 'a.b_c-restore'])
      for (const restoreId of ['rst-m7x2k9-1a2b3c4d', 'rst-0-INC-20260301-ffff'])
        expect(logicalTable(isolatedTargetName('dynamodb', source, restoreId))).toBe(source);
    expect(logicalTable('customers')).toBe('customers');
  });

  it('the delete-item removal survives the shell: the key argument is exactly the JSON key', () => {
    const key = { pk: "o'brien#1", n: 7 };
    const cmd = removal({ location: 'dynamodb:customers-restore-abc123', key });
    expect(
      cmd.startsWith('aws dynamodb delete-item --table-name customers-restore-abc123 --key '),
    ).toBe(true);
    // bash splits the command as a shell would; $6 is the --key argument (after "aws")
    const arg = execFileSync('bash', ['-c', `f() { printf '%s' "$6"; }; f ${cmd.slice(4)}`], {
      encoding: 'utf8',
    });
    expect(JSON.parse(arg)).toEqual({ pk: { S: "o'brien#1" }, n: { N: '7' } });
  });
});
