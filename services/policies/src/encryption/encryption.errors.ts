import { type ErrorCatalog, errorFactory } from '@meshplane/platform';

export type EncryptionErrorReason = 'INVALID_ENCRYPTION' | 'CLUSTER_NOT_FOUND' | 'CLUSTERS_UNAVAILABLE';

const catalog: ErrorCatalog<EncryptionErrorReason> = {
  INVALID_ENCRYPTION: { category: 'bad_input', message: 'invalid encryption settings' },
  CLUSTER_NOT_FOUND: { category: 'not_found', message: 'no such cluster' },
  CLUSTERS_UNAVAILABLE: {
    category: 'unavailable',
    message: 'the clusters service could not be reached; try again shortly',
  },
};

export const encryptionError = errorFactory(catalog);
