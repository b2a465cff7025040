import { type ErrorCatalog, errorFactory } from '@meshplane/platform';

export type FederatedServicesErrorReason = 'CLUSTERS_UNAVAILABLE';

const catalog: ErrorCatalog<FederatedServicesErrorReason> = {
  CLUSTERS_UNAVAILABLE: {
    category: 'unavailable',
    message: 'the clusters service could not be reached; try again shortly',
  },
};

export const federatedServicesError = errorFactory(catalog);
