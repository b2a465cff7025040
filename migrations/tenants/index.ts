import { CreateTenants1795620461998 } from './1795620461998-CreateTenants.js';
import { MembersTokensAudit1795622246606 } from './1795622246606-MembersTokensAudit.js';
import { EndedSessions1796349763535 } from './1796349763535-EndedSessions.js';
import { TenantDeletions1796353767129 } from './1796353767129-TenantDeletions.js';
import { Outbox1796417914347 } from './1796417914347-Outbox.js';

/** The tenants schema's migrations, oldest first. */
export const tenantsMigrations = [
  CreateTenants1795620461998,
  MembersTokensAudit1795622246606,
  EndedSessions1796349763535,
  TenantDeletions1796353767129,
  Outbox1796417914347,
];
