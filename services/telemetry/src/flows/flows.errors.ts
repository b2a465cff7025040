import { type ErrorCatalog, errorFactory } from '@meshplane/platform';

export type FlowsErrorReason = 'INVALID_INPUT';

const catalog: ErrorCatalog<FlowsErrorReason> = {
  INVALID_INPUT: { category: 'bad_input', message: 'invalid input' },
};

export const flowsError = errorFactory(catalog);
