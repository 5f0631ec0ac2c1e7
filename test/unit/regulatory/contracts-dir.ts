import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The contracts: CONTRACTS_DIR if set, else the guide's folder beside the checkout
 * (../shared/contracts, the authority), else the copy kept in test/fixtures/contracts so a clone
 * on its own still tests against the contract it was built for.
 */
const besideCheckout = fileURLToPath(new URL('../../../../shared/contracts/', import.meta.url));
const vendored = fileURLToPath(new URL('../../fixtures/contracts/', import.meta.url));

export const CONTRACTS_DIR =
  process.env.CONTRACTS_DIR ||
  (existsSync(`${besideCheckout}incident-facts.schema.json`) ? besideCheckout : vendored);
