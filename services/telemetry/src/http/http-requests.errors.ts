import { type ErrorCatalog, errorFactory } from '@meshplane/platform';

export type HttpRequestsErrorReason = 'INVALID_INPUT';

const catalog: ErrorCatalog<HttpRequestsErrorReason> = {
  INVALID_INPUT: { category: 'bad_input', message: 'invalid input' },
};

export const httpRequestsError = errorFactory(catalog);
