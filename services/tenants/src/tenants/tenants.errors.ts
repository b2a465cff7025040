import { type ErrorCatalog, errorFactory } from '@meshplane/platform';

export type TenantsErrorReason =
  | 'INVALID_INPUT'
  | 'WEAK_PASSWORD'
  | 'EMAIL_TAKEN'
  | 'TENANT_NAME_TAKEN'
  | 'INVALID_CREDENTIALS'
  | 'NOT_FOUND';

const catalog: ErrorCatalog<TenantsErrorReason> = {
  INVALID_INPUT: { category: 'bad_input', message: 'invalid input' },
  WEAK_PASSWORD: {
    category: 'bad_input',
    message:
      'password must be 12 to 256 characters and mix at least three of: lower case, upper case, digits, symbols',
  },
  EMAIL_TAKEN: { category: 'conflict', message: 'a member with this email already exists in the tenant' },
  TENANT_NAME_TAKEN: { category: 'conflict', message: 'a tenant with this name already exists' },
  // One message whatever was wrong, so a caller cannot probe which emails or tenants exist.
  INVALID_CREDENTIALS: { category: 'unauthenticated', message: 'wrong tenant, email or password' },
  NOT_FOUND: { category: 'not_found', message: 'not found' },
};

export const tenantsError = errorFactory(catalog);
