import { type ErrorCatalog, errorFactory } from '@meshplane/platform';

export type ZonesErrorReason =
  | 'INVALID_ZONE'
  | 'ZONE_NOT_FOUND'
  | 'ZONE_NAME_TAKEN'
  | 'ZONE_IN_USE'
  | 'ZONE_LIMIT';

const catalog: ErrorCatalog<ZonesErrorReason> = {
  INVALID_ZONE: { category: 'bad_input', message: 'invalid compliance zone' },
  ZONE_NOT_FOUND: { category: 'not_found', message: 'no such compliance zone' },
  ZONE_NAME_TAKEN: { category: 'conflict', message: 'a compliance zone with this name already exists' },
  ZONE_IN_USE: {
    category: 'conflict',
    message: 'other compliance zones allow traffic with this zone; remove it from their allowedZones first',
  },
  ZONE_LIMIT: { category: 'bad_input', message: 'the tenant has reached its compliance zone limit' },
};

export const zonesError = errorFactory(catalog);
