import { type ErrorCatalog, errorFactory } from '@meshplane/platform';

export type TenantsErrorReason =
  | 'INVALID_INPUT'
  | 'WEAK_PASSWORD'
  | 'EMAIL_TAKEN'
  | 'TENANT_NAME_TAKEN'
  | 'INVALID_CREDENTIALS'
  | 'INVITATION_INVALID'
  | 'RATE_LIMITED'
  | 'SESSION_REQUIRED'
  | 'OWNER_REQUIRED'
  | 'ROLE_ABOVE_OWN'
  | 'LAST_OWNER'
  | 'MEMBER_NOT_FOUND'
  | 'API_TOKEN_NOT_FOUND'
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
  INVITATION_INVALID: {
    category: 'unauthenticated',
    message: 'the invitation is invalid, expired or already accepted; ask for a new one',
  },
  RATE_LIMITED: { category: 'rate_limited', message: 'too many attempts; try again later' },
  SESSION_REQUIRED: {
    category: 'forbidden',
    message:
      "only a signed-in user's session token can be refreshed or logged out; an API token is revoked with revokeApiToken",
  },
  OWNER_REQUIRED: {
    category: 'forbidden',
    message: 'only an owner can grant the owner role or change or remove an owner',
  },
  ROLE_ABOVE_OWN: { category: 'forbidden', message: 'you cannot grant a role above your own' },
  LAST_OWNER: {
    category: 'conflict',
    message: 'a tenant needs an owner: promote another member to owner first',
  },
  MEMBER_NOT_FOUND: { category: 'not_found', message: 'no such member in this tenant' },
  API_TOKEN_NOT_FOUND: { category: 'not_found', message: 'no such API token in this tenant' },
  NOT_FOUND: { category: 'not_found', message: 'not found' },
};

export const tenantsError = errorFactory(catalog);
