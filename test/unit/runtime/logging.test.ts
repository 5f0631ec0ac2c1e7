import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '#runtime/logger.ts';
import { redact, redactString } from '#runtime/redact.ts';

describe('log redaction', () => {
  it('scrubs emails, card numbers, gateway secrets, bearer tokens and JWTs from strings', () => {
    const s = redactString(
      'jane.doe@example.com paid with 4242 4242 4242 4242 using sk_test_51HxYz123 and whsec_abcdef123456; Bearer abc.def-ghi eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl',
    );
    expect(s).not.toMatch(/jane|4242|sk_test_51|whsec_abc|abc\.def|eyJhbGciOi/);
  });

  it('keeps error and service names readable', () => {
    expect(
      redact({ error: { name: 'RetryableError', message: 'HTTP 503' }, customer_name: 'Jane' }),
    ).toEqual({
      error: { name: 'RetryableError', message: 'HTTP 503' },
      customer_name: '[redacted]',
    });
  });

  it('masks sensitive keys whole and keeps ids and hashes', () => {
    expect(
      redact({
        email: 'a@b.co',
        firstname: 'Jane',
        password_hash: 'x',
        customerIds: ['42'],
        emailHash: 'ab',
        nested: { telephone: '+331234' },
      }),
    ).toEqual({
      email: '[redacted]',
      firstname: '[redacted]',
      password_hash: '[redacted]',
      customerIds: ['42'],
      emailHash: 'ab',
      nested: { telephone: '[redacted]' },
    });
  });

  it('never lets personal data reach the Powertools output', () => {
    const lines: string[] = [];
    const sink = new Logger({ serviceName: 'test', logLevel: 'INFO' });
    const spy = vi.spyOn(sink, 'info').mockImplementation((...args: unknown[]) => {
      lines.push(JSON.stringify(args));
    });
    const log = createLogger('test', sink);
    log.info('customer jane.doe@example.com exported', {
      row: { email: 'jane.doe@example.com', dob: '1980-01-01', cc_number: '4111111111111111' },
      note: 'token sk_live_abcdefghijklmnop',
    });
    expect(spy).toHaveBeenCalledTimes(1);
    const out = lines.join('\n');
    expect(out).not.toMatch(/jane\.doe|1980-01-01|4111111111111111|sk_live_abcdef/);
    expect(out).toContain('[email]');
  });
});
