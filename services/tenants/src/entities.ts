import { TenantEntity } from './tenants/tenant.entity.js';
import { UserEntity } from './tenants/user.entity.js';

/** Every entity of the `tenants` schema (the data source and the migration drift check use it). */
export const tenantsEntities = [TenantEntity, UserEntity];
