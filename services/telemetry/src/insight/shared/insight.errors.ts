import { type ErrorCatalog, errorFactory } from '@meshplane/platform';

export type InsightErrorReason =
  | 'INVALID_INPUT'
  | 'INVALID_POLICY_SET'
  | 'CLUSTER_NOT_FOUND'
  | 'ZONE_NOT_FOUND'
  | 'POLICIES_UNAVAILABLE';

const catalog: ErrorCatalog<InsightErrorReason> = {
  INVALID_INPUT: { category: 'bad_input', message: 'invalid input' },
  INVALID_POLICY_SET: { category: 'bad_input', message: 'the proposed policy set is invalid' },
  CLUSTER_NOT_FOUND: { category: 'not_found', message: 'no such cluster' },
  ZONE_NOT_FOUND: { category: 'not_found', message: 'no such compliance zone' },
  POLICIES_UNAVAILABLE: {
    category: 'unavailable',
    message: 'the policies service cannot be reached; try again shortly',
  },
};

export const insightError = errorFactory(catalog);
