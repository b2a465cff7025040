/** Prefixes of the clusters service's bearer secrets (format: libs/platform bearer-secrets.ts). */
export const INSTALL_TOKEN_PREFIX = 'mpi';
export const AGENT_CREDENTIAL_PREFIX = 'mpa';
