import { randomUUID } from 'node:crypto';
import { type AuthenticatedIdentity, CONFIG, isId, TenantDb } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, LessThan } from 'typeorm';
import { CompileTrigger } from '../bundles/compile-trigger.js';
import type { PoliciesConfig } from '../config.js';
import { EncryptionSettingEntity, MESH_WIDE_SCOPE } from '../encryption/encryption-setting.entity.js';
import { PolicyEntity } from '../policies/policy.entity.js';
import { PolicyChangeKind } from '../policies/policy.model.js';
import { lockTenantPolicies } from '../policies/tenant-policies-lock.js';
import { ensureDefaultTier } from '../tiers/default-tier.js';
import { TierEntity } from '../tiers/tier.entity.js';
import { PolicyVersionsService } from '../versions/policy-versions.service.js';
import { lockTenantZones } from '../zones/tenant-zones-lock.js';
import { ComplianceZoneEntity } from '../zones/zone.entity.js';
import { MAX_ZONES_PER_TENANT } from '../zones/zone-rules.js';
import type {
  ChangeSetActionValue,
  ChangeSetApplied,
  ChangeSetInput,
  ChangeSetObjects,
  ChangeSetPlan,
  PolicyWarning,
} from './change-set.model.js';
import {
  type ChangeSetDocument,
  type ChangeSetOperation,
  documentKey,
  isEncryptionDocument,
  isTierDocument,
  isZoneDocument,
  type LiveObjects,
  liveDocuments,
  MAX_CHANGE_SET_OBJECTS,
  planChangeSet,
  policyKey,
  policyOf,
  revisionOf,
  whatIfChanges,
} from './change-set-documents.js';
import { ChangeSetPlanEntity } from './change-set-plan.entity.js';
import { changeSetsError, invalidChangeSet } from './change-sets.errors.js';
import { shadowedPolicies, warningView } from './shadowed-policies.js';

function planView(
  row: ChangeSetPlanEntity,
  entries: ChangeSetPlan['entries'],
): Omit<ChangeSetPlan, 'warnings'> {
  return {
    id: row.id,
    revision: row.revision,
    hasChanges: row.operations.length > 0,
    entries,
    whatIfChanges: whatIfChanges(row.operations),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}

/**
 * Change sets: a plan of many tier and policy changes against one revision of the tenant's
 * objects, stored for a while, then applied all at once under one change id, or refused when
 * anything moved in between.
 */
@Injectable()
export class ChangeSetsService {
  constructor(
    private readonly db: TenantDb,
    private readonly versions: PolicyVersionsService,
    private readonly trigger: CompileTrigger,
    @Inject(CONFIG) private readonly config: PoliciesConfig,
  ) {}

  /** The tenant's tiers and policies as change-set objects, with their revision. */
  async objects(tenantId: string): Promise<ChangeSetObjects> {
    const live = await this.db.tenant(tenantId, (m) => this.live(m, tenantId));
    return { revision: revisionOf(live), objects: liveDocuments(live) };
  }

  /** The tenant's enforced policies that can never decide (see {@link shadowedPolicies}). */
  async warnings(tenantId: string): Promise<PolicyWarning[]> {
    const live = await this.db.tenant(tenantId, (m) => this.live(m, tenantId));
    const tiers = live.tiers.map((t) => ({
      name: t.name,
      order: t.order ?? undefined,
      defaultAction: t.defaultAction,
    }));
    return shadowedPolicies(tiers, live.policies).map(warningView);
  }

  async plan(tenantId: string, input: ChangeSetInput, now = new Date()): Promise<ChangeSetPlan> {
    const objects = input.objects;
    if (!Array.isArray(objects) || objects.length === 0 || objects.length > MAX_CHANGE_SET_OBJECTS)
      throw changeSetsError('CHANGE_SET_SIZE', { field: 'input.objects' });
    return this.db.tenant(tenantId, async (m) => {
      const live = await this.live(m, tenantId);
      const planned = planChangeSet(objects, input.prune === true, live);
      if (planned.issues.length > 0) throw invalidChangeSet(planned.issues);
      const { tiers, policies, zones } = planned.result;
      if (
        tiers.length > this.config.MAX_TIERS_PER_TENANT ||
        policies.length > this.config.MAX_POLICIES_PER_TENANT ||
        zones > MAX_ZONES_PER_TENANT
      )
        throw changeSetsError('CHANGE_SET_LIMIT', {
          field: 'input.objects',
          tiers: tiers.length,
          policies: policies.length,
          zones,
        });
      await m.delete(ChangeSetPlanEntity, { tenantId, expiresAt: LessThan(now) });
      const kept = await m.find(ChangeSetPlanEntity, {
        where: { tenantId },
        select: { id: true },
        order: { createdAt: 'DESC' },
        skip: this.config.MAX_CHANGE_SET_PLANS_PER_TENANT - 1,
      });
      if (kept.length > 0)
        await m.delete(
          ChangeSetPlanEntity,
          kept.map((row) => row.id),
        );
      const row = m.create(ChangeSetPlanEntity, {
        id: randomUUID(),
        tenantId,
        revision: revisionOf(live),
        operations: planned.operations,
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.config.CHANGE_SET_PLAN_TTL_MINUTES * 60_000),
        appliedChangeId: null,
      });
      await m.save(row);
      const entries = planned.entries.map((entry) => ({
        ...entry,
        action: entry.action as ChangeSetActionValue,
        diff: entry.diff.map((change) => ({
          op: change.op,
          path: change.path,
          before: change.before === undefined ? null : JSON.stringify(change.before),
          after: change.after === undefined ? null : JSON.stringify(change.after),
        })),
      })) as ChangeSetPlan['entries'];
      const warnings = shadowedPolicies(tiers, policies).map((found) => ({
        ...warningView(found),
        index: planned.indexOf(policyKey(found.policy)) ?? null,
      }));
      return { ...planView(row, entries), warnings };
    });
  }

  /**
   * Applies a plan in one transaction under the tenant's policy lock: CONFLICT when it was
   * applied already, has expired, or the tenant's objects no longer have the plan's revision.
   * Every policy version written carries the one change id; one compile request follows.
   */
  async apply(identity: AuthenticatedIdentity, planId: string, now = new Date()): Promise<ChangeSetApplied> {
    const { tenantId } = identity;
    if (!isId(planId)) throw changeSetsError('PLAN_NOT_FOUND', { field: 'planId' });
    let requestId: number | undefined;
    const applied = await this.db.tenant(tenantId, async (m) => {
      await lockTenantPolicies(m, tenantId);
      await lockTenantZones(m, tenantId);
      const plan = await m.findOne(ChangeSetPlanEntity, {
        where: { id: planId, tenantId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!plan) throw changeSetsError('PLAN_NOT_FOUND', { field: 'planId' });
      if (plan.appliedChangeId !== null) throw changeSetsError('PLAN_APPLIED', { field: 'planId' });
      if (plan.expiresAt <= now) throw changeSetsError('PLAN_EXPIRED', { field: 'planId' });
      // Tier rows locked as writers of policies lock them, so no policy moves into a tier meanwhile.
      await m.find(TierEntity, { where: { tenantId }, lock: { mode: 'pessimistic_write' } });
      if (revisionOf(await this.live(m, tenantId)) !== plan.revision)
        throw changeSetsError('PLAN_STALE', { field: 'planId', revision: plan.revision });
      const changeId = randomUUID();
      const counts = { created: 0, updated: 0, deleted: 0 };
      for (const operation of plan.operations) {
        await this.applyOperation(m, identity, operation, changeId);
        counts[`${operation.action}d` as keyof typeof counts] += 1;
      }
      const changed = plan.operations.length > 0;
      plan.appliedChangeId = changeId;
      await m.save(plan);
      if (changed) requestId = await this.trigger.record(m, tenantId, 'change-set', changeId);
      return { planId, changeId: changed ? changeId : null, ...counts };
    });
    if (requestId !== undefined) await this.trigger.enqueue(tenantId, requestId);
    return applied;
  }

  private async applyOperation(
    m: EntityManager,
    identity: AuthenticatedIdentity,
    operation: ChangeSetOperation,
    changeId: string,
  ): Promise<void> {
    const { tenantId } = identity;
    const document = (operation.after ?? operation.before) as ChangeSetDocument;
    if (isEncryptionDocument(document)) {
      const where = { tenantId, scope: MESH_WIDE_SCOPE };
      if (operation.action === 'delete') await m.delete(EncryptionSettingEntity, where);
      else
        await m.upsert(EncryptionSettingEntity, { ...where, settings: document.spec }, ['tenantId', 'scope']);
      return;
    }
    if (isZoneDocument(document)) {
      const name = document.metadata.name;
      if (operation.action === 'delete') await m.delete(ComplianceZoneEntity, { tenantId, name });
      else {
        const { clusterSelector, isolation } = document.spec;
        const allowedZones = [...isolation.allowedZones].sort();
        if (operation.action === 'create')
          await m.insert(ComplianceZoneEntity, { tenantId, name, clusterSelector, allowedZones });
        else await m.update(ComplianceZoneEntity, { tenantId, name }, { clusterSelector, allowedZones });
      }
      return;
    }
    if (isTierDocument(document)) {
      const name = document.metadata.name;
      if (operation.action === 'delete') await m.delete(TierEntity, { tenantId, name });
      else {
        const order =
          operation.after && isTierDocument(operation.after) ? (operation.after.spec.order ?? null) : null;
        const defaultAction = (operation.after as typeof document).spec.defaultAction;
        if (operation.action === 'create')
          await m.insert(TierEntity, { tenantId, name, order, defaultAction });
        else await m.update(TierEntity, { tenantId, name }, { order, defaultAction });
      }
      return;
    }
    const policy = policyOf(document);
    const identityWhere = {
      tenantId,
      kind: policy.kind,
      namespace: policy.namespace,
      name: policy.name,
      staged: policy.staged,
    };
    if (operation.action === 'create') {
      const row = m.create(PolicyEntity, {
        id: randomUUID(),
        ...identityWhere,
        tier: policy.spec.tier as string,
        spec: policy.spec,
        version: 1,
      });
      await m.insert(PolicyEntity, row);
      await this.versions.record(m, row, PolicyChangeKind.Created, identity, null, changeId);
      return;
    }
    const row = await m.findOne(PolicyEntity, { where: identityWhere, lock: { mode: 'pessimistic_write' } });
    // The revision matched, so the object is there; anything else is a bug, not the caller's fault.
    if (!row)
      throw new Error(`change set: ${documentKey(document)} is missing although the revision matched`);
    row.version += 1;
    if (operation.action === 'delete') {
      await this.versions.record(m, row, PolicyChangeKind.Deleted, identity, null, changeId);
      await m.delete(PolicyEntity, { id: row.id });
      return;
    }
    Object.assign(row, { spec: policy.spec, tier: policy.spec.tier as string });
    await m.save(row);
    await this.versions.record(m, row, PolicyChangeKind.Updated, identity, null, changeId);
  }

  private async live(m: EntityManager, tenantId: string): Promise<LiveObjects> {
    await ensureDefaultTier(m, tenantId);
    const tiers = await m.find(TierEntity, { where: { tenantId } });
    const policies = await m.find(PolicyEntity, { where: { tenantId } });
    const zones = await m.find(ComplianceZoneEntity, { where: { tenantId } });
    const mesh = await m.findOne(EncryptionSettingEntity, { where: { tenantId, scope: MESH_WIDE_SCOPE } });
    return { tiers, policies, zones, encryption: mesh?.settings ?? null };
  }
}
