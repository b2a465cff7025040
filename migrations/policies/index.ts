import { CreatePolicies1795620463125 } from './1795620463125-CreatePolicies.js';

/** The policies schema's migrations, oldest first. */
export const policiesMigrations = [CreatePolicies1795620463125];
