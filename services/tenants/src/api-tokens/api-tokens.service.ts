import { randomUUID } from 'node:crypto';
import { type AuthenticatedIdentity, issueBearerSecret, roleAtLeast, TenantDb } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { isId, parseInput } from '../tenants/parse-input.js';
import { API_TOKEN_PREFIX } from '../tenants/secret-prefixes.js';
import { tenantsError } from '../tenants/tenants.errors.js';
import { ApiTokenEntity } from './api-token.entity.js';
import {
  type ApiToken,
  type CreateApiTokenInput,
  type CreatedApiToken,
  toApiToken,
} from './api-token.model.js';

const MAX_LIFETIME_MS = 366 * 24 * 3600_000;

const createSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters'),
  role: z.enum(['viewer', 'editor', 'admin', 'owner']),
  expiresAt: z
    .date()
    .refine((d) => d.getTime() > Date.now() + 60_000, 'must be at least a minute in the future')
    .refine((d) => d.getTime() <= Date.now() + MAX_LIFETIME_MS, 'must be at most 366 days away'),
});

@Injectable()
export class ApiTokensService {
  constructor(private readonly db: TenantDb) {}

  async create(identity: AuthenticatedIdentity, input: CreateApiTokenInput): Promise<CreatedApiToken> {
    const { name, role, expiresAt } = parseInput(createSchema, input);
    if (!roleAtLeast(identity.role, role)) throw tenantsError('ROLE_ABOVE_OWN', { field: 'role' });
    const id = randomUUID();
    const { token, hash } = await issueBearerSecret(API_TOKEN_PREFIX, id);
    const saved = await this.db.tenant(identity.tenantId, (manager) =>
      manager.save(
        manager.create(ApiTokenEntity, {
          id,
          tenantId: identity.tenantId,
          name,
          role,
          secretHash: hash,
          createdByUserId: identity.userId,
          expiresAt,
        }),
      ),
    );
    return { apiToken: toApiToken(saved), secret: token };
  }

  async list(identity: AuthenticatedIdentity): Promise<ApiToken[]> {
    const rows = await this.db.tenant(identity.tenantId, (manager) =>
      manager.find(ApiTokenEntity, { where: { tenantId: identity.tenantId }, order: { createdAt: 'DESC' } }),
    );
    return rows.map((row) => toApiToken(row));
  }

  /** Revokes a token (idempotent); the next request that uses it is refused. */
  async revoke(identity: AuthenticatedIdentity, id: string): Promise<ApiToken> {
    if (!isId(id)) throw tenantsError('API_TOKEN_NOT_FOUND', { field: 'id' });
    return this.db.tenant(identity.tenantId, async (manager) => {
      const token = await manager.findOne(ApiTokenEntity, { where: { tenantId: identity.tenantId, id } });
      if (!token) throw tenantsError('API_TOKEN_NOT_FOUND', { field: 'id' });
      if (!token.revokedAt) {
        token.revokedAt = new Date();
        await manager.save(token);
      }
      return toApiToken(token);
    });
  }
}
