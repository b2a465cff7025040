/**
 * Prefixes of the tenants service's bearer secrets (format: libs/platform bearer-secrets.ts).
 * Each kind of secret has its own, so a secret scanner (or a person) can tell what leaked; the
 * clusters service's are `mpi` (install tokens) and `mpa` (agent credentials).
 */
export const API_TOKEN_PREFIX = 'mpt';
export const INVITATION_PREFIX = 'mpv';
