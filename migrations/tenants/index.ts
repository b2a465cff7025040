import { CreateTenants1795620461998 } from './1795620461998-CreateTenants.js';

/** The tenants schema's migrations, oldest first. */
export const tenantsMigrations = [CreateTenants1795620461998];
