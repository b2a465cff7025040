import { CreateTenants1795620461998 } from './1795620461998-CreateTenants.js';
import { MembersTokensAudit1795622246606 } from './1795622246606-MembersTokensAudit.js';

/** The tenants schema's migrations, oldest first. */
export const tenantsMigrations = [CreateTenants1795620461998, MembersTokensAudit1795622246606];
