import { CreatePolicies1795620463125 } from './1795620463125-CreatePolicies.js';
import { PoliciesAndVersions1795623599212 } from './1795623599212-PoliciesAndVersions.js';

/** The policies schema's migrations, oldest first. */
export const policiesMigrations = [CreatePolicies1795620463125, PoliciesAndVersions1795623599212];
