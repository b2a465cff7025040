import { outboxEntity } from '@meshplane/platform';
import { ApiTokenEntity } from './api-tokens/api-token.entity.js';
import { AuditEventEntity } from './audit/audit-event.entity.js';
import { TenantDeletionEntity } from './deletion/tenant-deletion.entity.js';
import { EndedSessionEntity } from './sessions/ended-session.entity.js';
import { TenantEntity } from './tenants/tenant.entity.js';
import { UserEntity } from './tenants/user.entity.js';

/** Every entity of the `tenants` schema (the data source and the migration drift check use it). */
export const tenantsEntities = [
  TenantEntity,
  UserEntity,
  ApiTokenEntity,
  AuditEventEntity,
  EndedSessionEntity,
  TenantDeletionEntity,
  outboxEntity('tenants'),
];
