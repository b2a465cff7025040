import { randomUUID } from 'node:crypto';
import { type AuthenticatedIdentity, CONFIG, TenantDb } from '@meshplane/platform';
import {
  type Policy as CalicoPolicy,
  CLUSTER_LABEL,
  calicoPolicyName,
  compileSelector,
  parseSelector,
  type ValidationIssue,
} from '@meshplane/policy';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { CompileTrigger } from '../bundles/compile-trigger.js';
import { ClustersInventoryClient } from '../clients/clusters-inventory.client.js';
import type { PoliciesConfig } from '../config.js';
import { ensureDefaultTier } from '../tiers/default-tier.js';
import { TierEntity } from '../tiers/tier.entity.js';
import { invalidInput } from '../validation/invalid-input.js';
import { jsonEqual } from '../versions/json-diff.js';
import type { PolicyVersionEntity } from '../versions/policy-version.entity.js';
import { PolicyVersionsService } from '../versions/policy-versions.service.js';
import {
  canonicalSpec,
  inputPath,
  type StoredSpec,
  specView,
  toCalicoPolicy,
  withDefaults,
} from './canonical-policy.js';
import { policiesError } from './policies.errors.js';
import { PolicyEntity } from './policy.entity.js';
import {
  type CreatePolicyInput,
  type Policy,
  type PolicyChange,
  PolicyChangeKind,
  type PolicyFilter,
  PolicyKind,
  type UpdatePolicyInput,
} from './policy.model.js';
import { policyIssues } from './policy-issues.js';
import { lockTenantPolicies } from './tenant-policies-lock.js';

const UUID = z.uuid();

function toPolicyModel(row: PolicyEntity): Policy {
  return {
    id: row.id,
    kind: row.kind as PolicyKind,
    name: row.name,
    calicoName: calicoPolicyName(row.tier, row.name),
    namespace: row.namespace === '' ? null : row.namespace,
    tier: row.tier,
    staged: row.staged,
    version: row.version,
    spec: specView(row.spec),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function changeOf(
  row: PolicyEntity,
  version: PolicyVersionEntity,
  policy: Policy | null,
  changed = true,
): PolicyChange {
  // policyId first: the audit log takes the first `…Id` of a mutation's result as its target.
  return {
    policyId: row.id,
    version: version.version,
    changeId: version.changeId,
    change: version.change as PolicyChangeKind,
    changed,
    policy,
  };
}

@Injectable()
export class PoliciesService {
  constructor(
    private readonly db: TenantDb,
    private readonly versions: PolicyVersionsService,
    private readonly trigger: CompileTrigger,
    private readonly clusters: ClustersInventoryClient,
    @Inject(CONFIG) private readonly config: PoliciesConfig,
  ) {}

  async list(tenantId: string, filter: PolicyFilter = {}): Promise<Policy[]> {
    const rows = await this.db.tenant(tenantId, (m) => {
      const query = m.createQueryBuilder(PolicyEntity, 'p').where('p.tenant_id = :tenantId', { tenantId });
      if (filter.tier != null) query.andWhere('p.tier = :tier', { tier: filter.tier });
      if (filter.namespace != null)
        query.andWhere('p.namespace = :namespace', { namespace: filter.namespace });
      if (filter.kind != null) query.andWhere('p.kind = :kind', { kind: filter.kind });
      if (filter.staged != null) query.andWhere('p.staged = :staged', { staged: filter.staged });
      return query
        .orderBy('p.tier')
        .addOrderBy('p.namespace')
        .addOrderBy('p.name')
        .addOrderBy('p.staged')
        .getMany();
    });
    if (filter.clusterId == null) return rows.map(toPolicyModel);
    const targets = await this.clusterTargets(tenantId, filter.clusterId);
    return rows.filter((row) => targets(row.spec.clusterSelector ?? 'all()')).map(toPolicyModel);
  }

  /** Whether a (stored, valid) clusterSelector selects the cluster; NOT_FOUND for another tenant's id. */
  private async clusterTargets(tenantId: string, clusterId: string): Promise<(selector: string) => boolean> {
    const { clusters } = await this.clusters.tenantInventory(tenantId, []);
    const cluster = clusters.find((c) => c.id === clusterId);
    if (!cluster) throw policiesError('CLUSTER_NOT_FOUND', { field: 'filter.clusterId' });
    const labels = { ...cluster.labels, [CLUSTER_LABEL]: cluster.name };
    return (selector) => compileSelector(parseSelector(selector))(labels);
  }

  async get(tenantId: string, id: string): Promise<Policy> {
    return toPolicyModel(await this.db.tenant(tenantId, (m) => this.find(m, tenantId, id)));
  }

  async create(identity: AuthenticatedIdentity, input: CreatePolicyInput): Promise<PolicyChange> {
    const { tenantId } = identity;
    const spec = canonicalSpec(input.spec);
    const resource = toCalicoPolicy(input, spec);
    let requestId: number | undefined;
    const change = await this.db.tenant(tenantId, async (m) => {
      await lockTenantPolicies(m, tenantId);
      await this.validate(m, tenantId, resource, inputPath);
      if ((await m.count(PolicyEntity, { where: { tenantId } })) >= this.config.MAX_POLICIES_PER_TENANT) {
        throw policiesError('POLICY_LIMIT');
      }
      const row = m.create(PolicyEntity, {
        id: randomUUID(),
        tenantId,
        kind: input.kind,
        namespace: input.namespace ?? '',
        name: input.name,
        version: 1,
        ...this.stateOf(spec),
      });
      await this.assertIdentityFree(m, row);
      await m.insert(PolicyEntity, row);
      const version = await this.versions.record(m, row, PolicyChangeKind.Created, identity);
      requestId = await this.trigger.record(m, tenantId, 'policy', version.changeId);
      return changeOf(row, version, toPolicyModel(await this.find(m, tenantId, row.id)));
    });
    if (requestId !== undefined) await this.trigger.enqueue(tenantId, requestId);
    return change;
  }

  /** Replaces the spec; writes no version when the canonical spec is unchanged. */
  async update(identity: AuthenticatedIdentity, id: string, input: UpdatePolicyInput): Promise<PolicyChange> {
    const { tenantId } = identity;
    const spec = canonicalSpec(input.spec);
    let requestId: number | undefined;
    const change = await this.db.tenant(tenantId, async (m) => {
      await lockTenantPolicies(m, tenantId);
      const row = await this.find(m, tenantId, id, true);
      await this.validate(
        m,
        tenantId,
        toCalicoPolicy(this.identityOf(row), spec),
        inputPath,
        undefined,
        row.tier,
      );
      const next = this.stateOf(spec);
      if (jsonEqual(next.spec, row.spec)) {
        const latest = (await this.versions.latest(m, tenantId, row.id))!;
        return changeOf(row, latest, toPolicyModel(row), false);
      }
      Object.assign(row, next, { version: row.version + 1 });
      await this.assertIdentityFree(m, row);
      await m.save(row);
      const version = await this.versions.record(m, row, PolicyChangeKind.Updated, identity);
      requestId = await this.trigger.record(m, tenantId, 'policy', version.changeId);
      return changeOf(row, version, toPolicyModel(row));
    });
    if (requestId !== undefined) await this.trigger.enqueue(tenantId, requestId);
    return change;
  }

  /** Deletes the policy; its versions stay (history, diff and rollback still work). */
  async delete(identity: AuthenticatedIdentity, id: string): Promise<PolicyChange> {
    const { tenantId } = identity;
    let requestId: number | undefined;
    const change = await this.db.tenant(tenantId, async (m) => {
      await lockTenantPolicies(m, tenantId);
      const row = await this.find(m, tenantId, id, true);
      row.version += 1;
      const version = await this.versions.record(m, row, PolicyChangeKind.Deleted, identity);
      requestId = await this.trigger.record(m, tenantId, 'policy', version.changeId);
      await m.delete(PolicyEntity, { id: row.id });
      return changeOf(row, version, null);
    });
    if (requestId !== undefined) await this.trigger.enqueue(tenantId, requestId);
    return change;
  }

  /**
   * Writes a new version whose spec is that of `version` (re-validated against today's tiers). A
   * deleted policy is restored under its id, unless its name has been taken since (CONFLICT).
   */
  async rollback(identity: AuthenticatedIdentity, id: string, target: number): Promise<PolicyChange> {
    const { tenantId } = identity;
    if (!UUID.safeParse(id).success) throw policiesError('POLICY_NOT_FOUND', { id });
    let requestId: number | undefined;
    const change = await this.db.tenant(tenantId, async (m) => {
      await lockTenantPolicies(m, tenantId);
      const latest = await this.versions.latest(m, tenantId, id);
      if (!latest) throw policiesError('POLICY_NOT_FOUND', { id });
      const old = await this.versions.find(m, tenantId, id, target, 'version');
      if (old.change === PolicyChangeKind.Deleted)
        throw policiesError('VERSION_IS_DELETION', { field: 'version' });
      // Issues keep the resource's paths (`spec.tier`); the field at fault is the version chosen.
      await this.validate(
        m,
        tenantId,
        toCalicoPolicy(this.identityOf(old), old.spec),
        (path) => path,
        'version',
        old.spec.tier,
      );
      const current = await m.findOne(PolicyEntity, {
        where: { id, tenantId },
        lock: { mode: 'pessimistic_write' },
      });
      const row =
        current ??
        m.create(PolicyEntity, { id, tenantId, kind: old.kind, namespace: old.namespace, name: old.name });
      Object.assign(row, this.stateOf(old.spec), { version: latest.version + 1 });
      await this.assertIdentityFree(m, row);
      if (current) await m.save(row);
      else {
        if ((await m.count(PolicyEntity, { where: { tenantId } })) >= this.config.MAX_POLICIES_PER_TENANT) {
          throw policiesError('POLICY_LIMIT');
        }
        await m.insert(PolicyEntity, row);
      }
      const version = await this.versions.record(m, row, PolicyChangeKind.RolledBack, identity, target);
      requestId = await this.trigger.record(m, tenantId, 'policy', version.changeId);
      return changeOf(row, version, toPolicyModel(await this.find(m, tenantId, id)));
    });
    if (requestId !== undefined) await this.trigger.enqueue(tenantId, requestId);
    return change;
  }

  /**
   * Validates a policy with `@meshplane/policy` against the tenant's tiers (the tier must exist),
   * plus the size limits; throws BAD_USER_INPUT listing every issue. `pathOf` maps the resource's
   * paths to where the caller gave them.
   */
  private async validate(
    m: EntityManager,
    tenantId: string,
    resource: CalicoPolicy,
    pathOf: (resourcePath: string) => string,
    field?: string,
    storedTier?: string,
  ): Promise<void> {
    await ensureDefaultTier(m, tenantId);
    const tierName = resource.spec?.tier;
    // A share lock on the policy's tier: deleteTier (which locks it for update) waits for us.
    const tiers = await m.find(TierEntity, {
      where: { tenantId, ...(typeof tierName === 'string' ? { name: tierName } : { name: 'default' }) },
      lock: { mode: 'pessimistic_read' },
    });
    const issues: ValidationIssue[] = policyIssues(
      resource,
      tiers.map((t) => ({ name: t.name, order: t.order ?? undefined, defaultAction: t.defaultAction })),
      storedTier,
    ).map((issue) => ({ path: pathOf(issue.path), message: issue.message }));
    if (issues.length > 0) throw invalidInput('INVALID_POLICY', issues, field);
  }

  /** Columns derived from a valid spec (defaults applied). */
  private stateOf(spec: StoredSpec): Pick<PolicyEntity, 'spec' | 'tier' | 'staged'> {
    const stored = withDefaults(spec);
    return { spec: stored, tier: stored.tier as string, staged: stored.staged === true };
  }

  private identityOf(row: { kind: string; name: string; namespace: string }) {
    return {
      kind: row.kind as PolicyKind,
      name: row.name,
      namespace: row.namespace === '' ? null : row.namespace,
    };
  }

  /** CONFLICT when another policy already has this kind, namespace, name and staged flag. */
  private async assertIdentityFree(m: EntityManager, row: PolicyEntity): Promise<void> {
    const other = await m.findOne(PolicyEntity, {
      where: {
        tenantId: row.tenantId,
        kind: row.kind,
        namespace: row.namespace,
        name: row.name,
        staged: row.staged,
      },
    });
    if (other && other.id !== row.id) throw policiesError('POLICY_NAME_TAKEN', { field: 'input.name' });
  }

  private async find(
    m: EntityManager,
    tenantId: string,
    id: string,
    forUpdate = false,
  ): Promise<PolicyEntity> {
    if (!UUID.safeParse(id).success) throw policiesError('POLICY_NOT_FOUND', { id });
    const row = await m.findOne(PolicyEntity, {
      where: { id, tenantId },
      ...(forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!row) throw policiesError('POLICY_NOT_FOUND', { id });
    return row;
  }
}
