import { type ErrorCatalog, errorFactory } from '@meshplane/platform';

export type PoliciesErrorReason =
  | 'INVALID_POLICY'
  | 'POLICY_NOT_FOUND'
  | 'POLICY_NAME_TAKEN'
  | 'POLICY_LIMIT'
  | 'VERSION_NOT_FOUND'
  | 'VERSION_IS_DELETION'
  | 'CHANGE_NOT_FOUND'
  | 'CLUSTER_NOT_FOUND'
  | 'CLUSTER_CONFIG_NOT_FOUND';

const catalog: ErrorCatalog<PoliciesErrorReason> = {
  INVALID_POLICY: { category: 'bad_input', message: 'invalid policy' },
  POLICY_NOT_FOUND: { category: 'not_found', message: 'no such policy' },
  POLICY_NAME_TAKEN: {
    category: 'conflict',
    message: 'a policy of this kind, namespace, name and staged flag already exists',
  },
  POLICY_LIMIT: { category: 'bad_input', message: 'the tenant has reached its policy limit' },
  VERSION_NOT_FOUND: { category: 'not_found', message: 'no such version of this policy' },
  VERSION_IS_DELETION: {
    category: 'bad_input',
    message: 'this version records a deletion; roll back to a version that has a spec, or delete the policy',
  },
  CHANGE_NOT_FOUND: { category: 'not_found', message: 'no such change' },
  CLUSTER_NOT_FOUND: { category: 'not_found', message: 'no such cluster' },
  CLUSTER_CONFIG_NOT_FOUND: {
    category: 'not_found',
    message: 'no such cluster, or no bundle has been compiled for it yet',
  },
};

export const policiesError = errorFactory(catalog);
