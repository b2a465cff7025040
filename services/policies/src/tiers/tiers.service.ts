import { CONFIG, TenantDb } from '@meshplane/platform';
import { compareTiers, DEFAULT_TIER } from '@meshplane/policy';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { CompileTrigger } from '../bundles/compile-trigger.js';
import type { PoliciesConfig } from '../config.js';
import { PolicyEntity } from '../policies/policy.entity.js';
import { lockTenantPolicies } from '../policies/tenant-policies-lock.js';
import { invalidInput } from '../validation/invalid-input.js';
import { ensureDefaultTier } from './default-tier.js';
import { TierEntity } from './tier.entity.js';
import { type CreateTierInput, type Tier, TierDefaultAction, type UpdateTierInput } from './tier.model.js';
import { reservedNameMessage, tierIssues } from './tier-rules.js';
import { tiersError } from './tiers.errors.js';

const UUID = z.uuid();

/** Tiers sorted as Calico evaluates them: by order (none last), then by name. */
function sortTiers<T extends { order: number | null; name: string }>(tiers: T[]): T[] {
  return [...tiers].sort((a, b) =>
    compareTiers(
      { name: a.name, order: a.order ?? undefined },
      { name: b.name, order: b.order ?? undefined },
    ),
  );
}

function toTierModel(entity: TierEntity): Tier {
  return {
    id: entity.id,
    name: entity.name,
    order: entity.order,
    defaultAction: entity.defaultAction as TierDefaultAction,
    builtIn: entity.name === DEFAULT_TIER.name,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

@Injectable()
export class TiersService {
  constructor(
    private readonly db: TenantDb,
    private readonly trigger: CompileTrigger,
    @Inject(CONFIG) private readonly config: PoliciesConfig,
  ) {}

  async list(tenantId: string): Promise<Tier[]> {
    const rows = await this.db.tenant(tenantId, async (m) => {
      await ensureDefaultTier(m, tenantId);
      return m.find(TierEntity, { where: { tenantId } });
    });
    return sortTiers(rows).map(toTierModel);
  }

  async create(tenantId: string, input: CreateTierInput): Promise<Tier> {
    const spec = {
      name: input.name,
      order: input.order ?? undefined,
      defaultAction: input.defaultAction ?? TierDefaultAction.Deny,
    };
    const issues = tierIssues(spec, 'input');
    if (issues.length > 0) throw invalidInput('INVALID_TIER', issues);
    const reserved = reservedNameMessage(spec.name);
    if (reserved !== undefined) throw tiersError('TIER_RESERVED', { field: 'input.name' }, reserved);
    const row = await this.db.tenant(tenantId, async (m) => {
      await lockTenantPolicies(m, tenantId);
      await ensureDefaultTier(m, tenantId);
      if ((await m.count(TierEntity, { where: { tenantId } })) >= this.config.MAX_TIERS_PER_TENANT) {
        throw tiersError('TIER_LIMIT');
      }
      if (await m.exists(TierEntity, { where: { tenantId, name: spec.name } })) {
        throw tiersError('TIER_NAME_TAKEN', { field: 'input.name' });
      }
      return m.save(
        m.create(TierEntity, {
          tenantId,
          name: spec.name,
          order: spec.order ?? null,
          defaultAction: spec.defaultAction,
        }),
      );
    });
    return toTierModel(row);
  }

  async update(tenantId: string, id: string, input: UpdateTierInput): Promise<Tier> {
    const row = await this.db.tenant(tenantId, async (m) => {
      await lockTenantPolicies(m, tenantId);
      const tier = await this.findForUpdate(m, tenantId, id);
      if (tier.name === DEFAULT_TIER.name) throw tiersError('TIER_BUILT_IN', { field: 'id' });
      const order = input.order === undefined ? tier.order : input.order;
      const defaultAction = input.defaultAction ?? tier.defaultAction;
      const issues = tierIssues({ name: tier.name, order: order ?? undefined, defaultAction }, 'input');
      if (issues.length > 0) throw invalidInput('INVALID_TIER', issues);
      tier.order = order;
      tier.defaultAction = defaultAction;
      return m.save(tier);
    });
    await this.trigger.request(tenantId, 'tier');
    return toTierModel(row);
  }

  /** Deletes an unused tier; refused (CONFLICT) while any policy, staged or not, is in it. */
  async delete(tenantId: string, id: string): Promise<string> {
    await this.db.tenant(tenantId, async (m) => {
      await lockTenantPolicies(m, tenantId);
      const tier = await this.findForUpdate(m, tenantId, id);
      if (tier.name === DEFAULT_TIER.name) throw tiersError('TIER_BUILT_IN', { field: 'id' });
      const inUse = await m.count(PolicyEntity, { where: { tenantId, tier: tier.name } });
      if (inUse > 0) {
        throw tiersError(
          'TIER_IN_USE',
          { field: 'id', policyCount: inUse },
          `${inUse} ${inUse === 1 ? 'policy uses' : 'policies use'} tier '${tier.name}'; move or delete them first`,
        );
      }
      await m.delete(TierEntity, { id: tier.id });
    });
    await this.trigger.request(tenantId, 'tier');
    return id;
  }

  /** The tier row, locked against concurrent policy writes into it (they take a share lock). */
  private async findForUpdate(m: EntityManager, tenantId: string, id: string): Promise<TierEntity> {
    if (!UUID.safeParse(id).success) throw tiersError('TIER_NOT_FOUND', { id });
    const tier = await m.findOne(TierEntity, {
      where: { id, tenantId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!tier) throw tiersError('TIER_NOT_FOUND', { id });
    return tier;
  }
}
