import { type ErrorCatalog, errorFactory } from '@meshplane/platform';

export type ClustersErrorReason =
  | 'INVALID_INPUT'
  | 'CLUSTER_NOT_FOUND'
  | 'CLUSTER_NAME_TAKEN'
  | 'CLUSTER_LIMIT'
  | 'CLUSTER_REVOKED'
  | 'INSTALL_TOKEN_INVALID'
  | 'INSTALL_TOKEN_USED'
  | 'CREDENTIAL_INVALID';

const catalog: ErrorCatalog<ClustersErrorReason> = {
  INVALID_INPUT: { category: 'bad_input', message: 'invalid input' },
  CLUSTER_NOT_FOUND: { category: 'not_found', message: 'no such cluster' },
  CLUSTER_NAME_TAKEN: {
    category: 'conflict',
    message: 'a cluster with this name already exists (a revoked one keeps its name until it is deleted)',
  },
  CLUSTER_LIMIT: { category: 'bad_input', message: 'the tenant has reached its cluster limit' },
  CLUSTER_REVOKED: {
    category: 'conflict',
    message:
      'the cluster is revoked: delete it (deleteCluster), then register it again under its name, or register it under a new name',
  },
  INSTALL_TOKEN_INVALID: { category: 'not_found', message: 'unknown or expired install token' },
  INSTALL_TOKEN_USED: { category: 'conflict', message: 'this install token has already been exchanged' },
  CREDENTIAL_INVALID: {
    category: 'unauthenticated',
    message: 'invalid, expired or revoked agent credential',
  },
};

export const clustersError = errorFactory(catalog);
