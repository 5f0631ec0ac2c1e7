import { describe, expect, it } from 'vitest';
import { runDrill } from '../../infra/local/drill.ts';

/** The drill end to end with the storefront and its database down. */
describe('drill magento-customer-export-leak', () => {
  it('scope, obligations and customer notices with the storefront down', async () => {
    const r = await runDrill('magento-customer-export-leak', { storefront: 'down' });
    expect(r.failures).toEqual([]);
    expect(r.passed).toBe(true);
    expect(r.customerNotifications).toMatchObject({
      sent: 118,
      suppressed: 2,
      failed: 0,
      delivered: 118,
    });
    const scope = r.scope as {
      subjects: Array<{ country: string; region?: string }>;
      dataCategories: string[];
    };
    expect(scope.subjects.map((s) => `${s.country}${s.region ? `-${s.region}` : ''}`)).toEqual([
      'DE',
      'ES',
      'FR',
      'GB',
      'IE',
      'NL',
      'US-CA',
      'US-NY',
      'US-TX',
      'US-WA',
    ]);
    expect(scope.dataCategories).toEqual([
      'contact',
      'credentials',
      'date-of-birth',
      'government-id',
    ]);
    expect(r.obligations?.regimes).toEqual(
      expect.arrayContaining(['GDPR-33', 'GDPR-34', 'US-STATE-CA']),
    );
  }, 180_000);
});
