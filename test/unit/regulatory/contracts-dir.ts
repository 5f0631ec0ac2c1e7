import { fileURLToPath } from 'node:url';

/** The contracts folder beside the checkout (../shared/contracts); CONTRACTS_DIR overrides it. */
export const CONTRACTS_DIR =
  process.env.CONTRACTS_DIR ??
  fileURLToPath(new URL('../../../../shared/contracts/', import.meta.url));
