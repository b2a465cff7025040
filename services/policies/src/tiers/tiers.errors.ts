import { type ErrorCatalog, errorFactory } from '@meshplane/platform';

export type TiersErrorReason =
  | 'INVALID_TIER'
  | 'TIER_NOT_FOUND'
  | 'TIER_NAME_TAKEN'
  | 'TIER_RESERVED'
  | 'TIER_BUILT_IN'
  | 'TIER_IN_USE'
  | 'TIER_LIMIT';

const catalog: ErrorCatalog<TiersErrorReason> = {
  INVALID_TIER: { category: 'bad_input', message: 'invalid tier' },
  TIER_NOT_FOUND: { category: 'not_found', message: 'no such tier' },
  TIER_NAME_TAKEN: { category: 'conflict', message: 'a tier with this name already exists' },
  TIER_RESERVED: { category: 'bad_input', message: 'this tier name is reserved' },
  TIER_BUILT_IN: {
    category: 'bad_input',
    message: "the built-in 'default' tier cannot be changed or deleted (order 1000000, default action Deny)",
  },
  TIER_IN_USE: { category: 'conflict', message: 'policies still use this tier; move or delete them first' },
  TIER_LIMIT: { category: 'bad_input', message: 'the tenant has reached its tier limit' },
};

export const tiersError = errorFactory(catalog);
