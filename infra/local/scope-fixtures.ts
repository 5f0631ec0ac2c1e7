import { emailHmacFn } from '#domain/scope/email-hash.ts';

/**
 * The fake people of the scope tests, drills and benches live in shared/domain/drill/scope-fixtures.ts
 * (run-drill bundles them for scheduled drills in AWS); the test HMAC key is local only.
 */
export * from '#domain/drill/scope-fixtures.ts';

export const TEST_HMAC_KEY = 'local-test-email-hmac-key-0123456789';
export const testHmac = () => emailHmacFn(TEST_HMAC_KEY);
